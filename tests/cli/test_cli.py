"""The commands of the README, run as a user runs them, on the real LA County feeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.store import open_store

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout if "--json" in args else " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def ingested(general_2024: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'desk.sqlite'}"
    out = run("ingest", str(general_2024), "--db", db)
    assert "32 releases stored" in out
    return db


def test_replay_json_ends_with_the_certified_da_count(general_2024: Path) -> None:
    doc = json.loads(run("replay", str(general_2024), "--contest", "9547", "--json"))
    assert doc["schema"] == "racedesk.replay/1"
    (election,) = doc["elections"]
    assert election["releases"] == 32
    (contest,) = election["contests"]
    final = contest["releases"][-1]
    assert final["schema"] == "racedesk.state/1"
    votes = {c["name"]: c["votes"] for c in final["contest"]["choices"]}
    assert votes == {"NATHAN HOCHMAN": 1_983_802, "GEORGE GASCÓN": 1_328_710}
    shares = {c["name"]: round(c["share"] * 100, 2) for c in final["contest"]["choices"]}
    assert shares == {"NATHAN HOCHMAN": 59.89, "GEORGE GASCÓN": 40.11}
    assert final["release"]["feed_time"] == "2024-12-02T14:55:01-08:00"
    assert final["contest"]["call"]["status"] == "called"
    assert final["contest"]["call"]["choices"] == ["23483"]


def test_replay_contest_by_title_prints_a_table(general_2024: Path) -> None:
    out = run("replay", str(general_2024), "--contest", "DISTRICT ATTORNEY")
    assert "DISTRICT ATTORNEY (9547)" in out
    assert "59.89%" in out


def test_replay_table_heads_each_column_with_the_candidates_surname(general_2024: Path) -> None:
    result = runner.invoke(
        app, ["replay", str(general_2024), "--contest", "9857"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    head = next(line for line in result.stdout.splitlines() if "votes counted" in line)
    columns = [cell.strip() for cell in head.strip("┃ ").split("┃")]
    # The four most voted: ROBERT F. KENNEDY JR. is "Kennedy", as everywhere else, not "Jr.".
    assert columns[3:7] == ["Harris", "Trump", "Kennedy", "Stein"]


def test_replay_cuts_no_figure_on_an_80_column_terminal(general_2024: Path) -> None:
    """On 80 columns the table shows as many choices as fit (the DA's two) and folds what is
    long, never cutting a figure short with an ellipsis ("(0–5,737,00…")."""
    result = runner.invoke(
        app, ["replay", str(general_2024), "--contest", "9547"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    head = " ".join(line for line in lines if line.startswith("┃"))
    assert "Hochman" in head and "Gascón" in head


def test_reingest_changes_nothing(ingested: str, general_2024: Path) -> None:
    out = run("ingest", str(general_2024), "--db", ingested)
    assert "0 releases stored, 32 already known or unchanged" in out


def test_status_json_latest_and_as_of(ingested: str) -> None:
    doc = json.loads(run("status", "--db", ingested, "--json"))
    assert doc["schema"] == "racedesk.status/1"
    assert doc["release"]["sequence"] == 31
    da = next(c for c in doc["contests"] if c["id"] == "9547")
    assert da["leaders"] == ["NATHAN HOCHMAN"]
    assert round(da["shares"]["NATHAN HOCHMAN"], 4) == 0.5989
    # as of just after the 12:55:40 am release of Nov 6: that release's numbers
    early = json.loads(
        run("status", "--db", ingested, "--json", "--as-of", "2024-11-06T01:00:00-08:00")
    )
    assert early["release"]["feed_time"] == "2024-11-06T00:55:40-08:00"
    da = next(c for c in early["contests"] if c["id"] == "9547")
    assert round(da["shares"]["NATHAN HOCHMAN"] * 100, 2) == 61.25


def test_status_of_one_contest(ingested: str) -> None:
    doc = json.loads(run("status", "--db", ingested, "--json", "--contest", "9547"))
    (view,) = doc["contests"]
    assert {c["name"]: c["votes"] for c in view["contest"]["choices"]}[
        "NATHAN HOCHMAN"
    ] == 1_983_802


def test_status_of_one_contest_prints_its_results_table(ingested: str) -> None:
    """One row per choice, as the contest page shows it, names in proper case; the margin,
    the expected vote counted and the votes left under it; then the sentence."""
    result = runner.invoke(
        app, ["status", "--db", ingested, "--contest", "9547"], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    rows = [
        [cell.strip() for cell in line.strip("│ ").split("│")]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    ]
    assert [row[:3] for row in rows] == [
        ["Nathan Hochman", "1,983,802", "59.89%"],
        ["George Gascón", "1,328,710", "40.11%"],
    ]
    # without the registrar's estimates (this database has none), as many as 1,872,000 votes
    # may be left by registration: never "needs 0.0%" at the 195,000 expected
    assert [row[5] for row in rows] == [
        "needs none of the votes left expected (32.5% if the most are left) to stay ahead of "
        "George Gascón (share of all votes left, if the other choices get none)",
        "needs all of the votes left expected or more (67.5% if the most are left) to pass "
        "Nathan Hochman (share of all votes left, if the other choices get none)",
    ]
    out = " ".join(result.stdout.split())
    assert "DISTRICT ATTORNEY (9547) · most votes wins" in out
    assert "Hochman +19.8, 655,092 votes · " in out
    assert "after the release of Dec 2 14:55" in out
    # the sentence's votes left are the named choices' (194,000), the caption's all (195,000)
    assert "votes left about 195,000 (0–1,872,000) (model)" in out
    assert "Gascón would need more than all of about 194,000 votes left" in out
    assert "The sentence below says about 194,000: the votes left for the named choices" in out
    assert "Called for Hochman." in out


def test_status_names_leaders_as_pages_do(ingested: str) -> None:
    result = runner.invoke(app, ["status", "--db", ingested], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    (da,) = [line for line in result.stdout.splitlines() if "DISTRICT ATTORNEY (9547)" in line]
    cells = [cell.strip() for cell in da.strip("│ ").split("│")]
    assert cells[1:] == ["Nathan Hochman", "59.89%", "3,321,126", "called: Nathan Hochman"]


def test_contests_lists_every_contest_with_its_rule(general_2024: Path) -> None:
    doc = json.loads(run("contests", str(general_2024), "--json"))
    assert len(doc["contests"]) == 373
    rules = {c["id"]: c["rule"] for c in doc["contests"]}
    assert rules["9547"]["kind"] == "plurality"
    assert rules["9938"]["threshold"] == "2/3" and rules["9938"]["alt_threshold"] == "11/20"


def test_one_contest_found_is_one_contest(general_2024: Path) -> None:
    """The table's title read "1 contests" for a search that finds one."""
    said = run("contests", str(general_2024), "--search", "prop 5")
    assert said.startswith("1 contest ") and "1 contests" not in said and "STATE MEASURE 5" in said


def test_bad_source_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "nothing-here"), "--db", f"sqlite:///{tmp_path}/x.sqlite"]
    )
    assert result.exit_code == 2
    assert "nothing-here: no such file or folder" in result.stderr


