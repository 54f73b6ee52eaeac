"""The petitions table of ``../shared/data/recalls/petitions.csv`` read into stages: figures out
of cells that mix them with words, dates where the row gives them, the registrar's verdicts in
its words, and tables that cannot be read refused with where and what."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from racedesk.errors import InputError
from racedesk.model.petition import PetitionStage
from racedesk.sources.petitions import COLUMNS, figure, read_petitions


@pytest.fixture(scope="module")
def table(shared_data: Path) -> bytes:
    path = shared_data / "recalls" / "petitions.csv"
    if not path.exists():
        pytest.skip(f"no {path}")
    return path.read_bytes()


@pytest.fixture(scope="module")
def stages(table: bytes) -> dict[str, list[PetitionStage]]:
    return {p.id: s for p, s in read_petitions(table, "petitions.csv", content_hash="h")}


def _by_kind(stages: list[PetitionStage]) -> dict[str, PetitionStage]:
    return {s.stage: s for s in stages}


def test_every_petition_of_the_table_is_read(table: bytes) -> None:
    read = read_petitions(table, "petitions.csv")
    assert [p.id for p, _ in read] == [
        "gascon_2021",
        "gascon_2022",
        "boudin_2021_first",
        "boudin_2021_second",
        "sf_school_board_2021",
        "newsom_2021",
        "bonin_2021",
        "de_leon_2023",
        "price_2024",
    ]
    gascon = next(p for p, _ in read if p.id == "gascon_2022")
    assert (gascon.jurisdiction, gascon.office, gascon.kind) == (
        "LA County",
        "District Attorney",
        "local-recall",
    )
    # a state recall is banded as EC §9031 bands an initiative (95/110%)
    assert next(p for p, _ in read if p.id == "newsom_2021").kind == "initiative"


def test_gascon_2022_has_its_four_stages_with_their_figures_and_dates(
    stages: dict[str, list[PetitionStage]],
) -> None:
    gascon = stages["gascon_2022"]
    assert [s.stage for s in gascon] == ["filed", "sample", "full count", "outcome"]
    filed, sample, full, outcome = gascon
    assert (filed.on, filed.raw, filed.required) == (date(2022, 7, 6), 715_833, 566_857)
    # the sample's date is the Antelope Valley Times' page of July 14 ("completes random sampling")
    assert (sample.on, sample.sample, sample.valid, sample.duplicates) == (
        date(2022, 7, 14),
        35_793,
        27_983,
        None,
    )
    assert sample.published == "full count needed"
    assert (full.on, full.valid, full.invalid) == (date(2022, 8, 15), 520_050, 195_783)
    assert (outcome.on, outcome.published) == (date(2022, 8, 15), "failed")
    assert all(s.content_hash == "h" and s.where == "petitions.csv, line 3" for s in gascon)
    assert "https://scvnews.com/gascon-recall-efforts-fail/" in filed.source
    assert any("duplicate 43593" in n for n in filed.notes)


def test_a_figure_is_the_number_a_cell_starts_with() -> None:
    assert figure("39188 (proponents)") == (39_188, "(proponents)")
    assert figure("715,833") == (715_833, "")
    assert figure("~10300 (collected; not submitted)") == (
        None,
        "~10300 (collected; not submitted)",
    )
    assert figure(">70000 per member") == (None, ">70000 per member")
    assert figure("0.05") == (None, "0.05")
    assert figure("5% (ROV)") == (None, "5% (ROV)")
    assert figure("5 % per petition") == (None, "5 % per petition")
    assert figure("not published") == (None, "not published")
    assert figure("") == (None, "")


def test_conflicting_and_approximate_cells_are_kept_as_notes(
    stages: dict[str, list[PetitionStage]],
) -> None:
    boudin = _by_kind(stages["boudin_2021_second"])
    assert boudin["sample"].valid == 3_229
    assert any("~3297" in n for n in boudin["filed"].notes)
    school = _by_kind(stages["sf_school_board_2021"])
    assert school["filed"].raw is None
    assert any(">70000 per member" in n for n in school["filed"].notes)


def test_a_petition_never_filed_has_only_its_outcome(
    stages: dict[str, list[PetitionStage]],
) -> None:
    de_leon = stages["de_leon_2023"]
    assert [(s.stage, s.on, s.published) for s in de_leon] == [
        ("outcome", date(2023, 3, 31), "failed")
    ]
    assert de_leon[0].required == 20_437
    # "deadline 2021-08" gives no day: the outcome is undated
    assert [s.on for s in stages["boudin_2021_first"]] == [None]


def test_stages_the_row_gives_no_date_for_are_undated(
    stages: dict[str, list[PetitionStage]],
) -> None:
    price = stages["price_2024"]
    assert [(s.stage, s.on) for s in price] == [
        ("filed", date(2024, 3, 4)),
        ("sample", None),
        ("full count", None),
        ("outcome", None),
    ]
    assert price[1].sample is None and price[1].published == "full count needed"


def test_a_sample_certified_sufficient_dates_its_outcome(
    stages: dict[str, list[PetitionStage]],
) -> None:
    boudin = _by_kind(stages["boudin_2021_second"])
    assert boudin["sample"].on == boudin["outcome"].on == date(2021, 11, 9)
    assert boudin["sample"].published == "projected to qualify"


def test_a_rolling_state_verification_is_no_sample(
    stages: dict[str, list[PetitionStage]],
) -> None:
    newsom = _by_kind(stages["newsom_2021"])
    assert "sample" not in newsom
    assert (newsom["full count"].valid, newsom["full count"].on) == (1_719_943, date(2021, 4, 29))


def _table(*rows: str, header: str = ",".join(COLUMNS)) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_tables_that_cannot_be_read_say_where_and_what() -> None:
    blank = "," * (len(COLUMNS) - 1)
    with pytest.raises(InputError, match="no column source_urls") as missing:
        read_petitions(_table(header=",".join(COLUMNS[:-1])), "mine.csv")
    assert missing.value.where == "mine.csv"
    with pytest.raises(InputError, match="no petition") as empty:
        read_petitions(_table(), "mine.csv")
    assert empty.value.where == "mine.csv"
    with pytest.raises(InputError, match="no petition id") as no_id:
        read_petitions(_table(blank), "mine.csv")
    assert no_id.value.where == "mine.csv, line 2"
    row = "x" + blank
    with pytest.raises(InputError, match="appears twice") as twice:
        read_petitions(_table(row, row), "mine.csv")
    assert twice.value.where == "mine.csv, line 3"
    with pytest.raises(InputError, match="no column"):
        read_petitions(b"\r0", "mine.csv")  # a lone carriage return is a line's end
    with pytest.raises(InputError, match="not a CSV table: field larger than field limit"):
        read_petitions(("petition," + "x" * 200_000 + "\n").encode(), "mine.csv")
    with pytest.raises(InputError, match="UTF-16"):
        read_petitions(_table(row).decode().encode("utf-16"), "mine.csv")
