"""Calibration and leave-one-out backtests over many canvasses, run in parallel
(``desk.parallel``): each canvass is read and replayed where it runs, so only its source's name
goes out and only its rows or its report come back.

A canvass is named by a :class:`CanvassSpec`: its source (a feed folder or ``scenario:NAME``)
and, if any, the file of the registrar's outstanding-ballot reports that belongs to it (reports
are one county's: LA's reports must not be given to the state's feed of the same day).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec

from racedesk.desk.parallel import run_all
from racedesk.engine import crossval
from racedesk.engine.backtest import run_backtest
from racedesk.engine.calibrate import Row, canvass_rows, fit
from racedesk.engine.params import ModelParams, default_params
from racedesk.errors import InputError
from racedesk.model import Election, OutstandingReport
from racedesk.sources.loader import Canvass, load_canvasses


class CanvassSpec(msgspec.Struct, frozen=True):
    """A past canvass to learn from or score: its source, the outstanding-ballot reports that go
    with it (``None``: those the source carries), and whether to use no reports at all."""

    source: str
    reports: str | None = None
    without_reports: bool = False


def parse_spec(text: str, without_reports: bool = False) -> CanvassSpec:
    """``SOURCE`` or ``SOURCE=REPORTS`` (the reports file that belongs to that canvass)."""
    source, sep, reports = text.partition("=")
    if not source or (sep and not reports):
        raise InputError(f"{text!r} is not SOURCE or SOURCE=REPORTS", where="canvass")
    return CanvassSpec(source, reports or None, without_reports)


def reports_of(canvass: Canvass, reports: str | Path | None) -> list[OutstandingReport]:
    """The outstanding-ballot reports for ``canvass``: those in ``reports`` for its election's
    date, else those its source carries."""
    if reports is None:
        return canvass.reports
    from racedesk.sources.outstanding import load_reports

    election = canvass.election
    refuse_other_jurisdiction(election, Path(reports))
    return load_reports(Path(reports), election.date, ZoneInfo(election.timezone))


def reports_kind(path: Path) -> tuple[str, str | None]:
    """Whose estimates of ballots left the reports at ``path`` are, as
    :func:`~racedesk.sources.outstanding.load_reports` tells its layouts apart: the state's
    unprocessed-ballots report (a folder of its versions, or one version) is the Secretary of
    State's, for the state's feed; San Diego's tracker ``metadata.json`` is that county's, for its
    feed; any other file is a county registrar's, county-wide (the layout names no county). The
    words that say so, and the source of the feed the reports belong to (None: a county's)."""
    from racedesk.sources import casos, sandiego, unprocessed

    if path.is_dir():
        return "the Secretary of State's unprocessed-ballots report (statewide)", casos.SOURCE
    try:
        head = path.read_bytes()[:4096]
    except OSError:
        return "a county registrar's estimates (county-wide)", None  # load_reports says why
    if unprocessed.is_report(head):
        return "the Secretary of State's unprocessed-ballots report (statewide)", casos.SOURCE
    if sandiego.is_metadata(head):
        return "San Diego County's estimates (its tracker's metadata)", sandiego.SOURCE
    return "a county registrar's estimates (county-wide)", None


def refuse_other_jurisdiction(election: Election, path: Path) -> None:
    """Raise :class:`InputError` when the reports at ``path`` are not of ``election``'s
    jurisdiction (:func:`reports_kind`): the state's report or San Diego's for another feed,
    or a county's estimates for the state's feed, whose contests span every county (LA's
    reports of Mar 5, 2024 made 6 wrong calls in the state's primary of the same day)."""
    from racedesk.sources import casos

    words, owner = reports_kind(path)
    statewide = election.source == casos.SOURCE
    if owner == election.source or (owner is None and not statewide):
        return
    raise InputError(
        f"the reports are {words}, not of {election.jurisdiction}: election {election.id} "
        f"({election.jurisdiction}) cannot take them as its ballots left",
        where=str(path),
    )


def _canvasses(spec: CanvassSpec) -> list[tuple[Canvass, list[OutstandingReport]]]:
    return [
        (c, [] if spec.without_reports else reports_of(c, spec.reports))
        for c in load_canvasses(spec.source)
    ]


def rows_task(spec: CanvassSpec) -> list[tuple[str, list[Row]]]:
    """Each canvass of ``spec`` replayed into calibration rows, by election id."""
    base = default_params()
    return [
        (c.election.id, canvass_rows(c.election, c.releases, reports, base))
        for c, reports in _canvasses(spec)
    ]


def _rows(
    specs: Sequence[CanvassSpec], scheduler: str | None, workers: int | None
) -> dict[str, tuple[CanvassSpec, list[Row]]]:
    """Every canvass's rows and the spec it was read from, by election id."""
    rows: dict[str, tuple[CanvassSpec, list[Row]]] = {}
    for spec, found in zip(specs, run_all(rows_task, specs, scheduler, workers), strict=True):
        for election_id, got in found:
            if election_id in rows:
                raise InputError(f"the canvass {election_id} is given twice", where=spec.source)
            rows[election_id] = (spec, got)
    return rows


def calibrate_many(
    specs: Sequence[CanvassSpec], scheduler: str | None = None, workers: int | None = None
) -> ModelParams:
    """The parameters calibrated on every canvass of ``specs``, replayed in parallel; the same
    as ``calibrate.calibrate`` on them in order."""
    rows = _rows(specs, scheduler, workers)
    return fit([r for _, got in rows.values() for r in got], list(rows), default_params())


class FoldTask(msgspec.Struct, frozen=True):
    spec: CanvassSpec
    election_id: str
    params: ModelParams
    references: str | None = None
    seed: int = 0


def fold_task(task: FoldTask) -> crossval.Fold:
    """The left-out canvass of ``task`` backtested with the parameters of its fold."""
    from racedesk.sources.reference_calls import load_reference_calls

    for canvass, reports in _canvasses(task.spec):
        if canvass.election.id != task.election_id:
            continue
        election = canvass.election
        refs = load_reference_calls(Path(task.references), election) if task.references else []
        report = run_backtest(election, canvass.releases, reports, task.params, task.seed, refs)
        return crossval.fold_of(report, task.params)
    raise InputError(f"no canvass {task.election_id}", where=task.spec.source)


def leave_one_out(
    specs: Sequence[CanvassSpec],
    references: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    seed: int = 0,
) -> crossval.CrossValReport:
    """Every canvass of ``specs`` backtested with parameters calibrated on the others
    (``engine.crossval``); the replays and the folds run in parallel."""
    read = _rows(specs, scheduler, workers)
    if len(read) < 2:
        raise InputError("leaving one canvass out needs at least two canvasses", where="canvasses")
    rows = {eid: got for eid, (_, got) in read.items()}
    base = default_params()
    tasks = [
        FoldTask(spec, eid, crossval.fold_params(rows, eid, base), references, seed)
        for eid, (spec, _) in read.items()
    ]
    return crossval.cross_report(run_all(fold_task, tasks, scheduler, workers), seed)


__all__ = [
    "CanvassSpec",
    "FoldTask",
    "calibrate_many",
    "fold_task",
    "leave_one_out",
    "parse_spec",
    "refuse_other_jurisdiction",
    "reports_kind",
    "reports_of",
    "rows_task",
]
