"""A refusal never aborts a canvass (issue 14): a release file that cannot be read is refused
with its reason, kept in quarantine by ``ingest``, and ``replay``, ``ingest`` and ``backtest``
go on with the others and end with a summary.

Built from the real 2024 general: its definition and first six releases, the third cut short
(as a torn download is).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.sources import lavote
from racedesk.store import open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def torn_feed(general_2024: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("torn")
    (folder / "releases").mkdir()
    shutil.copy(general_2024 / "election_data.json", folder / "election_data.json")
    files = lavote.release_files(general_2024)[:6]
    for path in files:
        shutil.copy(path, folder / "releases" / path.name)
    torn = folder / "releases" / files[2].name
    torn.write_bytes(files[2].read_bytes()[:5000])
    return folder, str(torn)


def run(*args: str) -> str:
    """What the command printed, with no white space at all (the terminal folds long lines,
    paths included, wherever its width ends)."""
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return "".join(result.output.split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_ingest_keeps_the_rest_and_quarantines_the_refused(torn_feed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, torn = torn_feed
    db = f"sqlite:///{tmp_path / 'd.sqlite'}"
    said = run("ingest", str(folder), "--db", db)
    assert squeezed("5 releases stored") in said
    assert squeezed(f"5 releases used, 1 refused; {torn}: the file is cut short") in said
    with open_store(db) as store:
        (kept,) = store.quarantined()
        assert torn in kept.reason and "cut short" in kept.reason
        assert len(store.releases("lavote:4324")) == 5


def test_replay_and_backtest_finish_and_report_the_refusal(torn_feed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, torn = torn_feed
    assert squeezed("5 releases used, 1 refused") in run("replay", str(folder), "--contest", "9547")
    report = tmp_path / "backtest.json"
    said = run("backtest", str(folder), "--report-json", str(report))
    assert squeezed("5 releases used, 1 refused") in said and squeezed("0 wrong calls") in said
    doc = json.loads(report.read_bytes())
    assert doc["releases"] == 5
    (why,) = doc["refused"]
    assert why.startswith(f"{torn}: the file is cut short")
