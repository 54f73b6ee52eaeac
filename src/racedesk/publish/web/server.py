"""Running the web app with uvicorn: :func:`serve` (``racedesk serve``, ``racedesk demo``)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import uvicorn

from racedesk.publish.web.app import create_app
from racedesk.publish.web.state import WebState

if TYPE_CHECKING:
    from racedesk.desk import Desk


class DeskServer(uvicorn.Server):
    """uvicorn's server that ends the desk's event streams first when it shuts down: an open
    stream would otherwise hold the shutdown until its grace period ran out."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        web = getattr(getattr(self.config.app, "state", None), "web", None)
        if isinstance(web, WebState):
            await web.hub.close()
        await super().shutdown(sockets)


def serve(desk: Desk, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the desk with uvicorn until interrupted (binds 127.0.0.1 unless told otherwise)."""
    config = uvicorn.Config(
        create_app(desk, token=token),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=2,
    )
    DeskServer(config).run()
