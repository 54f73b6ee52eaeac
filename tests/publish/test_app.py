"""The JSON API and the pages of ``racedesk.publish.web``, on the 2024 general."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.publish.web.app import create_app
from racedesk.sources.lavote import read_release

from .conftest import (
    DA,
    GASCON,
    HOCHMAN,
    HOSTILE_NAME,
    HOSTILE_TITLE,
    TOKEN,
    Feed,
    ingest,
    new_desk,
)

E = "lavote:4324"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(general_app: FastAPI) -> TestClient:
    return TestClient(general_app)


def choice(doc: dict[str, Any], choice_id: str) -> dict[str, Any]:
    return next(c for c in doc["contest"]["choices"] if c["id"] == choice_id)


def raw_votes(feed: Feed, index: int, contest_id: str) -> dict[str, int]:
    """A contest's votes read straight from one release file of the feed."""
    release = read_release(feed.releases[index][1], feed.election)
    count = release.count(contest_id)
    assert count is not None
    return count.votes


# --- reads --------------------------------------------------------------------------------------------


def test_elections_lists_the_general_with_its_latest_release(
    client: TestClient, general_desk: Desk
) -> None:
    doc = client.get("/api/elections").json()
    assert doc["schema"] == "racedesk.elections/1"
    (general,) = [e for e in doc["elections"] if e["id"] == E]
    assert general["contests"] == 373
    assert general["release"]["sequence"] == general_desk.store.latest_sequence(E)


def test_da_final_numbers(client: TestClient) -> None:
    doc = client.get(f"/api/elections/{E}/contests/{DA}").json()
    assert doc["schema"] == "racedesk.state/1"
    assert choice(doc, HOCHMAN)["votes"] == 1_983_802
    assert choice(doc, GASCON)["votes"] == 1_328_710
    assert round(choice(doc, HOCHMAN)["share"] * 100, 2) == 59.89
    assert doc["contest"]["leaders"] == [HOCHMAN]
    assert doc["contest"]["call"]["status"] == "called"
    assert doc["contest"]["call"]["choices"] == [HOCHMAN]


def test_contest_as_of_a_release_time_has_that_release_numbers(
    client: TestClient, general_desk: Desk, general_feed: Feed
) -> None:
    stored = general_desk.releases(E)
    target = stored[5].release
    for as_of in (target.feed_time.isoformat(), target.feed_time.replace(tzinfo=None).isoformat()):
        doc = client.get(f"/api/elections/{E}/contests/{DA}", params={"as_of": as_of}).json()
        assert doc["release"]["sequence"] == 5
        votes = {c["id"]: c["votes"] for c in doc["contest"]["choices"]}
        assert votes == raw_votes(general_feed, 5, DA)
    # a second before the release is the release before it
    earlier = (target.feed_time.replace(microsecond=0)).timestamp() - 1
    from datetime import datetime

    before = datetime.fromtimestamp(earlier, tz=target.feed_time.tzinfo).isoformat()
    doc = client.get(f"/api/elections/{E}/contests/{DA}", params={"as_of": before}).json()
    assert doc["release"]["sequence"] == 4


def test_contest_by_release_number(client: TestClient, general_feed: Feed) -> None:
    doc = client.get(f"/api/elections/{E}/contests/{DA}", params={"release": 3}).json()
    assert doc["release"]["sequence"] == 3
    assert {c["id"]: c["votes"] for c in doc["contest"]["choices"]} == raw_votes(
        general_feed, 3, DA
    )


def test_before_the_first_release_there_is_no_state(client: TestClient) -> None:
    response = client.get(
        f"/api/elections/{E}/contests/{DA}", params={"as_of": "2024-01-01T00:00:00-08:00"}
    )
    assert response.status_code == 404
    assert "no release" in response.json()["error"]["problem"]
    doc = client.get(f"/api/elections/{E}", params={"as_of": "2024-01-01T00:00:00"}).json()
    assert doc["release"] is None and doc["contests"] == []


