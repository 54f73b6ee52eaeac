"""An election joined from LA County's feed and the state's, in a real headless Chromium
(Debian's ``/usr/bin/chromium`` via Playwright; skipped, saying so, when absent): the whole
Proposition 1, counted by the state's feed, links LA's count of its part, which says it is not
called and links back; the state's copy of District 27 points to LA's count of it. Screenshots go
to ``test-artifacts/`` (git-ignored)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from desk.test_joined_store import _la_night, _state_night
from racedesk.cli import app
from racedesk.desk import Desk
from racedesk.publish.web.app import create_app
from racedesk.store import open_store

from .conftest import LiveServer
from .test_browser import ARTIFACTS, browser, page, text  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
E = "joint:lavote:4316+ca-sos:2024-03-05"


def test_the_whole_contest_and_la_part_link_each_other(
    live_server: Callable[[FastAPI], LiveServer],
    page: Any,  # noqa: F811
    shared_data: Path,
    tmp_path: Path,
) -> None:
    la, state = (
        shared_data / "lavote" / "4316-2024-primary",
        shared_data / "ca-sos" / "2024-primary",
    )
    if not la.is_dir() or not state.is_dir():
        pytest.skip("the 2024 primary feeds (LA's and the state's) are not in the shared data")
    spec = f"{_la_night(la, tmp_path / 'la')}+{_state_night(state, tmp_path / 'state')}"
    db = f"sqlite:///{tmp_path / 'joined.sqlite'}"
    stored = CliRunner().invoke(
        app, ["ingest", spec, "--db", db, "--quiet"], catch_exceptions=False
    )
    assert stored.exit_code == 0, stored.output
    server = live_server(create_app(Desk(open_store(db)), token=None))
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{server.url}/elections/{E}/contests/prop-1")
    joined = text(page, "ul.joined")
    assert "STATE MEASURE 1: Los Angeles County's part, in Los Angeles County, CA's feed" in joined
    assert "shown, never called" in joined
    page.screenshot(path=str(ARTIFACTS / "joined-prop-1.png"), full_page=True)

    page.click("ul.joined a")
    page.wait_for_url("**/contests/9413")
    assert "the contest of record, whose count racedesk calls" in text(page, "ul.joined")
    assert "Not called: racedesk sees only Los Angeles County's part" in page.content()
    assert "The whole contest is called from contest prop-1." in page.content()
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "joined-la-part-phone.png"), full_page=True)

    page.goto(f"{server.url}/elections/{E}/contests/us-rep-district-27")
    assert "Not called here: the same contest is counted whole in contest 9006" in page.content()
    page.click("ul.joined a")
    page.wait_for_url("**/contests/9006")
    assert "a copy of this count, in California's feed" in text(page, "ul.joined")

    # the overview says which rows are a part and which a copy, and links a copy to its record
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/elections/{E}")
    part = page.locator("#contests tr", has=page.locator("a[href$='/contests/9413']"))
    assert "Los Angeles County's part only" in part.inner_text()
    copy = page.locator("#contests tr", has=page.locator("a[href$='/contests/us-rep-district-27']"))
    assert "a copy: counted whole here" in copy.inner_text()
    copy.locator("small.portion a").click()
    page.wait_for_url("**/contests/9006")
