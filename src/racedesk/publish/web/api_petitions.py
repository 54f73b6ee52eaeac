"""Recall petitions over HTTP: public reads of the JSON documents (``racedesk.petitions/1``,
``racedesk.petition-status/1``, :mod:`racedesk.publish.petitions`) and a petition's page, each
*as of* a date (``?as_of=2022-07-20``: the stages and verdicts published on or before it); and,
with the write token, a petitions table or reports file posted as ``racedesk recall ingest``
takes it (``racedesk.petition-ingest/1``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from racedesk.desk.petitions import ingest_petitions
from racedesk.publish.links import Links
from racedesk.publish.petition_pages import render_petition
from racedesk.publish.petitions import petition_ingest_view
from racedesk.publish.web.api_write import Bearer, authorize, read_body
from racedesk.publish.web.replies import json_reply, read_responses, reply, write_responses
from racedesk.publish.web.state import Served

router = APIRouter(tags=["read"], default_response_class=Response)
writes = APIRouter(tags=["write"], default_response_class=Response)
pages = APIRouter(include_in_schema=False)

_LINKS = Links.live_app()

PetitionId = Annotated[str, Path(description="Petition id, e.g. `gascon_2022`.", max_length=200)]
AS_OF_DATE = Query(
    None,
    description="Answer as of this date (ISO 8601, e.g. `2022-07-20`): the stages and verdicts "
    "published on or before it. Stages the source gave no date for are in no as-of answer.",
)


@router.get(
    "/api/petitions",
    responses=read_responses("petitions", ["as_of", "petitions"], "Every petition's verdict"),
)
def list_petitions(web: Served, as_of: date | None = AS_OF_DATE) -> Response:
    """Every recall petition the desk holds with its verdict as of ``as_of``
    (``racedesk.petitions/1``)."""
    return json_reply(web.library.petitions_doc(as_of))


@router.get(
    "/api/petitions/{petition_id}",
    responses=read_responses(
        "petition-status", ["petition", "verdict", "stages", "ledger"], "One petition"
    ),
)
def get_petition(web: Served, petition_id: PetitionId, as_of: date | None = AS_OF_DATE) -> Response:
    """One petition as of ``as_of``: its verdict in words, its stages, the sample projected by
    2 CCR §§20530–20532 with the law's lines, the full count and its ledger
    (``racedesk.petition-status/1``)."""
    return json_reply(web.library.petition_doc(petition_id, as_of))


@writes.post(
    "/api/petitions",
    status_code=201,
    responses=write_responses(
        {201: reply("Kept; each petition's new stages", "schema", "petitions")}
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A petitions table (the layout of recalls/petitions.csv) or a reports "
            "file, one row per stage (docs/recalls.md).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def post_petitions(
    web: Served,
    request: Request,
    credentials: Bearer,
    origin: Annotated[
        str | None,
        Query(description="Where the bytes came from, kept with them.", max_length=500),
    ] = None,
) -> Response:
    """Keep a petitions table or reports file and store each petition's new stages and the
    verdict events they bring (nothing twice)."""
    authorize(web, credentials)
    data = await read_body(request)

    def ingest() -> Any:
        with web.write_lock:
            return ingest_petitions(web.desk.store, data, origin=origin or "POST /api/petitions")

    done = await run_in_threadpool(ingest)
    return json_reply(petition_ingest_view(done), status=201)


@pages.get("/petitions/{petition_id}", response_class=HTMLResponse)
def petition_page(
    web: Served,
    petition_id: Annotated[str, Path(max_length=200)],
    as_of: Annotated[date | None, Query()] = None,
) -> HTMLResponse:
    return HTMLResponse(render_petition(_LINKS, web.library.petition_doc(petition_id, as_of)))