def test_election_view_summarises_every_contest(client: TestClient) -> None:
    doc = client.get(f"/api/elections/{E}").json()
    assert doc["schema"] == "racedesk.status/1"
    assert len(doc["contests"]) == 373
    da = next(c for c in doc["contests"] if c["id"] == DA)
    assert da["status"] == "called"
    assert da["called_for"] == ["NATHAN HOCHMAN"]


def test_contests_filter_by_status_and_search(client: TestClient) -> None:
    everything = client.get(f"/api/elections/{E}/contests").json()["contests"]
    statuses = {c["status"] for c in everything}
    for status in statuses:
        rows = client.get(f"/api/elections/{E}/contests", params={"status": status}).json()[
            "contests"
        ]
        assert rows and all(r["status"] == status for r in rows)
        assert len(rows) == sum(1 for c in everything if c["status"] == status)
    found = client.get(f"/api/elections/{E}/contests", params={"q": "district ATTORNEY"}).json()[
        "contests"
    ]
    assert DA in {r["id"] for r in found}
    assert all("district" in (r["title"] + r["group"]).lower() for r in found)
    none = client.get(f"/api/elections/{E}/contests", params={"q": "no such contest zzz"}).json()
    assert none["contests"] == [] and none["filter"]["q"] == "no such contest zzz"


def test_history_release_by_release(
    client: TestClient, general_desk: Desk, general_feed: Feed
) -> None:
    doc = client.get(f"/api/elections/{E}/contests/{DA}/history").json()
    assert doc["schema"] == "racedesk.history/1"
    rows = doc["releases"]
    assert [r["sequence"] for r in rows] == list(range(len(general_desk.releases(E))))
    assert rows[-1]["votes"] == {"NATHAN HOCHMAN": 1_983_802, "GEORGE GASCÓN": 1_328_710}
    as_of = general_desk.releases(E)[10].release.feed_time.isoformat()
    cut = client.get(f"/api/elections/{E}/contests/{DA}/history", params={"as_of": as_of}).json()
    assert [r["sequence"] for r in cut["releases"]] == list(range(11))


def test_releases_carry_the_hash_of_the_bytes(client: TestClient, general_feed: Feed) -> None:
    doc = client.get(f"/api/elections/{E}/releases").json()
    assert doc["schema"] == "racedesk.releases/1"
    hashes = [r["hash"] for r in doc["releases"]]
    assert (
        hashes
        == [hashlib.sha256(data).hexdigest() for _, data in general_feed.releases][: len(hashes)]
    )


def test_ledger_as_of_holds_only_earlier_events(client: TestClient, general_desk: Desk) -> None:
    full = client.get(f"/api/elections/{E}/ledger").json()
    assert full["schema"] == "racedesk.ledger/1"
    assert full["events"], "the 2024 general has calls"
    da = [e for e in full["events"] if e["contest_id"] == DA and e["status"] == "called"]
    assert da and da[0]["choice_names"] == ["NATHAN HOCHMAN"]
    first = da[0]
    as_of = first["release_time"]
    cut = client.get(f"/api/elections/{E}/ledger", params={"as_of": as_of}).json()["events"]
    assert all(e["release_sequence"] <= first["release_sequence"] for e in cut)
    assert first["event_id"] in {e["event_id"] for e in cut}


