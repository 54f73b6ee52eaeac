"""Money over the web (``publish/web/money_routes.py``, ``publish/money_panel.py``): the API's
``racedesk.money/1`` and a contest's money panel, from Oakland's real filings kept in a desk's
store with a reviewed links file."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.desk.money import ingest_money
from racedesk.publish.web.app import create_app

from .conftest import DA, TOKEN, Feed, new_desk

E = "lavote:4324"
#: For these tests only: no machine-readable LA filings exist, so Oakland's Gary Yee IEs are
#: linked to the DA page to show the panel's working on a real page with real filings.
LINKS = (
    "committee_id,committee_name,contest,subject,position,role,reviewed,reason\n"
    f"1331137,Families and Educators for Public Education,{E}/{DA},GARY D YEE,support,ie,yes,"
    "test wiring: Oakland's filings on the LA page\n"
)


def money_desk(tmp: Path, feed: Feed, shared_data: Path) -> Desk:
    """A desk with the 2024 general's election, Oakland's Gary Yee filings and the links."""
    desk = new_desk(tmp, feed.election)
    folder = shared_data / "money" / "netfile-oakland-fixtures"
    case = folder / "deduplicate_460_497_within_1_day_of_deadline"
    if not case.is_dir():
        pytest.skip(f"Oakland fixture not found at {case}")
    links = tmp / "links.csv"
    links.write_text(LINKS)
    ingest_money(desk.store, [case, links])
    return desk


@pytest.fixture()
def client(tmp_path: Path, general_feed: Feed, shared_data: Path) -> TestClient:
    return TestClient(create_app(money_desk(tmp_path, general_feed, shared_data), token=TOKEN))


def test_the_api_gives_a_contest_s_money_by_side(client: TestClient) -> None:
    doc = client.get(f"/api/money/elections/{E}/contests/{DA}").json()
    assert doc["schema"] == "racedesk.money/1"
    (subject,) = doc["subjects"]
    assert (subject["subject"], subject["support"]["ies"]) == ("GARY D YEE", "56394.73")
    assert subject["support"]["total"] == "56394.73" and subject["oppose"]["total"] == "0"
    assert [link["reviewed"] for link in doc["links"]] == [True]
    everything = client.get("/api/money").json()
    assert len(everything["committees"]) == 1


def test_the_panel_shows_sides_over_time(client: TestClient) -> None:
    html = client.get(f"/elections/{E}/contests/{DA}/money").text
    assert "Money by side" in html and "GARY D YEE" in html
    assert '<td class="ies">$56,394.73</td>' in html
    assert "2018-08-29 to 2018-09-22 (top $56,394.73)" in html
    assert '<polyline class="support"' in html
    other = client.get(f"/elections/{E}/contests/nothing-linked/money").text
    assert "No committee is linked to this contest yet" in other


def test_the_contest_page_loads_the_panel(client: TestClient) -> None:
    html = client.get(f"/elections/{E}/contests/{DA}").text
    assert f'hx-get="/elections/{E}/contests/{DA}/money"' in html


def test_amounts_read_as_people_read_them() -> None:
    from decimal import Decimal

    from racedesk.publish.money_panel import money

    assert money(Decimal("56394.73")) == "$56,394.73"
    assert money(Decimal("-405.00")) == "−$405.00"  # a committee that refunded more than it took
