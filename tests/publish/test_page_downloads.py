"""What a reader takes away from a page (``racedesk.publish.page_tables`` and the widget of
``pages.render_embed``): the overview and a contest page as CSV, and a contest's embeddable
widget, live and in the static export, on the 2024 general."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from racedesk.publish.static_site import ExportResult

from .conftest import DA, GASCON, HOCHMAN, Feed
from .test_app import raw_votes

E = "lavote:4324"


@pytest.fixture(scope="module")
def client(general_app: FastAPI) -> TestClient:
    return TestClient(general_app)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_contest_page_as_csv(client: TestClient) -> None:
    reply = client.get(f"/elections/{E}/contests/{DA}/table.csv")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert 'filename="lavote-4324-9547.csv"' in reply.headers["content-disposition"]
    table = rows(reply.text)
    assert [r["choice"] for r in table] == ["Nathan Hochman", "George Gascón"]
    h, g = table
    assert (h["votes"], h["share_pct"], g["votes"], g["share_pct"]) == (
        "1983802",
        "59.89",
        "1328710",
        "40.11",
    )
    assert h["status"] == "called" and h["called_for"] == "Nathan Hochman"
    assert h["release"] == "31" and h["feed_time"] == "Dec 2, 2024, 2:55 PM PST"
    page = client.get(f"/elections/{E}/contests/{DA}").text
    assert f'href="/elections/{E}/contests/{DA}/table.csv"' in page


def test_a_contest_csv_as_of_an_earlier_release(client: TestClient, general_feed: Feed) -> None:
    table = rows(client.get(f"/elections/{E}/contests/{DA}/table.csv?release=2").text)
    votes = raw_votes(general_feed, 2, DA)
    assert {r["choice"]: int(r["votes"]) for r in table} == {
        "Nathan Hochman": votes[HOCHMAN],
        "George Gascón": votes[GASCON],
    }
    assert table[0]["release"] == "2"  # the release of ?release=2
    page = client.get(f"/elections/{E}/contests/{DA}?release=2").text
    assert f'href="/elections/{E}/contests/{DA}/table.csv?release=2"' in page


def test_the_overview_as_csv_as_the_page_shows_it(client: TestClient) -> None:
    table = rows(client.get(f"/elections/{E}/contests.csv").text)
    assert len(table) == 373
    da = next(r for r in table if r["contest_id"] == DA)
    assert (da["leading"], da["leading_share_pct"]) == ("Nathan Hochman", "59.89")
    assert (da["runner_up"], da["runner_up_share_pct"]) == ("George Gascón", "40.11")
    assert da["margin"] == "Hochman +19.8, 655,092 votes"
    total = client.get(f"/api/elections/{E}/contests/{DA}").json()["contest"]["total_votes"]
    assert da["votes"] == str(total) and total >= 1_983_802 + 1_328_710
    found = rows(client.get(f"/elections/{E}/contests.csv", params={"q": "hochman"}).text)
    assert found[0]["contest_id"] == DA
    called = client.get(f"/api/elections/{E}/contests", params={"status": "called"}).json()
    only = rows(client.get(f"/elections/{E}/contests.csv", params={"status": "called"}).text)
    assert [r["contest_id"] for r in only] == [c["id"] for c in called["contests"]]
    page = client.get(f"/elections/{E}", params={"status": "called"}).text
    assert f'href="/elections/{E}/contests.csv?status=called"' in page


def test_the_widget_may_be_framed_and_nothing_else(client: TestClient) -> None:
    widget = client.get(f"/elections/{E}/contests/{DA}/embed")
    assert widget.status_code == 200
    assert "x-frame-options" not in widget.headers
    assert "frame-ancestors *" in widget.headers["content-security-policy"]
    text = widget.text
    assert '<bdi class="name">Nathan Hochman</bdi>' in text and ">1,983,802<" in text
    assert "Hochman +19.8, 655,092 votes" in text and ">called<" in text
    assert f'href="/elections/{E}/contests/{DA}" target="_blank"' in text
    for path in (f"/elections/{E}/contests/{DA}", f"/elections/{E}", "/"):
        page = client.get(path)
        assert page.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"], path
    assert client.get(f"/elections/{E}/contests/nope/embed").status_code == 404


def test_the_static_export_has_the_widget_and_the_csv(
    general_site: tuple[Path, ExportResult], client: TestClient
) -> None:
    out, _ = general_site
    folder = out / "elections" / "lavote-4324" / "contests"
    widget = (folder / f"{DA}.embed.html").read_text()
    assert (
        ">1,983,802<" in widget
        and 'href="../../../elections/lavote-4324/contests/9547.html"' in widget
    )
    assert (folder / f"{DA}.csv").read_bytes().decode() == client.get(
        f"/elections/{E}/contests/{DA}/table.csv"
    ).text
    assert (out / "elections" / "lavote-4324" / "contests.csv").read_bytes().decode() == client.get(
        f"/elections/{E}/contests.csv"
    ).text
    page = (folder / f"{DA}.html").read_text()
    assert 'href="../../../elections/lavote-4324/contests/9547.csv"' in page
    assert 'href="../../../elections/lavote-4324/contests/9547.embed.html"' in page
