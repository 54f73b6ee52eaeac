"""Public reads: the JSON API's documents (``racedesk.*/1``, :mod:`racedesk.publish.documents`)
and the dashboard's pages, each *as of* a time (``?as_of=ISO``) or, for a contest, a release."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from racedesk import __version__
from racedesk.publish.library import STATUSES
from racedesk.publish.links import Links
from racedesk.publish.page_tables import CONTEST_COLUMNS
from racedesk.publish.pages import (
    contest_table,
    election_table,
    render_contest,
    render_election,
    render_embed,
    render_index,
)
from racedesk.publish.web.api_editorial import editor_panel
from racedesk.publish.web.params import AS_OF, RELEASE, ContestId, ElectionId
from racedesk.publish.web.replies import json_reply, read_responses
from racedesk.publish.web.state import Served

router = APIRouter(tags=["read"], default_response_class=Response)
pages = APIRouter(include_in_schema=False)

_LINKS = Links.live_app()


@router.get(
    "/api/elections",
    responses=read_responses("elections", ["elections"], "Every election with its latest release"),
)
def list_elections(web: Served) -> Response:
    """Every election the desk holds, with its latest release."""
    return json_reply(web.library.elections_doc())


@router.get(
    "/api/elections/{election_id}",
    responses=read_responses(
        "status", ["election", "release", "contests"], "The election and every contest's summary"
    ),
)
def get_election(web: Served, election_id: ElectionId, as_of: datetime | None = AS_OF) -> Response:
    """The election, its latest release (as of ``as_of``), the county's ballots left and
    every contest's summary (``racedesk.status/1``)."""
    sequence, cut = web.point(election_id, as_of)
    return json_reply(web.library.election_doc(election_id, sequence, cut))


@router.get(
    "/api/elections/{election_id}/contests",
    responses=read_responses("contests", ["election", "release", "contests"], "Contest summaries"),
)
def list_contests(
    web: Served,
    election_id: ElectionId,
    status: Annotated[
        str | None,
        Query(description=f"Call status, one of: {', '.join(STATUSES)}.", max_length=40),
    ] = None,
    q: Annotated[
        str | None,
        Query(description="Words that must all appear in the title or group.", max_length=200),
    ] = None,
    as_of: datetime | None = AS_OF,
) -> Response:
    """The election's contests, filtered by call status and searched by title."""
    sequence, cut = web.point(election_id, as_of)
    doc = web.library.contests_doc(election_id, sequence, status=status, q=q, cut=cut)
    return json_reply(doc)


@router.get(
    "/api/elections/{election_id}/contests/{contest_id}",
    responses=read_responses("state", ["election", "release", "contest"], "One contest's state"),
)
async def get_contest(
    web: Served,
    election_id: ElectionId,
    contest_id: ContestId,
    as_of: datetime | None = AS_OF,
    release: int | None = RELEASE,
) -> Response:
    """One contest after the latest release (or as of a time or release): tallies, votes
    left, each choice's standing and hurdle, the projection, the call and a sentence
    (``racedesk.state/1``)."""
    library = web.library
    # The hottest read: answered on the event loop when it is all in memory.
    if as_of is None:
        cached = library.peek_contest_json(election_id, contest_id, release)
        if cached is not None:
            return Response(cached, media_type="application/json")

    def read() -> bytes:
        sequence = web.known_sequence(election_id, as_of, release)
        cut = web.cut(election_id, sequence, as_of, release)
        return library.contest_json(election_id, contest_id, sequence, cut)

    return Response(await run_in_threadpool(read), media_type="application/json")


@router.get(
    "/api/elections/{election_id}/contests/{contest_id}/history",
    responses=read_responses(
        "history", ["election", "contest", "releases"], "One contest release by release"
    ),
)
def get_history(
    web: Served, election_id: ElectionId, contest_id: ContestId, as_of: datetime | None = AS_OF
) -> Response:
    """One contest's state after every release up to ``as_of`` (``racedesk.history/1``)."""
    sequence, cut = web.point(election_id, as_of)
    return json_reply(web.library.history_doc(election_id, contest_id, sequence, cut))


@router.get(
    "/api/elections/{election_id}/ledger",
    responses=read_responses("ledger", ["election", "events"], "The call ledger"),
)
def get_ledger(web: Served, election_id: ElectionId, as_of: datetime | None = AS_OF) -> Response:
    """Every call event up to ``as_of``: calls, rescinds and approvals (``racedesk.ledger/1``)."""
    sequence = web.sequence(election_id, as_of)
    return json_reply(web.library.ledger_doc(election_id, sequence, web.aware(election_id, as_of)))


