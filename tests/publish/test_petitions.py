"""Recall petitions published: the API's documents (``racedesk.petitions/1``,
``racedesk.petition-status/1``) as of a date, the petition page with the sample's arithmetic and
the law's lines, the index's links, and the static export, on the real petitions table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import builders
from racedesk.desk import Desk
from racedesk.desk.petitions import ingest_petitions
from racedesk.publish.petition_pages import scale_span, verdict_class
from racedesk.publish.static_site import export_site
from racedesk.publish.web.app import create_app
from racedesk.store import open_store


@pytest.fixture(scope="module")
def desk(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    table = shared_data / "recalls" / "petitions.csv"
    if not table.exists():
        pytest.skip(f"no {table}")
    tmp = tmp_path_factory.mktemp("petitions")
    desk = Desk(open_store(f"sqlite:///{tmp / 'desk.sqlite'}"))
    ingest_petitions(desk.store, table.read_bytes(), origin="petitions.csv")
    return desk


@pytest.fixture(scope="module")
def client(desk: Desk) -> TestClient:
    return TestClient(create_app(desk, token=None))


def test_the_api_lists_every_petition_with_its_verdict(client: TestClient) -> None:
    doc = client.get("/api/petitions").json()
    assert doc["schema"] == "racedesk.petitions/1"
    verdicts = {p["petition"]["id"]: p["verdict"] for p in doc["petitions"]}
    assert verdicts == {
        "bonin_2021": "failed",
        "boudin_2021_first": "failed",
        "boudin_2021_second": "qualified",
        "de_leon_2023": "failed",
        "gascon_2021": "failed",
        "gascon_2022": "failed",
        "newsom_2021": "qualified",
        "price_2024": "qualified",
        "sf_school_board_2021": "qualified",
    }
    then = client.get("/api/petitions", params={"as_of": "2022-07-20"}).json()
    then_verdicts = {p["petition"]["id"]: p["verdict"] for p in then["petitions"]}
    assert then_verdicts["gascon_2022"] == "full count needed"
    assert then_verdicts["de_leon_2023"] is None  # not yet past its deadline


def test_one_petition_as_of_a_date(client: TestClient) -> None:
    doc = client.get("/api/petitions/gascon_2022", params={"as_of": "2022-07-20"}).json()
    assert doc["schema"] == "racedesk.petition-status/1"
    assert (doc["as_of"], doc["verdict"]) == ("2022-07-20", "full count needed")
    assert doc["sample"]["steps"]["projected_valid"] == 559_639
    assert doc["sample"]["decision"]["share_of_required"] == pytest.approx(0.98727, abs=1e-5)
    assert [e["verdict"] for e in doc["ledger"]] == ["filed", "full count needed"]
    now = client.get("/api/petitions/gascon_2022").json()
    assert now["full_count"]["sentence"] == "insufficient by 46,807"


def test_unknown_petitions_and_bad_dates_are_refused(client: TestClient) -> None:
    missing = client.get("/api/petitions/nobody")
    assert missing.status_code == 404
    assert "no petition 'nobody'" in json.dumps(missing.json())
    assert client.get("/api/petitions/gascon_2022", params={"as_of": "July"}).status_code == 422
    assert client.get("/petitions/nobody").status_code == 404


def test_the_petition_page_shows_the_numbers_that_matter(client: TestClient) -> None:
    html = client.get("/petitions/gascon_2022", params={"as_of": "2022-07-20"}).text
    for shown in (
        'id="raw">715,833<',
        'id="sample-size">35,793<',
        'id="sample-valid">27,983<',
        "78.18% valid",
        'id="duplicates">not published<',
        "<strong>559,639</strong>",
        'id="required">566,857<',
        "V̂ is 98.73% of R",
        'id="low-line">510,171.3<',
        'id="high-line">623,542.7<',
        "<strong>full count</strong>",
        "Every signature must be checked: the sample projects 559,639 valid signatures",
    ):
        assert shown in html, shown
    assert "The full count" not in html  # not known on July 20
    final = client.get("/petitions/gascon_2022").text
    assert 'id="full-valid">520,050<' in final
    assert "<strong>insufficient by 46,807</strong>" in final
    assert "Failed: the full count found 520,050 valid signatures" in final
    assert 'href="/api/petitions/gascon_2022"' in final


def test_a_petition_without_sample_figures_has_no_arithmetic(client: TestClient) -> None:
    html = client.get("/petitions/price_2024").text
    assert "The random sample" not in html
    assert "inconclusive (within 90-110%) -&gt; manual count" in html
    assert 'id="full-outcome"><strong>sufficient by 1,562</strong>' in html
    assert "date not given" in html


def test_the_index_links_every_petition(client: TestClient) -> None:
    html = client.get("/").text
    assert 'href="/petitions/gascon_2022"' in html
    assert "District Attorney, LA County" in html
    assert html.count('class="badge pv-') == 9


def test_the_scale_holds_the_projection_and_the_lines(client: TestClient, desk: Desk) -> None:
    from racedesk.publish.petitions import petition_status_view

    gascon = petition_status_view(desk.store, "gascon_2022")
    assert scale_span(gascon) == (0.8, 1.2)
    boudin = petition_status_view(desk.store, "boudin_2021_second")
    low, high = scale_span(boudin)
    assert low == 0.8 and high == pytest.approx(65_617 / 51_325 + 0.02)
    assert verdict_class("full count needed") == "pv-full-count-needed"
    assert verdict_class(None) == "pv-filed"


def test_the_static_export_writes_the_petitions(desk: Desk, tmp_path: Path) -> None:
    contest = builders.contest("1", ["A", "B"])
    election = builders.election([contest])
    desk.add_election(election)
    result = export_site(desk, election.id, tmp_path / "site")
    site = tmp_path / "site"
    page = (site / "petitions" / "gascon_2022.html").read_text()
    assert 'id="projected-valid"><strong>559,639</strong>' in page
    assert 'href="../api/petitions/gascon_2022.json"' in page
    assert 'href="petitions/gascon_2022.html"' in (site / "index.html").read_text()
    doc = json.loads((site / "api" / "petitions" / "gascon_2022.json").read_text())
    assert doc["verdict"] == "failed"
    assert len(json.loads((site / "api" / "petitions.json").read_text())["petitions"]) == 9
    assert result.pages == 4 + 9  # index, election, one contest and its widget; nine petitions


def test_a_full_count_in_progress_says_what_the_rest_must_be(tmp_path: Path) -> None:
    from sources.test_petition_reports import GASCON_REPORTS

    desk = Desk(open_store(f"sqlite:///{tmp_path / 'desk.sqlite'}"))
    ingest_petitions(desk.store, GASCON_REPORTS.encode(), origin="reports.csv")
    client = TestClient(create_app(desk, token=None))
    doc = client.get("/api/petitions/gascon_2022", params={"as_of": "2022-08-01"}).json()
    assert doc["verdict"] == "full count needed"
    assert doc["progress"]["sentence"] == "the rest must be 83.4% valid; 72.6% so far"
    assert (doc["progress"]["checked"], doc["progress"]["valid"]) == (279_090, 202_619)
    html = client.get("/petitions/gascon_2022", params={"as_of": "2022-08-01"}).text
    assert (
        "279,090 of 715,833 checked, 202,619 valid: the rest must be 83.4% valid; 72.6% so far."
        in html
    )
    final = client.get("/api/petitions/gascon_2022").json()
    assert [e["verdict"] for e in final["ledger"]] == ["filed", "full count needed", "failed"]


def test_a_petitions_file_posted_with_the_token_is_kept(shared_data: Path, tmp_path: Path) -> None:
    from sources.test_petition_reports import GASCON_REPORTS

    from .conftest import TOKEN

    desk = Desk(open_store(f"sqlite:///{tmp_path / 'desk.sqlite'}"))
    client = TestClient(create_app(desk, token=TOKEN))
    token = {"Authorization": f"Bearer {TOKEN}"}
    body = GASCON_REPORTS.encode()
    assert client.post("/api/petitions", content=body).status_code == 401
    posted = client.post("/api/petitions", content=body, headers=token, params={"origin": "r.csv"})
    assert posted.status_code == 201
    doc = posted.json()
    assert doc["schema"] == "racedesk.petition-ingest/1"
    [one] = doc["petitions"]
    assert (one["id"], one["new_stages"]) == ("gascon_2022", 4)
    assert [(e["verdict"], e["on"]) for e in one["new_events"]] == [
        ("filed", "2022-07-06"),
        ("full count needed", "2022-07-15"),
        ("failed", "2022-08-15"),
    ]
    again = client.post("/api/petitions", content=body, headers=token).json()
    assert again["petitions"][0]["new_stages"] == 0
    assert client.get("/api/petitions/gascon_2022").json()["verdict"] == "failed"
    refused = client.post("/api/petitions", content=b"petition,office\nx,y\n", headers=token)
    assert refused.status_code == 422
    assert "no column" in refused.json()["error"]["problem"]
    assert [q.origin for q in desk.store.quarantined()] == ["POST /api/petitions"]
    read_only = TestClient(create_app(desk, token=None))
    assert read_only.post("/api/petitions", content=body).status_code == 403
