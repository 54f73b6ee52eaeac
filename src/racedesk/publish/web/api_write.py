"""Writes, with ``Authorization: Bearer <token>``: post a release (the feed's bytes), post the
registrar's outstanding-ballot reports (in effect at once), approve a call, confirm a release
held as a likely mapping error, record the registrar's certification. Without a configured token every write
is refused (403); a missing or wrong token is a 401. The token is checked before the body is
read, and writes through one app go one at a time."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from racedesk.desk import Admission
from racedesk.errors import NotFound
from racedesk.model import OutstandingReport
from racedesk.publish.documents import ledger_entry
from racedesk.publish.web.errors import ApiError
from racedesk.publish.web.params import ElectionId
from racedesk.publish.web.replies import json_reply, reply, write_responses
from racedesk.publish.web.state import Served, WebState

#: Largest release or report accepted over HTTP (bytes).
MAX_BODY_BYTES = 64 * 1024 * 1024

router = APIRouter(tags=["write"], default_response_class=Response)

_bearer = HTTPBearer(auto_error=False, description="The write token (RACEDESK_TOKEN or --token).")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
_Body = TypeVar("_Body", bound=BaseModel)


class Retirement(BaseModel):
    """Who retires a release from use, and why."""

    editor: str = Field(min_length=1, max_length=100, pattern=r"^[^\r\n]+$")
    why: str = Field(default="", max_length=500, pattern=r"^[^\r\n]*$")


class Confirmation(BaseModel):
    """Who confirms a held release."""

    editor: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[^\r\n]+$",
        description="Name of the editor confirming the release, recorded with it.",
    )


class Certification(BaseModel):
    """The registrar's certification of the count."""

    issuer: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[^\r\n]+$",
        description="The name the certified results are published under (the CDF Issuer).",
    )
    by: str = Field(
        default="editor",
        min_length=1,
        max_length=100,
        pattern=r"^[^\r\n]+$",
        description="Who enters the certification.",
    )


class Approval(BaseModel):
    """Who approves a call."""

    approver: str = Field(
        default="editor",
        min_length=1,
        max_length=100,
        pattern=r"^[^\r\n]+$",
        description="Name of the editor approving the call, recorded in the ledger.",
    )


def authorize(web: WebState, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Nothing when ``credentials`` carry the app's write token; else a 403 (no token
    configured) or a 401."""
    if web.token is None:
        raise ApiError(
            403,
            "writes are disabled",
            hint="start the server with --token or RACEDESK_TOKEN to accept writes",
        )
    given = credentials.credentials if credentials is not None else ""
    if not given or not hmac.compare_digest(given.encode(), web.token.encode()):
        raise ApiError(
            401,
            "a valid token is needed to write",
            hint="send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )


async def read_body(request: Request) -> bytes:
    """The request's body: a 413 above :data:`MAX_BODY_BYTES` (declared or sent), a 422 when
    empty."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, f"the body is larger than {MAX_BODY_BYTES:,} bytes")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, f"the body is larger than {MAX_BODY_BYTES:,} bytes")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise ApiError(422, "the body is empty", where="body")
    return data


