"""``racedesk money ingest|status|links|export`` as a user runs them, on Oakland's and
Berkeley's real filings (``docs/money.md``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from racedesk.cli import app

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def money(shared_data: Path) -> Path:
    path = shared_data / "money"
    if not path.is_dir():
        pytest.skip(f"campaign-finance data not found at {path}")
    return path


@pytest.fixture(scope="module")
def db(money: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('money') / 'desk.sqlite'}"
    yee = money / "netfile-oakland-fixtures" / "deduplicate_460_497_within_1_day_of_deadline"
    doc = json.loads(run("money", "ingest", str(yee), "--db", url, "--json"))
    assert doc["schema"] == "racedesk.money-ingest/1"
    assert [(f["origin"], f["status"]) for f in doc["files"]] == [
        ("496.csv", "stored"),
        ("D-Expenditure.csv", "stored"),
        ("E-Expenditure.csv", "stored"),
        ("Summary.csv", "stored"),
    ]
    return url


def test_the_same_file_again_is_a_duplicate(money: Path, db: str) -> None:
    summary = (
        money / "netfile-oakland-fixtures" / "deduplicate_460_497_within_1_day_of_deadline"
    ) / "Summary.csv"
    out = run("money", "ingest", str(summary), "--db", db)
    assert "Summary.csv: duplicate (netfile, 10 filings, 443 lines)" in out


def test_export_json_gives_gary_yee_s_support(db: str) -> None:
    doc = json.loads(run("money", "export", "--db", db, "--json"))
    assert doc["schema"] == "racedesk.money/1"
    yee = next(s for s in doc["subjects"] if s["subject"] == "GARY D YEE")
    assert yee["support"]["ies"] == "56394.73"
    assert yee["support"]["provisional"] is False
    assert yee["series"][-1] == {
        "day": "2018-09-22",
        "position": "support",
        "total": "56394.73",
        "provisional": False,
    }
    (committee,) = doc["committees"]
    assert committee["filer_id"] == "1331137" and committee["through"] == "2018-09-22"
    assert doc["reported"] == []


def test_links_are_suggested_reviewed_and_read_back(db: str, tmp_path: Path) -> None:
    """The suggestions as a CSV; a reviewer keeps Gary Yee's row, and the export follows it."""
    suggested = tmp_path / "links.csv"
    run("money", "links", "--db", db, "--out", str(suggested))
    rows = list(csv.DictReader(suggested.open()))
    yee = [r for r in rows if r["subject"] == "GARY D YEE"]
    assert [(r["committee_id"], r["position"], r["role"], r["reviewed"]) for r in yee] == [
        ("1331137", "support", "ie", "no")
    ]
    reviewed = tmp_path / "reviewed.csv"
    with reviewed.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "reviewed": "yes", "contest": "OUSD District 4"} for r in yee)
    doc = json.loads(run("money", "export", "--db", db, "--links", str(reviewed), "--json"))
    assert [(s["contest"], s["support"]["total"]) for s in doc["subjects"]] == [
        ("OUSD District 4", "56394.73")
    ]
    assert doc["links"][0]["reviewed"] is True


def test_reported_figures_stay_apart(db: str, tmp_path: Path) -> None:
    """A figure from the news is listed with its source and never added to a filed total."""
    reported = tmp_path / "reported.csv"
    reported.write_text(
        "contest,subject,position,amount,what,source,reported_on\n"
        "OUSD District 4,GARY D YEE,support,1000000,made-up test figure,a test,2018-10-01\n"
    )
    doc = json.loads(run("money", "export", "--db", db, "--reported", str(reported), "--json"))
    yee = next(s for s in doc["subjects"] if s["subject"] == "GARY D YEE")
    assert yee["support"]["total"] == "56394.73"
    assert doc["reported"][0]["amount"] == "1000000.00"
    assert doc["reported"][0]["source"] == "a test"


def test_export_csv_and_status(db: str, tmp_path: Path) -> None:
    out = run("money", "export", "--db", db, "--csv", str(tmp_path / "csv"))
    assert "sides.csv" in out
    sides = list(csv.DictReader((tmp_path / "csv" / "sides.csv").open()))
    yee = [r for r in sides if r["subject"] == "GARY D YEE" and r["position"] == "support"]
    assert yee[0]["ies"] == "56394.73"
    status = json.loads(run("money", "status", "--db", db, "--json"))
    assert status["schema"] == "racedesk.money-status/1"
    assert len(status["payloads"]) == 4 and status["filing_versions"] == 26


def test_a_file_that_is_not_filings_is_refused_and_nothing_is_kept(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    result = runner.invoke(app, ["money", "ingest", str(bad), "--db", db])
    assert result.exit_code == 2
    assert "notes.txt: not a campaign-finance file" in result.output
    status = json.loads(run("money", "status", "--db", db, "--json"))
    assert len(status["payloads"]) == 4


def test_a_folder_s_other_files_are_skipped(money: Path, tmp_path: Path) -> None:
    """CAL-ACCESS's folder holds 25 tables and a dictionary: the 8 money tables are kept (covers
    first), the others skipped; NetFile's API samples: filings and transactions kept."""
    db = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    doc = json.loads(run("money", "ingest", str(money / "calaccess-sample"), "--db", db, "--json"))
    status = {f["origin"]: f["status"] for f in doc["files"]}
    assert sorted(o for o, s in status.items() if s == "stored") == [
        "CVR_CAMPAIGN_DISCLOSURE_CD.TSV", "DEBT_CD.TSV", "EXPN_CD.TSV", "LOAN_CD.TSV",
        "RCPT_CD.TSV", "S496_CD.TSV", "S497_CD.TSV", "SMRY_CD.TSV",
    ]  # fmt: skip
    assert status["DERIVED_calaccess_field_dictionary.csv"] == "skipped"
    assert sum(s == "skipped" for s in status.values()) == 18
    api = money / "netfile-api-v2-samples"
    out = run("money", "ingest", str(api), "--db", db)
    assert "netfile_samples_transactions.json: stored (netfile-api, 1 filings, 1 lines)" in out
    assert "netfile_samples_filers.json: skipped (holds no filings)" in out
