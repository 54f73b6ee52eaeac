"""``racedesk rcv tabulate``: RCTab's summary JSON written, and a bad file reported in one line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from racedesk.cli import app

runner = CliRunner()
CASE = "rctab-cases/test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote"


def test_tabulate_writes_rctab_s_summary(rcv_cases: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["rcv", "tabulate", str(rcv_cases / f"{CASE}_config.json"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Candidate B Name" in result.output
    written = json.loads((tmp_path / "summary.json").read_text())
    assert written["results"][-1]["tallyResults"] == [
        {"elected": "Candidate B Name", "transfers": {}}
    ]
    assert written["summary"]["totalNumBallots"] == "15"
    table = (tmp_path / "summary.csv").read_text().splitlines()
    assert "Winner(s),Candidate B Name" in table


def test_a_missing_configuration_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["rcv", "tabulate", str(tmp_path / "none.json"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "none.json: cannot read the file" in result.output
