"""The Gascón 2022 recall petition's page in a real headless Chromium (Debian's
``/usr/bin/chromium``, via Playwright; skipped, saying so, when it is absent): the figures the
page shows on the sample's day and after the full count, the scale's marks where the law puts
them, and a screenshot in ``test-artifacts/`` (git-ignored)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from racedesk.desk import Desk
from racedesk.desk.petitions import ingest_petitions
from racedesk.publish.web.app import create_app
from racedesk.store import open_store

from .conftest import LiveServer
from .test_browser import ARTIFACTS, browser, page, text

pytestmark = pytest.mark.browser
__all__ = ["browser", "page"]  # the fixtures, shared with the dashboard's browser tests


@pytest.fixture(scope="module")
def petitions_desk(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    table = shared_data / "recalls" / "petitions.csv"
    if not table.exists():
        pytest.skip(f"no {table}")
    tmp = tmp_path_factory.mktemp("petitions-browser")
    desk = Desk(open_store(f"sqlite:///{tmp / 'desk.sqlite'}"))
    ingest_petitions(desk.store, table.read_bytes(), origin="petitions.csv")
    return desk


def _left(page: Any, selector: str) -> float:
    """Where an element of the scale starts, as a share of the scale's width."""
    return float(
        page.evaluate(
            """(sel) => {
                const scale = document.querySelector('.band-scale .scale').getBoundingClientRect();
                const mark = document.querySelector(sel).getBoundingClientRect();
                return (mark.left - scale.left) / scale.width;
            }""",
            selector,
        )
    )


def test_the_gascon_2022_petition_page(
    live_server: Callable[[FastAPI], LiveServer], page: Any, petitions_desk: Desk
) -> None:
    server = live_server(create_app(petitions_desk, token=None))
    page.goto(f"{server.url}/")
    page.locator('a[href="/petitions/gascon_2022"]').click()
    page.wait_for_selector("#verdict")
    assert text(page, "#verdict") == "failed"
    assert text(page, "#verdict-sentence") == (
        "Failed: the full count found 520,050 valid signatures against 566,857 required: "
        "insufficient by 46,807 (EC §11224(a))."
    )
    assert text(page, "#full-valid") == "520,050"
    assert text(page, "#full-outcome") == "insufficient by 46,807"
    assert page.locator("#ledger tbody tr").count() == 3

    page.fill("#as-of", "2022-07-20")
    page.locator("form.filters button").click()
    page.wait_for_url("**as_of=2022-07-20")
    assert text(page, "#verdict") == "full count needed"
    figures = {
        sel: text(page, sel)
        for sel in (
            "#raw",
            "#sample-size",
            "#sample-valid",
            "#duplicates",
            "#projected-valid",
            "#required",
            "#share-of-required",
            "#low-line",
            "#high-line",
            "#band",
        )
    }
    assert figures == {
        "#raw": "715,833",
        "#sample-size": "35,793",
        "#sample-valid": "27,983",
        "#duplicates": "not published",
        "#projected-valid": "559,639",
        "#required": "566,857",
        "#share-of-required": "V̂ is 98.73% of R",
        "#low-line": "510,171.3",
        "#high-line": "623,542.7",
        "#band": "full count",
    }
    assert page.locator("#full-count").count() == 0
    # the scale runs from 80% to 120% of the requirement: the lines at 90%, 100% and 110%,
    # the projection at 98.73%
    lines = page.locator(".band-scale .line")
    assert lines.count() == 3
    assert _left(page, ".band-scale .line:nth-of-type(3)") == pytest.approx(0.25, abs=0.01)
    assert _left(page, ".band-scale .line.required") == pytest.approx(0.5, abs=0.01)
    assert _left(page, ".band-scale .line:nth-of-type(5)") == pytest.approx(0.75, abs=0.01)
    marker = page.evaluate(
        """() => {
            const scale = document.querySelector('.band-scale .scale').getBoundingClientRect();
            const m = document.querySelector('.band-scale .marker').getBoundingClientRect();
            return (m.left + m.width / 2 - scale.left) / scale.width;
        }"""
    )
    assert marker == pytest.approx((0.98727 - 0.8) / 0.4, abs=0.01)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "petition-gascon_2022.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_the_petition_pages_on_a_phone(
    browser: Any, live_server: Callable[[FastAPI], LiveServer], petitions_desk: Desk
) -> None:
    server = live_server(create_app(petitions_desk, token=None))
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        for path in (
            "/",
            "/petitions/gascon_2022",
            "/petitions/gascon_2022?as_of=2022-07-20",
            "/petitions/boudin_2021_second",
            "/petitions/price_2024",
        ):
            page.goto(f"{server.url}{path}")
            page.wait_for_timeout(100)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        page.goto(f"{server.url}/petitions/gascon_2022?as_of=2022-07-20")
        assert page.locator("#projected-valid").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "petition-gascon_2022-phone.png"), full_page=True)
    finally:
        context.close()
