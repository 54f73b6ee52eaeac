"""Projection: the distribution of final shares and the outcomes' probabilities (engine/projection.py)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import numpy as np
import pytest

from builders import contest, election, release, state
from racedesk.engine import projection
from racedesk.engine.params import ModelParams, default_params
from racedesk.engine.replay import replay
from racedesk.model import Contest, Release, Rule
from racedesk.model.answers import BallotsLeft, ContestState
from racedesk.sources.loader import load_canvasses
from racedesk.sources.outstanding import load_reports

PARAMS = ModelParams(version="test-1", draws=2000)
NO_BALLOTS = BallotsLeft(ballots=None, source="none")


def project(contests: list[Contest], states: list[ContestState], good: list[Release] | None = None,
            params: ModelParams = PARAMS, seed: int = 0):  # type: ignore[no-untyped-def]  # fmt: skip
    return projection.project_all(election(contests), good or [], states, NO_BALLOTS, params, seed)


def test_triangular_draws_stay_in_the_interval_and_handle_a_point() -> None:
    rng = np.random.default_rng(1)
    u = rng.random((3, 5000))
    low, mode, high = (
        np.array([0.0, 10.0, 5.0]),
        np.array([2.0, 10.0, 5.0]),
        np.array([10.0, 30.0, 5.0]),
    )
    draws = projection.triangular(low, mode, high, u)
    assert (draws >= low[:, None]).all() and (draws <= high[:, None]).all()
    assert (draws[2] == 5.0).all()
    # the mean of a triangular distribution is (low + mode + high) / 3
    assert draws[0].mean() == pytest.approx(4.0, abs=0.15)
    assert draws[1].mean() == pytest.approx(50 / 3, abs=0.3)


def test_no_votes_left_means_the_final_share_is_the_count() -> None:
    c = contest("1", ["A", "B"])
    good = [release([c], [[600, 400]])]
    result = project([c], [state(c, [600, 400], (0, 0, 0))], good)
    p = result["1"]
    a, b = p.choices
    assert (a.share_low, a.share_mid, a.share_high) == pytest.approx((0.6, 0.6, 0.6))
    assert (b.share_low, b.share_high) == pytest.approx((0.4, 0.4))
    assert a.probability == 1.0 and b.probability == 0.0
    assert p.outcomes == {"A wins": 1.0, "B wins": 0.0}
    # nothing left to count: projected exactly, as one draw
    assert p.model_version == "test-1" and p.draws == 1 and p.level == 0.9


def test_contests_without_votes_or_votes_left_are_not_projected() -> None:
    c1, c2 = contest("1", ["A", "B"]), contest("2", ["C", "D"])
    result = project([c1, c2], [state(c1, [0, 0], (10, 20, 30)), state(c2, [5, 3], None)])
    assert result == {}


def test_an_even_race_with_many_votes_left_is_a_coin_toss() -> None:
    c = contest("1", ["A", "B"])
    result = project([c], [state(c, [5000, 5000], (50_000, 100_000, 200_000))])
    a, b = result["1"].choices
    assert a.probability == pytest.approx(0.5, abs=0.05)
    assert a.probability + b.probability == pytest.approx(1.0)
    assert a.share_low < 0.5 < a.share_high


def test_intervals_narrow_as_the_votes_left_shrink() -> None:
    c = contest("1", ["A", "B"])
    wide = project([c], [state(c, [5500, 4500], (50_000, 100_000, 200_000))])["1"].choices[0]
    narrow = project([c], [state(c, [5500, 4500], (500, 1000, 2000))])["1"].choices[0]
    assert narrow.share_high - narrow.share_low < wide.share_high - wide.share_low
    assert narrow.share_low <= 0.55 <= narrow.share_high


def test_same_seed_same_projection_other_seed_other_draws() -> None:
    c = contest("1", ["A", "B", "C"])
    s = [state(c, [400, 350, 250], (500, 1000, 2000))]
    assert project([c], s, seed=7) == project([c], s, seed=7)
    assert project([c], s, seed=7) != project([c], s, seed=8)


def test_vote_for_two_probabilities_add_up_to_the_seats() -> None:
    c = contest("1", ["A", "B", "C", "D"], Rule(kind="plurality", seats=2, votes_allowed=2))
    p = project([c], [state(c, [400, 380, 370, 100], (200, 400, 800))])["1"]
    assert sum(ch.probability for ch in p.choices) == pytest.approx(2.0)
    assert p.choices[3].probability < 0.01
    assert "A and B win" in p.outcomes


def test_a_final_tie_shares_the_place() -> None:
    c = contest("1", ["A", "B", "C"], Rule(kind="plurality", seats=2, votes_allowed=2))
    p = project([c], [state(c, [500, 300, 300], (0, 0, 0))])["1"]
    assert [ch.probability for ch in p.choices] == [1.0, 0.5, 0.5]
    assert p.outcomes == {"A and B win": 0.5}


def test_measure_probabilities_follow_the_threshold() -> None:
    two_thirds = Rule(kind="measure", threshold="2/3", text="2/3 of votes cast")
    c = contest("1", ["YES", "NO"], two_thirds)
    passes = project([c], [state(c, [700, 300], (0, 0, 0))])["1"]
    fails = project([c], [state(c, [600, 400], (0, 0, 0))])["1"]
    assert passes.outcomes["passes"] == 1.0 and passes.choices[0].probability == 1.0
    assert fails.outcomes["passes"] == 0.0 and fails.outcomes["fails"] == 1.0
    assert fails.choices[1].probability == 1.0  # NO gets what it seeks


def test_a_measure_of_two_thresholds_has_a_chance_at_each() -> None:
    """A measure whose source states no threshold is held to two-thirds and a majority at once:
    its outcomes split the draws three ways (passing whichever holds, failing whichever holds,
    and between), and each choice's chance at the majority is kept beside the one at 2/3."""
    from racedesk.rules.california import unstated_measure_rule

    c = contest("1", ["YES", "NO"], unstated_measure_rule())
    counted = project([c], [state(c, [559, 441], (0, 0, 0))])["1"]
    assert counted.outcomes == {
        "passes whichever threshold holds": 0.0,
        "fails whichever threshold holds": 0.0,
        "passes with a majority, fails at 2/3": 1.0,
    }
    yes, no = counted.choices
    assert (yes.probability, yes.probability_alt) == (0.0, 1.0)
    assert (no.probability, no.probability_alt) == (1.0, 0.0)
    # 60% yes with as many votes left as counted: a majority likely, two-thirds unlikely
    p = project([c], [state(c, [6000, 4000], (5_000, 10_000, 15_000))])["1"]
    yes, no = p.choices
    assert sum(p.outcomes.values()) == pytest.approx(1.0)
    assert yes.probability == pytest.approx(p.outcomes["passes whichever threshold holds"])
    assert no.probability_alt == pytest.approx(p.outcomes["fails whichever threshold holds"])
    assert yes.probability < 0.5 < yes.probability_alt  # type: ignore[operator]
    assert yes.probability_alt + no.probability_alt == pytest.approx(1.0)  # type: ignore[operator]
    # one threshold: no second chance
    majority = contest("1", ["YES", "NO"], Rule(kind="measure", threshold="1/2"))
    single = project([majority], [state(majority, [600, 400], (0, 0, 0))])["1"]
    assert single.choices[0].probability_alt is None and set(single.outcomes) == {"passes", "fails"}


