"""The web app's edges (issue 17, item 6): the headers every response carries, and the API
documentation page served from racedesk's own files.

- **Content-Security-Policy**: scripts, styles, images and connections from the app itself only;
  no plugin, no ``<base>``, no framing. ``'unsafe-eval'`` is there for htmx alone, which
  evaluates the pages' trigger filters (``sse:release[rdFollowing()]``) with ``Function``;
  ``'unsafe-inline'`` styles for the styles htmx, uPlot and Swagger UI set. No page has an inline
  script, so scripts are ``'self'`` only.
- **X-Content-Type-Options: nosniff**, **Referrer-Policy: no-referrer**, **X-Frame-Options:
  DENY** (``frame-ancestors`` for older browsers).
- The one exception: a contest's embeddable widget (``…/contests/<cid>/embed``,
  :data:`FRAMEABLE`) is made to be framed by a newsroom's story pages, so its policy says
  ``frame-ancestors *`` and it carries no X-Frame-Options; everything else stays unframeable.
- ``/docs``: Swagger UI (``static/vendor/swagger-ui-bundle.js``, vendored from npm's
  ``swagger-ui-dist``) started by ``static/docs.js``, never a CDN's script.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

#: The paths other sites may put in a frame: the contests' embeddable widgets.
FRAMEABLE = re.compile(r"/elections/[^/]+/contests/[^/]+/embed")

#: The widget's policy: the pages' own, but any site may frame it.
EMBED_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")

#: The headers added to every response (names in lower case, as ASGI sends them).
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)

#: The headers added to a frameable widget's response.
EMBED_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", EMBED_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeaders:
    """ASGI middleware that adds :data:`SECURITY_HEADERS` to every HTTP response: pages, the
    API, static files, errors and event streams alike; :data:`EMBED_HEADERS` to the widgets
    (:data:`FRAMEABLE`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        added = EMBED_HEADERS if FRAMEABLE.fullmatch(scope.get("path", "")) else SECURITY_HEADERS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in added if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


docs = APIRouter(include_in_schema=False)

_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>racedesk API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
<script src="/static/vendor/swagger-ui-bundle.js" defer></script>
<script src="/static/docs.js" defer></script>
</head><body data-openapi="/openapi.json"><div id="swagger-ui"></div></body></html>
"""


@docs.get("/docs")
async def api_docs() -> HTMLResponse:
    """The API's documentation: Swagger UI over ``/openapi.json``, from racedesk's own files."""
    return HTMLResponse(_DOCS_PAGE)
