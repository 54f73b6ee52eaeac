"""Cache headers on every page and document (issue 18, item 7; ``docs/web.md``, "Caching").

- A page or a JSON document (a ``GET`` answered ``200``) carries a weak ``ETag`` (a digest of
  its body, weak because the same document is also sent gzip-compressed) and ``Cache-Control:
  no-cache``: a browser or a CDN may keep it but asks again each time, and a request whose
  ``If-None-Match`` names the current ETag is answered ``304 Not Modified`` without a body. The
  answers change whenever a release lands, so nothing is served from a cache unasked.
- Static files (``/static/…``: the CSS, the scripts, the vendored libraries) keep Starlette's own
  ``ETag`` and ``Last-Modified`` and get ``Cache-Control: public, max-age=3600``.
- Event streams, errors and writes pass through untouched.

Compression is Starlette's ``GZipMiddleware`` (``create_app``), which leaves event streams alone.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Cache-Control of pages and documents.
DYNAMIC = "no-cache"
#: Cache-Control of the static files.
STATIC = "public, max-age=3600"


def etag_of(body: bytes) -> str:
    """A weak entity tag for ``body``: the first 128 bits of its SHA-256."""
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, RFC 9110 §13.1.2)."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


class CacheHeaders:
    """ASGI middleware that adds the cache headers of the module docstring, and answers a
    request for a page or document the client already holds with ``304``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("/static/"):
            await self.app(scope, receive, _with_cache_control(send, STATIC))
            return
        asked = Headers(scope=scope).get("if-none-match", "")
        start: Message | None = None
        body: list[bytes] = []

        async def tagged(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                streamed = headers.get("content-type", "").startswith("text/event-stream")
                if message["status"] != 200 or streamed or "etag" in headers:
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _send_tagged(send, start, b"".join(body), asked)

        await self.app(scope, receive, tagged)


async def _send_tagged(send: Send, start: Message, body: bytes, asked: str) -> None:
    """The response held back (``start`` and its whole ``body``) with its ETag, or a ``304``
    when the client holds it already."""
    etag = etag_of(body)
    headers = MutableHeaders(raw=list(start.get("headers", [])))
    headers["etag"] = etag
    headers["cache-control"] = DYNAMIC
    if asked and _matches(asked, etag):
        del headers["content-length"]
        del headers["content-type"]
        await send({**start, "status": 304, "headers": headers.raw})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({**start, "headers": headers.raw})
    await send({"type": "http.response.body", "body": body})


def _with_cache_control(send: Send, value: str) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(raw=list(message.get("headers", [])))
            headers.setdefault("cache-control", value)
            message = {**message, "headers": headers.raw}
        await send(message)

    return sending


__all__ = ["DYNAMIC", "STATIC", "CacheHeaders", "etag_of"]
