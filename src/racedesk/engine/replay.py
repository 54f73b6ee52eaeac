"""Replaying a canvass release by release, knowing at each release only what was known then.

``replay`` is the pure loop behind ``racedesk replay``, the backtest and calibration: for each
release it judges it as the desk does (``ReleaseChecks.judge``: the feed's identities against the
last release used; a held release confirmed by the next one that continues from it), takes the
outstanding reports published by that release's feed time, and advances the desk with the ledger
so far.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import msgspec

from racedesk.engine.checks import ReleaseChecks
from racedesk.engine.index import ElectionIndex
from racedesk.engine.params import ModelParams
from racedesk.engine.run import advance
from racedesk.model import Election, OutstandingReport, Release
from racedesk.model.answers import CallEvent, Problem, Snapshot


def replay(
    election: Election,
    releases: Sequence[Release],
    reports: Sequence[OutstandingReport],
    params: ModelParams,
    seed: int = 0,
) -> Iterator[Snapshot]:
    """The desk's snapshot after each of ``releases`` (taken in feed-time order)."""
    ordered = sorted(releases, key=lambda r: r.feed_time)
    history: list[Release] = []
    usable: list[bool] = []
    ledger: list[CallEvent] = []
    last_problems: tuple[Problem, ...] = ()
    checks = ReleaseChecks()
    index = ElectionIndex(election)
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
