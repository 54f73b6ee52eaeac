"""Calibration (engine/calibrate.py): each fitting step on rows whose answer is known, and the
parameter file it writes. The real-data calibration is exercised by tests/engine/test_backtest.py."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import msgspec
import numpy as np
import pytest

from racedesk.data import load_params, read_params
from racedesk.engine import calibrate
from racedesk.engine.params import ModelParams
from racedesk.engine.projection import Prepared
from racedesk.errors import ConfigError
from racedesk.model import Choice, Contest, Rule

CONTEST = Contest(
    id="1", title="T", kind="candidate", rule=Rule(kind="plurality"),
    choices=(Choice(id="a", name="A"), Choice(id="b", name="B")),
)  # fmt: skip


def row(shares: list[float], late: list[float] | None, batch: list[float] | None = None,
        left: float = 10_000, bucket: int = 1, final: list[float] | None = None) -> calibrate.Row:  # fmt: skip
    votes = np.array(shares) * 10_000
    prep = Prepared(
        contest=CONTEST, votes=votes, shares=np.array(shares), centre=np.array(shares),
        left_low=left, left_mid=left, left_high=left, fraction=0.5, bucket=bucket,
    )  # fmt: skip
    final_votes = votes + (np.array(late) * left if late is not None else 0)
    return calibrate.Row(
        prepared=prep,
        batch=None if batch is None else np.array(batch),
        batch_weight=1.0,
        late=None if late is None else np.array(late),
        late_votes=left,
        final=np.array(final) if final is not None else final_votes / final_votes.sum(),
    )


def test_trend_weight_is_the_slope_of_the_late_vote_on_the_recent_batches() -> None:
    # late shares move half as far from the count as the batches did, in bucket 1
    rows = [
        row([0.6, 0.4], late=[0.6 - 0.5 * d, 0.4 + 0.5 * d], batch=[0.6 - d, 0.4 + d], bucket=1)
        for d in (0.02, 0.05, 0.1, -0.04) * 25
    ]
    # and the wrong way in bucket 3: clipped to 0
    rows += [
        row([0.5, 0.5], late=[0.5 - d, 0.5 + d], batch=[0.5 + d, 0.5 - d], bucket=3)
        for d in (0.03, 0.06) * 50
    ]
    # a batch that did not lean says nothing of the slope, and is not counted
    rows.append(row([0.5, 0.5], late=[0.4, 0.6], batch=[0.5, 0.5], bucket=3))
    weights, sizes = calibrate.fit_trend(rows, 5)
    assert sizes == [0, 100, 0, 100, 0]
    assert weights[1] == pytest.approx(0.5)
    assert weights[3] == 0.0
    # a bucket without rows takes its nearest buckets': 0 and 2 bucket 1's, 4 bucket 3's
    assert weights[0] == weights[2] == pytest.approx(0.5)
    assert weights[4] == 0.0


def test_a_bucket_with_few_rows_takes_its_trend_from_its_nearest_buckets() -> None:
    """A row whose late vote followed its batch all the way does not set a bucket's trend
    weight to 1 beside 1,500 rows whose late vote followed theirs a fifth of the way."""
    rows = [
        row([0.6, 0.4], late=[0.6 - 0.2 * d, 0.4 + 0.2 * d], batch=[0.6 - d, 0.4 + d], bucket=1)
        for d in (0.02, -0.03, 0.05) * 500
    ]
    rows.append(row([0.5, 0.5], late=[0.3, 0.7], batch=[0.3, 0.7], bucket=0))
    alone, _ = calibrate.fit_trend(rows[-1:], 5)
    assert alone == [1.0] * 5
    weights, sizes = calibrate.fit_trend(rows, 5)
    assert sizes == [1, 1_500, 0, 0, 0]
    # bucket 0's window is buckets 0 and 1: Σ x·y over Σ x·x of both, x = b − p, y = s − p
    # (2 · 0.2² and 2 · 0.2² for its row, 0.2 · 2d² and 2d² for each of bucket 1's)
    assert calibrate.spread_windows(sizes, calibrate.TREND_ROWS)[0] == (0, 1)
    assert weights[0] == pytest.approx((0.08 + 0.2 * 3.8) / (0.08 + 3.8))
    assert weights[1] == pytest.approx(0.2)


def test_spread_is_fitted_to_90_percent_coverage() -> None:
    rng = np.random.default_rng(3)
    rows = []
    for _ in range(600):
        # late shares scattered around the count with a known spread
        d = float(rng.normal(0, 0.04))
        rows.append(row([0.55, 0.45], late=[0.55 + d, 0.45 - d], left=10_000, bucket=2))
    prepared = [r.prepared for r in rows]
    spreads, coverage, sizes = calibrate.fit_spread(prepared, [r.final for r in rows], 0.0, 5, 0.9)
    assert sizes == [0, 0, 600, 0, 0]
    assert coverage[2] == pytest.approx(0.9, abs=0.02)
    # a late-share standard deviation of 0.04 at p = 0.55 is a logistic spread of about
    # 0.04 / (p (1 - p)) / sqrt(2) (two choices, each with its own noise)
    assert spreads[2] == pytest.approx(0.04 / (0.55 * 0.45) / math.sqrt(2), rel=0.2)
    assert coverage[0] == -1.0  # an empty bucket has no coverage


def test_a_bucket_with_few_rows_borrows_its_nearest_buckets_rows() -> None:
    """A bucket's spread is fitted on at least ``SPREAD_ROWS`` rows, widened toward the
    neighbour with more rows; a bucket with none takes its neighbours' spread, not 0."""
    assert calibrate.spread_windows([2819, 6079, 913, 1457, 4527], 1_000) == [
        (0, 0), (1, 1), (1, 2), (3, 3), (4, 4),
    ]  # fmt: skip
    assert calibrate.spread_windows([0, 0, 600, 0, 0], 1_000) == [(0, 4)] * 5
    assert calibrate.spread_windows([500, 400, 0, 0, 3000], 1_000) == [
        (0, 4), (0, 4), (0, 4), (3, 4), (4, 4),
    ]  # fmt: skip
    rng = np.random.default_rng(3)
    rows = []
    for bucket, n, sd in ((1, 1_200, 0.04), (2, 100, 0.0), (4, 1_200, 0.01)):
        for _ in range(n):
            d = float(rng.normal(0, sd))
            rows.append(row([0.55, 0.45], late=[0.55 + d, 0.45 - d], bucket=bucket))
    spreads, coverage, sizes = calibrate.fit_spread(
        [r.prepared for r in rows], [r.final for r in rows], 0.0, 5, 0.9
    )
    assert sizes == [0, 1_200, 100, 0, 1_200]
    # bucket 2's 100 steady rows alone would ask for no spread at all: fitted with bucket 1's
    # rows it is nearly bucket 1's, so its own rows are over-covered
    assert spreads[2] > 0.8 * spreads[1] > 0
    assert coverage[2] == 1.0
    # the empty buckets take the spread of the rows nearest them (fitted on draws of their own)
    assert spreads[0] == pytest.approx(spreads[1], rel=0.1)
    assert spreads[3] == pytest.approx(spreads[4], rel=0.1)
    assert spreads[4] < spreads[1] / 2
    assert coverage[0] == coverage[3] == -1.0


