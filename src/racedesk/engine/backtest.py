"""Backtest: replay a whole canvass release by release and score the desk against the final count.

At each release the desk knows only what was known then: the releases so far and the
outstanding reports published by that release's feed time (``engine.replay``); a report
published soon after a release, before the next, makes that release's snapshot again at its
time, as the live desk does, and the calls it allows are dated then. The final release is the
truth. The report (``racedesk.backtest/1``, ``docs/backtest.md``) gives:

- per contest: the final outcome (winners named exactly as in the source), the first call
  (status, choices, release time and index) and whether it was right, the number of call and
  rescind events, and the share of its (release, choice) intervals that held the final share;
- per release: how many contests were called by then and the coverage of that release's 90%
  intervals;
- a summary: contests, contests called, **wrong calls** (every call event whose outcome differs
  from the final one, rescinded or not), coverage of the 90% intervals over (contest, release)
  pairs, the share of contests called by the end of election night and by each release, and the
  median release of the first call.

Coverage is scored on each usable release before the final one, for each contest projected on
it: a pair's coverage is the share of the contest's choices whose interval held the choice's
final share (of the named choices' votes), and ``coverage_90`` is the mean over pairs.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import msgspec

from racedesk.engine.params import ModelParams
from racedesk.engine.references import BacktestReference, score_references
from racedesk.engine.replay import replay
from racedesk.model import Contest, ContestCount, Election, OutstandingReport, Release
from racedesk.model.answers import CallEvent, Snapshot
from racedesk.model.reference import ReferenceCall
from racedesk.rules import CALL_STATUSES, logic_of

SCHEMA = "racedesk.backtest/1"
#: Slack for comparing a final share with an interval's bounds (floating point only).
TOLERANCE = 1e-9


class BacktestElection(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    date: str
    kind: str
    source: str


class BacktestCall(msgspec.Struct, frozen=True, kw_only=True):
    """A call as the report shows it: choices named as in the source."""

    status: str
    choices: list[str]
    release_time: str
    release_index: int
    probability: float | None = None
    reason: str = ""


class BacktestContest(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    rule: str
    final_winners: list[str]
    call: BacktestCall | None
    correct: bool | None
    final_status: str = ""
    call_events: int = 0
    wrong_call_events: int = 0
    rescinds: int = 0
    coverage_90: float | None = None
    pairs: int = 0
    #: The source that covered the contest, and the part of it the source saw ("" whole):
    #: a portion's final count is not the contest's, so it is never scored as one, and any
    #: call made on it is a wrong call.
    source: str = ""
    portion: str = ""


class BacktestRelease(msgspec.Struct, frozen=True, kw_only=True):
    index: int
    time: str
    usable: bool
    election_night: bool
    called: int
    called_share: float
    coverage_90: float | None
    pairs: int
    #: When this entry is release ``index``'s snapshot made again at ``time`` by a registrar's
    #: estimate published before the next release (``engine.replay``, ``estimates``): what made
    #: it again; "" for a release. Such an entry has no coverage pairs of its own.
    estimate: str = ""


class BacktestSummary(msgspec.Struct, frozen=True, kw_only=True):
    contests: int
    called: int
    wrong_calls: int
    coverage_90: float | None
    pairs: int = 0
    rescinds: int = 0
    called_election_night: float = 0.0
    called_by_release: list[float] = []
    median_call_release: float | None = None
    coverage_90_election_night: float | None = None
    coverage_90_after: float | None = None
    contests_wrong: int = 0
    #: Contests the source saw only part of (never called, no truth of their own here).
    portions: int = 0
    #: The share of contests called by the end of election night (``"election night"``) and by
    #: the end of each later day with a release (``"2024-11-06"`` …).
    called_by_day: dict[str, float] = {}


class BacktestReport(msgspec.Struct, frozen=True, kw_only=True):
    """The ``racedesk.backtest/1`` report (``docs/backtest.md``)."""

    schema: str = SCHEMA
    election: BacktestElection
    releases: int
    summary: BacktestSummary
    contests: list[BacktestContest]
    model_version: str = ""
    seed: int = 0
    outstanding_reports: int = 0
    timeline: list[BacktestRelease] = []
    #: The canvass's payloads that could not be read as releases, each "FILE: why" (the
    #: backtest replays the others).
    refused: list[str] = []
    #: The reference contests (AP's calls, concessions) against the desk's calls: how early
    #: (``racedesk.engine.references``); empty when the backtest was given none.
    references: list[BacktestReference] = []
    #: Whether the model's parameters were calibrated on this very canvass (or, for an election
    #: joined from several sources, on one of its sources' canvasses): its figures are then in
    #: sample (``docs/method.md`` has the cross-validated ones).
    in_sample: bool = False


def final_outcome(contest: Contest, count: ContestCount | None) -> tuple[str, list[str]]:
    """The final outcome of a contest from its final count: a status and the winning choice ids.

    Statuses match the calls': ``called`` (plurality winners; a majority), ``runoff``,
    ``advanced``, ``passed``/``failed`` (winner: the YES or NO choice); ``too close`` when the
    last place is tied in a plurality contest (decided by lot, EC §15651) or a measure ends
    between its two conditional thresholds; ``too early`` when nothing was counted; ``portion
    only`` for a contest the source sees only part of (its count is not the contest's: any call
    on it is wrong). The rule
    family says which (:meth:`racedesk.rules.base.RuleLogic.final_outcome`).
    """
    if count is None or count.choice_votes == 0:
        return "too early", []
    return logic_of(contest).final_outcome(contest, count)


def final_outcomes(
    election: Election, finals: Mapping[str, ContestCount]
) -> dict[str, tuple[str, list[str]]]:
    """Every contest's :func:`final_outcome` on the final counts ``finals``; a contest whose
    outcome waits on another contest's call (a recall's successor,
    :attr:`racedesk.rules.base.RuleLogic.condition`) has none where the other's final outcome
    is not the one it needs: no one takes office by the successor of a recall that failed, so
    any call of it is wrong ("too early", no winner)."""
    outcomes = {c.id: final_outcome(c, finals.get(c.id)) for c in election.contests}
    for contest in election.contests:
        condition = logic_of(contest, election.contests).condition
        if condition is None:
            continue
        if outcomes.get(condition.question, ("", []))[0] != condition.needs:
            outcomes[contest.id] = ("too early", [])
    return outcomes


def final_shares(contest: Contest, count: ContestCount | None) -> dict[str, float]:
    """Each choice's final share of the named choices' votes that decide the contest (its
    rule's :meth:`~racedesk.rules.base.RuleLogic.deciding_votes`: a ranked-choice contest's
    last round, the round its projection is about)."""
    if count is None:
        return {}
    votes = logic_of(contest).deciding_votes(count)
    total = sum(votes.values())
    if total == 0:
        return {}
    return {c.id: votes.get(c.id, 0) / total for c in contest.choices}


def is_election_night(election: Election, feed_time: datetime) -> bool:
    """Releases up to noon (local) the day after election day are election night's."""
    end = datetime.combine(election.date + timedelta(days=1), time(12, 0), tzinfo=feed_time.tzinfo)
    return (
        feed_time.astimezone(end.tzinfo) < end
        if feed_time.tzinfo
        else feed_time < end.replace(tzinfo=None)
    )