@router.get(
    "/api/elections/{election_id}/releases",
    responses=read_responses("releases", ["election", "releases"], "Releases with their hashes"),
)
def get_releases(web: Served, election_id: ElectionId, as_of: datetime | None = AS_OF) -> Response:
    """Every release up to ``as_of`` with its content hash, problems and whether it was
    used (``racedesk.releases/1``)."""
    sequence = web.sequence(election_id, as_of)
    moment = web.aware(election_id, as_of)
    return json_reply(web.library.releases_doc(election_id, sequence, moment))


# --- pages ---------------------------------------------------------------------------------------


@pages.get("/", response_class=HTMLResponse)
def index_page(web: Served) -> HTMLResponse:
    library = web.library
    return HTMLResponse(render_index(_LINKS, library.elections_doc(), library.petitions_doc()))


@pages.get("/elections/{election_id}", response_class=HTMLResponse)
def election_page(
    web: Served,
    election_id: str,
    status: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    as_of: datetime | None = None,
) -> HTMLResponse:
    library = web.library
    sequence, cut = web.point(election_id, as_of)
    html = library.cached(
        ("election-page", election_id, sequence, cut, status, q),
        lambda: render_election(
            library, _LINKS, election_id, sequence, status=status, q=q, cut=cut
        ),
    )
    return HTMLResponse(html)


@pages.get("/elections/{election_id}/contests/{contest_id}", response_class=HTMLResponse)
def contest_page(
    web: Served,
    request: Request,
    election_id: str,
    contest_id: str,
    release: Annotated[int | None, Query(ge=0)] = None,
    as_of: datetime | None = None,
) -> HTMLResponse:
    library = web.library
    sequence, cut = web.point(election_id, as_of, release)
    latest = library.latest_sequence(election_id)
    ledger = library.ledger(election_id, latest)
    # Every open page asks for this after a release: rendered once per release and ledger.
    key = ("contest-page", election_id, contest_id, sequence, cut, latest, len(ledger))
    html = library.cached(
        key,
        lambda: render_contest(
            library,
            _LINKS,
            election_id,
            contest_id,
            sequence,
            latest=latest,
            ledger=ledger,
            cut=cut,
        ),
    )
    panel = editor_panel(web, request, election_id, contest_id)
    if panel:  # for the signed-in editor only; the cached page stays the public one
        html = html.replace("</main>", "</main>\n" + panel, 1)
    return HTMLResponse(html)


def _csv(text: str, name: str) -> Response:
    """A CSV download, named for the reader's disk."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def _file_part(text: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in text)


@pages.get("/elections/{election_id}/contests.csv")
def election_csv(
    web: Served,
    election_id: str,
    status: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    as_of: datetime | None = None,
) -> Response:
    """The overview's contests as the page shows them (same ``status`` and ``q``), as CSV."""
    library = web.library
    sequence, cut = web.point(election_id, as_of)
    text = election_table(library, election_id, sequence, status=status, q=q, cut=cut)
    return _csv(text, f"{_file_part(election_id)}-contests.csv")


@pages.get("/elections/{election_id}/contests/{contest_id}/table.csv")
def contest_csv(
    web: Served,
    election_id: str,
    contest_id: str,
    release: Annotated[int | None, Query(ge=0)] = None,
    as_of: datetime | None = None,
) -> Response:
    """A contest's results table as of a release, as CSV."""
    library = web.library
    sequence, cut = web.point(election_id, as_of, release)
    library.contest(library.election(election_id), contest_id)
    text = (
        contest_table(library, election_id, contest_id, sequence, cut)
        if sequence is not None
        else ",".join(CONTEST_COLUMNS) + "\r\n"
    )
    return _csv(text, f"{_file_part(election_id)}-{_file_part(contest_id)}.csv")


@pages.get("/elections/{election_id}/contests/{contest_id}/embed", response_class=HTMLResponse)
def contest_embed(
    web: Served,
    election_id: str,
    contest_id: str,
    release: Annotated[int | None, Query(ge=0)] = None,
    as_of: datetime | None = None,
) -> HTMLResponse:
    """A contest's embeddable widget: the one page other sites may frame
    (:data:`racedesk.publish.web.edges.FRAMEABLE`)."""
    library = web.library
    sequence, cut = web.point(election_id, as_of, release)
    latest = library.latest_sequence(election_id)
    calls = len(library.ledger(election_id, latest))
    html = library.cached(
        ("contest-embed", election_id, contest_id, sequence, cut, latest, calls),
        lambda: render_embed(library, _LINKS, election_id, contest_id, sequence, cut),
    )
    return HTMLResponse(html)


@pages.get("/healthz")
def health(web: Served) -> dict[str, Any]:
    return {"ok": True, "version": __version__, "subscribers": web.hub.subscribers()}
