"""The petition rules (issue 20): the worked examples of 2 CCR §§20530–20532 and the published
outcomes of real petitions, read from ``../shared/data/recalls``, and the bands and the interval
as properties."""

from __future__ import annotations

import csv
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from racedesk.errors import InputError
from racedesk.rules.petition import (
    duplicates_to_change,
    expected_sample_duplicates,
    full_count_decision,
    minimum_sample,
    probability_sufficient,
    project_sample,
    projection_interval,
    required_signatures,
    round_half_up,
    sample_decision,
    sample_outcome,
)

ORDER = ("sufficient", "full count", "insufficient")


def _rows(shared_data: Path, name: str) -> list[dict[str, str]]:
    path = shared_data / "recalls" / name
    if not path.is_file():
        pytest.skip(f"recall data not found at {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def worked(shared_data: Path) -> dict[str, dict[str, str]]:
    rows = _rows(shared_data, "DERIVED_random_sample_worked_examples.csv")
    return {row["example"]: row for row in rows}


@pytest.fixture(scope="module")
def petitions(shared_data: Path) -> dict[str, dict[str, str]]:
    return {row["petition"]: row for row in _rows(shared_data, "petitions.csv")}


def _number(cell: str) -> int | None:
    """The whole number a cell starts with ("3229 (blog; 77.4%) …" → 3229); None for an empty,
    approximate ("~10300") or bounded (">70000") cell."""
    found = re.match(r"(\d+)(\s|$)", cell.strip())
    return int(found.group(1)) if found else None


def _fixed(value: Fraction, places: int) -> str:
    """``value`` written to ``places`` decimal places, a half rounding up (as the CSV writes)."""
    scaled = int(round_half_up(value, places) * 10**places)
    whole, part = divmod(scaled, 10**places)
    return f"{whole}.{part:0{places}d}"


# ---- the worked examples -----------------------------------------------------------------------


def test_every_worked_example_is_reproduced_step_by_step(worked: dict[str, dict[str, str]]) -> None:
    assert len(worked) == 6
    for name, row in worked.items():
        p = project_sample(
            int(row["raw_count"]),
            int(row["sample_size"]),
            int(row["sample_valid"]),
            int(row["sample_duplicates"]),
        )
        shown = (
            _fixed(p.validity * 100, 2),
            p.uncorrected,
            _fixed(p.signature_value, 4),
            _fixed(p.duplicate_weight, 4),
            p.estimated_duplicates,
            p.projected_valid,
        )
        expected = (
            row["validity_pct_2dp"],
            int(row["uncorrected_valid_ceil"]),
            row["A_raw_over_sample_4dp"],
            row["duplicate_weight_A_times_A_minus_1"],
            int(row["est_duplicates_ceil"]),
            int(row["projected_valid"]),
        )
        assert shown == expected, name


def test_every_worked_example_with_a_requirement_gets_its_band(
    worked: dict[str, dict[str, str]],
) -> None:
    banded = [row for row in worked.values() if row["required"]]
    assert len(banded) == 4
    for row in banded:
        kind = "initiative" if "initiative" in row["rule_band"] else "local-recall"
        p = project_sample(
            int(row["raw_count"]),
            int(row["sample_size"]),
            int(row["sample_valid"]),
            int(row["sample_duplicates"]),
        )
        decision = sample_decision(p.projected_valid, int(row["required"]), kind)
        assert _fixed(decision.share_of_required * 100, 2) == row["projected_pct_of_required"]
        assert decision.outcome == row["rule_band"].split("->")[-1].strip(), row["example"]


def test_the_regulation_s_own_example_projects_15028(worked: dict[str, dict[str, str]]) -> None:
    row = worked["2CCR_20540_official_example"]
    p = project_sample(24_034, 722, 516, 2)
    assert (p.validity, p.uncorrected, p.signature_value) == (
        Fraction(7147, 10_000),
        17_178,
        Fraction(332_881, 10_000),
    )
    assert (p.estimated_duplicates, p.projected_valid) == (2_150, 15_028)
    assert int(row["projected_valid"]) == p.projected_valid
    # the sample is the law's least for an initiative: 3% of 24,034 is 721.02
    assert minimum_sample(24_034, "initiative") == 722


def test_irvine_rounds_the_duplicates_up_as_the_regulation_says() -> None:
    """The city subtracted 380.546 without rounding up and got 4,864; the rule gives 4,863."""
    p = project_sample(10_007, 500, 262, 1)
    assert (p.estimated_duplicates, p.projected_valid) == (381, 4_863)
    assert minimum_sample(10_007, "initiative") == 500
    decision = sample_decision(p.projected_valid, 8_738, "initiative")
    assert (decision.outcome, decision.law, decision.by_when) == (
        "insufficient",
        "EC §9115(f)",
        None,
    )
    assert "§11226" not in decision.next_step  # a recall's rule, not an initiative's


def test_an_insufficient_recall_petition_stays_on_file() -> None:
    decision = sample_decision(899, 1_000)
    assert (decision.outcome, decision.law) == ("insufficient", "EC §11225(e)")
    assert decision.next_step.endswith("remains on file (EC §11226)")
    assert sample_decision(900, 1_000).outcome == "full count"  # 90% itself is a full count
    assert sample_decision(1_100, 1_000).outcome == "full count"  # 110% is not more than 110%
    assert sample_decision(1_101, 1_000).outcome == "sufficient"


def test_gascon_2022_as_published_is_a_full_count(worked: dict[str, dict[str, str]]) -> None:
    row = worked["gascon_2022_D0"]
    p = project_sample(715_833, 35_793, 27_983, 0)
    decision = sample_decision(p.projected_valid, int(row["required"]))
    assert p.projected_valid == 559_639
    assert (
        _fixed(decision.share_of_required * 100, 2) == row["projected_pct_of_required"] == "98.73"
    )
    assert (decision.outcome, decision.law) == ("full count", "EC §11225(d)")
    # without a duplicate count the model says 559,639 ± 2,985, as the domain notes
    interval = projection_interval(p)
    assert (interval.high - interval.mid, interval.mid - interval.low) == (2_985, 2_985)


def test_gascon_2022_with_its_illustrative_duplicates(worked: dict[str, dict[str, str]]) -> None:
    row = worked["gascon_2022_D109_illustrative"]
    low, high = (int(x) for x in re.search(r"interval (\d+)-(\d+)", row["note"]).groups())  # type: ignore[union-attr]
    p = project_sample(715_833, 35_793, 27_983, 109)
    interval = projection_interval(p)
    assert (interval.low, interval.mid, interval.high) == (low, 518_222, high)
    assert interval.low <= 520_050 <= interval.high  # the full count's valid signatures
    assert round(interval.duplicates_share, 2) == 0.87
    # 43,593 surplus duplicates in the whole petition put about 109 pairs in the sample
    assert expected_sample_duplicates(715_833, 35_793, 43_593) == 109
    assert probability_sufficient(interval, 566_857) < 1e-6


def test_boudin_needed_22_duplicates_to_fall_below_110_percent(
    worked: dict[str, dict[str, str]],
) -> None:
    row = worked["boudin_2021_3229"]
    p = project_sample(83_484, 4_174, 3_229, 0)
    assert p.projected_valid == int(row["projected_valid"]) == 64_584
    assert "22 or more" in row["note"]
    assert duplicates_to_change(p, 51_325)[0] == ("full count", 22)


# ---- the petitions ---------------------------------------------------------------------------


def _expected_sample(text: str) -> str:
    """The band a published sample outcome names first ("full count required (…)",
    "sufficient (>110%) -> certified … without full count")."""
    return "full count" if text.startswith("full count") else text.split()[0]


def test_each_petition_with_its_figures_gets_its_published_outcome(
    petitions: dict[str, dict[str, str]],
) -> None:
    computed = set()
    for name, row in petitions.items():
        raw, required = _number(row["raw_count"]), _number(row["required"])
        sample, valid = _number(row["sample_size"]), _number(row["sample_valid"])
        if raw and required and sample and valid:
            duplicates = _number(row["sample_duplicates_reported"])
            p = project_sample(raw, sample, valid, duplicates)
            outcome = sample_outcome(p.projected_valid, required)
            assert outcome == _expected_sample(row["sample_outcome"]), name
            computed.add(name)
        counted = _number(row["full_count_valid"])
        if counted and required:
            decision = full_count_decision(counted, required)
            published = "insufficient" if "insufficient" in row["outcome"] else "sufficient"
            assert decision.outcome == published, name
            short = re.search(r"short (\d+)", row["outcome"])
            if short:
                assert decision.sentence() == f"insufficient by {int(short.group(1)):,}"
            computed.add(name)
    assert computed == {
        "gascon_2022",
        "boudin_2021_second",
        "newsom_2021",
        "bonin_2021",
        "price_2024",
    }


def test_gascon_2022_full_count_ends_insufficient_by_46807(
    petitions: dict[str, dict[str, str]],
) -> None:
    row = petitions["gascon_2022"]
    decision = full_count_decision(int(row["full_count_valid"]), int(row["required"]))
    assert decision.sentence() == "insufficient by 46,807"
    assert int(row["full_count_valid"]) + int(row["full_count_invalid"]) == int(row["raw_count"])


def test_boudin_is_sufficient_on_either_reading_of_the_sample() -> None:
    """The only source gives 3,229 valid or 79% (about 3,297): both project above 110%."""
    for valid in (3_229, 3_297):
        p = project_sample(83_484, 4_174, valid, None)
        assert sample_outcome(p.projected_valid, 51_325) == "sufficient"


def test_required_signatures_by_jurisdiction_size() -> None:
    assert [required_signatures(r) for r in (999, 1_000, 9_999, 10_000, 50_000, 100_000)] == [
        300,
        250,
        2_500,
        2_000,
        7_500,
        10_000,
    ]
    assert required_signatures(5_668_561) == 566_857  # 10% is 566,856.1: rounded up


def test_the_law_s_least_sample() -> None:
    assert minimum_sample(715_833) == 35_792  # 5% rounded up; the registrar drew 35,793
    assert minimum_sample(8_000) == 500
    assert minimum_sample(400) == 400


def test_impossible_samples_are_refused() -> None:
    with pytest.raises(InputError, match="larger than the raw count"):
        project_sample(10, 20, 5, 0)
    with pytest.raises(InputError, match="exceed the sample"):
        project_sample(1_000, 500, 450, 60)
    with pytest.raises(InputError, match="unknown petition kind"):
        sample_outcome(10, 10, "referendum-ish")


# ---- properties --------------------------------------------------------------------------------


@given(
    required=st.integers(1, 10_000_000),
    projected=st.integers(0, 20_000_000),
    kind=st.sampled_from(["local-recall", "initiative"]),
)
def test_bands_are_the_law_s_exact_inequalities(required: int, projected: int, kind: str) -> None:
    low = 90 if kind == "local-recall" else 95
    outcome = sample_outcome(projected, required, kind)
    if 100 * projected > 110 * required:
        assert outcome == "sufficient"
    elif 100 * projected < low * required:
        assert outcome == "insufficient"
    else:
        assert outcome == "full count"


@given(
    required=st.integers(1, 10_000_000),
    a=st.integers(0, 20_000_000),
    b=st.integers(0, 20_000_000),
    kind=st.sampled_from(["local-recall", "initiative"]),
)
def test_a_larger_projection_never_lands_in_a_worse_band(
    required: int, a: int, b: int, kind: str
) -> None:
    lower, higher = sorted((a, b))
    assert ORDER.index(sample_outcome(higher, required, kind)) <= ORDER.index(
        sample_outcome(lower, required, kind)
    )


@st.composite
def realistic_samples(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """A petition of 10,000 to 2 million signatures, a sample of 500 to 20% of it, half to 95%
    valid, up to 200 duplicates."""
    raw = draw(st.integers(10_000, 2_000_000))
    sample = draw(st.integers(500, raw // 5))
    valid = draw(st.integers(sample // 2, sample * 95 // 100))
    duplicates = draw(st.integers(0, min(200, sample - valid - 1)))
    return raw, sample, valid, duplicates


@given(realistic_samples())
def test_the_interval_rises_with_the_valid_signatures(case: tuple[int, int, int, int]) -> None:
    raw, sample, valid, duplicates = case
    assume(valid + 1 + duplicates <= sample)
    before = projection_interval(project_sample(raw, sample, valid, duplicates))
    after = projection_interval(project_sample(raw, sample, valid + 1, duplicates))
    assert after.low >= before.low
    assert after.mid >= before.mid
    assert after.high >= before.high


@given(realistic_samples())
def test_more_duplicates_lower_the_projection_and_widen_the_interval(
    case: tuple[int, int, int, int],
) -> None:
    raw, sample, valid, duplicates = case
    before = projection_interval(project_sample(raw, sample, valid, duplicates))
    after = projection_interval(project_sample(raw, sample, valid, duplicates + 1))
    assert after.mid < before.mid
    assert after.low <= before.low
    assert after.sd >= before.sd
    assert after.duplicates_share >= before.duplicates_share


@given(realistic_samples(), st.integers(1, 2_000_000), st.integers(0, 100_000))
def test_a_larger_requirement_is_never_likelier_met(
    case: tuple[int, int, int, int], required: int, more: int
) -> None:
    interval = projection_interval(project_sample(*case))
    assert probability_sufficient(interval, required + more) <= probability_sufficient(
        interval, required
    )