def event_correct(event: CallEvent, status: str, winners: Sequence[str]) -> bool:
    return event.status == status and set(event.choices) == set(winners)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class _Replayed:
    """What a backtest gathers while it replays a canvass."""

    events: list[CallEvent] = field(default_factory=list)
    first_calls: dict[str, CallEvent] = field(default_factory=dict)
    covered: dict[str, list[float]] = field(default_factory=dict)
    timeline: list[BacktestRelease] = field(default_factory=list)
    night_cover: list[float] = field(default_factory=list)
    after_cover: list[float] = field(default_factory=list)


def _coverage(snapshot: Snapshot, shares: dict[str, dict[str, float]]) -> dict[str, float]:
    """For each projected contest, the share of its choices whose 90% interval holds its final
    share (within ``TOLERANCE``)."""
    out: dict[str, float] = {}
    for cid, projection in snapshot.projections.items():
        target = shares.get(cid)
        if not target:
            continue
        held = [
            1.0
            if c.share_low - TOLERANCE <= target[c.choice_id] <= c.share_high + TOLERANCE
            else 0.0
            for c in projection.choices
            if c.choice_id in target
        ]
        if held:
            out[cid] = sum(held) / len(held)
    return out


def _replay(
    election: Election,
    ordered: Sequence[Release],
    reports: Sequence[OutstandingReport],
    params: ModelParams,
    seed: int,
    shares: dict[str, dict[str, float]],
    tick: Callable[[], object],
) -> _Replayed:
    """Replay the canvass, keeping every ledger event, each contest's first call, and each
    usable release's coverage of the final shares (but the last's, which is the truth)."""
    got = _Replayed(covered={c.id: [] for c in election.contests})
    last = len(ordered) - 1
    contests = len(election.contests)
    index = -1
    for snapshot in replay(election, ordered, reports, params, seed, estimates=True):
        got.events.extend(snapshot.new_events)
        for event in snapshot.new_events:
            if event.status in CALL_STATUSES and event.contest_id not in got.first_calls:
                got.first_calls[event.contest_id] = event
        again = snapshot.revised_at is not None
        index += 0 if again else 1
        moment = snapshot.revised_at or snapshot.feed_time
        night = is_election_night(election, moment)
        here: list[float] = []
        if snapshot.usable and index < last and not again:
            for cid, value in _coverage(snapshot, shares).items():
                here.append(value)
                got.covered[cid].append(value)
            (got.night_cover if night else got.after_cover).extend(here)
        got.timeline.append(
            BacktestRelease(
                index=index,
                time=moment.isoformat(),
                usable=snapshot.usable,
                election_night=night,
                called=len(got.first_calls),
                called_share=len(got.first_calls) / contests if contests else 0.0,
                coverage_90=_mean(here),
                pairs=len(here),
                estimate=snapshot.revised_because if again else "",
            )
        )
        if not again:
            tick()
    return got


