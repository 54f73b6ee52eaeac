"""Calls and the ledger (engine/calls.py): the recount guard, ties, evidence, rescinds, statuses."""

from __future__ import annotations

import math
from fractions import Fraction

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import contest, election, release, state
from racedesk.engine import calls, projection
from racedesk.engine.params import ModelParams
from racedesk.model import Contest, Rule
from racedesk.model.answers import BallotsLeft, CallEvent, ContestState, Interval
from racedesk.rules.hurdle import pair_hurdle, threshold_needs

PARAMS = ModelParams(
    version="test-calls-1", draws=2000, late_shift_max=(0.1,) * 5, late_design_effect=10.0
)


def decide(
    contests: list[Contest],
    states: list[ContestState],
    ledger: list[CallEvent] | None = None,
    *,
    releases: int = 2,
    usable: bool = True,
    params: ModelParams = PARAMS,
) -> tuple[list[CallEvent], dict[str, calls.ContestCall]]:
    el = election(contests)
    votes = [[s.votes[k.id] for k in c.choices] for c, s in zip(contests, states, strict=True)]
    good = [release(contests, votes, n) for n in range(releases)]
    projections = projection.project_all(
        el, good, states, BallotsLeft(ballots=None, source="none"), params, 0
    )
    return calls.decide_all(
        el, good[-1], states, projections, ledger or [], params, usable=usable, good=good
    )


def test_a_decided_count_is_called_with_a_full_ledger_event() -> None:
    c = contest("1", ["ADA LOVELACE", "ALAN TURING"])
    events, status = decide([c], [state(c, [6000, 4000], 500)])
    assert [e.status for e in events] == ["called"]
    event = events[0]
    assert event.choices == ("1-0",) and event.event_id == 1
    assert event.release_hash == "hash-1" and event.release_sequence == 1
    assert event.model_version == "test-calls-1"
    assert event.votes_left == Interval(low=500, mid=500, high=500)
    assert event.probability == 1.0
    # Turing needs (2000 + 500) / 1000 of the 500 votes left: more than all of them
    assert event.hurdle is not None and event.hurdle.low == 1.0
    assert event.reason.startswith("ALAN TURING cannot catch up even with every vote left")
    assert status["1"].status == "called" and status["1"].event_id == 1


def test_no_call_within_the_recount_guard_even_when_the_count_is_complete() -> None:
    c = contest("1", ["A", "B"])
    # 50.2% to 49.8%: a lead of 0.4 points, nothing left to count
    events, status = decide([c], [state(c, [5020, 4980], 0)])
    assert events == []
    assert status["1"].status == "too close"
    assert "recount guard" in status["1"].sentence
    # 50.3% to 49.7% clears the 0.5-point guard
    events, status = decide([c], [state(c, [5030, 4970], 0)])
    assert [e.status for e in events] == ["called"]


def test_a_contest_tied_at_the_end_is_too_close() -> None:
    c = contest("1", ["A", "B"])
    events, status = decide([c], [state(c, [5000, 5000], 0)])
    assert events == [] and status["1"].status == "too close"
    seats = contest("2", ["A", "B", "C"], Rule(kind="plurality", seats=2, votes_allowed=2))
    events, status = decide([seats], [state(seats, [900, 700, 700], 0)])
    assert events == [] and status["2"].status == "too close"


def test_a_measure_within_the_guard_of_its_threshold_is_not_called() -> None:
    rule = Rule(kind="measure", threshold="11/20", text="55% of votes cast")
    c = contest("1", ["YES", "NO"], rule)
    events, status = decide([c], [state(c, [5530, 4470], 0)])  # 55.3%: 0.3 points above 55%
    assert events == [] and status["1"].status == "too close"
    events, _ = decide([c], [state(c, [5600, 4400], 0)])
    assert [(e.status, e.choices) for e in events] == [("passed", ("1-0",))]
    events, _ = decide([c], [state(c, [5400, 4600], 0)])
    assert [(e.status, e.choices) for e in events] == [("failed", ("1-1",))]


def test_minimum_evidence() -> None:
    c = contest("1", ["A", "B"])
    events, status = decide([c], [state(c, [6000, 4000], 0)], releases=1)
    assert events == [] and status["1"].status == "too early"
    small = contest("2", ["A", "B"])
    events, status = decide([small], [state(small, [60, 30], 0)])
    assert events == [] and status["2"].status == "too early"