def test_majority_or_runoff_outcomes() -> None:
    rule = Rule(kind="majority_or_runoff", seats=1, advance=2)
    c = contest("1", ["A", "B", "C"], rule)
    p = project([c], [state(c, [450, 350, 200], (0, 0, 0))])["1"]
    assert p.outcomes["runoff"] == 1.0
    assert p.outcomes["A wins a majority"] == 0.0
    assert p.outcomes["A and B advance"] == 1.0
    p2 = project([c], [state(c, [600, 250, 150], (0, 0, 0))])["1"]
    assert p2.outcomes["A wins a majority"] == 1.0 and p2.outcomes["runoff"] == 0.0


def test_recent_batches_move_the_centre_of_the_late_vote() -> None:
    c = contest("1", ["A", "B"])
    params = msgspec.structs.replace(PARAMS, trend_weight=(1.0,) * 5, trend_prior_votes=0.0)
    earlier = release([c], [[6000, 4000]], n=0)
    now = release([c], [[6200, 4800]], n=10)  # the last batch went 20% / 80%
    s = state(c, [6200, 4800], (10_000, 10_000, 10_000))
    moved = project([c], [s], [earlier, now], params)["1"].choices[0]
    still = project([c], [s], [now], params)["1"].choices[0]
    assert moved.share_mid < still.share_mid
    # with the late vote centred on the batch (20% for A), A ends near (6200 + 2000) / 21000
    assert moved.share_mid == pytest.approx(8200 / 21000, abs=0.03)


