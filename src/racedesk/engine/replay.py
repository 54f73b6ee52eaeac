"""Replaying a canvass release by release, knowing at each release only what was known then.

``replay`` is the pure loop behind ``racedesk replay``, the backtest and calibration: for each
release it judges it as the desk does (``ReleaseChecks.judge``: the feed's identities against the
last release used; a held release confirmed by the next one that continues from it), takes the
outstanding reports published by that release's feed time, and advances the desk with the ledger
so far.

With ``estimates``, it also takes each report as the live desk does (``Desk.add_outstanding``):
a registrar's estimate published after a release, before the next one and within
``ESTIMATE_HOURS`` of it (the estimate that goes with the day's update), makes that release's
snapshot again at the estimate's time, and the calls it allows are dated then. LA's registrar
puts out its estimate at about 5 pm, half an hour after the day's update: without this a
backtest would hold every call the estimate allows until the next day's release. An estimate
published longer after the release before it waits for the next release: a canvass kept as
some of its updates only (the 2020 scenario's reported updates) lacks the counts the registrar
published between, and the estimate speaks of ballots left after those counts, not after the
release the desk holds (the 2020 primary's estimate of Mar 17, 64,000 left, came 13 days after
the release before it, with 800,000 ballots counted since).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import msgspec

from racedesk.engine.checks import ReleaseChecks
from racedesk.engine.index import ElectionIndex
from racedesk.engine.params import ModelParams
from racedesk.engine.run import advance
from racedesk.model import Election, OutstandingReport, Release
from racedesk.model.answers import CallEvent, Problem, Snapshot
from racedesk.model.release import estimate_event

#: How long after a release an estimate may come and still be taken as that release's: LA's
#: registrar gives it half an hour after the day's update (4:30 pm, 5 pm); a later one may speak
#: of a count published since (an election night's last release at 3:46 am is 13 hours before
#: the next day's 5 pm estimate, with 81,000 ballots counted in between at 4:30 pm).
ESTIMATE_HOURS = 6


def replay(
    election: Election,
    releases: Sequence[Release],
    reports: Sequence[OutstandingReport],
    params: ModelParams,
    seed: int = 0,
    *,
    estimates: bool = False,
) -> Iterator[Snapshot]:
    """The desk's snapshot after each of ``releases`` (taken in feed-time order); with
    ``estimates``, after each release also its snapshot made again at each report published
    soon after it, before the next release (``Snapshot.revised_at`` says which: module
    docstring)."""
    ordered = sorted(releases, key=lambda r: r.feed_time)
    history: list[Release] = []
    usable: list[bool] = []
    ledger: list[CallEvent] = []
    last_problems: tuple[Problem, ...] = ()
    checks = ReleaseChecks()
    index = ElectionIndex(election)
    by_time = sorted(reports, key=lambda r: r.as_of)
    for sequence, release in enumerate(ordered):
        release = msgspec.structs.replace(release, sequence=sequence)
        problems, ok, confirms = checks.judge(election, release, history, usable, last_problems)
        if confirms is not None:
            usable[confirms] = True
        history.append(release)
        usable.append(ok)
        last_problems = problems
        known = [r for r in reports if r.as_of <= release.feed_time]
        snapshot = advance(
            election, history, usable, known, ledger, params, seed, problems, index=index
        )
        ledger.extend(snapshot.new_events)
        yield snapshot
        if not estimates:
            continue
        until = ordered[sequence + 1].feed_time if sequence + 1 < len(ordered) else None
        for report in by_time:
            if not makes_again(report, release.feed_time, until):
                continue
            known = [r for r in reports if r.as_of <= report.as_of]
            revised = advance(
                election, history, usable, known, ledger, params, seed, problems, index=index
            )
            event = estimate_event(report, sequence, report.as_of)
            revised = revised_at(revised, report.as_of, event.said)
            ledger.extend(revised.new_events)
            yield revised


def makes_again(report: OutstandingReport, released: datetime, following: datetime | None) -> bool:
    """Whether the registrar's ``report`` makes the snapshot of the release published at
    ``released`` again (module docstring): published after it, before the next release
    (published at ``following``; None: none yet), and within ``ESTIMATE_HOURS`` of it."""
    if report.as_of <= released or (following is not None and report.as_of >= following):
        return False
    return report.as_of - released <= timedelta(hours=ESTIMATE_HOURS)


def revised_at(snapshot: Snapshot, when: datetime, because: str) -> Snapshot:
    """``snapshot`` as made again at ``when`` (after its release, because of ``because``): its
    new ledger events dated then."""
    when = when.astimezone(snapshot.feed_time.tzinfo)
    return msgspec.structs.replace(
        snapshot,
        new_events=tuple(
            msgspec.structs.replace(e, release_time=when) for e in snapshot.new_events
        ),
        revised_at=when,
        revised_because=because,
    )