def test_no_call_on_an_unusable_release() -> None:
    c = contest("1", ["A", "B"])
    events, status = decide([c], [state(c, [6000, 4000], 0)], usable=False)
    assert events == []
    assert status["1"].status == "leading"
    assert "failed its checks" in status["1"].sentence


def test_no_call_while_a_late_swing_seen_could_still_change_it() -> None:
    c = contest("1", ["A", "B"])
    # B has 45% and would need (1000 + 20000) / 40000 = 52.5% of the two-way vote left:
    # within the 10-point allowance for late swings, so no call however probable the lead
    events, status = decide([c], [state(c, [5500, 4500], (20_000, 20_000, 20_000))])
    assert events == []
    assert status["1"].status in ("leading", "too close")
    assert not calls.pair_safe(calls.read_count(c, state(c, [5500, 4500], 20_000)), 0, 1, PARAMS)  # type: ignore[arg-type]


def test_the_high_end_of_the_votes_left_decides() -> None:
    c = contest("1", ["A", "B"])
    safe = calls.read_count(c, state(c, [6000, 4000], (100, 1000, 1500)))
    risky = calls.read_count(c, state(c, [6000, 4000], (100, 1000, 30_000)))
    assert safe is not None and risky is not None
    assert calls.pair_safe(safe, 0, 1, PARAMS)
    assert not calls.pair_safe(risky, 0, 1, PARAMS)


def test_allowance_grows_as_the_votes_left_shrink() -> None:
    big = calls.late_allowance(0.4, 1_000_000, PARAMS, stage=0)
    small = calls.late_allowance(0.4, 1_000, PARAMS, stage=0)
    assert PARAMS.late_shift_max[0] < big < small
    assert small == pytest.approx(0.1 + 4 * math.sqrt(0.24 * 10 / 1000))


STAGED = msgspec.structs.replace(PARAMS, late_shift_max=(0.2, 0.2, 0.12, 0.12, 0.08))


def test_the_allowance_is_the_swing_seen_at_the_stage_the_count_is_reckoned_at() -> None:
    """Late swings seen in calibration shrink as the count goes on; the stage is read where the
    projection reckons the count (``V / (V + R_mid)``, the bucket calibration measured each
    swing in), while the trailing choice's need is read at the high end of the votes left."""
    assert calls.late_allowance(0.4, 1_000, STAGED, stage=4) == pytest.approx(
        0.08 + 4 * math.sqrt(0.24 * 10 / 1000)
    )
    c = contest("1", ["A", "B"])
    # 80,000 counted; B has 45% and needs (8,000 + 20,000) / 40,000 = 70% of the votes left
    settled = calls.read_count(c, state(c, [44_000, 36_000], (20_000, 20_000, 20_000)))
    assert settled is not None and calls.stage(settled, STAGED) == 2  # 80% done
    assert calls.pair_safe(settled, 0, 1, STAGED)  # 70% > 45% + 12 + 4·sqrt(.2475·10/20000)
    # up to 60,000 votes left, 20,000 expected: still 80% done (0.12 allowed), but B would need
    # only (8,000 + 60,000) / 120,000 = 56.7% < 45% + 12 + 2.6
    wide = calls.read_count(c, state(c, [44_000, 36_000], (20_000, 20_000, 60_000)))
    assert wide is not None and calls.stage(wide, STAGED) == 2
    assert not calls.pair_safe(wide, 0, 1, STAGED)
    # 60,000 expected: 57% done, the earlier stage's 0.2
    unsure = calls.read_count(c, state(c, [44_000, 36_000], (20_000, 60_000, 60_000)))
    assert unsure is not None and calls.stage(unsure, STAGED) == 1
    assert calls.late_allowance(0.45, 60_000, STAGED, calls.stage(unsure, STAGED)) > 0.2


LEANING = msgspec.structs.replace(STAGED, trend_weight=(1.0,) * 5, trend_prior_votes=0.0)


