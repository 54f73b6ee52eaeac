"""The contest page's charts in a real headless Chromium (Debian's, via Playwright): a colour
per choice whoever leads, a time axis, every tick label inside the chart, and a legend that
shows the release shown without hovering, on a desktop and on a phone. Screenshots are written
to ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from racedesk.desk import Desk
from racedesk.publish.web.app import create_app
from racedesk.rules.names import proper_case

from .conftest import DA, TOKEN, Feed, LiveServer, ingest, new_desk
from .test_browser import ARTIFACTS, api, browser, page

pytestmark = pytest.mark.browser
__all__ = ["browser", "page"]  # the fixtures, shared with the dashboard's browser tests

E = "lavote:4324"
#: US Representative 27th District: Garcia (23452) led releases 2–19, Whitesides (23453) from 20.
CA27 = "9532"

LEGEND = """(k) => Array.from(window.rdPlots[k].root.querySelectorAll('.u-legend .u-series'))
  .filter(r => r.style.display !== 'none')
  .map(r => [r.querySelector('.u-label').textContent,
             getComputedStyle(r.querySelector('.u-marker')).borderColor,
             r.querySelector('.u-value').textContent])"""

#: Every x-axis tick label of every chart: its text, its left and right edge, and the chart's width.
TICKS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '12px sans-serif';
  const out = [];
  for (const u of window.rdPlots) {
    const left = u.bbox.left / devicePixelRatio;
    for (const [t, label] of u.rdTicks) {
      if (!label) continue;
      const w = Math.max(...label.split('\\n').map(l => ctx.measureText(l).width));
      const x = left + u.valToPos(t, 'x');
      out.push([label, x - w / 2, x + w / 2, u.width]);
    }
  }
  return out;
}"""

#: Each release's x on the shares chart (CSS pixels) and its time.
XS = """() => { const u = window.rdPlots[0];
  return u.data[0].map(t => [t, u.valToPos(t, 'x')]); }"""


def pct2(share: float) -> str:
    return f"{share * 100:.2f}%"


def shares_at(server: LiveServer, contest: str, release: int | None = None) -> dict[str, str]:
    params = {"release": release} if release is not None else {}
    doc = api(server, f"/api/elections/{E}/contests/{contest}", **params)
    return {proper_case(c["name"]): pct2(c["share"]) for c in doc["contest"]["choices"]}


def legend(tab: Any, k: int = 0) -> list[list[str]]:
    tab.wait_for_function("() => window.rdPlots && window.rdPlots.length > 0")
    return list(tab.evaluate(LEGEND, k))


def test_the_legend_shows_the_release_shown_without_hovering(
    live_server: Callable[[FastAPI], LiveServer], page: Any, general_desk: Desk
) -> None:
    server = live_server(create_app(general_desk, token=TOKEN))
    page.goto(f"{server.url}/elections/{E}/contests/{DA}")
    rows = legend(page)
    latest = api(server, f"/api/elections/{E}")["release"]
    assert rows[0][0] == "As of" and rows[0][2] == page.locator("#release-label").text_content()
    shown = {name: value for name, _colour, value in rows[1:]}
    want = shares_at(server, DA)
    assert shown == {n: want[n] for n in shown} and len(shown) == 2
    assert shown["Nathan Hochman"] == "59.89%"  # 1,983,802 of 3,312,512
    assert "–" not in [v for _n, _c, v in legend(page, 1)]  # the batch chart's too
    # at an earlier release, the legend follows the slider
    page.locator("#release-slider").fill("5")
    page.wait_for_function("() => document.querySelector('#release-number')?.textContent === '5'")
    page.wait_for_timeout(200)
    shown = {name: value for name, _colour, value in legend(page)[1:]}
    want = shares_at(server, DA, 5)
    assert shown == {n: want[n] for n in shown}
    assert latest["sequence"] > 5
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("section.charts").screenshot(path=str(ARTIFACTS / "charts-9547-desktop.png"))


def test_x_is_the_feed_time(
    live_server: Callable[[FastAPI], LiveServer], page: Any, general_desk: Desk
) -> None:
    """Each release sits at its feed time, an hour's width the same everywhere; the axis starts
    at election night's first count, the Oct 29 zero report (a week before) left off it."""
    server = live_server(create_app(general_desk, token=TOKEN))
    page.goto(f"{server.url}/elections/{E}/contests/{DA}")
    legend(page)
    xs = page.evaluate(XS)
    releases = api(server, f"/api/elections/{E}/releases")["releases"]
    assert len(xs) == len(releases)
    (t0, x0), (tn, xn) = xs[0], xs[-1]
    for t, x in xs:
        assert x - x0 == pytest.approx((xn - x0) * (t - t0) / (tn - t0), abs=1.0)
    assert xs[1][1] - xs[0][1] > 10 * (xs[2][1] - xs[1][1])
    assert xs[0][1] < 0 and xs[1][1] == pytest.approx(0, abs=1.0)  # the zero report off the axis


def test_colours_stay_with_the_choice_when_the_lead_changes(
    live_server: Callable[[FastAPI], LiveServer],
    page: Any,
    general_desk: Desk,
    general_feed: Feed,
    tmp_path: Path,
) -> None:
    """CA-27's page on election night's release 19 (Garcia leads) and at the end (Whitesides
    leads): each name keeps its colour, and the two differ."""
    early = new_desk(tmp_path, general_feed.election)
    ingest(early, general_feed, upto=20)
    colours = []
    for desk in (early, general_desk):
        server = live_server(create_app(desk, token=TOKEN))
        page.goto(f"{server.url}/elections/{E}/contests/{CA27}")
        rows = legend(page)[1:]
        colours.append({name: colour for name, colour, _v in rows})
        doc = api(server, f"/api/elections/{E}/contests/{CA27}")["contest"]
        names = {c["id"]: proper_case(c["name"]) for c in doc["choices"]}
        assert rows[0][0] == names[doc["leaders"][0]]  # the legend lists the leader first
    assert colours[0] == colours[1]
    assert len(set(colours[0].values())) == len(colours[0])


@pytest.mark.parametrize("width", [1200, 375])
def test_no_tick_label_is_clipped_on_desktop_or_phone(
    browser: Any,
    live_server: Callable[[FastAPI], LiveServer],
    general_desk: Desk,
    width: int,
) -> None:
    server = live_server(create_app(general_desk, token=TOKEN))
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 600)
    try:
        page = context.new_page()
        for contest in (DA, CA27):
            page.goto(f"{server.url}/elections/{E}/contests/{contest}")
            legend(page)
            ticks = page.evaluate(TICKS)
            assert len(ticks) >= 2 * 2
            for label, left, right, chart_width in ticks:
                assert left >= 0 and right <= chart_width, (label, left, right, chart_width)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
            assert all(v != "–" for _n, _c, v in legend(page))
        kind = "phone" if width < 600 else "desktop"
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("section.charts").screenshot(path=str(ARTIFACTS / f"charts-9532-{kind}.png"))
    finally:
        context.close()
