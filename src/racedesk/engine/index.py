"""What the engine works out once per election and reads again at every release.

An :class:`ElectionIndex` is made by whoever replays or follows a canvass (the desk, a replay, a
backtest) and passed to :func:`racedesk.engine.run.advance`; the engine keeps nothing between
calls itself, so two canvasses, or two processes, never share a cache. It holds each contest's
rule logic (:func:`racedesk.rules.logic_of`, which knows the election's other contests: a
recall's successor waits on the recall question) and facts, each usable release's counts by
contest (the recent ones: a desk reads the latest releases over and over), and the projection's
noise for each shape of contest group.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from racedesk.model import ContestCount, Election, Release
from racedesk.rules import RuleLogic, logic_of
from racedesk.rules.tally import ContestFacts

#: How many things worked out of releases are kept (the votes-left model reads the last few
#: releases, two things of each).
KEEP_RELEASES = 256
#: How many shapes of projection noise are kept.
KEEP_NOISE = 128

Noise = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]
T = TypeVar("T")


class ElectionIndex:
    """An election's contests, their logic and facts, and what is read again release after
    release (module docstring). Made once per election by the caller."""

    __slots__ = ("_counts", "_noise", "election", "facts", "logics", "position")

    def __init__(self, election: Election) -> None:
        self.election = election
        self.logics: list[RuleLogic] = [logic_of(c, election.contests) for c in election.contests]
        self.facts: list[ContestFacts] = [
            logic.facts(c) for logic, c in zip(self.logics, election.contests, strict=True)
        ]
        self.position = {c.id: i for i, c in enumerate(election.contests)}
        self._counts: OrderedDict[tuple[int, str], tuple[Release, Any]] = OrderedDict()
        self._noise: dict[tuple[int, int, int, int], Noise] = {}

    def logic(self, contest_id: str) -> RuleLogic:
        return self.logics[self.position[contest_id]]

    def counts(self, release: Release) -> dict[str, ContestCount]:
        """The release's counts by contest id."""
        return self.per_release(release, "counts", Release.counts_by_contest)

    def per_release(self, release: Release, what: str, make: Callable[[Release], T]) -> T:
        """``make(release)``, worked out once for each of the releases in use and kept under
        ``what`` (the release is held with it, so its identity stays its own)."""
        key = (id(release), what)
        hit = self._counts.get(key)
        if hit is not None and hit[0] is release:
            value: T = hit[1]
            return value
        value = make(release)
        self._counts[key] = (release, value)
        if len(self._counts) > KEEP_RELEASES:
            self._counts.popitem(last=False)
        return value

    def noise(self, seed: int, contests: int, choices: int, draws: int) -> Noise:
        """:func:`draw_noise`, kept because the same groups come back release after release."""
        key = (seed, contests, choices, draws)
        hit = self._noise.get(key)
        if hit is not None:
            return hit
        if len(self._noise) >= KEEP_NOISE:
            self._noise.clear()
        drawn = self._noise[key] = draw_noise(seed, contests, choices, draws)
        return drawn


def draw_noise(seed: int, contests: int, choices: int, draws: int) -> Noise:
    """The uniform (C, D) and standard normal (C, K, D) draws of a group of contests: a function
    of the seed and the group's shape only (its own generator). The arrays are read-only."""
    rng = np.random.default_rng([seed, contests, choices, draws])
    u = rng.random((contests, draws), dtype=np.float32)
    eps = rng.standard_normal((contests, choices, draws), dtype=np.float32)
    u.flags.writeable = False
    eps.flags.writeable = False
    return u, eps


__all__ = ["ElectionIndex", "draw_noise"]