def test_spread_is_fitted_as_the_projection_widens_count_paced_rows() -> None:
    """Rows whose votes left come from the count's pace alone are projected with their spread
    widened by ``pace_spread`` (``Prepared.widen``); calibration draws them the same way, so
    such rows, widened twice, ask for half the spread (before, their own swings set everyone's
    spread: the LA primary's intervals held 95.0% in its fold with the state's primary)."""
    rng = np.random.default_rng(3)
    rows = []
    for _ in range(600):
        d = float(rng.normal(0, 0.04))
        rows.append(row([0.55, 0.45], late=[0.55 + d, 0.45 - d], left=10_000, bucket=2))
    finals = [r.final for r in rows]
    plain, _, _ = calibrate.fit_spread([r.prepared for r in rows], finals, 0.0, 5, 0.9)
    paced = [dataclasses.replace(r.prepared, widen=2.0) for r in rows]
    halved, coverage, _ = calibrate.fit_spread(paced, finals, 0.0, 5, 0.9)
    assert coverage[2] == pytest.approx(0.9, abs=0.02)
    assert halved[2] == pytest.approx(plain[2] / 2, rel=0.05)


@pytest.mark.parametrize("pace_spread", [2.0, 1.0])
def test_count_paced_rows_do_not_set_the_spread_of_the_others(pace_spread: float) -> None:
    """The state's feed, paced by the count alone, swings far more; its rows are projected
    with the spread widened by ``pace_spread`` and leave the others' spread and envelope alone
    (drawn in with them they moved the LA folds' coverage from 90% to 95%, widened 80%). They
    are known by where their votes left came from (``Prepared.paced``), not by how far they are
    widened: at a ``pace_spread`` of 1 (not widened) they were taken for the others'."""
    rng = np.random.default_rng(3)
    plain = []
    for _ in range(300):
        d = float(rng.normal(0, 0.04))
        plain.append(row([0.55, 0.45], late=[0.55 + d, 0.45 - d], left=10_000, bucket=2))
    paced = []
    for _ in range(300):
        d = float(rng.normal(0, 0.2))
        r = row([0.55, 0.45], late=[0.55 + d, 0.45 - d], left=10_000, bucket=2)
        prep = dataclasses.replace(r.prepared, widen=pace_spread, paced=True)
        paced.append(dataclasses.replace(r, prepared=prep))
    base = ModelParams(pace_spread=pace_spread)
    alone = calibrate.fit(plain, ["a"], base)
    both = calibrate.fit(plain + paced, ["a", "b"], base)
    assert both.late_spread[2] == alone.late_spread[2]
    assert both.late_shift_max == alone.late_shift_max
    assert both.late_design_effect == alone.late_design_effect
    assert both.late_shift_max_pace[2] > alone.late_shift_max_pace[2]
    assert both.calibration["pace_rows"] == 300
    only_paced = calibrate.fit(paced, ["b"], base)
    assert only_paced.late_spread[2] > alone.late_spread[2]


