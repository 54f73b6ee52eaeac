"""San Francisco's 2018 mayoral race, ranked choice, in a real headless Chromium (Debian's
``/usr/bin/chromium``, via Playwright; skipped, saying so, when it is absent): the rounds table
and a bar per round on desktop and on a phone, the slider back to election night (Leno ahead in
the last round, 69,078 to 67,932), the static export filling the same rounds from file, and
screenshots in ``test-artifacts/`` (git-ignored)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from racedesk.desk import Desk
from racedesk.publish.static_site import export_site
from racedesk.publish.web.app import create_app

from .conftest import LiveServer
from .test_browser import ARTIFACTS, browser, page, text
from .test_rcv_pages import MAYOR, E, canvass, sf_desk

pytestmark = pytest.mark.browser
__all__ = ["browser", "canvass", "page", "sf_desk"]  # the fixtures, shared

LAST = '#rounds tr[data-choice="{}"] td:nth-child(4)'


def _bar_width(page: Any, round_number: int, colour: int) -> float:
    return float(
        page.evaluate(
            """([n, c]) => {
                const bar = document.querySelectorAll('#round-bars .round-bar .bar')[n - 1];
                const seg = bar.querySelector('.seg-' + c);
                return seg.getBoundingClientRect().width / bar.getBoundingClientRect().width;
            }""",
            [round_number, colour],
        )
    )


def test_the_rounds_on_the_contest_page(
    live_server: Callable[[FastAPI], LiveServer], page: Any, sf_desk: Desk
) -> None:
    server = live_server(create_app(sf_desk, token=None))
    page.goto(f"{server.url}/elections/{E}/contests/{MAYOR}")
    assert page.locator("section.rounds").is_visible()
    assert page.locator("#round-bars .round-bar").count() == 3
    assert text(page, LAST.format("london-breed")).startswith("115,977")
    assert text(page, LAST.format("mark-leno")).startswith("113,431")
    assert text(page, LAST.format("jane-kim")) == "out"
    # Breed (first by first choices: colour 0) outgrows Leno (colour 1) in the last round.
    assert _bar_width(page, 3, 0) > _bar_width(page, 3, 1) > 0.4
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rcv-sf-mayor-2018.png"), full_page=True)
    assert (ARTIFACTS / "rcv-sf-mayor-2018.png").stat().st_size > 10_000
    page.locator("#release-slider").fill("1")
    page.wait_for_function(
        "() => document.querySelector('#release-number')?.textContent === '1'", timeout=5000
    )
    assert text(page, LAST.format("mark-leno")).startswith("69,078")
    assert text(page, LAST.format("london-breed")).startswith("67,932")
    assert _bar_width(page, 3, 1) > _bar_width(page, 3, 0)
    assert text(page, "#call-status") == "too close"
    assert text(page, ".sentence").startswith("Breed would need 50.3% (50.0–51.7%) of the two-way")


def test_the_rounds_on_a_phone(
    live_server: Callable[[FastAPI], LiveServer], browser: Any, sf_desk: Desk
) -> None:
    server = live_server(create_app(sf_desk, token=None))
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    try:
        phone = context.new_page()
        phone.goto(f"{server.url}/elections/{E}/contests/{MAYOR}")
        phone.wait_for_timeout(200)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the contest page scrolls sideways by {overflow}px on a phone"
        bars = phone.locator("#round-bars .round-bar .bar")
        assert bars.count() == 3 and bars.nth(2).is_visible()
        assert bars.nth(2).bounding_box()["width"] > 250
        phone.locator("section.rounds").scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "rcv-sf-mayor-2018-phone.png"), full_page=True)
    finally:
        context.close()


def test_the_static_export_fills_the_same_rounds(
    live_server: Callable[[FastAPI], LiveServer], page: Any, sf_desk: Desk, tmp_path: Path
) -> None:
    server = live_server(create_app(sf_desk, token=None))
    page.goto(f"{server.url}/elections/{E}/contests/{MAYOR}?release=1")
    live_then = page.inner_text("#asof")
    export_site(sf_desk, E, tmp_path)
    contest = next(tmp_path.glob("elections/*/contests/mayor.html"))
    page.goto(contest.as_uri())
    assert text(page, LAST.format("london-breed")).startswith("115,977")
    page.locator("#release-slider").fill("1")
    page.wait_for_function(
        "() => document.querySelector('#release-number')?.textContent === '1'", timeout=5000
    )
    assert page.inner_text("#asof") == live_then
    assert page.locator("#round-bars .round-bar").count() == 3
