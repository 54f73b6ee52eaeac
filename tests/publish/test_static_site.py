"""The static export (``racedesk.publish.static_site``) of the 2024 general."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.publish.static_site import ExportResult
from racedesk.publish.web.app import create_app

from .conftest import DA, GASCON, HOCHMAN, TOKEN

E = "lavote:4324"


@pytest.fixture(scope="module")
def site(general_site: tuple[Path, ExportResult]) -> tuple[Path, ExportResult]:
    return general_site


def test_export_writes_every_page_and_document(site: tuple[Path, ExportResult]) -> None:
    out, result = site
    assert result.pages == 2 + 2 * 373  # each contest's page and its embeddable widget
    assert (out / "index.html").is_file()
    assert (out / "elections" / "lavote-4324" / "index.html").is_file()
    folder = out / "elections" / "lavote-4324" / "contests"
    assert len(list(folder.glob("*.embed.html"))) == 373
    assert len(list(folder.glob("*.html"))) == 2 * 373
    assert len(list(folder.glob("*.csv"))) == 373
    assert (out / "elections" / "lavote-4324" / "contests.csv").is_file()
    assert (out / "static" / "vendor" / "htmx.min.js").is_file()
    assert (out / "static" / "vendor" / "uPlot.LICENSE").is_file()
    assert (out / "api" / "elections" / "lavote-4324" / "contests" / f"{DA}.json").is_file()


def test_export_has_the_same_numbers_as_the_live_api(
    site: tuple[Path, ExportResult], general_desk: Desk
) -> None:
    out, _ = site
    live = TestClient(create_app(general_desk, token=TOKEN))
    for doc_path, url in (
        (f"api/elections/lavote-4324/contests/{DA}.json", f"/api/elections/{E}/contests/{DA}"),
        (
            f"api/elections/lavote-4324/contests/{DA}/history.json",
            f"/api/elections/{E}/contests/{DA}/history",
        ),
        ("api/elections/lavote-4324.json", f"/api/elections/{E}"),
        ("api/elections/lavote-4324/ledger.json", f"/api/elections/{E}/ledger"),
        ("api/elections/lavote-4324/releases.json", f"/api/elections/{E}/releases"),
    ):
        assert json.loads((out / doc_path).read_text()) == live.get(url).json(), doc_path


def test_exported_contest_page_links_only_relative_files(site: tuple[Path, ExportResult]) -> None:
    out, _ = site
    page = (out / "elections" / "lavote-4324" / "contests" / f"{DA}.html").read_text()
    row = re.search(r'<tr data-choice="23483".*?</tr>', page, re.S)
    assert row and "1,983,802" in row.group(0)
    for ref in re.findall(r'(?:href|src)="([^"]+)"', page):
        assert ref.startswith(("../", "#", "data:")), ref
        if ref.startswith("../"):
            target = (out / "elections" / "lavote-4324" / "contests" / ref.split("#")[0]).resolve()
            assert target.exists(), ref
    # every release's part record is in the page for the time slider, and no live hooks
    marks = re.search(
        r'<script type="application/json" id="release-marks">(.*?)</script>', page, re.S
    )
    assert marks is not None
    records = re.search(
        r'<script type="application/json" id="part-records">(.*?)</script>', page, re.S
    )
    assert records is not None
    parts = json.loads(records.group(1))
    assert [p["release"] for p in parts] == [m["sequence"] for m in json.loads(marks.group(1))]
    final = {row["id"]: row["votes"] for row in parts[-1]["rows"]}
    assert final == {HOCHMAN: "1,983,802", GASCON: "1,328,710"}
    assert "sse-connect" not in page and "hx-get" not in page


def test_contests_whose_ids_read_alike_get_files_of_their_own(tmp_path: Path) -> None:
    """F15: contest ids "a/b", "a:b" and ".." in one election: one page and one document each,
    every file inside the export's folder."""
    from builders import contest, election, release
    from racedesk.publish.links import file_name
    from racedesk.publish.static_site import export_site
    from racedesk.store import open_store

    contests = [contest(cid, ["YES", "NO"]) for cid in ("a/b", "a:b", "..", "a-b")]
    e = election(contests)
    desk = Desk(open_store(f"sqlite:///{tmp_path / 'd.sqlite'}"))
    desk.add_election(e)
    desk.ingest_release(release(contests, [[1, 2], [3, 4], [5, 6], [7, 8]]))
    out = tmp_path / "site"
    result = export_site(desk, e.id, out)
    assert result.pages == 2 + 2 * 4
    folder = out / "elections" / "test-1" / "contests"
    pages = sorted(p.name for p in folder.glob("*.html") if not p.name.endswith(".embed.html"))
    assert pages == sorted(f"{file_name(c.id)}.html" for c in contests)
    for c, votes in zip(contests, ([1, 2], [3, 4], [5, 6], [7, 8]), strict=True):
        doc = json.loads(
            (
                out / "api" / "elections" / "test-1" / "contests" / f"{file_name(c.id)}.json"
            ).read_text()
        )
        assert doc["contest"]["id"] == c.id
        assert [ch["votes"] for ch in doc["contest"]["choices"]] == votes
    written = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(out.resolve() in p.parents for p in written if p.suffix in (".html", ".json"))
