"""The registrar's estimate by kind of ballot where a user reads the ballots left: the API's
``ballots_left.by_type``, the dashboard's line under the release and ``racedesk status``, on
the real 2024 general as of its release of Nov 13, 4:48 pm (the estimate of Nov 12, 5 pm, less what
the mail and in-person counters took in since) (``docs/hurdles.md``, step 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.desk.ingest import open_desk
from racedesk.publish.web.app import create_app

E = "lavote:4324"
AT = "2024-11-13T16:50:00-08:00"
SAID = (
    "of the registrar's estimate, 50,000 by mail (15,172 counted since: about 34,828 left); "
    "91,900 in person (conditional voter registration 81,000, provisional 10,900; 6,523 counted "
    "since: about 85,377 left)"
)
runner = CliRunner()


@pytest.fixture(scope="module")
def db(general_2024: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('bytype') / 'desk.sqlite'}"
    reports = shared_data / "lavote" / "outstanding-reports.csv"
    args = ["ingest", str(general_2024), "--outstanding", str(reports), "--db", url, "-q"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return url


def test_status_says_the_estimate_by_kind_of_ballot(db: str) -> None:
    result = runner.invoke(
        app, ["status", "--db", db, "--as-of", AT], env={"COLUMNS": "300"}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert f"ballots left about 120,000 (6,700–134,000) (registrar); {SAID}" in said
    doc = json.loads(runner.invoke(app, ["status", "--db", db, "--as-of", AT, "--json"]).stdout)
    mail, in_person = doc["ballots_left"]["by_type"]
    assert mail == {
        "kind": "by mail", "categories": {"vbm": 50_000}, "estimated": 50_000,
        "counted_since": 15_172, "left": 34_828,
    }  # fmt: skip
    assert (in_person["kind"], in_person["left"]) == ("in person", 85_377)


def test_the_dashboard_and_the_api_show_it(db: str) -> None:
    client = TestClient(create_app(open_desk(db), token=None))
    left = client.get(f"/api/elections/{E}", params={"as_of": AT}).json()["ballots_left"]
    assert [t["left"] for t in left["by_type"]] == [34_828, 85_377]
    page = client.get(f"/elections/{E}", params={"as_of": AT}).text
    shown = " ".join(page.split()).replace("&#39;", "'")
    assert f'<p class="by-type">Ballots left by kind: {SAID}</p>' in shown
    # the latest estimate (Nov 21) gives no breakdown: nothing is said by kind
    latest = client.get(f"/api/elections/{E}").json()["ballots_left"]
    assert latest["as_of"].startswith("2024-11-21") and latest["by_type"] == []
    assert 'class="by-type"' not in client.get(f"/elections/{E}").text