def test_unknown_things_are_404_with_the_error_shape(client: TestClient) -> None:
    for url in (
        "/api/elections/nope:1",
        f"/api/elections/{E}/contests/999999",
        f"/api/elections/{E}/contests/{DA}?release=9999",
        f"/api/elections/{E}/contests/999999/history",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["problem"]


def test_bad_times_are_422_not_500(client: TestClient) -> None:
    for value in ("yesterday", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:00"):
        response = client.get(f"/api/elections/{E}/contests/{DA}", params={"as_of": value})
        assert response.status_code == 422, value


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/elections",
        "/api/elections/{election_id}",
        "/api/elections/{election_id}/contests",
        "/api/elections/{election_id}/contests/{contest_id}",
        "/api/elections/{election_id}/contests/{contest_id}/history",
        "/api/elections/{election_id}/ledger",
        "/api/elections/{election_id}/releases",
        "/api/elections/{election_id}/events",
    ):
        assert "get" in paths[path], path
    assert "post" in paths["/api/elections/{election_id}/releases"]
    assert "post" in paths["/api/elections/{election_id}/outstanding"]
    assert "post" in paths["/api/elections/{election_id}/calls/{event_id}/approve"]


# --- pages ----------------------------------------------------------------------------------------------


def test_pages_render_the_da_with_its_real_numbers(client: TestClient) -> None:
    assert "2024" in client.get("/").text
    index = client.get(f"/elections/{E}")
    assert index.status_code == 200
    assert index.text.count("<tr data-status=") == 373
    page = client.get(f"/elections/{E}/contests/{DA}").text
    row_h = re.search(r'<tr data-choice="23483".*?</tr>', page, re.S)
    row_g = re.search(r'<tr data-choice="23482".*?</tr>', page, re.S)
    assert row_h and "1,983,802" in row_h.group(0) and "59.89%" in row_h.group(0)
    assert row_g and "1,328,710" in row_g.group(0) and "40.11%" in row_g.group(0)
    assert 'id="call-status">called<' in page


def test_contest_page_as_of_a_release(client: TestClient, general_feed: Feed) -> None:
    page = client.get(f"/elections/{E}/contests/{DA}", params={"release": 2}).text
    votes = raw_votes(general_feed, 2, DA)
    row = re.search(r'<tr data-choice="23483".*?</tr>', page, re.S)
    assert row and f"{votes[HOCHMAN]:,}" in row.group(0)
    # the page numbers a release by its sequence, as the API, the URL and the CLI do
    assert (
        'Release #<span id="release-number">2</span> of #<span class="release-last">31</span>'
        in page
    )


def test_index_filters_on_the_server_too(client: TestClient) -> None:
    page = client.get(f"/elections/{E}", params={"q": "district attorney"}).text
    row = r'<tr data-status="[^"]*" data-order="\d+" data-title="([^"]*)" data-search="[^"]*"'
    shown = re.findall(row + ">", page)
    hidden = re.findall(row + " hidden>", page)
    assert shown and len(shown) + len(hidden) == 373
    assert all("district attorney" in s for s in shown)
    # what an editor types finds the contest, first on the page as in the API
    page = client.get(f"/elections/{E}", params={"q": "hochman"}).text
    assert re.findall(row + ">", page) == ["district attorney"]


def test_unknown_page_is_a_404_page(client: TestClient) -> None:
    response = client.get("/elections/nope:1")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_feed_names_are_escaped_in_pages_and_json(hostile_desk: Desk) -> None:
    client = TestClient(create_app(hostile_desk, token=None))
    page = client.get("/elections/test:1/contests/1").text
    assert HOSTILE_NAME not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "</script><script>" not in page
    # the chart data embedded in the page is JSON with < escaped
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.S)
    assert data and "\\u003cscript\\u003e" in data.group(1)
    assert json.loads(data.group(1))["series"][0]["name"] == HOSTILE_NAME
    index = client.get("/elections/test:1").text
    assert (
        HOSTILE_TITLE not in index
        and "Mayor &lt;img src=x onerror=alert(1)&gt; &amp; Council" in index
    )
    doc = client.get("/api/elections/test:1/contests/1").json()
    assert doc["contest"]["title"] == HOSTILE_TITLE


# --- writes ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def write_desk(general_feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    desk = new_desk(tmp_path_factory.mktemp("writes"), general_feed.election)
    ingest(desk, general_feed, upto=3)
    return desk


@pytest.fixture(scope="module")
def writer(write_desk: Desk) -> TestClient:
    return TestClient(create_app(write_desk, token=TOKEN))


