"""A name holding a right-to-left override is shown as written, isolated, on pages and in the
terminal (F14: Gascón renamed "U+202E NAMHCOH NAHTAN" read "NATHAN HOCHMAN")."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from rich.console import Console

from builders import contest, election, release
from racedesk.desk import Desk
from racedesk.publish import terminal
from racedesk.publish.documents import contest_summary
from racedesk.publish.web.app import create_app
from racedesk.store import open_store

SPOOF = "\u202eNAMHCOH NAHTAN"


def _desk(tmp: Path) -> Desk:
    da = contest("9547", ["NATHAN HOCHMAN", SPOOF])
    e = election([da], title="General \u200belection")
    desk = Desk(open_store(f"sqlite:///{tmp / 'd.sqlite'}"))
    desk.add_election(e)
    desk.ingest_release(release([da], [[1_983_802, 1_328_710]]))
    return desk


def test_pages_show_the_override_and_isolate_the_name(tmp_path: Path) -> None:
    client = TestClient(create_app(_desk(tmp_path), token=None))
    page = client.get("/elections/test:1/contests/9547").text
    assert '<bdi class="name">⟨U+202E⟩NAMHCOH NAHTAN</bdi>' in page
    assert "\u202e" not in page and "\u200b" not in page
    listing = client.get("/elections/test:1").text
    assert "<h1><bdi>General ⟨U+200B⟩election</bdi></h1>" in listing
    assert "\u202e" not in listing


def test_the_terminal_shows_the_override(tmp_path: Path) -> None:
    desk = _desk(tmp_path)
    e = desk.election("test:1")
    snap = desk.snapshot("test:1")
    assert snap is not None
    console = Console(width=200, record=True)
    summaries = [contest_summary(e, snap, c.id) for c in e.contests]
    console.print(terminal.status_table(e, snap, summaries))
    text = console.export_text()
    assert "⟨U+200B⟩" in text and "\u202e" not in text and "\u200b" not in text