def test_swing_envelope_covers_every_swing_seen() -> None:
    Swing = calibrate.Swing
    swings = [
        Swing(0.10, 0.4, 500_000.0, False, 1),  # large contest early in the count: sets A
        Swing(0.06, 0.4, 300_000.0, False, 3),  # a large contest's swing later in the count
        Swing(0.30, 0.4, 2_000.0, False, 3),  # small contest: sets the design effect
        Swing(0.14, 0.3, 400_000.0, True, 1),  # a minor pair in a large contest
        Swing(0.01, 0.5, 50.0, False, 4),
        Swing(0.40, 0.4, 2_000.0, True, 3),  # a small contest's minor pair: its own design effect
    ]
    envelope = calibrate.swing_envelope(swings, 4.0, 5)
    # a swing seen late in the count could have come earlier; none seen in bucket 4 keeps 3's
    assert envelope.shift == (0.10, 0.10, 0.06, 0.06, 0.06)
    # no minor pair seen after bucket 1: the earlier stage's figure carries on
    assert envelope.shift_minor == (0.14,) * 5
    for s in swings:
        base = (envelope.shift_minor if s.minor else envelope.shift)[s.bucket]
        design = envelope.design_minor if s.minor else envelope.design
        assert s.swing <= base + 4.0 * math.sqrt(s.q * (1 - s.q) * design / s.votes_left) + 1e-12
    # the small contest's swing lies exactly on the envelope of its stage, and the minor pair's
    # on the minor pairs' (which leaves the other pairs' design effect alone)
    assert 0.06 + 4.0 * math.sqrt(0.24 * envelope.design / 2_000) == pytest.approx(0.30)
    assert 0.14 + 4.0 * math.sqrt(0.24 * envelope.design_minor / 2_000) == pytest.approx(0.40)


def test_swing_caps_are_the_largest_swing_seen_with_about_as_many_votes_left() -> None:
    Swing = calibrate.Swing
    swings = [
        Swing(0.15, 0.4, 30_000.0, False, 1),  # a mid-size contest early in the count
        Swing(0.19, 0.4, 500.0, False, 4),  # a small one late in the count
        Swing(0.05, 0.4, 400_000.0, False, 3),
        Swing(0.60, 0.5, 5.0, False, 4),  # a handful of votes: informs no cap of 30 or more
    ]
    caps = calibrate.swing_caps(swings, 5, (30.0, 1_000.0, 100_000.0), minimum=1)
    # at 100,000 votes left: the swings with 33,334 or more left (not the 30,000 one), at that
    # stage or later; at 1,000: those with 334 or more
    assert caps[0] == caps[1] == caps[2] == caps[3] == [0.19, 0.19, 0.05]
    assert caps[4] == [0.19, 0.19, None]  # none with 33,334 or more left at stage 4
    # too few swings seen: no cap
    assert calibrate.swing_caps(swings, 5, (30.0,), minimum=5)[0] == [None]
    # never below a swing it was learned from, where the allowance reads it: each swing with R
    # votes left is covered by the cap of every point below R
    for s in swings:
        for g, cap in zip((30.0, 1_000.0, 100_000.0), caps[s.bucket], strict=True):
            if g < s.votes_left and cap is not None:
                assert cap >= s.swing