def test_every_command_reports_a_racedesk_error_in_one_line(tmp_path: Path) -> None:
    """One error boundary: `serve` too says what was wrong and exits 2, with no traceback."""
    result = runner.invoke(app, ["serve", "--db", "nonsense://x"])
    assert result.exit_code == 2
    assert result.stderr.startswith("racedesk: unsupported database 'nonsense'")
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    result = runner.invoke(app, ["status", "--db", empty])
    assert result.exit_code == 2
    assert f"no database at {tmp_path / 'empty.sqlite'}" in result.stderr
    open_store(empty)  # a database with no election in it
    result = runner.invoke(app, ["status", "--db", empty])
    assert result.exit_code == 2
    assert "holds no election yet" in result.stderr


def test_as_of_without_a_zone_is_in_the_elections_zone(shared_data: Path, tmp_path: Path) -> None:
    """AP's elections keep New York time: its 2012 Alaska payload, stamped 19:20:54 UTC, was
    not yet stored at 15:20 New York time (it was at 15:20 Los Angeles time)."""
    db = f"sqlite:///{tmp_path / 'ap.sqlite'}"
    run("ingest", str(shared_data / "formats" / "ap" / "20121106_ak_prez.json"), "--db", db)
    before = runner.invoke(app, ["status", "--db", db, "--as-of", "2016-08-31T15:20"])
    assert before.exit_code == 2
    assert "no release of ap:2012-11-06-ak is stored by 2016-08-31T15:20" in before.stderr
    assert "AP results, 2012-11-06 (AK)" in run("status", "--db", db, "--as-of", "2016-08-31T15:21")
