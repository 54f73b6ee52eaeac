"""Editorial control in a real headless Chromium (Debian's ``/usr/bin/chromium``, via
Playwright; the tests skip, saying so, when it is absent), on the real 2024 general's first
three releases in the ``recommend`` mode: an editor signs in with the write token, holds,
approves and rejects the District Attorney's call (ledger event 17, NATHAN HOCHMAN) from the
contest page, and the public page shows the call only while it is approved. Screenshots go to
``test-artifacts/`` (git-ignored)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from racedesk.publish.web.app import create_app

from .conftest import DA, TOKEN, Feed, LiveServer, ingest, new_desk
from .test_browser import ARTIFACTS, browser, page, text  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
E = "lavote:4324"


def _public_status(public: Any, url: str) -> str:
    public.goto(url)
    return text(public, "#call-status")


def _act(editor: Any, label: str, state: str) -> None:
    """Click the editor's button ``label`` and wait for the page to say ``state``."""
    editor.fill("#editor-note", f"{label} from the page")
    editor.click(f"#editor button:has-text('{label}')")
    editor.wait_for_selector(f"#editor-state:text-is('{state}')", timeout=10_000)


def test_an_editor_holds_approves_and_rejects_from_the_contest_page(
    live_server: Callable[[FastAPI], LiveServer],
    browser: Any,  # noqa: F811
    page: Any,  # noqa: F811
    general_feed: Feed,
    tmp_path: Path,
) -> None:
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, upto=3)
    desk.editors.set_mode("recommend", "Night Editor")
    server = live_server(create_app(desk, token=TOKEN))
    url = f"{server.url}/elections/{E}/contests/{DA}"
    ARTIFACTS.mkdir(exist_ok=True)

    # the public sees no call while the desk only recommends one, and no editor's panel
    assert _public_status(page, url) != "called"
    assert page.locator("#editor").count() == 0
    assert "Called for Hochman" not in page.content()

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        editor = context.new_page()
        editor.goto(f"{server.url}/editor?back=/elections/{E}/contests/{DA}")
        editor.fill("input[name=name]", "Ana Editor")
        editor.fill("input[name=token]", TOKEN)
        editor.click("button[type=submit]")
        editor.wait_for_selector("#editor")
        assert text(editor, "#editor-state") == "recommended"
        assert "The desk's call #17: called NATHAN HOCHMAN" in text(editor, "#editor")
        editor.screenshot(path=str(ARTIFACTS / "editor-recommended.png"), full_page=True)

        _act(editor, "Hold", "held")
        assert _public_status(page, url) != "called"

        _act(editor, "Approve", "published")
        assert _public_status(page, url) == "called"
        assert "Called for Hochman." in page.content()
        page.screenshot(path=str(ARTIFACTS / "public-after-approval.png"), full_page=True)

        _act(editor, "Reject", "rejected")
        assert _public_status(page, url) != "called"
        editor.screenshot(path=str(ARTIFACTS / "editor-rejected.png"), full_page=True)

        editor.goto(f"{server.url}/elections/{E}/ledger?state=rejected")
        rows = editor.locator("tr[data-state=rejected]")
        assert rows.count() == 1 and rows.first.get_attribute("data-contest") == DA
        assert "reject by Ana Editor" in text(editor, "tr[data-state=rejected]")
        editor.screenshot(path=str(ARTIFACTS / "editor-ledger.png"), full_page=True)
    finally:
        context.close()
    acts = desk.editors.acts(E)
    assert [(a.act, a.made_by, a.note) for a in acts] == [
        ("hold", "Ana Editor", "Hold from the page"),
        ("approve", "Ana Editor", "Approve from the page"),
        ("reject", "Ana Editor", "Reject from the page"),
    ]
    for name in ("editor-recommended", "public-after-approval", "editor-rejected", "editor-ledger"):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