def test_the_allowance_is_measured_from_where_the_recent_batches_lean() -> None:
    """A trailing choice's need is set against the centre of the late shares (its share so far
    leaning toward its recent batches, ``projection.late_centre``), not its share so far."""
    c = contest("1", ["A", "B"])
    # 80,000 counted, B 45%; with 30,000 left (73% done: 0.12 allowed) B needs 63.3%
    now = state(c, [44_000, 36_000], (30_000, 30_000, 30_000))
    flat = calls.read_count(c, now, None, LEANING)
    assert flat is not None and flat.centre == pytest.approx((0.55, 0.45))
    assert calls.pair_safe(flat, 0, 1, LEANING)  # 63.3% > 45% + 12 + 3.6
    # B took half of the last 20,000 votes: the late share is centred on 50%, 63.3% is within
    # 50% + 12 + 3.7 points
    gaining = calls.read_count(c, now, {"1-0": 34_000, "1-1": 26_000}, LEANING)
    assert gaining is not None and gaining.centre == pytest.approx((0.5, 0.5))
    assert not calls.pair_safe(gaining, 0, 1, LEANING)
    # with 40,000 left (67% done: 0.2 allowed) B needs 60%: beyond reach only when its last
    # batches ran well behind its share so far (1 in 6 of the last 12,000 votes)
    later = state(c, [44_000, 36_000], (40_000, 40_000, 40_000))
    assert not calls.pair_safe(calls.read_count(c, later, None, LEANING), 0, 1, LEANING)  # type: ignore[arg-type]
    fading = calls.read_count(c, later, {"1-0": 34_000, "1-1": 34_000}, LEANING)
    assert fading is not None and fading.centre[1] == pytest.approx(2_000 / 12_000)
    assert calls.pair_safe(fading, 0, 1, LEANING)


def test_a_minor_pair_gets_its_own_design_effect() -> None:
    """The two-way split of two choices holding less than ``minor_pair_share`` of the votes
    swings further in small counts (the LA City Council primaries' runoff places): its noise
    term uses ``late_design_effect_minor``, so it no longer widens every other pair's."""
    split = msgspec.structs.replace(
        STAGED, late_shift_max_minor=(0.25,) * 5, late_design_effect=10.0,
        late_design_effect_minor=90.0,
    )  # fmt: skip
    assert calls.late_allowance(0.4, 1_000, split, stage=2) == pytest.approx(
        0.12 + 4 * math.sqrt(0.24 * 10 / 1000)
    )
    assert calls.late_allowance(0.4, 1_000, split, stage=2, minor=True) == pytest.approx(
        0.25 + 4 * math.sqrt(0.24 * 90 / 1000)
    )


def test_a_count_paced_contest_gets_the_allowance_learned_on_such_counts() -> None:
    """Where the votes left come from the count's pace alone (the state's feed), the allowance
    is the pace envelope (``late_shift_max_pace``, ``late_design_effect_pace``)."""
    paced = msgspec.structs.replace(
        STAGED, late_shift_max_pace=(0.3,) * 5, late_design_effect_pace=40.0
    )
    assert calls.late_allowance(0.4, 1_000, paced, stage=2, pace=True) == pytest.approx(
        0.3 + 4 * math.sqrt(0.24 * 40 / 1000)
    )
    c = contest("1", ["A", "B"])
    now = state(c, [44_000, 36_000], (20_000, 20_000, 20_000))
    registrar = calls.read_count(c, now, None, paced)
    assert registrar is not None and not registrar.pace
    assert calls.pair_safe(registrar, 0, 1, paced)  # B needs 70%: beyond 45% + 12 + 4.4
    by_pace = msgspec.structs.replace(now, votes_left=msgspec.structs.replace(
        now.votes_left, source="count pace"))  # fmt: skip
    count = calls.read_count(c, by_pace, None, paced)
    assert count is not None and count.pace
    assert not calls.pair_safe(count, 0, 1, paced)  # within 45% + 30 + 8.9


#: Caps as calibration learns them (``calibrate.swing_caps``): a row per stage of the count, a
#: cap per point of ``late_cap_votes`` (30, 100, 300, 1,000 … 100,000 votes left).
CAPPED = msgspec.structs.replace(
    STAGED,
    late_design_effect=62.92,
    late_shift_max=(0.11,) * 5,
    late_cap=((0.69, 0.34, 0.24, 0.24, 0.22, 0.19, 0.19, 0.18),) * 5,
)


