"""The commands of issue 14's items 5–7 as a user runs them, on a copy of the real 2024 general's
first releases in a temporary folder: ``confirm`` a held release, ``outstanding`` reports that
take effect at once, ``certify`` the count and export it as certified."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from racedesk.cli import app

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout if "--json" in args else " ".join(result.stdout.split())


def _folder(general_2024: Path, into: Path, count: int, swap_last: bool = False) -> Path:
    """A feed folder with the first ``count`` releases of the 2024 general, the last one with
    Hochman's and Gascón's totals swapped when ``swap_last``."""
    (into / "releases").mkdir(parents=True)
    shutil.copy(general_2024 / "election_data.json", into / "election_data.json")
    files = sorted((general_2024 / "releases").glob("*.json"))[:count]
    for path in files:
        shutil.copy(path, into / "releases" / path.name)
    if swap_last:
        payload = json.loads(files[-1].read_bytes())
        rows = {r["ReferenceID"]: r for r in payload["Data"] if r["ReferenceType"] == "CAND"}
        rows[23483]["Value"], rows[23482]["Value"] = rows[23482]["Value"], rows[23483]["Value"]
        (into / "releases" / files[-1].name).write_text(json.dumps(payload))
    return into


def _da(db: str) -> dict:
    (contest,) = json.loads(run("status", "--db", db, "--contest", "9547", "--json"))["contests"]
    return contest


def test_confirm_puts_a_held_release_to_use(general_2024: Path, tmp_path: Path) -> None:
    folder = _folder(general_2024, tmp_path / "feed", 5, swap_last=True)
    db = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    out = run("ingest", str(folder), "--db", db)
    assert "5 releases stored" in out and "1 flagged" in out
    held = _da(db)
    assert held["contest"]["call"]["status"] == "called"
    (hold,) = [p for p in held["contest"]["problems"] if p["code"] == "held"]
    assert hold["blocking"] and "lost 404,972 of its 1,116,647 votes" in hold["message"]
    out = run("confirm", "4", "--by", "Ana Editor", "--db", db)
    assert "release #4 confirmed by Ana Editor" in out
    used = _da(db)
    assert used["release"]["usable"] and used["contest"]["call"]["status"] != "called"
    (hold,) = [p for p in used["contest"]["problems"] if p["code"] == "held"]
    assert not hold["blocking"] and "confirmed by Ana Editor" in hold["message"]
    failed = runner.invoke(app, ["confirm", "4", "--by", "Ana Editor", "--db", db])
    assert failed.exit_code == 2 and "confirmed already" in failed.output
    failed = runner.invoke(app, ["confirm", "2", "--by", "Ana Editor", "--db", db])
    assert failed.exit_code == 2 and "not held" in failed.output


def test_outstanding_certify_and_the_certified_export(
    general_2024: Path, shared_data: Path, tmp_path: Path
) -> None:
    folder = _folder(general_2024, tmp_path / "feed", 18)
    db = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    run("ingest", str(folder), "--db", db)
    assert json.loads(run("status", "--db", db, "--json"))["ballots_left"]["source"] == "model"
    lines = (shared_data / "lavote" / "outstanding-reports.csv").read_text().splitlines()
    reports = tmp_path / "nov-6.csv"  # the registrar's estimate of Nov 6, 5 pm
    reports.write_text(
        "\n".join([lines[0], *[x for x in lines if x.startswith("2024-11-05,2024-11-06")]])
    )
    out = run("outstanding", str(reports), "--db", db)
    assert "1 new outstanding reports of 1, in effect on the latest release" in out
    left = json.loads(run("status", "--db", db, "--json"))["ballots_left"]
    assert left["source"] == "registrar" and left["ballots"]["mid"] == 1_116_100
    out = run("certify", "--issuer", "LA County RR/CC", "--by", "Ana Editor", "--db", db)
    assert "certified by LA County RR/CC (entered by Ana Editor) at release #17" in out
    doc = json.loads(run("status", "--db", db, "--json"))
    assert doc["ballots_left"]["ballots"]["high"] == 0
    cdf = tmp_path / "certified.json"
    run("export", "--format", "cdf-json", "--out", str(cdf), "--db", db)
    report = json.loads(cdf.read_text())
    assert (report["Status"], report["Issuer"]) == ("certified", "LA County RR/CC")
