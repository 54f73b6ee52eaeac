"""Money by side over the web (issue 21, ``docs/money.md``): ``/api/money`` (every linked
subject, ``racedesk.money/1``), ``/api/money/elections/{id}/contests/{cid}`` (one contest's) and
the contest page's money panel (an HTML fragment the page loads).

The document is made from the store's money payloads (filings, the newest links file and
reported-figures file) and kept on the app until another payload is stored.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from racedesk.desk.money import stored_filings, stored_links, stored_reported
from racedesk.publish.money_document import MoneyDoc, money_view
from racedesk.publish.money_panel import for_contest, money, series_chart
from racedesk.publish.pages import ENV
from racedesk.publish.web.params import ContestId, ElectionId
from racedesk.publish.web.replies import json_reply
from racedesk.publish.web.state import Served, WebState

router = APIRouter(tags=["money"], default_response_class=Response)
pages = APIRouter(include_in_schema=False)


def _money_doc(request: Request, web: WebState) -> MoneyDoc:
    store = web.desk.store
    key = tuple(p.content_hash for p in store.money_payloads())
    kept = getattr(request.app.state, "money", None)
    if kept is not None and kept[0] == key:
        return kept[1]
    doc = money_view(stored_filings(store), stored_links(store), stored_reported(store))
    request.app.state.money = (key, doc)
    return doc


@router.get("/api/money")
async def get_money(request: Request, web: Served) -> Response:
    """Money by side for every linked candidate and measure (``racedesk.money/1``)."""
    return json_reply(await run_in_threadpool(_money_doc, request, web))


@router.get("/api/money/elections/{election_id}/contests/{contest_id}")
async def get_contest_money(
    request: Request, web: Served, election_id: ElectionId, contest_id: ContestId
) -> Response:
    """One contest's money by side: the subjects linked to ``ELECTION/CONTEST``."""
    doc = await run_in_threadpool(_money_doc, request, web)
    return json_reply(for_contest(doc, f"{election_id}/{contest_id}"))


@pages.get("/elections/{election_id}/contests/{contest_id}/money", response_class=HTMLResponse)
async def money_panel(
    request: Request, web: Served, election_id: str, contest_id: str
) -> HTMLResponse:
    doc = for_contest(
        await run_in_threadpool(_money_doc, request, web), f"{election_id}/{contest_id}"
    )
    html = ENV.get_template("_money_panel.html").render(
        doc=doc, money=money, series_chart=series_chart
    )
    return HTMLResponse(html)