@router.post(
    "/api/elections/{election_id}/releases",
    status_code=201,
    responses=write_responses(
        {
            200: reply(
                "Not stored: a duplicate, an older copy or unchanged counts", "schema", "status"
            ),
            201: reply("Stored as a new release", "schema", "status", "sequence"),
        }
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A release exactly as the feed served it (for LA County, a GetCounterData payload).",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def post_release(
    web: Served,
    request: Request,
    election_id: ElectionId,
    credentials: Bearer,
    origin: Annotated[
        str | None,
        Query(
            description="Where the bytes came from (a file name or URL), kept with them.",
            max_length=500,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        Query(
            alias="format",
            description="The payload's format when it is not the election's source's (cdf, ap…).",
            max_length=40,
        ),
    ] = None,
    into_existing: Annotated[
        str | None,
        Query(
            description="Who chooses to add a payload of another format to this election, "
            "another source's (logged as an `admitted` release event); without it such a "
            "payload is refused (422).",
            min_length=1,
            max_length=100,
            pattern=r"^[^\r\n]+$",
        ),
    ] = None,
    why: Annotated[str, Query(description="Why, logged with the choice.", max_length=500)] = "",
) -> Response:
    """Ingest a release: keep the raw bytes, parse them with the election's adapter, check
    them, recompute every contest and commit, then push a ``release`` event."""
    authorize(web, credentials)
    data = await read_body(request)
    await run_in_threadpool(web.library.election, election_id)
    admitted = Admission(by=into_existing, why=why) if into_existing else None

    def ingest() -> Any:
        with web.write_lock:
            return web.desk.ingest(
                election_id,
                data,
                origin=origin or f"POST /api/elections/{election_id}/releases",
                fmt=fmt,
                admitted=admitted,
            )

    result = await run_in_threadpool(ingest)
    web.library.note_release(election_id)
    await web.hub.poke(election_id)
    doc = {"schema": "racedesk.ingest/1", **msgspec.to_builtins(result)}
    return json_reply(doc, status=201 if result.status == "stored" else 200)


@router.post(
    "/api/elections/{election_id}/outstanding",
    status_code=201,
    responses=write_responses({201: reply("Reports kept", "schema", "stored", "reports")}),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The registrar's estimates of ballots left: a JSON object or list of "
            "objects with `as_of`, `total` and optionally `breakdown`, `counted_so_far`, `note`, "
            "`source`; or the CSV layout of `outstanding-reports.csv`.",
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "object"},
                            {"type": "array", "items": {"type": "object"}},
                        ]
                    }
                },
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def post_outstanding(
    web: Served, request: Request, election_id: ElectionId, credentials: Bearer
) -> Response:
    """Keep outstanding-ballot reports; a new one takes effect at once on the latest release
    (its snapshot is made again, dated now), and a ``release`` event is pushed."""
    authorize(web, credentials)
    data = await read_body(request)
    election = await run_in_threadpool(web.library.election, election_id)
    from racedesk.sources.outstanding import read_reports

    if data.lstrip().startswith(b"{"):
        data = b"[" + data + b"]"

    def keep() -> tuple[int, list[OutstandingReport]]:
        reports = read_reports(
            data,
            where=f"POST /api/elections/{election_id}/outstanding",
            election_date=election.date,
            zone=ZoneInfo(election.timezone),
        )
        with web.write_lock:
            stored = web.desk.add_outstanding_reports(election_id, reports)
        return stored, reports

    stored, reports = await run_in_threadpool(keep)
    if stored:
        web.library.note_release(election_id)
        await web.hub.poke(election_id)
    doc = {
        "schema": "racedesk.outstanding/1",
        "stored": stored,
        "reports": msgspec.to_builtins(reports),
    }
    return json_reply(doc, status=201)


@router.post(
    "/api/elections/{election_id}/calls/{event_id}/approve",
    status_code=201,
    responses=write_responses(
        {
            200: reply("The call was approved already: the standing approval", "schema", "event"),
            201: reply("The approval, a new ledger event", "schema", "event"),
            409: reply(
                "The event is a rescind, an approval, or a call rescinded or superseded since"
            ),
        }
    ),
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": Approval.model_json_schema()}},
        }
    },
)
async def approve_call(
    web: Served,
    request: Request,
    election_id: ElectionId,
    event_id: Annotated[int, Path(ge=0, description="The ledger event to approve.")],
    credentials: Bearer,
) -> Response:
    """Approve a call: a new ledger event naming the approver (calls are never edited), dated
    when it is made. Only a contest's standing call can be approved (409 otherwise); approving
    it again answers 200 with the approval already made. The body, ``{"approver": "name"}``,
    may be left out (the approver is then "editor")."""
    authorize(web, credentials)
    approver = _approval(await request.body()).approver
    election = await run_in_threadpool(web.library.election, election_id)

    def approve() -> tuple[Any, bool]:
        ledger = web.desk.ledger(election_id)
        if not any(e.event_id == event_id for e in ledger):
            raise NotFound(f"election {election_id} has no call event {event_id}")
        with web.write_lock:
            event = web.desk.approve_call(election_id, event_id, approver)
        return event, event.event_id > max(e.event_id for e in ledger)

    event, added = await run_in_threadpool(approve)
    if added:
        web.library.note_ledger(election_id)
        await web.hub.poke(election_id)
    row = ledger_entry(election, event)
    return json_reply({"schema": "racedesk.approval/1", "event": row}, status=201 if added else 200)