def test_without_a_large_minor_pair_minor_pairs_start_from_the_others_shift() -> None:
    """Calibrated on canvasses with no minor pair in a large contest (a general election's
    two-way contests), the minor pairs' shift is the others' and their design effect covers
    every minor swing seen, not the largest swing of any contest (which once held the 2024 DA
    primary's runoff places back until the count ruled them out outright)."""
    Swing = calibrate.Swing
    swings = [
        Swing(0.10, 0.4, 500_000.0, False, 1),
        Swing(0.06, 0.4, 300_000.0, False, 3),
        Swing(0.70, 0.4, 300.0, False, 2),  # the largest swing of all, in a tiny contest
        Swing(0.40, 0.4, 2_000.0, True, 3),  # a small contest's minor pair
    ]
    envelope = calibrate.swing_envelope(swings, 4.0, 5)
    assert envelope.shift_minor == envelope.shift == (0.10, 0.10, 0.06, 0.06, 0.06)
    assert 0.06 + 4.0 * math.sqrt(0.24 * envelope.design_minor / 2_000) == pytest.approx(0.40)
    assert envelope.design < envelope.design_minor


def test_late_swings_carry_the_stage_of_the_count() -> None:
    rows = [row([0.6, 0.4], late=[0.5, 0.5], left=200_000, bucket=3)]
    swings = calibrate.late_swings(rows, 2 / 3)
    assert {s.bucket for s in swings} == {3}
    assert swings[0].swing == pytest.approx(0.1)  # the leader: 60% so far, 50% of the rest


def test_late_swings_are_measured_from_the_late_share_centre() -> None:
    """What the call rule's envelope is calibrated on: the late share's departure from the
    centre the recent batches gave (the residual), not from the share so far."""
    rows = [row([0.6, 0.4], late=[0.45, 0.55], left=200_000, bucket=2)]
    raw = calibrate.late_swings(rows, 2 / 3)
    residual = calibrate.late_swings(rows, 2 / 3, [np.array([0.5, 0.5])])
    assert [s.swing for s in raw] == pytest.approx([0.15, 0.15])
    assert [s.swing for s in residual] == pytest.approx([0.05, 0.05])
    assert [s.q for s in residual] == pytest.approx([0.5, 0.5])


def test_the_pace_envelope_is_learned_on_count_paced_rows_or_widened_from_the_others() -> None:
    others = calibrate.Envelope((0.1, 0.1, 0.08, 0.08, 0.06), (0.12,) * 5, 9.0)
    shift, design = calibrate.pace_envelope([], 4.0, 5, others, 2.0)
    assert shift == pytest.approx((0.24, 0.24, 0.24, 0.24, 0.24)) and design == 36.0
    seen = [calibrate.Swing(0.3, 0.4, 200_000, False, 1, True)]
    shift, design = calibrate.pace_envelope(seen, 4.0, 5, others, 2.0)
    # the 0.3 swing seen at 50–70% done, kept where nothing later was seen; never below the
    # other counts' envelope
    assert shift == pytest.approx((0.3,) * 5) and design == 9.0
    seen.append(calibrate.Swing(0.05, 0.4, 200_000, False, 4, True))
    shift, _ = calibrate.pace_envelope(seen, 4.0, 5, others, 2.0)
    assert shift == pytest.approx((0.3, 0.3, 0.12, 0.12, 0.12))


def test_a_narrower_projection_of_count_paced_rows_never_narrows_their_call_envelope() -> None:
    """Where calibration saw no count paced by the state's feed, the call rule's envelope for
    such counts is the others' widened by ``pace_envelope_widen`` whatever ``pace_spread``
    (the projection's) is: it was one figure, and a projection set narrower halved the shift
    a call on the state's feed must rule out."""
    rng = np.random.default_rng(5)
    rows = []
    for _ in range(300):
        d = float(rng.normal(0, 0.04))
        rows.append(row([0.55, 0.45], late=[0.55 + d, 0.45 - d], left=10_000, bucket=2))
    wide = calibrate.fit(rows, ["a"], ModelParams())
    narrow = calibrate.fit(rows, ["a"], ModelParams(pace_spread=1.0))
    assert narrow.late_shift_max == wide.late_shift_max
    assert narrow.late_shift_max_pace == wide.late_shift_max_pace
    assert narrow.late_design_effect_pace == wide.late_design_effect_pace
    assert narrow.late_shift_max_pace[2] == pytest.approx(2 * wide.late_shift_max_minor[2])


