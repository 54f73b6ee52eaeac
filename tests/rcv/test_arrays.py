"""The array count (``racedesk.rcv.arrays``) gives :func:`racedesk.rcv.tabulate`'s rounds: on
every shared RCTab case it takes, and on generated ballots with blanks, overvotes and repeats."""

from __future__ import annotations

from pathlib import Path

import msgspec
import numpy as np
import pytest

from racedesk.rcv import Ballot, RankedContest, RcvRules, tabulate
from racedesk.rcv.arrays import BLANK, OVERVOTED, ranks_of, tabulate_ranks, unsupported
from racedesk.rcv.contest import OVERVOTE

from .test_rctab_cases import CASES, RELOCATED, contest_of

#: The cases whose rules the array count takes (the rest move surpluses or need an overvoted
#: rank's candidates); pinned so that a case silently dropping out fails.
TAKEN = {
    "2015_portland_mayor",
    "2017_minneapolis_mayor",
    "continue_until_two_with_batch_elimination_test",
    "generic_csv_test",
    "multi_seat_bottoms_up_with_static_threshold",
    "test_set_0_skipped_first_choice",
    "test_set_1_exhaust_at_overvote",
    "test_set_2_overvote_skip_to_next",
    "test_set_3_skipped_choice_exhaust",
    "test_set_4_skipped_choice_next",
    "tiebreak_seed_test",
    "clear_ballot_kansas_primary",
    "unisyn_xml_cdf_city_mayor",
    "nist_xml_cdf_2",
    "hart_travis_county_officers",
    "dominion_alaska",
}


@pytest.mark.parametrize("case", CASES, ids=[c.rsplit("/", 1)[-1] for c in CASES])
def test_the_array_count_gives_rctab_s_rounds(rcv_cases: Path, case: str) -> None:
    contest = contest_of(rcv_cases / f"{case}_config.json", RELOCATED.get(case))
    name = case.rsplit("/", 1)[-1]
    if unsupported(contest):
        assert name not in TAKEN, unsupported(contest)
        return
    assert name in TAKEN
    ranks = ranks_of(contest.ballots, contest.candidates)
    assert tabulate_ranks(contest, ranks) == tabulate(contest)


def generated(seed: int, n: int, rules: RcvRules) -> tuple[RankedContest, np.ndarray]:
    """``n`` ballots of six ranks among eight candidates, about one rank in six blank and one
    in forty overvoted, candidates repeated now and then."""
    rng = np.random.default_rng(seed)
    names = tuple(f"Candidate {i}" for i in range(8))
    ranks = rng.choice(8, size=(n, 6), p=rng.dirichlet(np.ones(8))).astype(np.int16)
    ranks[rng.random((n, 6)) < 1 / 6] = BLANK
    ranks[rng.random((n, 6)) < 1 / 40] = OVERVOTED
    ballots = tuple(
        Ballot(
            id=str(i),
            rankings=tuple(
                (r + 1, (OVERVOTE,) if m == OVERVOTED else (names[m],))
                for r, m in enumerate(row.tolist())
                if m != BLANK
            ),
        )
        for i, row in enumerate(ranks)
    )
    return RankedContest("generated", names, rules, ballots), ranks


@pytest.mark.parametrize(
    "rules",
    [
        RcvRules(),
        RcvRules(overvote_rule="alwaysSkipToNextRank", max_skipped_ranks=1),
        RcvRules(max_skipped_ranks=0, max_rankings=4, batch_elimination=True),
        RcvRules(continue_until_two=True, tiebreak_mode="random", random_seed=7),
    ],
    ids=["defaults", "skip-overvotes", "skips-and-batches", "until-two"],
)
def test_generated_ballots_count_the_same(rules: RcvRules) -> None:
    contest, ranks = generated(2026, 3000, rules)
    arrays = tabulate_ranks(contest, ranks)
    assert arrays == tabulate(contest)
    assert len(arrays.rounds) >= 3
    assert sum(arrays.rounds[-1].inactive.values()) > 0


def test_a_contest_the_array_count_cannot_take_is_refused() -> None:
    contest, ranks = generated(1, 10, RcvRules(winner_mode="multiWinnerAllowOnlyOneWinnerPerRound"))
    with pytest.raises(ValueError, match="moves surpluses"):
        tabulate_ranks(msgspec.structs.replace(contest, ballots=()), ranks)
