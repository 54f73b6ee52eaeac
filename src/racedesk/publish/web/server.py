"""Running the web app with uvicorn: :func:`serve` (``racedesk serve``, ``racedesk demo``).

The server bounds what a client can hold (issue 17, item 6; ``docs/operations.md``):

- a request's head (request line and headers) is at most :data:`MAX_HEAD_BYTES` (uvicorn's h11
  protocol, ``h11_max_incomplete_event_size``; httptools has no such limit, so h11 is used);
- a request's head must arrive within :data:`HEAD_TIMEOUT` seconds of the connection or of the
  previous response (:class:`TimedHeadH11`: uvicorn has no such setting, and a client sending
  its headers a byte at a time would hold its connection for ever);
- an idle keep-alive connection is closed after :data:`KEEP_ALIVE_TIMEOUT` seconds;
- at most :data:`MAX_CONNECTIONS` connections and requests at once (event streams included), a
  503 beyond (``limit_concurrency``);
- a request's body is limited by the app (``api_write.MAX_BODY_BYTES``, 413).
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from racedesk.publish.web.app import create_app
from racedesk.publish.web.state import WebState

if TYPE_CHECKING:
    from racedesk.desk import Desk


#: Largest request head (request line and headers), bytes.
MAX_HEAD_BYTES = 64 * 1024
#: Seconds a request's head may take to arrive.
HEAD_TIMEOUT = 10.0
#: Seconds an idle keep-alive connection is kept.
KEEP_ALIVE_TIMEOUT = 5
#: Connections and requests served at once (each event stream holds one).
MAX_CONNECTIONS = 4096


class TimedHeadH11(H11Protocol):
    """uvicorn's h11 protocol that closes a connection whose next request head has not arrived
    within :data:`HEAD_TIMEOUT` seconds (a "slowloris" client); a request being answered, an
    event stream included, is never cut."""

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._wait_for_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._wait_for_head()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)

    def _wait_for_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(HEAD_TIMEOUT, self._head_too_late)

    def _head_too_late(self) -> None:
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and not self.transport.is_closing():
            self.transport.close()


class DeskServer(uvicorn.Server):
    """uvicorn's server that ends the desk's event streams first when it shuts down: an open
    stream would otherwise hold the shutdown until its grace period ran out."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        web = getattr(getattr(self.config.app, "state", None), "web", None)
        if isinstance(web, WebState):
            await web.hub.close()
        await super().shutdown(sockets)


def server_config(app: ASGIApp, host: str = "127.0.0.1", port: int = 8000) -> uvicorn.Config:
    """uvicorn's settings for ``app``, with the limits of the module docstring."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=2,
        http=TimedHeadH11,
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        timeout_keep_alive=KEEP_ALIVE_TIMEOUT,
        limit_concurrency=MAX_CONNECTIONS,
    )


def serve(desk: Desk, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the desk with uvicorn until interrupted (binds 127.0.0.1 unless told otherwise)."""
    DeskServer(server_config(create_app(desk, token=token), host, port)).run()
