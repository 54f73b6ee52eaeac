"""Commands that only read open existing databases only, and --db takes a plain path
(the newsroom review: a typo'd --db made an empty database and hid the path)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from racedesk.cli import app

runner = CliRunner()


def test_a_read_never_creates_a_database_and_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "srv" / "desk" / "gen.sqlite"
    for db in (str(missing), f"sqlite:///{missing}"):
        for command in (["status"], ["contests"], ["export-site", str(tmp_path / "site")]):
            result = runner.invoke(app, [*command, "--db", db])
            assert result.exit_code == 2, result.output
            assert f"no database at {missing}" in result.output.replace("\n", "")
    assert not (tmp_path / "srv").exists()


def test_db_takes_a_path(general_2024: Path, tmp_path: Path) -> None:
    db = tmp_path / "gen.sqlite"
    first = sorted((general_2024 / "releases").iterdir())[:3]
    feed = tmp_path / "feed"
    (feed / "releases").mkdir(parents=True)
    (feed / "election_data.json").write_bytes((general_2024 / "election_data.json").read_bytes())
    for path in first:
        (feed / "releases" / path.name).write_bytes(path.read_bytes())
    result = runner.invoke(app, ["ingest", str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert db.is_file()
    status = runner.invoke(app, ["status", "--db", str(db), "--contest", "9547"])
    assert status.exit_code == 0 and "Called for Hochman" in " ".join(status.output.split())


def test_an_in_sample_backtest_says_so(primary_2024: Path) -> None:
    result = runner.invoke(app, ["backtest", str(primary_2024)])
    assert result.exit_code == 0, result.output
    assert "in sample: the model" in result.output.replace("\n", " ")