def _contest_row(
    contest: Contest, truth: tuple[str, list[str]], got: _Replayed, source: str
) -> BacktestContest:
    """One contest's line of the report: its first call against its final outcome."""
    status, winners = truth
    mine = [e for e in got.events if e.contest_id == contest.id]
    calls = [e for e in mine if e.status in CALL_STATUSES]
    bad = [e for e in calls if not event_correct(e, status, winners)]
    first = got.first_calls.get(contest.id)
    pairs = got.covered[contest.id]
    return BacktestContest(
        id=contest.id,
        title=contest.title,
        rule=contest.rule.kind,
        final_winners=[contest.choice(c).name for c in winners],
        call=None
        if first is None
        else BacktestCall(
            status=first.status,
            choices=[contest.choice(c).name for c in first.choices],
            release_time=first.release_time.isoformat(),
            release_index=first.release_sequence,
            probability=first.probability,
            reason=first.reason,
        ),
        correct=None if first is None else event_correct(first, status, winners),
        final_status=status,
        call_events=len(calls),
        wrong_call_events=len(bad),
        rescinds=sum(1 for e in mine if e.status == "rescinded"),
        coverage_90=_mean(pairs),
        pairs=len(pairs),
        source=source,
        portion=contest.portion or (f"copy of contest {contest.record}" if contest.record else ""),
    )


def called_by_day_of(got: _Replayed) -> dict[str, float]:
    """The share of contests called by the end of election night, then by the end of each later
    day with a release (local dates of the feed times)."""
    out: dict[str, float] = {}
    for entry in got.timeline:
        moment = datetime.fromisoformat(entry.time)
        key = "election night" if entry.election_night else moment.date().isoformat()
        out[key] = entry.called_share
    return out


def _summary(rows: Sequence[BacktestContest], got: _Replayed) -> BacktestSummary:
    contests = len(rows)
    all_pairs = [v for values in got.covered.values() for v in values]
    night_called = 0
    for entry in got.timeline:
        if entry.election_night:
            night_called = entry.called
    first_indexes = [float(e.release_sequence) for e in got.first_calls.values()]
    return BacktestSummary(
        contests=contests,
        called=len(got.first_calls),
        wrong_calls=sum(r.wrong_call_events for r in rows),
        coverage_90=_mean(all_pairs),
        pairs=len(all_pairs),
        rescinds=sum(r.rescinds for r in rows),
        called_election_night=night_called / contests if contests else 0.0,
        called_by_release=[e.called_share for e in got.timeline if not e.estimate],
        median_call_release=statistics.median(first_indexes) if first_indexes else None,
        coverage_90_election_night=_mean(got.night_cover),
        coverage_90_after=_mean(got.after_cover),
        contests_wrong=sum(1 for r in rows if r.wrong_call_events),
        portions=sum(1 for r in rows if r.portion),
        called_by_day=called_by_day_of(got),
    )


def run_backtest(
    election: Election,
    releases: Sequence[Release],
    reports: Sequence[OutstandingReport],
    params: ModelParams,
    seed: int = 0,
    references: Sequence[ReferenceCall] = (),
    tick: Callable[[], object] = lambda: None,
) -> BacktestReport:
    """Replay ``releases`` (the whole canvass) and score every call and interval against the
    final release (module docstring), and the calls against ``references`` (the times others
    called the contests: :mod:`racedesk.engine.references`). ``tick`` is called after each
    release is replayed (a command's progress bar)."""
    ordered = sorted(releases, key=lambda r: r.feed_time)
    if not ordered:
        raise ValueError("a backtest needs at least one release")
    finals = ordered[-1].counts_by_contest()
    shares = {c.id: final_shares(c, finals.get(c.id)) for c in election.contests}
    got = _replay(election, ordered, reports, params, seed, shares, tick)
    outcomes = final_outcomes(election, finals)
    rows = [
        _contest_row(c, outcomes[c.id], got, c.source or election.source) for c in election.contests
    ]
    return BacktestReport(
        election=BacktestElection(
            id=election.id,
            title=election.title,
            date=election.date.isoformat(),
            kind=election.kind,
            source=election.source,
        ),
        releases=len(ordered),
        summary=_summary(rows, got),
        contests=rows,
        model_version=params.version,
        seed=seed,
        outstanding_reports=len(reports),
        timeline=got.timeline,
        references=score_references(
            election, references, [r.feed_time for r in ordered], got.first_calls
        ),
        in_sample=bool(
            {election.id, *(m.election_id for m in election.members)} & set(params.calibrated_on)
        ),
    )


def encode(report: BacktestReport) -> bytes:
    """The report as ``racedesk.backtest/1`` JSON."""
    return msgspec.json.encode(report)


__all__ = [
    "SCHEMA",
    "BacktestCall",
    "BacktestContest",
    "BacktestElection",
    "BacktestRelease",
    "BacktestReport",
    "BacktestSummary",
    "encode",
    "event_correct",
    "final_outcome",
    "final_shares",
    "is_election_night",
    "run_backtest",
]
