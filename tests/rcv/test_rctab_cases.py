"""racedesk's count of RCTab's own regression cases, compared round by round with the report
RCTab wrote for each (``*_expected_detailed_report.json``): every round's tally, threshold,
inactive ballots by reason, and what was elected or eliminated with where its votes went.

All 20 shared cases are listed: racedesk matches every one.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest

from racedesk.publish.rcv_report import GENERATED_BY, csv_text, summary_document
from racedesk.rcv import RankedContest, tabulate
from racedesk.sources.rcv_config import load_ranked_contest, read_config, read_source

CASES = [
    "portland-2015-mayor/2015_portland_mayor",
    "minneapolis-2017-mayor/2017_minneapolis_mayor",
    "rctab-cases/2013_minneapolis_park/2013_minneapolis_park",
    "rctab-cases/continue_until_two_with_batch_elimination_test/continue_until_two_with_batch_elimination_test",
    "rctab-cases/generic_csv_test/generic_csv_test",
    "rctab-cases/minneapolis_multi_seat_threshold/minneapolis_multi_seat_threshold",
    "rctab-cases/multi_seat_bottoms_up_with_static_threshold/multi_seat_bottoms_up_with_static_threshold",
    "rctab-cases/test_set_0_skipped_first_choice/test_set_0_skipped_first_choice",
    "rctab-cases/test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote",
    "rctab-cases/test_set_2_overvote_skip_to_next/test_set_2_overvote_skip_to_next",
    "rctab-cases/test_set_3_skipped_choice_exhaust/test_set_3_skipped_choice_exhaust",
    "rctab-cases/test_set_4_skipped_choice_next/test_set_4_skipped_choice_next",
    "rctab-cases/test_set_6_duplicate_exhaust/test_set_6_duplicate_exhaust",
    "rctab-cases/test_set_multi_winner_whole_threshold/test_set_multi_winner_whole_threshold",
    "rctab-cases/tiebreak_seed_test/tiebreak_seed_test",
    "rctab-cases/clear_ballot_kansas_primary/clear_ballot_kansas_primary",
    "rctab-cases/unisyn_xml_cdf_city_mayor/unisyn_xml_cdf_city_mayor",
    "nist-cvr-cdf/nist_xml_cdf_2",
    "rctab-cases/hart_travis_county_officers/hart_travis_county_officers",
    "dominion-sample/dominion_alaska",
]
#: Cases whose records the shared data keeps elsewhere than the configuration says: the
#: Dominion sample's config names ``../_shared/dominion_alaska/alaska_input_data`` (RCTab's
#: tree), the shared data holds that folder beside the config.
RELOCATED = {"dominion-sample/dominion_alaska": "alaska_input_data"}


def amounts(values: dict[str, str]) -> dict[str, Decimal]:
    """Amounts compared as numbers: RCTab writes ``3`` where the sum kept ``3.0000``."""
    return {key: Decimal(value) for key, value in values.items()}


def decisions(round_: dict[str, Any]) -> list[tuple[str, str, dict[str, Decimal]]]:
    return [
        (action, result[action], amounts(result["transfers"]))
        for result in round_["tallyResults"]
        for action in ("elected", "eliminated")
        if action in result
    ]


def contest_of(path: Path, folder: str | None) -> RankedContest:
    """The contest of a configuration, its one record source moved to ``folder`` (beside
    the configuration) when given."""
    if folder is None:
        return load_ranked_contest(path)[1]
    config = read_config(path)
    (source,) = config.sources
    ballots = read_source(config, msgspec.structs.replace(source, path=path.parent / folder))
    return RankedContest(
        config.contest, config.candidates, config.rules, tuple(ballots), config.excluded
    )


Reports = dict[str, tuple[dict[str, Any], dict[str, Any]]]


@pytest.fixture(scope="module")
def reports() -> Reports:
    """Each case counted once for both tests (Minneapolis 2017 has 105,928 ballots)."""
    return {}


def report_for(cases: Path, case: str, reports: Reports) -> tuple[dict[str, Any], dict[str, Any]]:
    """racedesk's summary document of a case and RCTab's expected report."""
    if case not in reports:
        contest = contest_of(cases / f"{case}_config.json", RELOCATED.get(case))
        expected_path = cases / f"{case}_expected_detailed_report.json"
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        reports[case] = summary_document(tabulate(contest)), expected
    return reports[case]


@pytest.mark.parametrize("case", CASES, ids=[c.rsplit("/", 1)[-1] for c in CASES])
def test_every_round_matches_rctab(rcv_cases: Path, case: str, reports: Reports) -> None:
    ours, theirs = report_for(rcv_cases, case, reports)
    assert [r["round"] for r in ours["results"]] == [r["round"] for r in theirs["results"]]
    for mine, want in zip(ours["results"], theirs["results"], strict=True):
        where = f"round {want['round']}"
        assert amounts(mine["tally"]) == amounts(want["tally"]), where
        assert Decimal(mine["threshold"]) == Decimal(want["threshold"]), where
        assert amounts(mine["inactiveBallots"]) == amounts(want["inactiveBallots"]), where
        assert decisions(mine) == decisions(want), where


@pytest.mark.parametrize("case", CASES, ids=[c.rsplit("/", 1)[-1] for c in CASES])
def test_the_summary_matches_rctab(rcv_cases: Path, case: str, reports: Reports) -> None:
    ours, theirs = report_for(rcv_cases, case, reports)
    mine, want = ours["summary"], theirs["summary"]
    assert Decimal(mine["finalThreshold"]) == Decimal(want["finalThreshold"])
    assert mine["totalNumBallots"] == want["totalNumBallots"]
    assert (mine["numCandidates"], mine["numWinners"], mine["undervotes"]) == (
        want["numCandidates"],
        want["numWinners"],
        want["undervotes"],
    )


@pytest.mark.parametrize("case", CASES, ids=[c.rsplit("/", 1)[-1] for c in CASES])
def test_the_report_has_rctab_s_text(rcv_cases: Path, case: str, reports: Reports) -> None:
    """Tools that read RCTab's report (RCVis) read racedesk's: the same JSON, word for word,
    but for who generated it."""
    ours, theirs = report_for(rcv_cases, case, reports)
    assert ours["results"] == theirs["results"]
    assert ours["summary"] == theirs["summary"]
    assert ours["jsonFormatVersion"] == theirs["jsonFormatVersion"]


@pytest.mark.parametrize("case", CASES, ids=[c.rsplit("/", 1)[-1] for c in CASES])
def test_the_csv_is_rctab_s_line_for_line(rcv_cases: Path, case: str) -> None:
    """RCTab's summary CSV, line for line but for who generated it: row order (first-round
    votes, ties in Java's hash order), shares cut to two places, transfers, inactive ballots,
    residual and final-round surpluses, tie marks."""
    path = rcv_cases / f"{case}_config.json"
    config = read_config(path)
    tabulation = tabulate(contest_of(path, RELOCATED.get(case)))
    text = csv_text(
        tabulation,
        config.rules,
        date=config.date,
        jurisdiction=config.jurisdiction,
        office=config.office,
    )
    expected = (rcv_cases / f"{case}_expected_detailed_report.csv").read_text(encoding="utf-8")
    ours = text.replace(f"Generated By,{GENERATED_BY}", "Generated By,RCTab 2.0.0")
    assert ours.splitlines() == expected.splitlines()


GENERIC = "rctab-cases/generic_csv_test/generic_csv_test"
MINNEAPOLIS_MULTI = "rctab-cases/minneapolis_multi_seat_threshold/minneapolis_multi_seat_threshold"
#: RCTab's reports of precincts and batches (``tabulateByPrecinct``, ``tabulateByBatch``):
#: case, kind, the name in the records ("" when they give none), the report's file name.
SLICES = [
    (GENERIC, "precinct", "p1", "Tabulate by Precinct/generic_csv_test_expected_p1_precinct"),
    (GENERIC, "precinct", "p2", "Tabulate by Precinct/generic_csv_test_expected_p2_precinct"),
    (
        GENERIC,
        "precinct",
        "",
        "Tabulate by Precinct/generic_csv_test_expected_no_precinct_id_precinct",
    ),
    (GENERIC, "batch", "b1", "Tabulate by Batch/generic_csv_test_expected_b1_batch"),
    (GENERIC, "batch", "b2", "Tabulate by Batch/generic_csv_test_expected_b2_batch"),
    (GENERIC, "batch", "", "Tabulate by Batch/generic_csv_test_expected_no_batch_id_batch"),
    (
        MINNEAPOLIS_MULTI,
        "precinct",
        "pc1",
        "Tabulate by Precinct/minneapolis_multi_seat_threshold_expected_pc1_precinct",
    ),
    (
        MINNEAPOLIS_MULTI,
        "precinct",
        "pc2",
        "Tabulate by Precinct/minneapolis_multi_seat_threshold_expected_pc2_precinct",
    ),
]


@pytest.mark.parametrize(
    ("case", "kind", "name", "report"), SLICES, ids=[r.rsplit("/", 1)[-1] for *_, r in SLICES]
)
def test_a_precinct_or_batch_report_is_rctab_s(
    rcv_cases: Path, case: str, kind: str, name: str, report: str
) -> None:
    """A precinct's or batch's ballots counted under the whole contest's decisions: RCTab's
    report line for line (its tallies, inactive ballots, and a winner's kept share)."""
    path = rcv_cases / f"{case}_config.json"
    config = read_config(path)
    tabulation = tabulate(contest_of(path, None), slice_by=[kind])
    (part,) = [s for s in tabulation.slices if s.name == name]
    text = csv_text(
        tabulation,
        config.rules,
        date=config.date,
        jurisdiction=config.jurisdiction,
        office=config.office,
        part=part,
    )
    folder = path.parent
    expected = (folder / f"{report}_detailed_report.csv").read_text(encoding="utf-8")
    ours = text.replace(f"Generated By,{GENERATED_BY}", "Generated By,RCTab 2.0.0")
    assert ours.splitlines() == expected.splitlines()


def test_a_precinct_s_json_report_is_rctab_s(rcv_cases: Path) -> None:
    """The one precinct JSON report among the cases (Minneapolis multi-seat, pc2): the same
    document word for word, its transfers those of the precinct's own ballots."""
    path = rcv_cases / f"{MINNEAPOLIS_MULTI}_config.json"
    config = read_config(path)
    tabulation = tabulate(contest_of(path, None), slice_by=["precinct"])
    (part,) = [s for s in tabulation.slices if s.name == "pc2"]
    ours = summary_document(
        tabulation,
        date=config.date,
        jurisdiction=config.jurisdiction,
        office=config.office,
        part=part,
    )
    report = "Tabulate by Precinct/minneapolis_multi_seat_threshold_expected_pc2_precinct"
    expected = json.loads((path.parent / f"{report}_detailed_report.json").read_text())
    expected["config"]["generatedBy"] = GENERATED_BY
    assert ours == expected
