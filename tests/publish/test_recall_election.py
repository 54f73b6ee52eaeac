"""A qualified petition's recall election as a scenario file (``racedesk recall election``):
one recall contest that the desk follows by the recall rule once counts are added; refused for a
petition that has not qualified. On the real petitions table; the counts added are illustrative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.sources.scenario import load_scenario

runner = CliRunner()
ELECTION = ("recall", "election")


@pytest.fixture
def db(shared_data: Path, tmp_path: Path) -> str:
    table = shared_data / "recalls" / "petitions.csv"
    if not table.exists():
        pytest.skip(f"no {table}")
    url = f"sqlite:///{tmp_path}/desk.sqlite"
    assert runner.invoke(app, ["recall", "ingest", str(table), "--db", url]).exit_code == 0
    return url


def _with_count(path: Path, yes: int, no: int) -> Path:
    doc = json.loads(path.read_text())
    doc["sources"]["illustration"] = {"reference": "illustrative counts, not the real results"}
    doc["elections"][0]["releases"] = [
        {
            "feed_time": "2022-06-07T21:00",
            "source": "illustration",
            "contests": [{"contest": "recall", "votes": {"YES": yes, "NO": no}}],
        }
    ]
    counted = path.with_name(f"counted-{yes}-{no}.json")
    counted.write_text(json.dumps(doc))
    return counted


def test_boudin_s_recall_election_is_a_recall_contest(db: str, tmp_path: Path) -> None:
    out = tmp_path / "recall.json"
    result = runner.invoke(
        app,
        [*ELECTION, "boudin_2021_second", "--date", "2022-06-07", "--out", str(out), "--db", db],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "scenario:recall-boudin_2021_second" in result.output
    doc = json.loads(out.read_text())
    assert doc["format"] == "racedesk.scenario/1"
    assert doc["sources"]["petition"]["reference"] == (
        "petition boudin_2021_second qualified: the registrar: qualified; recall election "
        "2022-06-07 (Boudin recalled)"
    )
    [item] = load_scenario(_with_count(out, 60_000, 40_000))
    election = item.election
    assert (election.id, election.date.isoformat(), election.kind) == (
        "scenario:recall-boudin_2021_second",
        "2022-06-07",
        "special",
    )
    [contest] = election.contests
    assert (contest.kind, contest.rule.kind, contest.rule.threshold) == ("recall", "recall", "1/2")
    assert contest.title == "Shall the District Attorney (San Francisco) be recalled?"
    assert [c.id for c in contest.choices] == ["YES", "NO"]


@pytest.mark.parametrize(
    ("yes", "no", "outcome"), [(60_000, 40_000, "passing"), (50_000, 50_000, "failing")]
)
def test_the_desk_follows_it_by_the_recall_rule(
    db: str, tmp_path: Path, yes: int, no: int, outcome: str
) -> None:
    out = tmp_path / "recall.json"
    args = ["recall", "election", "boudin_2021_second", "--date", "2022-06-07"]
    assert runner.invoke(app, [*args, "--out", str(out), "--db", db]).exit_code == 0
    replay = runner.invoke(app, ["replay", str(_with_count(out, yes, no)), "--json"])
    assert replay.exit_code == 0, replay.output
    [row] = json.loads(replay.output)["elections"][0]["final"]["contests"]
    # more than half removes (EC §11000 ff.): an even split keeps the officer
    assert (row["rule"], row["outcome"]) == ("recall", outcome)


def test_a_petition_that_has_not_qualified_has_no_recall_election(db: str, tmp_path: Path) -> None:
    out = tmp_path / "recall.json"
    result = runner.invoke(
        app,
        [*ELECTION, "gascon_2022", "--date", "2022-11-08", "--out", str(out), "--db", db],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 2
    assert "petition gascon_2022 has not qualified (its verdict is failed)" in result.output
    assert not out.exists()


def test_the_petition_links_to_its_recall_election_once_the_desk_holds_it(
    db: str, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from racedesk.desk import open_desk
    from racedesk.publish.web.app import create_app

    out = tmp_path / "recall.json"
    args = ["recall", "election", "boudin_2021_second", "--date", "2022-06-07"]
    assert runner.invoke(app, [*args, "--out", str(out), "--db", db]).exit_code == 0
    desk = open_desk(db)
    client = TestClient(create_app(desk, token=None))
    assert client.get("/api/petitions/boudin_2021_second").json()["recall_election"] is None
    ingested = runner.invoke(app, ["ingest", str(_with_count(out, 60_000, 40_000)), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    doc = client.get("/api/petitions/boudin_2021_second").json()
    assert doc["recall_election"] == {
        "id": "scenario:recall-boudin_2021_second",
        "title": "Recall of the District Attorney, San Francisco",
        "date": "2022-06-07",
    }
    page = client.get("/petitions/boudin_2021_second").text
    assert '<a href="/elections/scenario:recall-boudin_2021_second">' in page
    assert client.get("/api/petitions/gascon_2022").json()["recall_election"] is None