def test_the_allowance_is_never_more_than_the_largest_swing_seen_with_as_many_votes_left() -> None:
    """The envelope's noise term grows without end as the votes left shrink; the swings seen
    did not (at most 15–19 points whatever the contest's size), so the cap bounds it."""
    envelope = 0.11 + 4 * math.sqrt(0.25 * 62.92 / 832)
    assert envelope == pytest.approx(0.66, abs=0.01)  # a 50% choice could lose 66 points
    assert calls.late_allowance(0.5, 832, CAPPED, stage=4) == 0.24  # the cap of 300–1,000
    assert calls.late_allowance(0.5, 832, STAGED, stage=4) == pytest.approx(
        0.08 + 4 * math.sqrt(0.25 * 10 / 832)
    )  # no cap calibrated: the envelope alone
    assert calls.late_cap(20, 4, False, CAPPED) == 1.0  # below the first point: none
    assert calls.late_cap(150_000, 4, False, CAPPED) == 0.18
    assert calls.late_cap(100_000, 4, False, CAPPED) == 0.19  # just below a point: the one under
    # a large count: the envelope is below the cap and stays the allowance
    assert calls.late_allowance(0.5, 2_000_000, CAPPED, stage=4) == pytest.approx(
        0.11 + 4 * math.sqrt(0.25 * 62.92 / 2_000_000)
    )
    assert calls.late_allowance(0.5, 832, CAPPED, stage=4, pace=True) > 0.24  # pace: no cap


def test_a_majority_with_a_few_hundred_votes_left_is_called_under_the_cap() -> None:
    """LA City Council District 4, Mar 13, 2024, 5 pm: Nithya Raman had 50.64% of 64,052 votes
    with at most 1,132 left; she needed 14% of them to keep her majority. The envelope alone
    (design effect 62.92) let her lose 60 points of them; the cap lets her lose 24."""
    rule = Rule(kind="majority_or_runoff", advance=2)
    c = contest("9368", ["RAMAN", "WEAVER", "BARONIAN"], rule)
    now = state(c, [32_436, 24_736, 6_880], (28, 471, 1_132))
    count = calls.read_count(c, now)
    assert count is not None
    half = threshold_needs(32_436, 64_052, 1_132, 1, 2)
    assert half == pytest.approx(0.137, abs=0.001)
    uncapped = msgspec.structs.replace(CAPPED, late_cap=())
    assert not calls.threshold_safe(count, 0, Fraction(1, 2), True, uncapped)
    assert calls.threshold_safe(count, 0, Fraction(1, 2), True, CAPPED)


def test_a_call_holds_at_every_count_of_the_votes_left_down_to_the_low_end() -> None:
    """B holds 30% of a pair 20 votes apart. With 100,000 votes left B would need 50.01% of
    them, 20 points beyond its share, and the allowance at that many votes is 11.8 points; with
    1,000 left B needs 51% and the allowance is 28.3 points. The rule once read the high end
    alone and called it: a call must hold at every count from the low end up."""
    c = contest("1", ["A", "B"])
    wide = calls.read_count(c, state(c, [35, 15], (1_000, 5_000, 100_000)))
    narrow = calls.read_count(c, state(c, [35, 15], (60_000, 80_000, 100_000)))
    assert wide is not None and narrow is not None
    assert calls.counts_to_check(100_000, 1_000, PARAMS) == [
        100_000, 50_000, 30_000, 25_000, 12_500, 10_000, 6_250, 3_125, 3_000, 1_562.5,
    ]  # fmt: skip
    high = calls.late_allowance(0.3, 100_000, PARAMS, calls.stage(wide, PARAMS))
    assert high == pytest.approx(0.1 + 4 * math.sqrt(0.21 * 10 / 100_000))
    assert pair_hurdle(35, 15, 50, 100_000) > 0.3 + high  # safe at the high end alone
    low = calls.late_allowance(0.3, 1_000, PARAMS, 0)
    assert pair_hurdle(35, 15, 50, 1_000) < 0.3 + low
    assert not calls.pair_safe(wide, 0, 1, PARAMS)
    assert calls.pair_safe(narrow, 0, 1, PARAMS)


