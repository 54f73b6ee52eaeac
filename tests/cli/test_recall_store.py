"""``racedesk recall ingest`` and ``racedesk recall status``, run as a user runs them, on the
real petitions table (``../shared/data/recalls/petitions.csv``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from racedesk.cli import app

runner = CliRunner()


@pytest.fixture
def db(shared_data: Path, tmp_path: Path) -> str:
    table = shared_data / "recalls" / "petitions.csv"
    if not table.exists():
        pytest.skip(f"no {table}")
    url = f"sqlite:///{tmp_path}/desk.sqlite"
    result = runner.invoke(
        app, ["recall", "ingest", str(table), "--db", url], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert (
        "gascon_2022: 4 new stages, 2022-07-06: filed; 2022-07-14: full count needed; "
        "2022-08-15: failed" in result.output
    )
    return url


def test_status_json_is_the_petition_status_document(db: str) -> None:
    result = runner.invoke(app, ["recall", "status", "gascon_2022", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["schema"] == "racedesk.petition-status/1"
    assert (doc["verdict"], doc["raw"], doc["required"]) == ("failed", 715_833, 566_857)
    assert doc["sentence"] == (
        "Failed: the full count found 520,050 valid signatures against 566,857 required: "
        "insufficient by 46,807 (EC §11224(a))."
    )
    assert doc["full_count"] == {
        "valid": 520_050,
        "invalid": 195_783,
        "required": 566_857,
        "outcome": "insufficient",
        "margin": -46_807,
        "sentence": "insufficient by 46,807",
    }
    assert doc["sample"]["schema"] == "racedesk.petition/1"
    assert doc["sample"]["steps"]["projected_valid"] == 559_639
    assert doc["lines"] == {
        "low_share": 0.9,
        "high_share": 1.1,
        "low": 510_171.3,
        "high": 623_542.7,
        "law": "EC §11225",
    }
    assert [s["stage"] for s in doc["stages"]] == ["filed", "sample", "full count", "outcome"]
    assert [e["verdict"] for e in doc["ledger"]] == ["filed", "full count needed", "failed"]


def test_status_as_of_a_date_is_what_was_known_then(db: str) -> None:
    result = runner.invoke(
        app, ["recall", "status", "gascon_2022", "--as-of", "2022-07-20", "--db", db, "--json"]
    )
    doc = json.loads(result.output)
    assert (doc["as_of"], doc["verdict"], doc["full_count"]) == (
        "2022-07-20",
        "full count needed",
        None,
    )
    assert doc["sentence"].startswith(
        "Every signature must be checked: the sample projects 559,639 valid signatures, 98.73%"
    )
    before = runner.invoke(
        app, ["recall", "status", "gascon_2022", "--as-of", "2022-07-01", "--db", db, "--json"]
    )
    assert json.loads(before.output)["sentence"] == (
        "Nothing is known of this petition on 2022-07-01."
    )


def test_status_prints_the_verdict_stages_ledger_and_sample(db: str) -> None:
    result = runner.invoke(
        app, ["recall", "status", "gascon_2022", "--db", db], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Failed: the full count found 520,050 valid signatures" in result.output
    assert "715,833 filed, 566,857 required" in result.output
    assert "projected valid (§20532)" in result.output


def test_status_lists_every_petition(db: str) -> None:
    result = runner.invoke(app, ["recall", "status", "--db", db, "--json"])
    doc = json.loads(result.output)
    assert doc["schema"] == "racedesk.petitions/1"
    verdicts = {p["petition"]["id"]: (p["verdict"], p["since"]) for p in doc["petitions"]}
    assert verdicts["gascon_2022"] == ("failed", "2022-08-15")
    assert verdicts["boudin_2021_second"] == ("qualified", "2021-11-09")
    assert verdicts["price_2024"] == ("qualified", None)
    table = runner.invoke(app, ["recall", "status", "--db", db], env={"COLUMNS": "200"})
    assert "gascon_2022" in table.output and "2,161,349" in table.output


def test_an_unknown_petition_or_date_is_one_line(db: str) -> None:
    result = runner.invoke(app, ["recall", "status", "nobody", "--db", db])
    assert result.exit_code == 2
    assert "no petition 'nobody'" in result.output
    bad = runner.invoke(app, ["recall", "status", "gascon_2022", "--as-of", "July", "--db", db])
    assert bad.exit_code == 2 and "cannot read the date 'July'" in bad.output


def test_ingest_refuses_a_table_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("petition,office\nx,y\n")
    result = runner.invoke(
        app, ["recall", "ingest", str(bad), "--db", f"sqlite:///{tmp_path}/d.sqlite"]
    )
    assert result.exit_code == 2
    assert "no column" in result.output and "Traceback" not in result.output


def test_the_ingest_docs_recalls_md_shows_is_what_it_prints(
    shared_data: Path, tmp_path: Path
) -> None:
    from racedesk.settings import REPO_ROOT

    doc = (REPO_ROOT / "docs" / "recalls.md").read_text(encoding="utf-8")
    command = "$ racedesk recall ingest ../shared/data/recalls/petitions.csv\n"
    shown = doc[doc.index(command) + len(command) :].split("```")[0]
    table = shared_data / "recalls" / "petitions.csv"
    if not table.exists():
        pytest.skip(f"no {table}")
    result = runner.invoke(
        app,
        ["recall", "ingest", str(table), "--db", f"sqlite:///{tmp_path}/d.sqlite"],
        env={"COLUMNS": "200"},
    )
    assert result.output == shown


def test_a_reports_file_follows_a_full_count(tmp_path: Path) -> None:
    from sources.test_petition_reports import GASCON_REPORTS

    reports = tmp_path / "reports.csv"
    reports.write_text(GASCON_REPORTS)
    url = f"sqlite:///{tmp_path}/d.sqlite"
    ingested = runner.invoke(app, ["recall", "ingest", str(reports), "--db", url])
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(
        app,
        ["recall", "status", "gascon_2022", "--as-of", "2022-08-01", "--db", url],
        env={"COLUMNS": "200"},
    )
    assert "Full count under way: the rest must be 83.4% valid; 72.6% so far." in result.output


def test_petitions_and_money_take_a_database_file_s_path(shared_data: Path, tmp_path: Path) -> None:
    """``--db`` is a URL or the path of a SQLite file for every command, as the README says:
    the petitions' and the money's commands refused a path ("cannot read the database URL"),
    and those that only read never create a database."""
    table = shared_data / "recalls" / "petitions.csv"
    if not table.exists():
        pytest.skip(f"no {table}")
    path = tmp_path / "desk.sqlite"
    for args in (["money", "status"], ["recall", "status"], ["money", "export", "--json"]):
        missing = runner.invoke(app, [*args, "--db", str(path)])
        assert missing.exit_code == 2 and f"no database at {path}" in missing.stderr, args
        assert not path.exists()
    ingested = runner.invoke(app, ["recall", "ingest", str(table), "--db", str(path)])
    assert ingested.exit_code == 0, ingested.output
    status = runner.invoke(app, ["recall", "status", "gascon_2022", "--db", str(path), "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["verdict"] == "failed"
    money = runner.invoke(app, ["money", "status", "--db", str(path), "--json"])
    assert money.exit_code == 0, money.output