@router.post(
    "/api/elections/{election_id}/releases/{sequence}/confirm",
    status_code=201,
    responses=write_responses(
        {
            201: reply("The confirmation, a release event", "schema", "event"),
            409: reply("The release is not held, or is confirmed already"),
        }
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": Confirmation.model_json_schema()}},
        }
    },
)
async def confirm_release(
    web: Served,
    request: Request,
    election_id: ElectionId,
    sequence: Annotated[int, Path(ge=0, description="The held release.")],
    credentials: Bearer,
) -> Response:
    """Confirm a release held as a likely mapping error (``{"editor": "name"}``): it is used
    from now on, and the latest snapshot is made again at once."""
    authorize(web, credentials)
    editor = _read(Confirmation, await request.body()).editor
    return await _release_event(
        web, election_id, lambda: web.desk.confirm_release(election_id, sequence, editor)
    )


@router.post(
    "/api/elections/{election_id}/releases/{sequence}/retire",
    status_code=201,
    responses=write_responses(
        {
            201: reply("The retirement, a release event", "schema", "event"),
            409: reply("The release is retired already"),
        }
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": Retirement.model_json_schema()}},
        }
    },
)
async def retire_release(
    web: Served,
    request: Request,
    election_id: ElectionId,
    sequence: Annotated[int, Path(ge=0, description="The release to retire.")],
    credentials: Bearer,
) -> Response:
    """Retire a release from use (``{"editor": "name", "why": "…"}``): its bytes stay, the
    desk recomputes the latest snapshot without it at once."""
    authorize(web, credentials)
    body = _read(Retirement, await request.body())
    return await _release_event(
        web,
        election_id,
        lambda: web.desk.retire_release(election_id, sequence, body.editor, body.why),
    )


@router.post(
    "/api/elections/{election_id}/certify",
    status_code=201,
    responses=write_responses(
        {
            201: reply("The certification, a release event", "schema", "event"),
            409: reply("No release yet, or the count is certified already"),
        }
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": Certification.model_json_schema()}},
        }
    },
)
async def certify(
    web: Served, request: Request, election_id: ElectionId, credentials: Bearer
) -> Response:
    """Record the registrar's certification (``{"issuer": "…", "by": "…"}``): nothing is left
    to count and every contest takes its final outcome, at once."""
    authorize(web, credentials)
    given = _read(Certification, await request.body())
    return await _release_event(
        web, election_id, lambda: web.desk.certify(election_id, given.by, given.issuer)
    )


async def _release_event(web: WebState, election_id: str, act: Callable[[], Any]) -> Response:
    """An editor's or the registrar's act on an election (a confirmation, a retirement, the
    certification): made under the write lock, then the pages told and the push poked; the
    reply is the release event (``racedesk.release-event/1``, 201)."""
    await run_in_threadpool(web.library.election, election_id)

    def act_locked() -> Any:
        with web.write_lock:
            return act()

    event = await run_in_threadpool(act_locked)
    web.library.note_release(election_id)
    await web.hub.poke(election_id)
    doc = {"schema": "racedesk.release-event/1", "event": msgspec.to_builtins(event)}
    return json_reply(doc, status=201)


def _read(model: type[_Body], raw: bytes) -> _Body:
    """The body read as ``model``, or a 422 naming the field that cannot be read."""
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "body" + "".join(f".{part}" for part in first.get("loc", ()))
        raise ApiError(422, str(first.get("msg", "cannot read the body")), where=where) from None


def _approval(raw: bytes) -> Approval:
    """The approval a body names (an empty body approves as "editor"), or a 422 naming the
    field that cannot be read."""
    try:
        return Approval.model_validate_json(raw) if raw.strip() else Approval()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "body" + "".join(f".{part}" for part in first.get("loc", ()))
        raise ApiError(
            422, str(first.get("msg", "cannot read the approval")), where=where
        ) from None
