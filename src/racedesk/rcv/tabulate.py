"""Counting a ranked-choice contest round by round, with RCTab's options.

:func:`tabulate` is the one entry: it walks rounds until the seats are filled, each round
tallying every active ballot for its highest-ranked continuing candidate, electing those who
reach the threshold (moving a winner's surplus in multi-winner contests) or else eliminating
(batch elimination, then the lowest candidate, ties broken by ``tiebreakMode``).
All state lives in a :class:`Counting` made for one call; nothing is kept between calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_DOWN, Decimal

import msgspec

from racedesk.rcv.contest import (
    EXHAUSTED,
    INACTIVE_REASONS,
    OVERVOTE,
    UNDECLARED_WRITE_INS,
    Ballot,
    RankedContest,
    RcvRules,
    Round,
    SliceCount,
    Tabulation,
    TallyResult,
)

ZERO = Decimal(0)
#: The ``winnerElectionMode`` values that fill several seats by surplus transfers.
SURPLUS_MODES = ("multiWinnerAllowMultipleWinnersPerRound", "multiWinnerAllowOnlyOneWinnerPerRound")


class JavaRandom:
    """The pseudo-random sequence of Java's ``java.util.Random`` for a seed: the 48-bit linear
    congruential generator its documentation specifies. RCTab's ``tiebreakMode: random`` draws
    from one such sequence seeded with ``randomSeed``, so the same seed breaks ties the same way."""

    MULTIPLIER = 0x5DEECE66D
    MASK = (1 << 48) - 1

    def __init__(self, seed: int) -> None:
        self.state = (seed ^ self.MULTIPLIER) & self.MASK

    def next_bits(self, bits: int) -> int:
        """The next ``bits`` random bits (Java's ``next(bits)``), as a non-negative integer."""
        self.state = (self.state * self.MULTIPLIER + 0xB) & self.MASK
        return self.state >> (48 - bits)

    def next_double(self) -> float:
        """A number in [0, 1) made of 53 random bits, as Java's ``nextDouble``."""
        return ((self.next_bits(26) << 27) + self.next_bits(27)) / float(1 << 53)


def cut(amount: Decimal, places: int) -> Decimal:
    """``amount`` cut (rounded down) to ``places`` decimals: ``decimalPlacesForVoteArithmetic``."""
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def next_choice(
    ballot: Ballot, continuing: frozenset[str], rules: RcvRules
) -> tuple[str | None, str | None]:
    """The continuing candidate ``ballot`` counts for, or why it no longer counts.

    Walks the ranks in order: a rank past ``maxRankingsAllowed`` ends the ballot; a gap of more
    than ``maxSkippedRanksAllowed`` unmarked ranks makes it inactive (skippedRankings); a
    candidate ranked again makes it inactive when ``exhaustOnDuplicateCandidate``
    (repeatedRankings); an overvoted rank follows ``overvoteRule``; a ballot whose ranks run
    out is inactive by exhausted choices. Returns ``(candidate, None)`` or ``(None, reason)``.
    """
    last_rank = 0
    seen: set[str] = set()
    for rank, marks in ballot.rankings:
        if rules.max_rankings is not None and rank > rules.max_rankings:
            break
        if rules.max_skipped_ranks is not None and rank - last_rank - 1 > rules.max_skipped_ranks:
            return None, "skippedRankings"
        last_rank = rank
        if rules.exhaust_on_duplicate and not seen.isdisjoint(marks):
            return None, "repeatedRankings"
        seen.update(marks)
        if len(marks) > 1 or OVERVOTE in marks:
            chosen = _overvoted_rank(marks, continuing, rules.overvote_rule)
            if chosen == "":
                continue
            if chosen is None:
                return None, "overvotes"
            return chosen, None
        if marks[0] in continuing:
            return marks[0], None
    return None, "exhaustedChoices"


def _overvoted_rank(marks: tuple[str, ...], continuing: frozenset[str], rule: str) -> str | None:
    """What an overvoted rank gives under ``overvoteRule``: None (the ballot is inactive by
    overvote), "" (skip to the next rank) or the one continuing candidate marked there
    (``exhaustIfMultipleContinuing``)."""
    if rule == "alwaysSkipToNextRank":
        return ""
    if rule == "exhaustIfMultipleContinuing" and OVERVOTE not in marks:
        live = [m for m in marks if m in continuing]
        if not live:
            return ""
        if len(live) == 1:
            return live[0]
    return None


class SliceView(msgspec.Struct):
    """One precinct's or batch's part of a round: tally, inactive ballots, spilled surplus."""

    tally: dict[str, Decimal]
    inactive: dict[str, Decimal]
    spilled: Decimal


class Counting:
    """The working state of one tabulation: each ballot's weight and holder, the inactive
    ballots by reason, the continuing and elected candidates, and the tie-break sequence."""

    def __init__(self, contest: RankedContest, slice_by: Sequence[str] = ()) -> None:
        self.contest = contest
        self.slice_by = tuple(slice_by)
        #: The ballots the last allocation moved (kept only when counting slices).
        self.last_moves: list[tuple[int, str, Decimal]] = []
        #: Each result's transfers by slice: kind, then name, then where the votes went.
        self.slice_transfers: list[dict[str, dict[str, dict[str, Decimal]]]] = []
        self.rules = contest.rules
        counted = [b for b in contest.ballots if b.rankings]
        self.ballots: list[Ballot] = counted
        self.weights: list[Decimal] = [Decimal(1)] * len(counted)
        self.holders: list[str | None] = [None] * len(counted)
        self.inactive: dict[str, Decimal] = {reason: ZERO for reason in INACTIVE_REASONS}
        self.continuing: set[str] = set(contest.candidates) - set(contest.excluded)
        self.elected: list[str] = []
        #: Tallies of winners whose surplus has moved: they keep the threshold.
        self.fixed: dict[str, Decimal] = {}
        self.random = JavaRandom(self.rules.random_seed)
        #: Candidates a tie-break eliminated or elected.
        self.tie_broken: set[str] = set()
        #: Each round's tally so far (``previousRoundCountsThenRandom`` looks back at them).
        self.history: list[dict[str, Decimal]] = []
        #: What each ballot left with winners whose surplus moved on, by winner.
        self.kept: dict[int, dict[str, Decimal]] = {}
        #: Each inactive ballot's reason and the weight it stopped with.
        self.gone: dict[int, tuple[str, Decimal]] = {}
        #: The shares of surplus left with no seat to go to, by ballot.
        self.spilled: dict[int, Decimal] = {}
        #: All ballots, and those that ranked nobody (RCTab's ``undervotes``).
        self.total_ballots = len(contest.ballots)
        self.undervotes = len(contest.ballots) - len(counted)

    def everyone(self) -> Iterable[int]:
        """Every ballot that ranked somebody, as :meth:`allocate` takes them."""
        return range(len(self.ballots))

    def standing(self) -> list[str]:
        """Candidates still in the tally (continuing or elected), in configuration order."""
        live = self.continuing | set(self.elected)
        return [c for c in self.contest.candidates if c in live]

    def allocate(self, indices: Iterable[int]) -> dict[str, Decimal]:
        """Give each ballot of ``indices`` to its next continuing choice (or make it
        inactive); returns where their weight went (:data:`EXHAUSTED` for the inactive)."""
        moved: dict[str, Decimal] = {}
        live = frozenset(self.continuing)
        for i in indices:
            candidate, reason = next_choice(self.ballots[i], live, self.rules)
            self.holders[i] = candidate
            key = EXHAUSTED if candidate is None else candidate
            moved[key] = moved.get(key, ZERO) + self.weights[i]
            if self.slice_by:
                self.last_moves.append((i, key, self.weights[i]))
            if reason is not None:
                self.inactive[reason] += self.weights[i]
                self.gone[i] = (reason, self.weights[i])
        return {key: amount for key, amount in moved.items() if amount}

    def tally(self) -> dict[str, Decimal]:
        """Votes of each candidate still in the tally."""
        totals = {c: ZERO for c in self.standing()}
        for holder, weight in zip(self.holders, self.weights, strict=True):
            if holder is not None:
                totals[holder] += weight
        totals.update(self.fixed)
        return totals

    def slice_view(self, kind: str) -> dict[str, SliceView]:
        """Each ``precinct`` or ``batch`` (``kind``) with its ballots' tally now (what winners
        kept of them included), their inactive ballots by reason, and their share of a surplus
        left with no seat to go to."""
        standing = self.standing()
        views: dict[str, SliceView] = {}
        for i, ballot in enumerate(self.ballots):
            name = getattr(ballot, kind)
            if name not in views:
                views[name] = SliceView(
                    {c: ZERO for c in standing}, {r: ZERO for r in INACTIVE_REASONS}, ZERO
                )
            view = views[name]
            tally, inactive = view.tally, view.inactive
            if i in self.spilled:
                view.spilled += self.spilled[i]
            holder = self.holders[i]
            if holder is not None:
                tally[holder] += self.weights[i]
            for winner, part in self.kept.get(i, {}).items():
                tally[winner] += part
            if i in self.gone:
                reason, weight = self.gone[i]
                inactive[reason] += weight
        return views

    def held_by(self, candidates: Iterable[str]) -> dict[str, list[int]]:
        """The ballots each of ``candidates`` holds now."""
        wanted: dict[str, list[int]] = {c: [] for c in candidates}
        for i, holder in enumerate(self.holders):
            if holder in wanted:
                wanted[holder].append(i)
        return wanted

    def break_tie(self, tied: Sequence[str], *, loser: bool) -> str:
        """One of ``tied`` by ``tiebreakMode``: with ``useCandidateOrder`` the last in the
        configuration's order when choosing whom to eliminate (``loser``), the first when
        choosing whom to elect; with ``random`` the candidate at a draw of the seeded sequence
        among the tied sorted by name (a draw only when there is a tie); with
        ``previousRoundCountsThenRandom`` the fewest (or most) votes in the latest earlier round
        that tells them apart, else a draw."""
        if len(tied) == 1:
            return tied[0]
        left = list(tied)
        if self.rules.tiebreak_mode == "previousRoundCountsThenRandom":
            left = self.apart_in_earlier_rounds(tied, loser=loser)
        if len(left) == 1:
            chosen = left[0]
        elif self.rules.tiebreak_mode in ("random", "previousRoundCountsThenRandom"):
            names = sorted(left)
            chosen = names[int(self.random.next_double() * len(names))]
        else:
            ordered = [c for c in self.contest.candidates if c in tied]
            chosen = ordered[-1] if loser else ordered[0]
        self.tie_broken.add(chosen)
        return chosen

    def apart_in_earlier_rounds(self, tied: Sequence[str], *, loser: bool) -> list[str]:
        """Those of ``tied`` left after looking back round by round (latest first, this round
        aside) and keeping those with the fewest votes (``loser``) or the most, until one is
        left or the first round is reached."""
        left = list(tied)
        for earlier in reversed(self.history[:-1]):
            votes = {c: earlier.get(c, ZERO) for c in left}
            extreme = min(votes.values()) if loser else max(votes.values())
            left = [c for c in left if votes[c] == extreme]
            if len(left) == 1:
                break
        return left

    def result(self, action: str, candidate: str, transfers: dict[str, Decimal]) -> TallyResult:
        """What the round did to ``candidate``, marked when a tie-break decided it; when
        counting slices, the ballots the last allocation moved are split by slice too."""
        if self.slice_by:
            split: dict[str, dict[str, dict[str, Decimal]]] = {k: {} for k in self.slice_by}
            for i, key, weight in self.last_moves:
                for kind in self.slice_by:
                    moved = split[kind].setdefault(getattr(self.ballots[i], kind), {})
                    moved[key] = moved.get(key, ZERO) + weight
            for parts in split.values():
                for name, moved in parts.items():
                    parts[name] = {key: amount for key, amount in moved.items() if amount}
            self.slice_transfers.append(split)
            self.last_moves = []
        return TallyResult(action, candidate, transfers, candidate in self.tie_broken)


def threshold_for(active: Decimal, rules: RcvRules) -> Decimal:
    """The votes that elect, from the ``active`` votes: a share
    (``multiSeatBottomsUpPercentageThreshold``, cut to ``decimalPlacesForVoteArithmetic`` only
    when it has more places) in bottoms-up contests; else the Droop quota
    ``active / (numberOfWinners + 1)``, cut to whole votes plus one, or when
    ``nonIntegerWinningThreshold`` cut to ``decimalPlacesForVoteArithmetic`` plus one unit of
    the last place; or the Hare quota ``active / numberOfWinners`` when ``hareQuota``."""
    places = rules.decimal_places
    if rules.bottoms_up_percentage is not None:
        share = active * rules.bottoms_up_percentage / 100
        kept = cut(share, places)
        return kept if kept != share else share
    seats = max(rules.seats, 1)
    if rules.hare_quota:
        return cut(active / seats, places)
    quota = active / (seats + 1)
    if rules.non_integer_threshold:
        return cut(quota, places) + Decimal(1).scaleb(-places)
    return cut(quota, 0) + 1


def batch_losers(tally: dict[str, Decimal]) -> list[str]:
    """The candidates ``batchElimination`` removes at once: the longest run of the lowest,
    by votes, whose votes together are fewer than those of the candidate just above them
    (so none of them could overtake anyone by the others' transfers). Empty when that run
    is a single candidate (the ordinary elimination then applies)."""
    ordered = sorted(tally.items(), key=lambda item: item[1])
    running = ZERO
    cut_at = 0
    for index in range(len(ordered) - 1):
        running += ordered[index][1]
        if running < ordered[index + 1][1]:
            cut_at = index + 1
    losers = [name for name, _ in ordered[:cut_at]]
    return losers if len(losers) > 1 else []


def tabulate(contest: RankedContest, *, slice_by: Sequence[str] = ()) -> Tabulation:
    """Count ``contest`` round by round until its seats are filled (``winnerElectionMode``):
    ``singleWinnerMajority`` (instant runoff; with ``continueUntilTwoCandidatesRemain`` the
    eliminations go on after the winner is found until two candidates are left),
    ``multiWinnerAllowMultipleWinnersPerRound`` (every candidate at the threshold elected in the
    round, surpluses moved by fractions), ``multiWinnerAllowOnlyOneWinnerPerRound`` (the same,
    one winner a round: the most votes) and ``bottomsUpUsingPercentageThreshold`` (eliminate
    until every continuing candidate holds the share). ``stopTabulationEarlyAfterRound`` ends
    the count early. ``slice_by`` (``precinct``, ``batch``) also counts each precinct's or
    batch's ballots under the whole contest's decisions (RCTab's ``tabulateByPrecinct`` and
    ``tabulateByBatch``)."""
    return count_rounds(Counting(contest, slice_by), slice_by)


def count_rounds(count: Counting, slice_by: Sequence[str] = ()) -> Tabulation:
    """The rounds of the count ``count`` holds, from the first allocation to the last seat
    (:func:`tabulate`); ``racedesk.rcv.arrays`` runs the same rounds over ballots in arrays."""
    contest = count.contest
    count.allocate(count.everyone())
    count.last_moves = []
    rounds: list[Round] = []
    views: list[dict[str, dict[str, SliceView]]] = []
    threshold: Decimal | None = None
    while True:
        tally = count.tally()
        threshold = _round_threshold(count, tally, threshold, first=not rounds)
        inactive = dict(count.inactive)
        views.append({kind: count.slice_view(kind) for kind in slice_by})
        count.history.append(tally)
        results, spilled = _decide(count, tally, threshold)
        rounds.append(Round(len(rounds) + 1, tally, threshold, inactive, tuple(results)))
        if spilled is not None:
            tally = count.tally()
            final = Round(len(rounds) + 1, tally, threshold, dict(count.inactive), (), spilled)
            rounds.append(final)
            views.append({kind: count.slice_view(kind) for kind in slice_by})
        last = contest.rules.stop_after_round
        if _finished(count, results) or spilled is not None or len(rounds) == last:
            break
    return Tabulation(
        contest=contest.name,
        rounds=tuple(rounds),
        winners=tuple(count.elected),
        candidates=tuple(c for c in contest.candidates if c not in contest.excluded),
        total_ballots=count.total_ballots,
        undervotes=count.undervotes,
        seats=contest.rules.seats,
        slices=tuple(
            s
            for kind in slice_by
            for s in _slices(contest, kind, rounds, views, count.slice_transfers)
        ),
    )


def _slices(
    contest: RankedContest,
    kind: str,
    rounds: Sequence[Round],
    views: Sequence[dict[str, dict[str, SliceView]]],
    transfers: Sequence[dict[str, dict[str, dict[str, Decimal]]]],
) -> list[SliceCount]:
    """Each precinct's or batch's rounds: its own tallies, inactive ballots and transfers
    beside the whole contest's thresholds and decisions, in the order the records first name
    them. ``transfers`` holds each result's transfers by slice, results in order."""
    names = list(dict.fromkeys(getattr(b, kind) for b in contest.ballots))
    slices = []
    for name in names:
        own = []
        results = iter(transfers)
        for round_, view in zip(rounds, views, strict=True):
            part = view[kind].get(name)
            tally = part.tally if part else {c: ZERO for c in round_.tally}
            inactive = part.inactive if part else {r: ZERO for r in INACTIVE_REASONS}
            spilled = None
            if round_.final_round_surplus is not None:
                spilled = part.spilled if part else ZERO
            decided = tuple(
                msgspec.structs.replace(r, transfers=next(results)[kind].get(name, {}))
                for r in round_.results
            )
            own.append(
                msgspec.structs.replace(
                    round_,
                    tally=tally,
                    inactive=inactive,
                    results=decided,
                    final_round_surplus=spilled,
                )
            )
        ballots = [b for b in contest.ballots if getattr(b, kind) == name]
        undervotes = sum(1 for b in ballots if not b.rankings)
        slices.append(SliceCount(kind, name, len(ballots), undervotes, tuple(own)))
    return slices


def _round_threshold(
    count: Counting, tally: dict[str, Decimal], previous: Decimal | None, *, first: bool
) -> Decimal:
    """This round's threshold: recomputed from the round's votes in single-winner and
    bottoms-up contests until a winner is found (unless ``doesFirstRoundDetermineThreshold``),
    fixed by the first round in multi-winner ones."""
    rules = count.rules
    if previous is not None and not first:
        fixed = (
            count.elected or rules.first_round_sets_threshold or rules.winner_mode in SURPLUS_MODES
        )
        if fixed:
            return previous
    return threshold_for(sum(tally.values(), ZERO), rules)


def _finished(count: Counting, results: Sequence[TallyResult]) -> bool:
    """Whether the count is over after a round: every seat filled (bottoms-up: somebody
    elected), and with ``continueUntilTwoCandidatesRemain`` no more than two candidates left."""
    rules = count.rules
    if rules.winner_mode == "bottomsUpUsingPercentageThreshold":
        return bool(count.elected)
    if len(count.elected) < max(rules.seats, 1):
        return not count.continuing
    if rules.continue_until_two:
        # RCTab shows the two left in a round of their own after the last elimination.
        eliminated = any(r.action == "eliminated" for r in results)
        return len(count.standing()) <= 2 and not eliminated
    return True


def _decide(
    count: Counting, tally: dict[str, Decimal], threshold: Decimal
) -> tuple[list[TallyResult], Decimal | None]:
    """What a round does: elect (and move surpluses) or eliminate. The second value is the
    surplus left with no seat to go to, when this round filled the last seats of a
    multi-winner count (RCTab then shows one more round)."""
    rules = count.rules
    live = {c: tally[c] for c in count.continuing}
    if rules.winner_mode == "bottomsUpUsingPercentageThreshold":
        if live and all(votes >= threshold for votes in live.values()):
            winners = [c for c in count.contest.candidates if c in live]
            return _elect(count, winners, tally, threshold, move_surplus=False), None
        return _eliminate(count, live), None
    seats_left = max(rules.seats, 1) - len(count.elected)
    if seats_left <= 0:
        return ([] if len(count.standing()) <= 2 else _eliminate(count, live)), None
    reached = sorted((c for c in live if live[c] >= threshold), key=lambda c: -live[c])
    if len(live) <= seats_left:
        reached = sorted(live, key=lambda c: -live[c])
    if not reached and rules.seats <= 1 and len(live) <= 2:
        top = max(live.values())
        reached = [count.break_tie([c for c in live if live[c] == top], loser=False)]
    if not reached:
        return _eliminate(count, live), None
    if rules.winner_mode == "multiWinnerAllowOnlyOneWinnerPerRound" and len(reached) > 1:
        top = live[reached[0]]
        reached = [count.break_tie([c for c in reached if live[c] == top], loser=False)]
    winners = [c for c in count.contest.candidates if c in reached[:seats_left]]
    multi = rules.winner_mode in SURPLUS_MODES
    results = _elect(count, winners, tally, threshold, move_surplus=multi)
    if multi and len(count.elected) >= rules.seats:
        spilled = sum((r.transfers.get(EXHAUSTED, ZERO) for r in results), ZERO)
        if any(r.transfers for r in results):
            return results, spilled
    return results, None


def _elect(
    count: Counting,
    winners: Sequence[str],
    tally: dict[str, Decimal],
    threshold: Decimal,
    *,
    move_surplus: bool,
) -> list[TallyResult]:
    """Elect ``winners``; in multi-winner counts each winner's surplus (votes over the
    threshold) moves on: every ballot the winner holds passes on its weight times
    surplus / votes (that fraction and each ballot's share cut to
    ``decimalPlacesForVoteArithmetic``), the winner keeps the threshold, and what the cutting
    lost is the ``residual surplus``."""
    count.elected.extend(winners)
    count.continuing -= set(winners)
    if not move_surplus:
        return [count.result("elected", c, {}) for c in winners]
    places = count.rules.decimal_places
    held = count.held_by(winners)
    filled = len(count.elected) >= count.rules.seats
    results = []
    for winner in winners:
        votes = tally[winner]
        # Below the threshold (elected as one of the last left) there is nothing to pass on; at
        # it exactly, RCTab still passes on shares of nothing (its later tallies keep 4 places).
        if votes < threshold:
            results.append(count.result("elected", winner, {}))
            continue
        fraction = cut((votes - threshold) / votes, places)
        for i in held[winner]:
            passed = cut(count.weights[i] * fraction, places)
            kept = count.kept.setdefault(i, {})
            kept[winner] = kept.get(winner, ZERO) + count.weights[i] - passed
            count.weights[i] = passed
        # The winner keeps the threshold: written as the threshold when cutting lost a
        # residual, else as its votes less what passed on (at four places), as RCTab does.
        passed_on = sum((count.weights[i] for i in held[winner]), ZERO)
        lost = votes - threshold - passed_on
        count.fixed[winner] = threshold if lost else votes - passed_on
        if filled:
            moved = {EXHAUSTED: sum((count.weights[i] for i in held[winner]), ZERO)}
            for i in held[winner]:
                count.spilled[i] = count.weights[i]
                count.holders[i] = None
                if count.slice_by:
                    count.last_moves.append((i, EXHAUSTED, count.weights[i]))
        else:
            moved = count.allocate(held[winner])
        moved = {k: v for k, v in moved.items() if v}
        residual = votes - threshold - sum(moved.values(), ZERO)
        if residual:
            moved["residual surplus"] = residual
        results.append(count.result("elected", winner, moved))
    return results


def _eliminate(count: Counting, live: dict[str, Decimal]) -> list[TallyResult]:
    """Eliminate this round's losers and move their ballots on: every continuing candidate
    under ``minimumVoteThreshold``; else with ``batchElimination`` the run of
    :func:`batch_losers`; else the one with fewest votes, ties broken by ``tiebreakMode``.
    Undeclared write-ins holding votes go first, alone. Losers are reported by name."""
    rules = count.rules
    losers = [c for c in live if live[c] < rules.minimum_vote_threshold]
    if not losers and live.get(UNDECLARED_WRITE_INS, ZERO) > 0:
        losers = [UNDECLARED_WRITE_INS]
    if not losers and rules.batch_elimination:
        losers = batch_losers(live)
    if not losers:
        fewest = min(live.values())
        losers = [count.break_tie([c for c in live if live[c] == fewest], loser=True)]
    losers.sort()
    count.continuing -= set(losers)
    held = count.held_by(losers)
    return [count.result("eliminated", c, count.allocate(held[c])) for c in losers]
