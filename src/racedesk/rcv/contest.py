"""The vocabulary of a ranked-choice count: ballots, RCTab's rules, and the rounds they give.

Vote amounts are :class:`decimal.Decimal`: whole numbers for single-winner contests, fractions
(cut to RCTab's ``decimalPlacesForVoteArithmetic``) once surpluses move in multi-winner ones.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

#: The mark a reader puts at a rank where the voter marked more than one choice in a way the
#: record itself calls an overvote (RCTab's ``overvoteLabel``).
OVERVOTE = "\x00overvote"
#: The candidate RCTab counts write-ins nobody declared as (``undeclaredWriteInLabel``).
UNDECLARED_WRITE_INS = "Undeclared Write-ins"
#: The key RCTab's reports give ballots that leave the count when a candidate's votes move.
EXHAUSTED = "exhausted"

#: Why a ballot stopped counting, in RCTab's words (the keys of a round's ``inactiveBallots``).
INACTIVE_REASONS = ("overvotes", "skippedRankings", "exhaustedChoices", "repeatedRankings")


class Ballot(msgspec.Struct, frozen=True):
    """One cast vote record in one contest: ``rankings`` pairs each rank the voter marked with
    the candidates marked there (several, or :data:`OVERVOTE`, when overvoted), ranks ascending."""

    id: str
    rankings: tuple[tuple[int, tuple[str, ...]], ...]
    precinct: str = ""
    batch: str = ""


class RcvRules(msgspec.Struct, frozen=True):
    """RCTab's ``rules`` block, read once: each field names the option it carries."""

    winner_mode: str = "singleWinnerMajority"  # winnerElectionMode
    seats: int = 1  # numberOfWinners
    overvote_rule: str = "exhaustImmediately"  # overvoteRule
    max_skipped_ranks: int | None = None  # maxSkippedRanksAllowed (None: unlimited)
    max_rankings: int | None = None  # maxRankingsAllowed (None: "max")
    exhaust_on_duplicate: bool = False  # exhaustOnDuplicateCandidate
    batch_elimination: bool = False  # batchElimination
    continue_until_two: bool = False  # continueUntilTwoCandidatesRemain
    tiebreak_mode: str = "useCandidateOrder"  # tiebreakMode
    random_seed: int = 0  # randomSeed
    decimal_places: int = 4  # decimalPlacesForVoteArithmetic
    minimum_vote_threshold: Decimal = Decimal(0)  # minimumVoteThreshold
    non_integer_threshold: bool = False  # nonIntegerWinningThreshold
    hare_quota: bool = False  # hareQuota
    first_round_sets_threshold: bool = False  # doesFirstRoundDetermineThreshold
    bottoms_up_percentage: Decimal | None = None  # multiSeatBottomsUpPercentageThreshold
    stop_after_round: int | None = None  # stopTabulationEarlyAfterRound


class RankedContest(msgspec.Struct, frozen=True):
    """A contest ready to count: its candidates in the configuration's order (the order
    ``useCandidateOrder`` breaks ties by), those excluded from the start, rules and ballots."""

    name: str
    candidates: tuple[str, ...]
    rules: RcvRules
    ballots: tuple[Ballot, ...]
    excluded: frozenset[str] = frozenset()


class TallyResult(msgspec.Struct, frozen=True):
    """What a round did to one candidate: ``action`` is ``elected`` or ``eliminated``, and
    ``transfers`` where that candidate's votes (or surplus) went (:data:`EXHAUSTED` for ballots
    that left the count); ``tie_broken`` when ``tiebreakMode`` chose this candidate among
    others with as many votes."""

    action: str
    candidate: str
    transfers: dict[str, Decimal]
    tie_broken: bool = False


class Round(msgspec.Struct, frozen=True):
    """One round: the tally of the candidates still in it, the threshold, the ballots inactive
    so far by reason (:data:`INACTIVE_REASONS`), and what the round decided."""

    number: int
    tally: dict[str, Decimal]
    threshold: Decimal
    inactive: dict[str, Decimal]
    results: tuple[TallyResult, ...]
    #: Surplus that had nowhere to go once every seat was filled (RCTab's ``finalRoundSurplus``).
    final_round_surplus: Decimal | None = None


class SliceCount(msgspec.Struct, frozen=True):
    """One precinct's or batch's ballots (``kind`` is ``precinct`` or ``batch``; ``name`` as
    the records give it, "" when they give none) counted round by round under the whole
    contest's decisions: its rounds carry its own tallies and inactive ballots."""

    kind: str
    name: str
    total_ballots: int
    undervotes: int
    rounds: tuple[Round, ...]


class Tabulation(msgspec.Struct, frozen=True):
    """The whole count: the rounds, the winners in the order elected, the number of ballots
    and of those that ranked nobody (RCTab's ``undervotes``)."""

    contest: str
    rounds: tuple[Round, ...]
    winners: tuple[str, ...]
    candidates: tuple[str, ...]
    total_ballots: int
    undervotes: int
    seats: int
    slices: tuple[SliceCount, ...] = ()