def test_learned_document_round_trips_and_keeps_other_defaults() -> None:
    params = msgspec.structs.replace(
        ModelParams(), version="v-test", calibrated_on=("x:1",), late_shift_max=(0.123,) * 5,
        late_spread=(0.1, 0.2, 0.3, 0.4, 0.5), calibration={"training_coverage_90": 0.9},
    )  # fmt: skip
    doc = calibrate.learned_document(params)
    back = read_params(doc, "test")
    assert back.version == "v-test" and back.late_shift_max == (0.123,) * 5
    assert back.late_spread == (0.1, 0.2, 0.3, 0.4, 0.5)
    assert back.draws == ModelParams().draws  # not learned: the code's default
    assert set(msgspec.json.decode(doc)) == {
        "schema",
        "version",
        "calibrated_on",
        "calibration",
        *calibrate.LEARNED,
    }


def test_shipped_parameter_file_reads() -> None:
    params = load_params()
    assert params.version.startswith("racedesk-cal-")
    assert params.calibrated_on == ("lavote:4316", "lavote:4324")
    assert params.calibration["training_coverage_90"] == pytest.approx(0.9, abs=0.01)


def test_a_bad_parameter_file_is_a_config_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "p.json"
    bad.write_text('{"schema": "racedesk.params/1", "late_spread": [0.1]}')
    with pytest.raises(ConfigError, match="one per share-of-count bucket") as err:
        load_params(bad)
    assert err.value.where == str(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_params(tmp_path / "missing.json")
    bad.write_text('{"schema": "other/1"}')
    with pytest.raises(ConfigError, match="unknown parameter schema"):
        load_params(bad)


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({"count_pace_days": [0, 1, 1]}, "must rise from one time to the next"),
        ({"count_pace_most": [0.9, 1.0]}, "count_pace_most needs 17 values"),
        ({"count_pace_least_part": [0.2] + [0.1] * 16}, "never fall with time"),
        ({"count_pace_least": [1.5] * 17}, "between 0 and 1"),
        ({"count_pace_least_part": [0.5] * 17}, "at 0 days after the polls closed"),
    ],
)
def test_a_count_pace_table_that_cannot_be_read_is_a_config_error(
    tmp_path: Path, tables: dict[str, list[float]], message: str
) -> None:
    """The count's pace is read by interpolation over its times: tables of another length,
    times out of order or shares that fall with time would give a wrong pace without a word."""
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps({"schema": "racedesk.params/1", **tables}))
    with pytest.raises(ConfigError, match=message) as err:
        load_params(bad)
    assert err.value.where == str(bad)


def test_the_method_quotes_the_shipped_calibration() -> None:
    """docs/method.md ("Calibration") quotes the shipped file's own figures: its rows and
    training coverage, each bucket's trend weight and spread and the rows they are fitted on, the largest residuals seen per stage of the count, the design effects
    before the margin, and the residuals its caps come from (the cap without the margin)."""
    from racedesk.settings import REPO_ROOT

    method = " ".join((REPO_ROOT / "docs" / "method.md").read_text(encoding="utf-8").split())
    shipped = load_params()
    figures = shipped.calibration
    assert f"({figures['rows']:,.0f} contest-release rows" in method
    assert f"training coverage {100 * figures['training_coverage_90']:.1f}%" in method
    cells = " | ".join(f"{figures[f'bucket_{b}_trend_rows']:,.0f}" for b in range(5))
    assert f"| rows its trend weight is fitted on | {cells} |" in method
    cells = " | ".join(f"{t:.4f}" for t in shipped.trend_weight)
    assert f"| `trend_weight` (`β_f`) | {cells} |" in method
    cells = " | ".join(f"{figures[f'bucket_{b}_spread_rows']:,.0f}" for b in range(5))
    assert f"| rows its spread is fitted on | {cells} |" in method
    cells = " | ".join(f"{t:.4f}" for t in shipped.late_spread)
    assert f"| `late_spread` (`τ_f`) | {cells} |" in method
    for label, key in (
        ("large contests", "bucket_{}_late_swing_large_seen"),
        ("minor pairs", "bucket_{}_late_swing_large_minor_seen"),
    ):
        cells = " | ".join(f"{figures[key.format(b)]:.4f}" for b in range(5))
        assert f"| largest residual seen then or later, {label} | {cells} |" in method, label
    assert f"the largest, {figures['late_design_effect_minor_seen']:.1f} before the" in method
    assert f"the other pairs need {figures['late_design_effect_seen']:.2f}" in method
    # the caps at 50–70% done, with 100, 10,000 and 100,000 votes left, without the margin
    row = shipped.late_cap[1]
    said = [f"{row[k] / calibrate.SAFETY:.4f}" for k in (2, 5, 7)]
    assert f"the largest is {said[0]} with 100 or more votes left, {said[1]} with 3,334" in method
    assert f"and {said[2]} with 33,334 or more" in method
