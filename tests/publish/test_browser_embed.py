"""The embeddable widget in a real headless Chromium (Debian's, via Playwright), framed by a
newsroom's story page on another site; the contest page itself refuses to be framed; the
overview's CSV link follows its filters. Screenshot in ``test-artifacts/embed-9547.png``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import FastAPI

from racedesk.desk import Desk
from racedesk.publish.web.app import create_app

from .conftest import DA, TOKEN, LiveServer
from .test_browser import ARTIFACTS, browser, page

pytestmark = pytest.mark.browser
__all__ = ["browser", "page"]  # the fixtures, shared with the dashboard's browser tests

E = "lavote:4324"


@contextmanager
def story_site(html: str) -> Iterator[str]:
    """A newsroom's story page served by another site (another port: another origin) on the
    loopback, as the desk is (Chromium refuses a public page framing a loopback one)."""

    class Story(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Story)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_port}/story.html"
    finally:
        site.shutdown()
        site.server_close()


def test_a_story_page_on_another_site_frames_the_widget_only(
    live_server: Callable[[FastAPI], LiveServer], page: Any, general_desk: Desk
) -> None:
    server = live_server(create_app(general_desk, token=TOKEN))
    story = f"""<!doctype html><title>Story</title><h1>Our story</h1>
      <iframe id="widget" src="{server.url}/elections/{E}/contests/{DA}/embed"
              width="360" height="300" style="border:0"></iframe>
      <iframe id="page" src="{server.url}/elections/{E}/contests/{DA}"
              width="360" height="200"></iframe>"""
    with story_site(story) as other:
        page.goto(other)
        check_framing(page)


def check_framing(page: Any) -> None:
    widget = page.frame_locator("#widget")
    row = widget.locator('tr[data-choice="23483"]')
    row.locator(".votes").wait_for(timeout=5000)
    assert row.locator(".name").text_content() == "Nathan Hochman"
    assert row.locator(".votes").text_content() == "1,983,802"
    assert widget.locator(".margin").text_content() == "Hochman +19.8, 655,092 votes"
    overflow = widget.locator("body").evaluate(
        "b => b.ownerDocument.documentElement.scrollWidth - b.ownerDocument.documentElement.clientWidth"
    )
    assert overflow <= 0
    # the contest page itself is not framed (X-Frame-Options: DENY, frame-ancestors 'none')
    page.wait_for_timeout(500)
    assert page.frame_locator("#page").locator("#results").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#widget").screenshot(path=str(ARTIFACTS / "embed-9547.png"))


def test_the_overview_csv_link_follows_the_filters(
    live_server: Callable[[FastAPI], LiveServer], page: Any, general_desk: Desk
) -> None:
    server = live_server(create_app(general_desk, token=TOKEN))
    page.goto(f"{server.url}/elections/{E}")
    assert page.locator("#csv-link").get_attribute("href") == f"/elections/{E}/contests.csv"
    page.locator("#q").fill("hochman")
    page.wait_for_function(
        "() => document.querySelector('#csv-link').getAttribute('href').endsWith('?q=hochman')"
    )
