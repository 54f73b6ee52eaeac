"""Spreadsheet formulas in a feed's names are neutralized in every CSV racedesk writes (F7), and
Parquet holds every count racedesk ever stored (F17)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from builders import contest, election, release
from racedesk.cli import app
from racedesk.publish import tabular_export
from racedesk.publish.csv_cells import safe_cell

FORMULAS = ("=cmd|' /C calc'!A0", '=HYPERLINK("http://x.example/?a","click")', "+SUM(1;2)",
            "@SUM(A1)", "-2+3", "\t=1", "\r=1")  # fmt: skip


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_beginning_like_a_formula_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["TRUMP/PENCE", "-1,234", "-12.5%", "+3", "O'NEIL"])
def test_names_and_numbers_stay_as_they_are(text: str) -> None:
    assert safe_cell(text) == text


def test_an_openelections_name_exported_as_csv_is_not_a_formula(
    shared_data: Path, tmp_path: Path
) -> None:
    """The review's repro: TRUMP/PENCE renamed ``=cmd|' /C calc'!A0`` in Alpine's 2020 file."""
    name = "20201103__ca__general__alpine__precinct.csv"
    original = (shared_data / "formats" / "openelections" / name).read_text()
    source = tmp_path / name
    source.write_text(original.replace("TRUMP/PENCE", FORMULAS[0]))
    db, out = f"sqlite:///{tmp_path / 'oe.sqlite'}", tmp_path / "out.csv"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(source), "--db", db]).exit_code == 0
    ran = runner.invoke(app, ["export", "--format", "csv", "--out", str(out), "--db", db])
    assert ran.exit_code == 0, ran.output
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    names = [r["choice_name"] for r in table if "calc" in r["choice_name"]]
    assert names == ["'" + FORMULAS[0]]
    assert not any(cell.startswith(("=", "+", "@")) for row in table for cell in row.values())
    votes = [r["votes"] for r in table if r["choice_name"] == names[0]]
    assert votes == ["238"]  # Alpine's Trump/Pence votes, as the file has them


def test_parquet_holds_a_count_of_2_63_minus_1(tmp_path: Path) -> None:
    """F17: a release stored before counts were limited can hold 2^63−1; its contest's sum of
    counts is beyond int64, and is written exactly as a decimal."""
    da = contest("9547", ["HOCHMAN", "GASCON"])
    e = election([da])
    path = tabular_export.to_parquet(e, release([da], [[2**63 - 1, 5]]), None, tmp_path / "t.pq")
    table = pq.read_table(path)
    assert table.column("votes").to_pylist() == [2**63 - 1, 5]
    assert table.column("total_votes").to_pylist() == [Decimal(2**63 + 4)] * 2
    small = tabular_export.to_table(e, release([da], [[7, 5]]))
    assert str(small.schema.field("total_votes").type) == "int64"
