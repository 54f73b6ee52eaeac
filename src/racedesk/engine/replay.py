"""Replaying a canvass release by release, knowing at each release only what was known then.

``replay`` is the pure loop behind ``racedesk replay``, the backtest and calibration: for each
release it checks the feed's identities against the last usable release, takes the outstanding
reports published by that release's feed time, and advances the desk with the ledger so far.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import msgspec

from racedesk.engine.checks import ReleaseChecks, is_usable
from racedesk.engine.index import ElectionIndex
from racedesk.engine.params import ModelParams
from racedesk.engine.run import advance
from racedesk.model import Election, OutstandingReport, Release
from racedesk.model.answers import CallEvent, Snapshot


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
    previous: Release | None = None
    checks = ReleaseChecks()
    index = ElectionIndex(election)
    for sequence, release in enumerate(ordered):
        release = msgspec.structs.replace(release, sequence=sequence)
        problems = checks.check(election, release, previous)
        ok = is_usable(problems)
        history.append(release)
        usable.append(ok)
        known = [r for r in reports if r.as_of <= release.feed_time]
        snapshot = advance(
            election, history, usable, known, ledger, params, seed, problems, index=index
        )
        ledger.extend(snapshot.new_events)
        if ok:
            previous = release
        yield snapshot
