"""A petition's verdict after each stage and the ledger of its changes (engine/petition.py),
on the nine real petitions of ``../shared/data/recalls/petitions.csv`` and on made-up stages
for what the table does not hold (a full count's progress reports, a registrar that disagrees)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import msgspec
import pytest

from racedesk.engine.petition import CountProgress, petition_events, read_petition
from racedesk.model.petition import Petition, PetitionStage
from racedesk.sources.petitions import read_petitions


@pytest.fixture(scope="module")
def table(shared_data: Path) -> list[tuple[Petition, list[PetitionStage]]]:
    path = shared_data / "recalls" / "petitions.csv"
    if not path.exists():
        pytest.skip(f"no {path}")
    read = read_petitions(path.read_bytes(), "petitions.csv")
    return [
        (p, [msgspec.structs.replace(s, sequence=i) for i, s in enumerate(stages)])
        for p, stages in read
    ]


def _petition(table: list[tuple[Petition, list[PetitionStage]]], pid: str):
    return next((p, s) for p, s in table if p.id == pid)


#: The outcome column's verdicts (``petitions.csv``): what every ledger must end with.
PUBLISHED = {
    "gascon_2021": "failed",
    "gascon_2022": "failed",
    "boudin_2021_first": "failed",
    "boudin_2021_second": "qualified",
    "sf_school_board_2021": "qualified",
    "newsom_2021": "qualified",
    "bonin_2021": "failed",
    "de_leon_2023": "failed",
    "price_2024": "qualified",
}


def test_every_petition_ends_with_its_published_outcome(table) -> None:
    ends = {p.id: petition_events(p, s)[-1].verdict for p, s in table}
    assert ends == PUBLISHED


def test_the_desk_s_arithmetic_agrees_with_every_registrar(table) -> None:
    for petition, stages in table:
        for event in petition_events(petition, stages):
            assert "the desk's arithmetic says" not in event.reason, (petition.id, event)


def test_gascon_2022_ledger(table) -> None:
    petition, stages = _petition(table, "gascon_2022")
    events = petition_events(petition, stages)
    assert [(e.event_id, e.verdict, e.on, e.stage_sequence) for e in events] == [
        (1, "filed", date(2022, 7, 6), 0),
        (2, "full count needed", date(2022, 7, 14), 1),
        (3, "failed", date(2022, 8, 15), 2),
    ]
    assert events[1].reason == (
        "the sample projects 559,639 valid signatures, 98.73% of the 566,857 required: "
        "full count (EC §11225(d))"
    )
    assert events[2].reason.endswith("insufficient by 46,807 (EC §11224(a))")


def test_gascon_2022_read_after_its_full_count(table) -> None:
    petition, stages = _petition(table, "gascon_2022")
    reading = read_petition(petition, stages)
    assert reading.verdict == "failed"
    # the certificate confirms the full count: its arithmetic stays the reason
    assert reading.reason == (
        "the full count found 520,050 valid signatures against 566,857 required: "
        "insufficient by 46,807 (EC §11224(a))"
    )
    assert reading.full_count is not None and reading.full_count.sentence() == (
        "insufficient by 46,807"
    )
    assert reading.projection is not None and reading.projection.projected_valid == 559_639


def test_boudin_projected_to_qualify_from_its_sample(table) -> None:
    petition, stages = _petition(table, "boudin_2021_second")
    events = petition_events(petition, stages)
    assert [e.verdict for e in events] == ["filed", "projected to qualify", "qualified"]
    assert "64,584 valid signatures, 125.83% of the 51,325 required" in events[1].reason


def test_the_ledger_only_grows_as_stages_come(table) -> None:
    for petition, stages in table:
        full = petition_events(petition, stages)
        for cut in range(len(stages) + 1):
            assert full[: len(petition_events(petition, stages[:cut]))] == petition_events(
                petition, stages[:cut]
            )


GASCON = Petition(id="g", jurisdiction="LA County", office="District Attorney")


def _stage(stage: str, sequence: int, **figures: object) -> PetitionStage:
    return msgspec.convert(
        {"petition_id": "g", "stage": stage, "on": None, "sequence": sequence, **figures},
        PetitionStage,
    )


def test_a_full_count_under_way_says_what_the_rest_must_be() -> None:
    stages = [
        _stage("filed", 0, raw=715_833, required=566_857),
        _stage("sample", 1, sample=35_793, valid=27_983),
        _stage("count progress", 2, checked=279_090, valid=202_619),
    ]
    reading = read_petition(GASCON, stages)
    assert reading.verdict == "full count needed"
    assert reading.progress == CountProgress(279_090, 202_619, 715_833, 566_857)
    # (566,857 + 1 − 202,619) / (715,833 − 279,090)
    assert reading.progress.rest_must_be == Fraction(364_239, 436_743)
    assert f"{float(reading.progress.rest_must_be):.1%}" == "83.4%"
    assert f"{float(reading.progress.so_far):.1%}" == "72.6%"
    assert [e.verdict for e in petition_events(GASCON, stages)] == ["filed", "full count needed"]


def test_a_count_that_cannot_or_already_did_reach_the_requirement() -> None:
    assert CountProgress(100, 10, 200, 150).rest_must_be > 1
    assert CountProgress(100, 90, 200, 50).rest_must_be <= 0
    assert CountProgress(200, 151, 200, 150).rest_must_be == 0
    assert CountProgress(200, 150, 200, 150).rest_must_be > 1


def test_the_registrar_s_word_is_the_verdict_and_the_disagreement_is_said() -> None:
    stages = [
        _stage("filed", 0, raw=715_833, required=566_857),
        _stage("sample", 1, sample=35_793, valid=27_983, published="projected to qualify"),
    ]
    events = petition_events(GASCON, stages)
    assert events[-1].verdict == "projected to qualify"
    assert "the desk's arithmetic says full count needed" in events[-1].reason


def test_an_initiative_is_banded_at_95_percent() -> None:
    initiative = Petition(id="i", jurisdiction="Irvine", office="", kind="initiative")
    stages = [
        _stage("filed", 0, raw=10_007, required=8_738),
        _stage("sample", 1, sample=500, valid=262, duplicates=1),
    ]
    reading = read_petition(initiative, stages)
    assert reading.verdict == "projected to fail"
    assert "4,863 valid signatures, 55.65%" in reading.reason and "EC §9115(f)" in reading.reason