def test_writes_need_the_token(writer: TestClient, general_feed: Feed) -> None:
    body = general_feed.releases[3][1]
    url = f"/api/elections/{E}/releases"
    missing = writer.post(url, content=body)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = writer.post(url, content=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    for path in (f"/api/elections/{E}/outstanding", f"/api/elections/{E}/calls/0/approve"):
        assert writer.post(path, content=b"{}").status_code == 401


def test_writes_are_refused_without_a_configured_token(general_desk: Desk) -> None:
    client = TestClient(create_app(general_desk, token=None))
    response = client.post(f"/api/elections/{E}/releases", content=b"{}", headers=AUTH)
    assert response.status_code == 403
    assert "--token" in response.json()["error"]["hint"]


def test_post_a_release(writer: TestClient, write_desk: Desk, general_feed: Feed) -> None:
    before = write_desk.store.latest_sequence(E)
    path, body = general_feed.releases[3]
    response = writer.post(
        f"/api/elections/{E}/releases", content=body, headers=AUTH, params={"origin": path.name}
    )
    assert response.status_code == 201
    doc = response.json()
    assert doc["schema"] == "racedesk.ingest/1"
    assert doc["status"] == "stored" and doc["sequence"] == before + 1
    assert doc["content_hash"] == hashlib.sha256(body).hexdigest()
    state = writer.get(f"/api/elections/{E}/contests/{DA}").json()
    assert state["release"]["sequence"] == before + 1
    assert {c["id"]: c["votes"] for c in state["contest"]["choices"]} == raw_votes(
        general_feed, 3, DA
    )
    again = writer.post(f"/api/elections/{E}/releases", content=body, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"


def test_a_bad_release_is_422_and_stores_nothing(
    writer: TestClient, write_desk: Desk, general_feed: Feed
) -> None:
    before = write_desk.store.latest_sequence(E)
    body = general_feed.releases[4][1]
    for bad in (body[: len(body) // 2], b'{"TimeStamp": "not a time", "Data": []}', b"\xff\xfe"):
        response = writer.post(
            f"/api/elections/{E}/releases", content=bad, headers=AUTH, params={"origin": "bad.json"}
        )
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["problem"] and error["where"].startswith("bad.json")
    assert writer.post(f"/api/elections/{E}/releases", content=b"", headers=AUTH).status_code == 422
    assert write_desk.store.latest_sequence(E) == before


def test_post_outstanding_reports(writer: TestClient, write_desk: Desk) -> None:
    report = {
        "as_of": "2024-11-06T17:00",
        "total": 1_116_100,
        "breakdown": {"vbm": 1_000_000, "cvr": 104_000, "provisional": 12_100},
        "source": "registrar",
    }
    url = f"/api/elections/{E}/outstanding"
    response = writer.post(url, content=json.dumps(report), headers=AUTH)
    assert response.status_code == 201
    assert response.json()["stored"] == 1
    assert writer.post(url, content=json.dumps([report]), headers=AUTH).json()["stored"] == 0
    kept = write_desk.store.outstanding(E)
    assert [r.total for r in kept] == [1_116_100]
    bad = writer.post(url, content=json.dumps({"as_of": "2024-11-06", "total": -5}), headers=AUTH)
    assert bad.status_code == 422 and bad.json()["error"]["where"]


def test_approve_a_call(writer: TestClient, write_desk: Desk) -> None:
    ledger = write_desk.ledger(E)
    calls = [e for e in ledger if e.status != "rescinded"]
    if not calls:
        pytest.skip("no call in the first releases to approve")
    target = calls[0]
    url = f"/api/elections/{E}/calls/{target.event_id}/approve"
    response = writer.post(url, json={"approver": "Desk editor <b>"}, headers=AUTH)
    assert response.status_code == 201
    event = response.json()["event"]
    assert event["approved_by"] == "Desk editor <b>"
    assert event["event_id"] == max(e.event_id for e in ledger) + 1
    assert event["contest_id"] == target.contest_id
    assert write_desk.ledger(E)[-1].approved_by == "Desk editor <b>"
    missing = writer.post(
        f"/api/elections/{E}/calls/999999/approve", json={"approver": "x"}, headers=AUTH
    )
    assert missing.status_code == 404


def test_post_to_an_unknown_election_is_404(writer: TestClient, tmp_path: Path) -> None:
    response = writer.post("/api/elections/nope:1/releases", content=b"{}", headers=AUTH)
    assert response.status_code == 404


def test_the_demo_contest_page_says_its_rule_once_and_shows_the_nov_5_call(
    tmp_path: Path,
) -> None:
    from racedesk.sources.loader import load_canvasses
    from racedesk.store import open_store

    desk = Desk(open_store(f"sqlite:///{tmp_path / 'demo.sqlite'}"))
    general = load_canvasses("scenario:la-da-2020")[1]
    desk.add_election(general.election)
    for report in general.reports:
        desk.add_outstanding(general.election.id, report)
    for release in general.releases:
        desk.ingest_release(release)
    page = TestClient(create_app(desk, token=TOKEN)).get(
        f"/elections/{general.election.id}/contests/district-attorney", params={"release": 1}
    )
    assert page.status_code == 200
    rule = re.search(r'<p class="rule">(.*?)</p>', page.text, re.S)
    assert rule is not None
    assert re.sub(r"<[^>]+>", "", rule.group(1)).strip() == "Rule: most votes wins (EC §15452)"
    assert (
        'Release #<span id="release-number">1</span> of #<span class="release-last">3</span>'
        in (page.text)
    )
    assert 'id="call-status">called<' in page.text
    assert "Jackie Lacey would need 63.2% or more of the two-way vote left" in page.text
    final = TestClient(create_app(desk, token=TOKEN)).get(
        f"/elections/{general.election.id}/contests/district-attorney", params={"release": 3}
    )
    assert "Nothing left to project; model racedesk-cal-" in final.text
    assert "1 draws" not in final.text


def test_a_measure_s_answers_carry_no_party(client: TestClient) -> None:
    """LA's feed files YES and NO under "Non Partisan"; a page does not show it."""
    measure = client.get(f"/elections/{E}/contests/9961").text
    assert "YES" in measure and "Non Partisan" not in measure
    da = client.get(f"/elections/{E}/contests/{DA}").text
    assert "Non Partisan" in da or "NON PARTISAN" in da.upper()


def test_pages_lead_with_the_margin(client: TestClient) -> None:
    """The contest page and the overview say the margin in points and votes, and how much of
    the expected vote is counted, as the API's numbers give them."""
    doc = client.get(f"/api/elections/{E}/contests/{DA}").json()
    votes = sorted((c["votes"] for c in doc["contest"]["choices"]), reverse=True)
    lead = f"+{(votes[0] - votes[1]) / sum(votes) * 100:.1f}, {votes[0] - votes[1]:,} votes"
    page = client.get(f"/elections/{E}/contests/{DA}").text
    assert lead in page and "of the expected vote counted" in page
    left = doc["contest"]["votes_left"]["votes"]
    if left["high"] > 0:  # while votes may be left, never "100%" counted
        assert "100% of the expected vote counted" not in page
    overview = client.get(f"/elections/{E}").text
    assert lead in overview


def test_pages_show_candidates_names_in_proper_case(client: TestClient) -> None:
    """The feed shouts "NATHAN HOCHMAN"; the table, the overview and the chart's legend say
    "Nathan Hochman" (and the 61st Assembly District's "Tina Simone McKinnor"); a measure's
    YES and NO stay as the feed writes them; the API keeps the feed's spelling."""
    page = client.get(f"/elections/{E}/contests/{DA}").text
    assert '<bdi class="name">Nathan Hochman</bdi>' in page
    assert '<bdi class="name">George Gascón</bdi>' in page
    assert '<strong class="called-for">Nathan Hochman</strong>' in page
    assert '"name":"Nathan Hochman"' in page  # the chart's legend
    assert (
        '<bdi class="name">Tina Simone McKinnor</bdi>'
        in client.get(f"/elections/{E}/contests/9523").text
    )
    overview = client.get(f"/elections/{E}").text
    assert (
        "<bdi>Nathan Hochman</bdi>" in overview
        and "NATHAN HOCHMAN" not in overview.split("<tbody>")[1].split('data-search="')[0]
    )
    measure = client.get(f"/elections/{E}/contests/9868").text
    assert '<bdi class="name">YES</bdi>' in measure
    doc = client.get(f"/api/elections/{E}/contests/{DA}").json()
    assert "NATHAN HOCHMAN" in [c["name"] for c in doc["contest"]["choices"]]
