"""Editorial control from the command line (issue 18, item 1; issue 17, item 4), on a copy of
the real 2024 general's first five releases (the fifth with Hochman's and Gascón's totals
swapped, held until an editor confirms it): the District Attorney (contest 9547) is called for
NATHAN HOCHMAN at the 8:56 pm release, ledger event 17."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from racedesk.cli import app

from .test_corrections import _folder, run

runner = CliRunner()


def _da(db: str) -> dict:
    doc = json.loads(run("ledger", "--db", db, "--json"))
    (row,) = [r for r in doc["contests"] if r["contest_id"] == "9547"]
    return row


def test_an_editor_runs_the_night_from_the_command_line(general_2024: Path, tmp_path: Path) -> None:
    folder = _folder(general_2024, tmp_path / "feed", 5, swap_last=True)
    db = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    run("ingest", str(folder), "--db", db)
    assert run("publishing-mode", "--db", db) == "auto"
    assert _da(db)["state"] == "published"
    out = run("publishing-mode", "recommend", "--by", "Night Editor", "--db", db)
    assert out.startswith("publishing mode recommend, set by Night Editor at ")
    assert run("publishing-mode", "--db", db) == "recommend"
    row = _da(db)
    assert (row["state"], row["status"], row["recommendation"]["event_id"]) == (
        "recommended",
        None,
        17,
    )
    assert row["recommendation"]["choice_names"] == ["NATHAN HOCHMAN"]
    # the CSV export and the status show only what is published
    csv = tmp_path / "out.csv"
    run("export", "--db", db, "--format", "csv", "--out", str(csv))
    assert ",called," not in csv.read_text().replace("\r", "")
    status = json.loads(run("status", "--db", db, "--contest", "9547", "--json"))
    assert status["contests"][0]["contest"]["call"]["status"] == "leading"

    out = run("call", "hold", "17", "--by", "Ana Editor", "--note", "wait", "--db", db)
    assert "hold #17 on contest 9547 by Ana Editor" in out
    assert _da(db)["state"] == "held"
    run("call", "approve", "17", "--by", "Ana Editor", "--db", db)
    row = _da(db)
    assert (row["state"], row["status"], row["choice_names"]) == (
        "published",
        "called",
        ["NATHAN HOCHMAN"],
    )
    run("export", "--db", db, "--format", "csv", "--out", str(csv))
    assert ",called," in csv.read_text()
    again = run("call", "approve", "17", "--by", "Bo Editor", "--db", db)
    assert "by Ana Editor" in again and "already in force: nothing stored" in again
    doc = json.loads(run("ledger", "--db", db, "--json", "--state", "published"))
    assert [r["contest_id"] for r in doc["contests"]] == ["9547"]
    assert [a["act"] for a in doc["acts"]] == ["hold", "approve"]

    run("call", "make", "9547", "GEORGE GASCÓN", "--by", "Chief", "--db", db)
    row = _da(db)
    assert (row["state"], row["choice_names"]) == ("editor's call", ["GEORGE GASCÓN"])
    run("call", "rescind", "9547", "--by", "Chief", "--note", "too soon", "--db", db)
    assert _da(db)["state"] == "published"  # the approved desk's call again

    # the swapped release, confirmed, rescinds call 17: it cannot be approved back (exit 2)
    run("confirm", "4", "--by", "Ana Editor", "--db", db)
    refused = runner.invoke(app, ["call", "approve", "17", "--by", "Mallory", "--db", db])
    assert refused.exit_code == 2
    assert "event 17 was rescinded" in refused.output
    unknown = runner.invoke(app, ["call", "approve", "999", "--by", "Mallory", "--db", db])
    assert unknown.exit_code == 2 and "no call event 999" in unknown.output
    bad = runner.invoke(app, ["publishing-mode", "sometimes", "--by", "X", "--db", db])
    assert bad.exit_code == 2 and "no publishing mode 'sometimes'" in bad.output
