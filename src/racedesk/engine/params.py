"""Model parameters: what ``racedesk calibrate`` learns from past canvasses.

A parameter file is a versioned JSON document (``racedesk.params/1``) shipped with the package
(``racedesk/data/params.json``); its ``version`` is recorded with every projection and call.
Defaults here are used only when no file is given and say so in their version.
"""

from __future__ import annotations

import msgspec


class TurnoutPrior(msgspec.Struct, frozen=True, kw_only=True):
    """Final ballots cast as a share of registration for an election kind: a plausible range
    (``low``–``high``) and a central value, from past canvasses (2020 general 76%, 2024 general
    66%, 2020 primary 38%, 2024 primary 29% in Los Angeles County)."""

    low: float
    mid: float
    high: float


def _default_turnout() -> dict[str, TurnoutPrior]:
    return {
        "general": TurnoutPrior(low=0.55, mid=0.70, high=0.85),
        "primary": TurnoutPrior(low=0.20, mid=0.33, high=0.50),
        "special": TurnoutPrior(low=0.10, mid=0.25, high=0.50),
    }


class ModelParams(msgspec.Struct, frozen=True, kw_only=True):
    """Every parameter of the votes-left model, the projection and the call rules."""

    schema: str = "racedesk.params/1"
    version: str = "default-0"
    turnout: dict[str, TurnoutPrior] = msgspec.field(default_factory=_default_turnout)
    calibrated_on: tuple[str, ...] = ()
    # votes left (see engine/votes_left.py and docs/hurdles.md; figures measured on the 2024
    # LA primary and general: how far the registrar's estimates and each contest's share of the
    # ballots left strayed from what was actually counted afterwards)
    report_rise: float = 0.8  # a first estimate may rise by this share (mail still in the post)
    report_rise_later: float = 0.1  # ... a later one by this share (the largest seen: 2%)
    report_fall: float = 0.8  # an estimate may overstate what is left by this share
    # once an estimate is spent (none left, or the count has passed it), ballots may still come
    # (cures, provisionals, late overseas ballots) up to this share of those counted: after a
    # county reported none left its count grew by up to 1.31% (Imperial, the state's
    # unprocessed-ballots reports of the 2024 general), San Diego's 2025 special primary 0.16%
    report_trickle: float = 0.015
    # a later estimate may leave out ballots still to cure or under review: the state's
    # unprocessed-ballots reports of the 2024 general (58 counties, Nov 22-Dec 6) gave a bare
    # total of ballots remaining, ballots to cure apart, and in 58 of their 157 distinct
    # (county, day) figures more came than the total plus report_rise_later. Unless the
    # estimate counts provisional ballots among its kinds, or its registrar's later estimates
    # have held report_held_times running (the ballots counted by the next plus the next's
    # total at most report_held_rise more than each said: LA's 2024 ones 3.7% at most), the
    # trickle is added to its high end: 2 of the 157 then exceed it (at 10%, 4)
    report_held_times: int = 3
    report_held_rise: float = 0.05
    first_estimate_days: int = 1  # estimates made up to this many days after election day
    coverage_low: float = 0.5  # a contest's share of the ballots left, relative to its share
    coverage_high: float = 2.0  # of the ballots counted so far (CBLT / EBLT)
    rolloff_low: float = 0.6  # votes per ballot left, relative to votes per ballot so far
    rolloff_high: float = 1.1
    rolloff_prior: float = 0.9  # votes per ballot and seat when nothing is counted yet
    recent_releases: int = 3  # recent batches that widen those intervals
    recent_min_batch: float = 0.01  # ... when a batch holds at least this share of the count
    min_contest_ballots: int = 100  # below this, a contest's share of the ballots left is 0–100%
    # the count's pace, where a feed gives neither registration nor an estimate (the state's):
    # the share of the final count in by so many days after the polls closed, at least
    # (``least``), typically (``typical``) and at most (``most``). Measured on the 2024 LA
    # primary and general (EBLT / final EBLT, releases by time) and on the state's report of
    # unprocessed ballots of the 2024 general (processed / (processed + remaining), days 16+):
    # ``least`` leaves three times the most left in any of them (a state's count waits on its
    # slowest county), at least 10% in, never less left than later, and nothing need be in as
    # the polls close (the state's 2024 primary had 1.9% of its count in at 8:10 pm); ``typical``
    # leaves the mean of what ``least`` and ``most`` leave (one county's two canvasses do not
    # tell a state's typical pace); ``most`` leaves half the least left. See docs/hurdles.md.
    count_pace_days: tuple[float, ...] = (
        0, 0.25, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 17, 21, 25, 30,
    )  # fmt: skip
    count_pace_least: tuple[float, ...] = (
        0.0, 0.100, 0.100, 0.100, 0.226, 0.406, 0.406, 0.562, 0.775, 0.924, 0.934, 0.934, 0.934,
        0.934, 0.966, 0.991, 1.0,
    )  # fmt: skip
    count_pace_typical: tuple[float, ...] = (
        0.460, 0.460, 0.478, 0.490, 0.566, 0.671, 0.682, 0.770, 0.880, 0.960, 0.966, 0.966, 0.967,
        0.967, 0.983, 0.996, 1.0,
    )  # fmt: skip
    count_pace_most: tuple[float, ...] = (
        0.821, 0.821, 0.856, 0.880, 0.906, 0.935, 0.959, 0.978, 0.985, 0.997, 0.999, 0.999, 1.0,
        1.0, 1.0, 1.0, 1.0,
    )  # fmt: skip
    # ... and for a part of the feed (a contest carried on fewer than ``pace_part_share`` of the
    # ballots counted: a district), at least: one slow county can hold most of a district, which
    # then lags the whole (the state's 2024 primary: Assembly District 20 had 0.88 ballots left
    # per ballot counted at 7.8 days, when the whole had 0.08). Each time's least, interpolated
    # from the time before, leaves 1.5 times every figure of ballots left per ballot counted seen
    # since, in the districts of the state's 2024 primary and the counties of the state's
    # unprocessed-ballots reports of the 2024 general (scripts/count_pace_parts.py); never more
    # in than the whole's least
    count_pace_least_part: tuple[float, ...] = (
        0.0, 0.054, 0.100, 0.100, 0.218, 0.260, 0.260, 0.260, 0.330, 0.448, 0.504, 0.504, 0.504,
        0.504, 0.509, 0.510, 1.0,
    )  # fmt: skip
    pace_part_share: float = 0.5
    # the late shares' spread where votes left come from the count's pace alone, as a multiple
    # of the calibrated one: such a feed (the state's) is not among the canvasses the spread was
    # calibrated on, and its late count shifts further (docs/hurdles.md)
    pace_spread: float = 2.0
    # the call rule's envelope for such counts where calibration saw none of them: the others'
    # largest swings times this, their design effect times its square. Apart from
    # ``pace_spread``, so that a projection set narrower never makes a call easier
    pace_envelope_widen: float = 2.0
    # projection and calls (see engine/projection.py, engine/calls.py and docs/method.md)
    draws: int = 400
    level: float = 0.9
    fraction_edges: tuple[float, ...] = (0.5, 0.7, 0.85, 0.95)
    trend_weight: tuple[float, ...] = (0.0, 0.2, 0.8, 0.75, 0.75)
    late_spread: tuple[float, ...] = (0.12, 0.1, 0.06, 0.05, 0.04)
    sampling_spread: float = 1.6
    recent_batches: int = 3
    trend_prior_votes: float = 200.0
    late_shift_max: tuple[float, ...] = (0.2, 0.2, 0.2, 0.2, 0.2)  # per fraction bucket
    late_shift_max_minor: tuple[float, ...] = (0.25, 0.25, 0.25, 0.25, 0.25)
    minor_pair_share: float = 2 / 3
    late_noise_z: float = 4.0
    late_design_effect: float = 150.0
    # ... and of the two-way split of a minor pair (``minor_pair_share``), which swings further
    late_design_effect_minor: float = 150.0
    # the same envelope for contests whose votes left come from the count's pace alone (the
    # state's feed, whose late batches are whole counties: docs/method.md, "Calibration")
    late_shift_max_pace: tuple[float, ...] = (0.4, 0.4, 0.4, 0.4, 0.4)
    late_design_effect_pace: float = 600.0
    # ... and never more than the largest late swing seen where about as many votes were left
    # (docs/method.md, "Calls"): with more than ``late_cap_votes[k]`` votes left at stage f of
    # the count, at most ``late_cap[f][k]`` (``late_cap_minor`` for a minor pair): the largest
    # swing seen at that stage or later among those with at least ``late_cap_votes[k]`` / 3
    # votes left, times the margin; 1 (no cap) where too few were seen, and with no caps at all
    # (these defaults) the allowance is the envelope alone
    late_cap_votes: tuple[float, ...] = (
        30.0, 100.0, 300.0, 1_000.0, 3_000.0, 10_000.0, 30_000.0, 100_000.0,
    )  # fmt: skip
    late_cap: tuple[tuple[float, ...], ...] = ()
    late_cap_minor: tuple[tuple[float, ...], ...] = ()
    call_probability: float = 0.995
    close_probability: float = 0.9
    rescind_probability: float = 0.5
    recount_guard: float = 0.005
    min_votes: int = 100
    min_releases: int = 2
    calibration: dict[str, float] = {}


def default_params() -> ModelParams:
    return ModelParams()
