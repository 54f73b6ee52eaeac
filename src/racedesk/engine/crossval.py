"""Leaving one canvass out: the model's figures out of sample (``docs/backtest.md``,
"Leaving one canvass out").

For each canvass in turn, the parameters are calibrated on every other canvass
(``calibrate.fit`` on their rows) and the left-out canvass is backtested with them
(``backtest.run_backtest``), so no figure of a fold was seen by the model that made it. The
report (``racedesk.crossval/1``) gives each fold's wrong calls, interval coverage, calls by the
end of election night and its reference contests, and the totals over the folds. Pure: the
replays (the slow part) are made by the caller, in parallel if it likes (``desk.crossval``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from racedesk.engine.backtest import BacktestReport
from racedesk.engine.calibrate import Row, fit
from racedesk.engine.params import ModelParams
from racedesk.engine.references import BacktestReference

SCHEMA = "racedesk.crossval/1"


class Fold(msgspec.Struct, frozen=True, kw_only=True):
    """One left-out canvass, backtested with parameters calibrated on the others."""

    canvass: str
    trained_on: list[str]
    model_version: str
    outstanding_reports: int
    contests: int
    called: int
    wrong_calls: int
    #: Wrong call events, rescinded or not (a call made and later taken back counts here).
    wrong_call_events: int
    coverage_90: float | None
    pairs: int
    called_election_night: float
    #: Contests the source saw only part of (never called; not in the shares above).
    portions: int
    references: list[BacktestReference] = []
    #: The lowest and highest coverage of the 90% intervals at one release (of the releases
    #: with pairs): ``coverage_90`` is their mean, weighted by pairs, and may hold while
    #: single releases stray far either way.
    coverage_90_release_low: float | None = None
    coverage_90_release_high: float | None = None


class CrossValSummary(msgspec.Struct, frozen=True, kw_only=True):
    folds: int
    wrong_calls: int
    #: The lowest and highest fold coverage of the 90% intervals.
    coverage_90_low: float | None
    coverage_90_high: float | None
    #: Reference contests called by their deadline, of those the folds could score.
    references_as_early: int
    references_scored: int


class CrossValReport(msgspec.Struct, frozen=True, kw_only=True):
    """The ``racedesk.crossval/1`` report."""

    schema: str = SCHEMA
    seed: int = 0
    summary: CrossValSummary
    folds: list[Fold]


#: Reference verdicts a fold can be scored on (a portion or an unmatched row says nothing of
#: how early the desk was).
SCORED = ("as early", "late", "not called", "wrong")


def fold_params(rows: Mapping[str, Sequence[Row]], left_out: str, base: ModelParams) -> ModelParams:
    """The parameters calibrated on every canvass of ``rows`` but ``left_out``."""
    others = [name for name in rows if name != left_out]
    if not others:
        raise ValueError("leaving one canvass out needs at least two canvasses")
    return fit([row for name in others for row in rows[name]], others, base)


def fold_of(report: BacktestReport, params: ModelParams) -> Fold:
    """The figures of one fold: ``report`` is the left-out canvass's backtest with ``params``."""
    s = report.summary
    by_release = [e.coverage_90 for e in report.timeline if e.coverage_90 is not None]
    return Fold(
        canvass=report.election.id,
        trained_on=list(params.calibrated_on),
        model_version=params.version,
        outstanding_reports=report.outstanding_reports,
        contests=s.contests,
        called=s.called,
        wrong_calls=s.wrong_calls,
        wrong_call_events=sum(c.wrong_call_events for c in report.contests),
        coverage_90=s.coverage_90,
        pairs=s.pairs,
        called_election_night=s.called_election_night,
        portions=s.portions,
        references=list(report.references),
        coverage_90_release_low=min(by_release, default=None),
        coverage_90_release_high=max(by_release, default=None),
    )


def cross_report(folds: Sequence[Fold], seed: int = 0) -> CrossValReport:
    """The report of ``folds``, with its totals."""
    coverages = [f.coverage_90 for f in folds if f.coverage_90 is not None]
    scored = [r for f in folds for r in f.references if r.verdict in SCORED]
    return CrossValReport(
        seed=seed,
        summary=CrossValSummary(
            folds=len(folds),
            wrong_calls=sum(f.wrong_calls for f in folds),
            coverage_90_low=min(coverages) if coverages else None,
            coverage_90_high=max(coverages) if coverages else None,
            references_as_early=sum(1 for r in scored if r.verdict == "as early"),
            references_scored=len(scored),
        ),
        folds=list(folds),
    )


def encode(report: CrossValReport) -> bytes:
    """The report as indented ``racedesk.crossval/1`` JSON."""
    return msgspec.json.format(msgspec.json.encode(report), indent=2) + b"\n"


__all__ = [
    "SCHEMA",
    "CrossValReport",
    "CrossValSummary",
    "Fold",
    "cross_report",
    "encode",
    "fold_of",
    "fold_params",
]
