"""A folder of snapshots: files of a whole-file format (here LA County's .ets files of the 2018
general's test run, and the March 2020 primary's), each the results as published at one time,
read as one canvass per election, released in the order of their feed times: a newsroom's
archive of a night's files can be ingested, replayed and backtested like a feed folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.desk import Desk, load_params
from racedesk.engine.backtest import run_backtest
from racedesk.errors import InputError
from racedesk.sources.loader import load_canvasses
from racedesk.store import open_store

NOV18 = ("0018nov18-zero.ets", "0018nov18-start.ets", "0018nov18-mid.ets", "0018nov18-end.ets")
COUNTED = [0, 495_898, 805_361, 1_268_176]  # each file's ballots counted, in feed-time order


@pytest.fixture()
def night(ets_dir: Path, tmp_path: Path) -> Path:
    """The 2018 files in a folder of their own, named so that their names' order is not their
    feed times' (end, mid, start, zero), beside a note that is no results file."""
    folder = tmp_path / "nov18"
    folder.mkdir()
    for name in NOV18:
        shutil.copy(ets_dir / name, folder / name)
    (folder / "README.txt").write_text("what the registrar sent on the night of the test\n")
    (folder / ".hidden").write_text("never read")
    return folder


def test_a_folder_of_snapshots_is_one_canvass_in_feed_time_order(night: Path) -> None:
    (canvass,) = load_canvasses(str(night))
    assert canvass.election.id == "ets:0018"
    assert len(canvass.election.contests) == 308
    assert [r.ballots_counted for r in canvass.releases] == COUNTED
    times = [r.feed_time for r in canvass.releases]
    assert times == sorted(times) and len(set(times)) == 4
    assert [Path(p.origin).name for p in canvass.payloads if p is not None] == list(NOV18)
    assert [Path(r.payload.origin).name for r in canvass.refused] == ["README.txt"]
    assert "cannot tell the results format" in canvass.refused[0].problem


def test_a_folder_of_two_elections_is_two_canvasses(ets_dir: Path) -> None:
    canvasses = load_canvasses(str(ets_dir), fmt="ets")
    assert [(c.election.id, len(c.releases)) for c in canvasses] == [
        ("ets:0018", 4),
        ("ets:2798", 1),
    ]
    # the parse published beside the March 2020 file is no .ets file: refused, and said why
    assert [Path(r.payload.origin).name for r in canvasses[0].refused] == ["2798mar20.json"]
    assert "a line too short to be a record" in canvasses[0].refused[0].problem


def test_a_folder_with_no_results_file_says_so(tmp_path: Path, general_2024: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(InputError, match="none of its 1 files is a results file") as caught:
        load_canvasses(str(tmp_path))
    assert caught.value.where == str(tmp_path)
    # a release of LA County's feed without its election's file defines no election
    release = sorted((general_2024 / "releases").iterdir())[0]
    (tmp_path / "notes.txt").unlink()
    shutil.copy(release, tmp_path / release.name)
    with pytest.raises(InputError, match="a lavote file holds no election of its own"):
        load_canvasses(str(tmp_path))


def test_a_folder_of_snapshots_is_backtested_and_ingested(night: Path, tmp_path: Path) -> None:
    (canvass,) = load_canvasses(str(night))
    report = run_backtest(canvass.election, canvass.releases, [], load_params(None))
    assert report.releases == 4
    # the 2018 districts are of the 2011 maps (rules/california_districts_2011.py): those wholly
    # in LA are called, the even-numbered State Senate districts (no lines kept) never are
    assert (report.summary.called, report.summary.wrong_calls) == (35, 0)
    runner = CliRunner()
    db = tmp_path / "desk.sqlite"
    result = runner.invoke(app, ["ingest", str(night), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    assert "4 releases stored" in " ".join(result.output.split())
    desk = Desk(open_store(f"sqlite:///{db}"))
    stored = desk.releases("ets:0018")
    assert [s.release.ballots_counted for s in stored] == COUNTED
    assert [q.origin for q in desk.store.quarantined()] == [str(night / "README.txt")]