def test_hurdle_formulas() -> None:
    # calls-and-hurdles.md: j needs (D + R2) / (2 R2) of the two-way vote left
    assert pair_hurdle(600, 400, 1000, 1000) == pytest.approx((200 + 1000) / 2000)
    assert pair_hurdle(600, 400, 1000, 0) == math.inf
    # a threshold: (q(V + R) - v) / R
    assert threshold_needs(450, 1000, 500, 1, 2) == pytest.approx((750 - 450) / 500)
    assert threshold_needs(600, 1000, 0, 1, 2) == -math.inf


def test_majority_call_and_runoff_call() -> None:
    rule = Rule(kind="majority_or_runoff", seats=1, advance=2)
    c = contest("1", ["A", "B", "C"], rule)
    events, _ = decide([c], [state(c, [6000, 2500, 1500], 200)])
    assert [(e.status, e.choices) for e in events] == [("called", ("1-0",))]
    events, _ = decide([c], [state(c, [4000, 3500, 2500], 200)])
    assert [(e.status, e.choices) for e in events] == [("runoff", ("1-0", "1-1"))]
    # a runoff is certain but second place is open: no call yet
    events, status = decide([c], [state(c, [4000, 3010, 2990], 200)])
    assert events == [] and status["1"].status in ("too close", "leading")


def test_top_two_advanced() -> None:
    c = contest("1", ["A", "B", "C", "D"], Rule(kind="top_two", advance=2))
    events, _ = decide([c], [state(c, [4000, 3000, 2000, 1000], 100)])
    assert [(e.status, e.choices) for e in events] == [("advanced", ("1-0", "1-1"))]


def test_ledger_ids_continue_and_a_standing_call_is_not_repeated() -> None:
    c1, c2 = contest("1", ["A", "B"]), contest("2", ["C", "D"])
    first, _ = decide([c1, c2], [state(c1, [6000, 4000], 0), state(c2, [5010, 4990], 0)])
    assert [e.event_id for e in first] == [1]
    again, status = decide(
        [c1, c2], [state(c1, [6000, 4000], 0), state(c2, [6000, 4000], 0)], first
    )
    assert [(e.event_id, e.contest_id) for e in again] == [(2, "2")]
    assert status["1"].status == "called" and status["1"].event_id == 1


def test_a_call_whose_outcome_becomes_unlikely_is_rescinded() -> None:
    c = contest("1", ["A", "B"])
    events, _ = decide([c], [state(c, [6000, 4000], 0)])
    # a corrected count now has B far ahead: the call is rescinded by a new event
    later, status = decide([c], [state(c, [4000, 6000], 0)], events)
    assert [(e.status, e.rescinds, e.event_id) for e in later] == [("rescinded", 1, 2)]
    assert status["1"].status == "rescinded"
    assert calls.active_calls([*events, *later]) == {}


def test_winner_not_leading() -> None:
    c = contest("1", ["A", "B"])
    events, _ = decide([c], [state(c, [6000, 4000], 0)])
    # B edges ahead in the count while the projection still favours A (lots of A's ballots left)
    params = msgspec.structs.replace(PARAMS, rescind_probability=0.0)
    _, status = decide(
        [c], [state(c, [4990, 5010], (20_000, 20_000, 20_000))], events, params=params
    )
    assert status["1"].status == "winner not leading"


@settings(max_examples=300, deadline=None)
@given(
    ahead=st.integers(min_value=1, max_value=2_000_000),
    behind=st.integers(min_value=0, max_value=2_000_000),
    left=st.floats(min_value=0, max_value=3_000_000, allow_nan=False),
    late=st.floats(min_value=0, max_value=1, allow_nan=False),
    fewer=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_a_safe_pair_survives_every_late_split_within_the_allowance(
    ahead: int, behind: int, left: float, late: float, fewer: float
) -> None:
    """If ``pair_safe`` says b cannot plausibly pass a, then no late two-way split for b up to its
    share so far plus the allowance, with any number of votes left up to the high end, lets b
    pass a."""
    c = contest("1", ["A", "B"])
    count = calls.read_count(c, state(c, [ahead, behind], (0, left / 2, left)))
    assert count is not None
    if not calls.pair_safe(count, 0, 1, STAGED):
        return
    q = behind / (ahead + behind)
    share = min(late, q + calls.late_allowance(q, left, STAGED, calls.stage(count, STAGED)))
    votes_left = fewer * left  # the two-way vote left, anywhere up to the high end
    assert behind + share * votes_left < ahead + (1 - share) * votes_left or votes_left == 0
