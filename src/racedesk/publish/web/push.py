"""Push: an election's server-sent events (:mod:`racedesk.publish.events`), so that pages and
other systems learn of new releases, calls and rescinds without polling."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header
from fastapi.responses import StreamingResponse
from fastapi.sse import EventSourceResponse

from racedesk.publish.web.errors import ERROR_SCHEMA
from racedesk.publish.web.params import ElectionId
from racedesk.publish.web.state import Served

router = APIRouter(tags=["push"])


class _EventStream(StreamingResponse):
    """How the OpenAPI document names the event stream's type. The route returns FastAPI's own
    :class:`EventSourceResponse` over bytes the hub encoded once for every client (declaring
    that class here would make FastAPI re-encode each event per client)."""

    media_type = "text/event-stream"


def known_election(web: Served, election_id: ElectionId) -> None:
    """Nothing, or a 404 for an unknown election: a dependency runs before the stream starts."""
    web.library.election(election_id)


@router.get(
    "/api/elections/{election_id}/events",
    response_class=_EventStream,
    dependencies=[Depends(known_election)],
    responses={
        200: {
            "description": "A stream of server-sent events (`text/event-stream`)",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        404: {
            "description": "Unknown election",
            "content": {"application/json": {"schema": ERROR_SCHEMA}},
        },
    },
)
async def events(
    web: Served,
    election_id: ElectionId,
    last_event_id: Annotated[
        str | None,
        Header(
            description="Cursor of the last event received; what was missed is sent first.",
            max_length=100,
        ),
    ] = None,
) -> EventSourceResponse:
    """Server-sent events of the election: ``ready`` (the current cursor), ``release``,
    ``call`` and ``rescind`` (data: ``racedesk.event/1``), and a keep-alive comment every
    15 s. A client that reconnects with ``Last-Event-ID`` first gets what it missed."""
    sub = await web.hub.subscribe(election_id, last_event_id)
    return EventSourceResponse(
        web.hub.stream(sub), headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