def test_batch_shares_refuse_a_count_that_went_down() -> None:
    ids = ["a", "b"]
    assert projection.batch_shares({"a": 10, "b": 5}, {"a": 12, "b": 1}, ids) == (None, 0.0)
    assert projection.batch_shares({"a": 10, "b": 5}, None, ids) == (None, 0.0)
    shares, size = projection.batch_shares({"a": 10, "b": 5}, {"a": 7, "b": 4}, ids)
    assert size == 4 and shares is not None and list(shares) == [0.75, 0.25]


def test_write_ins_are_left_out_of_the_votes_left_for_named_choices() -> None:
    c = contest("1", ["A", "B"])
    s = msgspec.structs.replace(
        state(c, [500, 400], (1000, 1000, 1000)), total_votes=1000, write_ins=100
    )
    prep = projection.prepare(c, s, None, PARAMS)
    assert prep is not None
    assert prep.left_mid == pytest.approx(900.0)
    assert prep.fraction == pytest.approx(900 / 1800)


def test_central_shares_that_do_not_add_up_are_no_projection() -> None:
    adds_up = projection.adds_up
    assert adds_up([0.6, 0.4]) and adds_up([0.5, 0.3, 0.12])  # 0.92: a many-choice skew
    assert not adds_up([0.3, 0.11]) and not adds_up([0.8, 0.5])


def test_a_sliver_of_a_district_is_not_projected_once_its_draws_say_nothing(
    general_2024: Path,
) -> None:
    """Victor Valley CCD trustee area 3 (9858): 65 votes in LA County of a district in San
    Bernardino County. LA's feed sees it as a portion, never projected; taken as whole, its
    projected central shares fall to 0.89 and below as the canvass goes on, and from then the
    projection is left out rather than shown."""
    canvass = load_canvasses(str(general_2024))[0]
    assert canvass.election.contest("9858").portion == "Los Angeles County"
    whole = msgspec.structs.replace(
        canvass.election,
        contests=tuple(
            msgspec.structs.replace(c, portion="") if c.id == "9858" else c
            for c in canvass.election.contests
        ),
    )
    reports = load_reports(general_2024.parent / "outstanding-reports.csv", whole.date)
    shown = [
        snap.projections.get("9858")
        for snap in replay(whole, canvass.releases, reports, default_params())
    ]
    sums = [sum(c.share_mid for c in p.choices) for p in shown if p is not None]
    assert sums and all(0.85 <= s <= 1.15 for s in sums)
    assert shown[1] is not None and all(p is None for p in shown[-10:])


def test_late_shares_stray_further_where_only_the_count_s_pace_says_what_is_left() -> None:
    """The state's feed has no counters, registration or estimate: its votes left come from the
    count's pace, and its late shares may stray ``pace_spread`` (2) times the calibrated spread
    (its mid-canvass 90% intervals held 42% of the final shares on Mar 13, 2024 at 1×; over the
    canvass, 80% at 1×, 92% at 2×). The 2020 primary scenario's first releases, before the
    registrar's first estimate, are projected so too."""
    from racedesk.sources.loader import load_canvasses as load

    (primary, _) = load("scenario:la-da-2020")[:2]
    wide = ModelParams()
    narrow = msgspec.structs.replace(wide, pace_spread=1.0)
    assert wide.pace_spread == 2.0

    def first_width(params: ModelParams) -> float:
        for snap in replay(primary.election, primary.releases, primary.reports, params):
            state = snap.states[0]
            if state.votes_left.source == "count pace" and snap.projections:
                c = next(iter(snap.projections.values())).choices[0]
                return c.share_high - c.share_low
        raise AssertionError("no release projected on the count's pace")

    assert first_width(wide) > first_width(narrow)
