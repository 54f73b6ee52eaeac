"""The same count as :func:`racedesk.rcv.tabulate`, over ballots held in one array.

A million ballots as :class:`~racedesk.rcv.contest.Ballot` structs take seconds to walk and
gigabytes to hold; as a ``(ballots, ranks)`` array of candidate numbers they take 10 MB and each
round moves only the ballots of the candidates it eliminates, all at once with numpy. The rounds'
decisions (thresholds, eliminations, tie-breaks) are :mod:`racedesk.rcv.tabulate`'s own: only
how ballots are held and moved differs, and the two give the same rounds (tested on RCTab's
cases).

Every ballot weighs one vote, so the array count takes the contests whose surpluses never move:
single-winner (``singleWinnerMajority``) and bottoms-up counts, with ``overvoteRule``
``exhaustImmediately`` or ``alwaysSkipToNextRank`` (an overvoted rank holds :data:`OVERVOTED`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import msgspec
import numpy as np
import numpy.typing as npt

from racedesk.rcv.contest import EXHAUSTED, OVERVOTE, Ballot, RankedContest, Tabulation
from racedesk.rcv.tabulate import Counting, count_rounds

#: A rank the voter left blank.
BLANK = -1
#: A rank the voter overvoted (several candidates, or the record's overvote label).
OVERVOTED = -2
#: The winner modes and overvote rules the array count takes (module docstring).
MODES = ("singleWinnerMajority", "bottomsUpUsingPercentageThreshold")
OVERVOTE_RULES = ("exhaustImmediately", "alwaysSkipToNextRank")

IntArray = npt.NDArray[np.int64]


def unsupported(contest: RankedContest) -> str:
    """Why the array count cannot count ``contest`` ("" when it can)."""
    rules = contest.rules
    if rules.winner_mode not in MODES:
        return f"winnerElectionMode {rules.winner_mode} moves surpluses"
    if rules.overvote_rule not in OVERVOTE_RULES:
        return f"overvoteRule {rules.overvote_rule} needs each overvoted rank's candidates"
    if rules.exhaust_on_duplicate:
        return "exhaustOnDuplicateCandidate needs the candidates ranked before"
    return ""


def ranks_of(ballots: Sequence[Ballot], candidates: Sequence[str]) -> npt.NDArray[np.int16]:
    """``ballots`` as a ``(ballots, ranks)`` array: at each rank the number of the candidate
    marked (its place in ``candidates``; names not among them after those), :data:`BLANK`
    or :data:`OVERVOTED`."""
    number = {name: i for i, name in enumerate(candidates)}
    width = max((b.rankings[-1][0] for b in ballots if b.rankings), default=0)
    ranks = np.full((len(ballots), width), BLANK, dtype=np.int16)
    for row, ballot in enumerate(ballots):
        for rank, marks in ballot.rankings:
            if len(marks) > 1 or marks[0] == OVERVOTE:
                ranks[row, rank - 1] = OVERVOTED
            else:
                ranks[row, rank - 1] = number.setdefault(marks[0], len(number))
    return ranks


class ArrayCount(Counting):
    """:class:`~racedesk.rcv.tabulate.Counting` with the ballots in arrays: each ballot's
    rank now (``at``), the last rank it marked (``marked``) and its holder's number (-1: none)."""

    def __init__(self, contest: RankedContest, ranks: npt.NDArray[np.int16]) -> None:
        super().__init__(msgspec.structs.replace(contest, ballots=()))
        rules = contest.rules
        some = (ranks != BLANK).any(axis=1)
        self.ranks = ranks[some]
        if rules.max_rankings is not None:
            self.ranks = self.ranks[:, : rules.max_rankings]
        self.total_ballots = len(ranks)
        self.undervotes = int(len(ranks) - some.sum())
        n = len(self.ranks)
        self.names = list(contest.candidates)
        self.at = np.full(n, -1, dtype=np.int64)
        self.marked = np.zeros(n, dtype=np.int64)
        self.holder = np.full(n, -1, dtype=np.int64)

    def everyone(self) -> Iterable[int]:
        return np.arange(len(self.ranks))

    def _live(self) -> npt.NDArray[np.bool_]:
        """Whether each candidate number (names not among the candidates included) is
        continuing."""
        top = max(int(self.ranks.max(initial=0)) + 1, len(self.names))
        live = np.zeros(top, dtype=np.bool_)
        for i, name in enumerate(self.names):
            live[i] = name in self.continuing
        return live

    def allocate(self, indices: Iterable[int]) -> dict[str, Decimal]:
        """Move each ballot of ``indices`` down its ranks to its next continuing candidate, as
        :func:`racedesk.rcv.tabulate.next_choice` walks one ballot."""
        todo = np.asarray(indices, dtype=np.int64)
        live = self._live()
        rules = self.rules
        width = self.ranks.shape[1]
        moved: dict[str, Decimal] = {}
        gone: dict[str, int] = {}
        while len(todo):
            self.at[todo] += 1
            pos = self.at[todo]
            out = pos >= width
            gone["exhaustedChoices"] = gone.get("exhaustedChoices", 0) + int(out.sum())
            self.holder[todo[out]] = -1
            todo, pos = todo[~out], pos[~out]
            mark = self.ranks[todo, pos].astype(np.int64)
            marked = mark != BLANK
            stop = np.zeros(len(todo), dtype=np.bool_)
            if rules.max_skipped_ranks is not None:
                skipped = marked & (pos - self.marked[todo] > rules.max_skipped_ranks)
                self._drop(todo[skipped], "skippedRankings", gone)
                stop |= skipped
            self.marked[todo[marked]] = pos[marked] + 1
            if rules.overvote_rule == "exhaustImmediately":
                over = ~stop & (mark == OVERVOTED)
                self._drop(todo[over], "overvotes", gone)
                stop |= over
            found = ~stop & (mark >= 0) & live[np.maximum(mark, 0)]
            self.holder[todo[found]] = mark[found]
            counts = np.bincount(mark[found], minlength=len(self.names))
            for i in np.flatnonzero(counts):
                name = self.names[i]
                moved[name] = moved.get(name, Decimal(0)) + int(counts[i])
            todo = todo[~(stop | found)]
        for reason, n in gone.items():
            self.inactive[reason] += n
            if n:
                moved[EXHAUSTED] = moved.get(EXHAUSTED, Decimal(0)) + n
        return moved

    def _drop(self, rows: IntArray, reason: str, gone: dict[str, int]) -> None:
        self.holder[rows] = -1
        gone[reason] = gone.get(reason, 0) + len(rows)

    def tally(self) -> dict[str, Decimal]:
        held = np.bincount(self.holder[self.holder >= 0], minlength=len(self.names))
        return {c: Decimal(int(held[self.names.index(c)])) for c in self.standing()}

    def held_by(self, candidates: Iterable[str]) -> dict[str, list[int]]:
        return {c: np.flatnonzero(self.holder == self.names.index(c)) for c in candidates}  # type: ignore[misc]


def tabulate_ranks(contest: RankedContest, ranks: npt.NDArray[np.int16]) -> Tabulation:
    """Count ``contest`` (its ballots ignored) over ``ranks`` (:func:`ranks_of`'s layout), round
    by round as :func:`racedesk.rcv.tabulate` does. Raises ValueError for a contest the array
    count does not take (:func:`unsupported`)."""
    why = unsupported(contest)
    if why:
        raise ValueError(f"the array count cannot count {contest.name}: {why}")
    return count_rounds(ArrayCount(contest, ranks))
