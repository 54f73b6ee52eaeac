"""The web app over one desk (FastAPI): ``create_app(desk, token=…)``.

- ``/api/…``: the JSON API, documented at ``/openapi.json`` and ``/docs``. Reads are public
  (:mod:`~racedesk.publish.web.api_read`): elections, contests (filter by call status, search
  by title), one contest's state, its history release by release, the call ledger and the
  releases with their hashes, each *as of* a time (``?as_of=ISO``; a time without a zone is
  the election's local time). Documents are the versioned ``racedesk.*/1`` shapes the CLI's
  ``--json`` prints (:mod:`racedesk.publish.documents`).
- Writes need ``Authorization: Bearer <token>`` (``RACEDESK_TOKEN`` or ``--token``;
  :mod:`~racedesk.publish.web.api_write`): post a release (the feed's bytes), post
  outstanding-ballot reports, approve a call. Without a configured token, writes are refused.
- ``/api/elections/{id}/events``: server-sent events of new releases, calls and rescinds
  (:mod:`~racedesk.publish.web.push`, :mod:`racedesk.publish.events`).
- ``/api/petitions``, ``/api/petitions/{id}``, ``/petitions/{id}``: recall petitions, as of a
  date (:mod:`~racedesk.publish.web.api_petitions`).
- ``/``, ``/elections/{id}``, ``/elections/{id}/contests/{cid}``: the dashboard
  (:mod:`racedesk.publish.pages`), which updates itself from the events.
- Every response is gzip-compressed when the client accepts it and it is 1 KiB or more (event
  streams never); pages and documents carry an ETag and ``Cache-Control: no-cache``, static files
  ``max-age=3600`` (:mod:`~racedesk.publish.web.caching`).
- ``/api/money…`` and each contest page's money panel: money by side from the filings
  (:mod:`~racedesk.publish.web.money_routes`, ``docs/money.md``).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from racedesk import __version__
from racedesk.publish.pages import STATIC_DIR
from racedesk.publish.web import (
    api_editorial,
    api_petitions,
    api_read,
    api_write,
    money_routes,
    push,
)
from racedesk.publish.web.caching import CacheHeaders
from racedesk.publish.web.edges import SecurityHeaders, docs
from racedesk.publish.web.errors import EXCEPTION_HANDLERS
from racedesk.publish.web.state import WebState

if TYPE_CHECKING:
    from racedesk.desk import Desk

#: Responses at least this long are gzip-compressed for clients that accept it.
GZIP_FROM_BYTES = 1024


def create_app(desk: Desk, *, token: str | None) -> FastAPI:
    """The web app over ``desk``. ``token`` protects writes; None disables them."""
    web = WebState.over(desk, token)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await web.hub.close()

    app = FastAPI(
        title="racedesk",
        version=__version__,
        summary="A decision desk's live results: contests, votes left, projections and calls.",
        description=(
            "Every document carries a `schema` field (`racedesk.<kind>/1`): the same versioned "
            "shapes as the CLI's `--json`. Shares are fractions in [0, 1]; times are ISO 8601 "
            "with their zone. Reads are public; writes need `Authorization: Bearer <token>`."
        ),
        lifespan=lifespan,
        exception_handlers=EXCEPTION_HANDLERS,
        docs_url=None,  # served by edges.docs from racedesk's own files
        redoc_url=None,
    )
    # The last added is the outermost: bodies are tagged (ETag) before they are compressed.
    app.add_middleware(CacheHeaders)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_FROM_BYTES)
    app.state.web = web
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # In this order, the OpenAPI document lists reads, then push, then writes, then money.
    for router in (
        api_read.router, api_petitions.router, push.router, api_write.router,
        api_editorial.router, api_petitions.writes, money_routes.router, api_read.pages, api_petitions.pages, docs,
    ):  # fmt: skip
        app.include_router(router)
    app.include_router(api_read.pages)
    app.include_router(money_routes.pages)
    return app
