"""What the API says *as of* a time after a release whose snapshot the registrar's estimate made
again later: what the desk knew at that time, as ``racedesk status --as-of`` says it.

On the real 2024 general, the estimate of Nov 6, 5 pm (1,116,100 ballots left) makes the
snapshot of the 4:30 pm release again, and Measure A (9880) is called on it. At 4:45 pm nothing
of that was known: the release's first snapshot, without the call, is what was said then."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.publish.static_site import export_site
from racedesk.publish.web.app import create_app
from racedesk.sources.outstanding import load_reports

from .conftest import TOKEN, Feed, new_desk

E = "lavote:4324"
MEASURE_A = "9880"
BEFORE = "2024-11-06T16:45:00-08:00"  # after the 4:30 pm release, before the 5 pm estimate
AFTER = "2024-11-06T17:05:00-08:00"


@pytest.fixture(scope="module")
def estimated(
    general_feed: Feed, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Desk:
    """The general up to the 4:30 pm release of Nov 6, then the registrar's 5 pm estimate."""
    desk = new_desk(tmp_path_factory.mktemp("as-of"), general_feed.election)
    cut = datetime.fromisoformat(BEFORE)
    for path, data in general_feed.releases:
        desk.ingest(E, data, origin=path.name)
        if desk.store.latest_release(E).release.feed_time > cut:  # type: ignore[union-attr]
            pytest.fail(f"{path.name} is past {BEFORE}: the feed is not the one expected")
        if (
            desk.store.latest_release(E)
            .release.feed_time.isoformat()
            .startswith(  # type: ignore[union-attr]
                "2024-11-06T16:30"
            )
        ):
            break
    reports = load_reports(
        shared_data / "lavote" / "outstanding-reports.csv", general_feed.election.date
    )
    five_pm = next(r for r in reports if r.as_of.isoformat().startswith("2024-11-06T17:00"))
    desk.add_outstanding(E, five_pm, at=five_pm.as_of)
    return desk


@pytest.fixture(scope="module")
def client(estimated: Desk) -> TestClient:
    return TestClient(create_app(estimated, token=TOKEN))


def _measure_a(client: TestClient, as_of: str | None) -> dict:
    params = {"as_of": as_of} if as_of else {}
    response = client.get(f"/api/elections/{E}/contests/{MEASURE_A}", params=params)
    assert response.status_code == 200
    return response.json()


def test_as_of_before_the_estimate_is_the_release_as_first_made(client: TestClient) -> None:
    before = _measure_a(client, BEFORE)
    assert before["release"]["revised_at"] is None
    assert before["contest"]["call"]["status"] != "passed"
    assert before["contest"]["votes_left"]["source"] != "registrar"
    after = _measure_a(client, AFTER)
    assert after["release"]["revised_at"] is not None
    assert after["contest"]["call"]["status"] == "passed"
    assert after["contest"]["votes_left"]["source"] == "registrar"
    assert after["release"]["sequence"] == before["release"]["sequence"]
    assert _measure_a(client, None)["contest"]["call"] == after["contest"]["call"]


def test_as_of_before_the_estimate_the_ledger_holds_none_of_its_calls(client: TestClient) -> None:
    def calls(as_of: str) -> set[str]:
        doc = client.get(f"/api/elections/{E}/ledger", params={"as_of": as_of}).json()
        return {e["contest_id"] for e in doc["events"] if e["status"] != "rescinded"}

    assert MEASURE_A not in calls(BEFORE)
    assert MEASURE_A in calls(AFTER)


def test_the_election_as_of_a_time_says_the_ballots_left_known_then(
    client: TestClient, estimated: Desk
) -> None:
    for as_of in (BEFORE, AFTER):
        doc = client.get(f"/api/elections/{E}", params={"as_of": as_of}).json()
        said = estimated.snapshot(E, datetime.fromisoformat(as_of))
        assert said is not None
        assert doc["ballots_left"]["source"] == said.ballots_left.source
        assert said.ballots_left.ballots is not None
        assert doc["ballots_left"]["ballots"]["high"] == said.ballots_left.ballots.high
    before = client.get(f"/api/elections/{E}", params={"as_of": BEFORE}).json()
    assert before["ballots_left"]["source"] == "model"
    after = client.get(f"/api/elections/{E}", params={"as_of": AFTER}).json()
    assert after["ballots_left"]["source"] == "registrar"
    assert after["ballots_left"]["by_type"]


def test_a_contest_page_as_of_a_time_before_the_estimate(client: TestClient) -> None:
    page = client.get(f"/elections/{E}/contests/{MEASURE_A}", params={"as_of": BEFORE})
    assert page.status_code == 200
    assert 'id="call-status">passed<' not in page.text
    later = client.get(f"/elections/{E}/contests/{MEASURE_A}", params={"as_of": AFTER})
    assert 'id="call-status">passed<' in later.text


def test_history_and_releases_as_of_a_time_before_the_estimate(client: TestClient) -> None:
    def history(as_of: str) -> list[dict]:
        url = f"/api/elections/{E}/contests/{MEASURE_A}/history"
        return client.get(url, params={"as_of": as_of}).json()["releases"]

    before, after = history(BEFORE), history(AFTER)
    assert len(before) == len(after)
    assert before[:-1] == after[:-1]
    assert before[-1]["votes_left"]["source"] != "registrar"
    assert after[-1]["votes_left"]["source"] == "registrar"

    def events(as_of: str) -> list[str]:
        doc = client.get(f"/api/elections/{E}/releases", params={"as_of": as_of}).json()
        return [e["kind"] for e in doc["releases"][-1]["events"]]

    assert events(AFTER) == [*events(BEFORE), "estimate"]


def test_a_static_export_as_of_a_time_before_the_estimate(estimated: Desk, tmp_path: Path) -> None:
    def measure_a(as_of: str) -> dict:
        out = tmp_path / as_of[11:16].replace(":", "")
        export_site(estimated, E, out, as_of=datetime.fromisoformat(as_of))
        doc = json.loads((out / "api" / "elections" / "lavote-4324" / "contests.json").read_text())
        return next(c for c in doc["contests"] if c["id"] == MEASURE_A)

    assert measure_a(BEFORE)["status"] != "passed"
    assert measure_a(AFTER)["status"] == "passed"
