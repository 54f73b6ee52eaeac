"""The live desk over HTTP: JSON API, dashboard pages and push events (FastAPI).

``create_app(desk, token=…)`` serves one desk:

- ``/api/…``: the JSON API, documented at ``/openapi.json`` and ``/docs``. Reads are public:
  elections, contests (filter by call status, search by title), one contest's state, its
  history release by release, the call ledger and the releases with their hashes, each *as of*
  a time (``?as_of=ISO``; a time without a zone is the election's local time). Documents are
  the versioned ``racedesk.*/1`` shapes the CLI's ``--json`` prints (:mod:`racedesk.views`).
- Writes need ``Authorization: Bearer <token>`` (``RACEDESK_TOKEN`` or ``--token``): post a
  release (the feed's bytes), post outstanding-ballot reports, approve a call. Without a
  configured token, writes are refused.
- ``/api/elections/{id}/events``: server-sent events of new releases, calls and rescinds
  (:mod:`racedesk.publish.events`).
- ``/``, ``/elections/{id}``, ``/elections/{id}/contests/{cid}``: the dashboard
  (:mod:`racedesk.publish.site`), which updates itself from the events.

``serve`` runs the app with uvicorn; ``replay_in_background`` feeds a desk a scenario at a
watchable pace while the server runs (``racedesk demo``).
"""

from __future__ import annotations

import contextlib
import hmac
import socket
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
import uvicorn
from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.sse import EventSourceResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from racedesk import __version__, views
from racedesk.errors import InputError, RacedeskError, StoreError
from racedesk.model import OutstandingReport, Release
from racedesk.publish.events import EventHub
from racedesk.publish.site import (
    STATIC_DIR,
    STATUSES,
    Library,
    LiveLinks,
    NotFound,
    render_contest,
    render_election,
    render_index,
)
from racedesk.store.base import StoreUnavailable

if TYPE_CHECKING:
    from racedesk.desk import Desk

#: Largest release or report accepted over HTTP (bytes).
MAX_BODY_BYTES = 64 * 1024 * 1024

_LINKS = LiveLinks()
_bearer = HTTPBearer(auto_error=False, description="The write token (RACEDESK_TOKEN or --token).")


class _EventStream(StreamingResponse):
    """How the OpenAPI document names the event stream's type. The route returns FastAPI's own
    :class:`EventSourceResponse` over bytes the hub encoded once for every client (declaring
    that class here would make FastAPI re-encode each event per client)."""

    media_type = "text/event-stream"


class ApiError(Exception):
    """An HTTP error with the desk's error shape: ``{"error": {"problem", "where", "hint"}}``."""

    def __init__(
        self,
        status: int,
        problem: str,
        *,
        where: str = "",
        hint: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem
        self.where = where
        self.hint = hint
        self.headers = headers or {}


class Approval(BaseModel):
    """Who approves a call."""

    approver: str = Field(
        default="editor",
        min_length=1,
        max_length=100,
        pattern=r"^[^\r\n]+$",
        description="Name of the editor approving the call, recorded in the ledger.",
    )


# --- OpenAPI: the documents' shapes ---------------------------------------------------------------

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["problem"],
            "properties": {
                "problem": {"type": "string"},
                "where": {"type": "string"},
                "hint": {"type": "string"},
            },
        }
    },
}


def _reply(description: str, *required: str) -> dict[str, Any]:
    """An OpenAPI response: a JSON object with the ``required`` fields, or an error document."""
    schema = {"type": "object", "required": list(required)} if required else _ERROR_SCHEMA
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _doc(kind: str, required: Sequence[str], description: str) -> dict[int | str, dict[str, Any]]:
    """The responses of a read endpoint answering a ``racedesk.KIND/1`` document."""
    schema = {
        "type": "object",
        "required": ["schema", *required],
        "properties": {"schema": {"type": "string", "const": f"racedesk.{kind}/1"}},
        "additionalProperties": True,
    }
    return {
        200: {"description": description, "content": {"application/json": {"schema": schema}}},
        404: _reply("Unknown election, contest or release"),
        422: _reply("A parameter that cannot be read"),
    }


def _write_responses(ok: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    return {
        **ok,
        401: _reply("No token, or not the right one"),
        403: _reply("Writes are disabled (no token configured)"),
        404: _reply("Unknown election or call event"),
        413: _reply("Body too large"),
        422: _reply("The body cannot be read: nothing was stored"),
    }


_AS_OF = Query(
    None,
    description="Answer as of this time (ISO 8601): what the desk knew at the last release at or "
    "before it. A time without a zone is the election's local time.",
)
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
ElectionId = Annotated[str, Path(description="Election id, e.g. `lavote:4324`.")]
ContestId = Annotated[str, Path(description="Contest id, e.g. `9547`.")]
_RELEASE = Query(None, ge=0, description="Answer as of this release sequence (0-based).")


# --- the app ---------------------------------------------------------------------------------------------


def create_app(desk: Desk, *, token: str | None) -> FastAPI:
    """The web app over ``desk``. ``token`` protects writes; None disables them."""
    library = Library(desk)
    hub = EventHub(library)
    write_lock = threading.Lock()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await hub.close()

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
    )
    app.state.library = library
    app.state.hub = hub
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # errors ----------------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _error(request, exc.status, exc.problem, exc.where, exc.hint, exc.headers)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, exc.message)

    @app.exception_handler(RacedeskError)
    async def _racedesk_error(request: Request, exc: RacedeskError) -> Response:
        status = (
            422
            if isinstance(exc, InputError)
            else 503
            if isinstance(exc, StoreUnavailable)
            else 409
        )
        return _error(request, status, exc.problem, exc.where, exc.hint)

    # helpers --------------------------------------------------------------------------------------
    def pick(election_id: str, as_of: datetime | None, release: int | None = None) -> int | None:
        election = library.election(election_id)
        return library.sequence(
            election_id, as_of=_aware(as_of, election.timezone), release=release
        )

    def need(election_id: str, sequence: int | None) -> int:
        if sequence is None:
            raise NotFound(f"election {election_id} has no release at that time")
        return sequence

    def authorize(credentials: HTTPAuthorizationCredentials | None) -> None:
        if token is None:
            raise ApiError(
                403,
                "writes are disabled",
                hint="start the server with --token or RACEDESK_TOKEN to accept writes",
            )
        given = credentials.credentials if credentials is not None else ""
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(
                401,
                "a valid token is needed to write",
                hint="send Authorization: Bearer <token>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    # reads -----------------------------------------------------------------------------------------
    @app.get(
        "/api/elections",
        tags=["read"],
        responses=_doc("elections", ["elections"], "Every election with its latest release"),
        response_class=Response,
    )
    def list_elections() -> Response:
        """Every election the desk holds, with its latest release."""
        return _json(library.elections_doc())

    @app.get(
        "/api/elections/{election_id}",
        tags=["read"],
        responses=_doc(
            "status",
            ["election", "release", "contests"],
            "The election and every contest's summary",
        ),
        response_class=Response,
    )
    def get_election(election_id: ElectionId, as_of: datetime | None = _AS_OF) -> Response:
        """The election, its latest release (as of ``as_of``), the county's ballots left and
        every contest's summary (``racedesk.status/1``)."""
        return _json(library.election_doc(election_id, pick(election_id, as_of)))

    @app.get(
        "/api/elections/{election_id}/contests",
        tags=["read"],
        responses=_doc("contests", ["election", "release", "contests"], "Contest summaries"),
        response_class=Response,
    )
    def list_contests(
        election_id: ElectionId,
        status: Annotated[
            str | None,
            Query(description=f"Call status, one of: {', '.join(STATUSES)}.", max_length=40),
        ] = None,
        q: Annotated[
            str | None,
            Query(description="Words that must all appear in the title or group.", max_length=200),
        ] = None,
        as_of: datetime | None = _AS_OF,
    ) -> Response:
        """The election's contests, filtered by call status and searched by title."""
        return _json(
            library.contests_doc(election_id, pick(election_id, as_of), status=status, q=q)
        )

    @app.get(
        "/api/elections/{election_id}/contests/{contest_id}",
        tags=["read"],
        responses=_doc("state", ["election", "release", "contest"], "One contest's state"),
        response_class=Response,
    )
    async def get_contest(
        election_id: ElectionId,
        contest_id: ContestId,
        as_of: datetime | None = _AS_OF,
        release: int | None = _RELEASE,
    ) -> Response:
        """One contest after the latest release (or as of a time or release): tallies, votes
        left, each choice's standing and hurdle, the projection, the call and a sentence
        (``racedesk.state/1``)."""
        # The hottest read: answered on the event loop when it is all in memory.
        if as_of is None:
            cached = library.peek_contest_json(election_id, contest_id, release)
            if cached is not None:
                return Response(cached, media_type="application/json")

        def read() -> bytes:
            seq = need(election_id, pick(election_id, as_of, release))
            return library.contest_json(election_id, contest_id, seq)

        return Response(await run_in_threadpool(read), media_type="application/json")

    @app.get(
        "/api/elections/{election_id}/contests/{contest_id}/history",
        tags=["read"],
        responses=_doc(
            "history", ["election", "contest", "releases"], "One contest release by release"
        ),
        response_class=Response,
    )
    def get_history(
        election_id: ElectionId, contest_id: ContestId, as_of: datetime | None = _AS_OF
    ) -> Response:
        """One contest's state after every release up to ``as_of`` (``racedesk.history/1``)."""
        return _json(library.history_doc(election_id, contest_id, pick(election_id, as_of)))

    @app.get(
        "/api/elections/{election_id}/ledger",
        tags=["read"],
        responses=_doc("ledger", ["election", "events"], "The call ledger"),
        response_class=Response,
    )
    def get_ledger(election_id: ElectionId, as_of: datetime | None = _AS_OF) -> Response:
        """Every call event up to ``as_of``: calls, rescinds and approvals (``racedesk.ledger/1``)."""
        return _json(library.ledger_doc(election_id, pick(election_id, as_of)))

    @app.get(
        "/api/elections/{election_id}/releases",
        tags=["read"],
        responses=_doc("releases", ["election", "releases"], "Releases with their hashes"),
        response_class=Response,
    )
    def get_releases(election_id: ElectionId, as_of: datetime | None = _AS_OF) -> Response:
        """Every release up to ``as_of`` with its content hash, problems and whether it was
        used (``racedesk.releases/1``)."""
        return _json(library.releases_doc(election_id, pick(election_id, as_of)))

    # push -----------------------------------------------------------------------------------------
    def known_election(election_id: ElectionId) -> None:
        # A dependency runs before the stream starts, so an unknown election is still a 404.
        library.election(election_id)

    @app.get(
        "/api/elections/{election_id}/events",
        tags=["push"],
        response_class=_EventStream,
        dependencies=[Depends(known_election)],
        responses={
            200: {
                "description": "A stream of server-sent events (`text/event-stream`)",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            },
            404: {
                "description": "Unknown election",
                "content": {"application/json": {"schema": _ERROR_SCHEMA}},
            },
        },
    )
    async def events(
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
        sub = await hub.subscribe(election_id, last_event_id)
        return EventSourceResponse(
            hub.stream(sub), headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )

    # writes ------------------------------------------------------------------------------------------
    @app.post(
        "/api/elections/{election_id}/releases",
        tags=["write"],
        status_code=201,
        response_class=Response,
        responses=_write_responses(
            {
                200: _reply(
                    "Not stored: a duplicate, an older copy or unchanged counts", "schema", "status"
                ),
                201: _reply("Stored as a new release", "schema", "status", "sequence"),
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
    ) -> Response:
        """Ingest a release: keep the raw bytes, parse them with the election's adapter, check
        them, recompute every contest and commit, then push a ``release`` event."""
        authorize(credentials)
        data = await _body(request)
        await run_in_threadpool(library.election, election_id)

        def ingest() -> Any:
            with write_lock:
                return desk.ingest(
                    election_id,
                    data,
                    origin=origin or f"POST /api/elections/{election_id}/releases",
                )

        result = await run_in_threadpool(ingest)
        library.note_release(election_id)
        await hub.poke(election_id)
        doc = {"schema": "racedesk.ingest/1", **msgspec.to_builtins(result)}
        return _json(doc, status=201 if result.status == "stored" else 200)

    @app.post(
        "/api/elections/{election_id}/outstanding",
        tags=["write"],
        status_code=201,
        response_class=Response,
        responses=_write_responses({201: _reply("Reports kept", "schema", "stored", "reports")}),
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
        request: Request, election_id: ElectionId, credentials: Bearer
    ) -> Response:
        """Keep outstanding-ballot reports; they count from the next release on."""
        authorize(credentials)
        data = await _body(request)
        election = await run_in_threadpool(library.election, election_id)
        from racedesk.sources.outstanding import read_reports

        if data.lstrip().startswith(b"{"):
            data = b"[" + data + b"]"

        def keep() -> tuple[int, list[OutstandingReport]]:
            reports = read_reports(
                data,
                where=f"POST /api/elections/{election_id}/outstanding",
                election_date=election.date,
            )
            with write_lock:
                stored = sum(1 for r in reports if desk.add_outstanding(election_id, r))
            return stored, reports

        stored, reports = await run_in_threadpool(keep)
        doc = {
            "schema": "racedesk.outstanding/1",
            "stored": stored,
            "reports": msgspec.to_builtins(reports),
        }
        return _json(doc, status=201)

    @app.post(
        "/api/elections/{election_id}/calls/{event_id}/approve",
        tags=["write"],
        status_code=201,
        response_class=Response,
        responses=_write_responses(
            {
                201: _reply("The approval, a new ledger event", "schema", "event"),
                409: _reply("The event is a rescind"),
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
        request: Request,
        election_id: ElectionId,
        event_id: Annotated[int, Path(ge=0, description="The ledger event to approve.")],
        credentials: Bearer,
    ) -> Response:
        """Approve a call: a new ledger event naming the approver (calls are never edited).
        The body, ``{"approver": "name"}``, may be left out (the approver is then "editor")."""
        authorize(credentials)
        raw = await request.body()
        try:
            approval = Approval.model_validate_json(raw) if raw.strip() else Approval()
        except ValidationError as exc:
            first = exc.errors()[0]
            where = "body" + "".join(f".{part}" for part in first.get("loc", ()))
            raise ApiError(
                422, str(first.get("msg", "cannot read the approval")), where=where
            ) from None
        election = await run_in_threadpool(library.election, election_id)
        approver = approval.approver

        def approve() -> Any:
            ledger = library.ledger(election_id)
            if not any(e.event_id == event_id for e in ledger):
                raise NotFound(f"election {election_id} has no call event {event_id}")
            with write_lock:
                return desk.approve_call(election_id, event_id, approver)

        event = await run_in_threadpool(approve)
        library.note_ledger(election_id)
        await hub.poke(election_id)
        row = views.ledger_view(election, [event])["events"][0]
        return _json({"schema": "racedesk.approval/1", "event": row}, status=201)

    # pages ----------------------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def index_page() -> HTMLResponse:
        return HTMLResponse(render_index(library, _LINKS))

    @app.get("/elections/{election_id}", include_in_schema=False, response_class=HTMLResponse)
    def election_page(
        election_id: str,
        status: Annotated[str | None, Query(max_length=40)] = None,
        q: Annotated[str | None, Query(max_length=200)] = None,
        as_of: datetime | None = None,
    ) -> HTMLResponse:
        seq = pick(election_id, as_of)
        html = library.cached(
            ("election-page", election_id, seq, status, q),
            lambda: render_election(library, _LINKS, election_id, seq, status=status, q=q),
        )
        return HTMLResponse(html)

    @app.get(
        "/elections/{election_id}/contests/{contest_id}",
        include_in_schema=False,
        response_class=HTMLResponse,
    )
    def contest_page(
        election_id: str,
        contest_id: str,
        release: Annotated[int | None, Query(ge=0)] = None,
        as_of: datetime | None = None,
    ) -> HTMLResponse:
        seq = pick(election_id, as_of, release)
        latest = library.latest_sequence(election_id)
        ledger = library.ledger(election_id, latest)
        # Every open page asks for this after a release: rendered once per release and ledger.
        key = ("contest-page", election_id, contest_id, seq, latest, len(ledger))
        html = library.cached(
            key,
            lambda: render_contest(
                library, _LINKS, election_id, contest_id, seq, latest=latest, ledger=ledger
            ),
        )
        return HTMLResponse(html)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__, "subscribers": hub.subscribers()}

    return app


# --- helpers ------------------------------------------------------------------------------------------


def _aware(moment: datetime | None, zone: str) -> datetime | None:
    """A time with its zone (the election's when it has none), checked to be representable."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    try:
        moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ApiError(
            422, f"the time {moment.isoformat()} is out of range", where="as_of"
        ) from None
    return moment


async def _body(request: Request) -> bytes:
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


def _json(doc: Any, status: int = 200) -> Response:
    return Response(msgspec.json.encode(doc), status_code=status, media_type="application/json")


def _error(
    request: Request,
    status: int,
    problem: str,
    where: str = "",
    hint: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    if request.url.path.startswith("/api/"):
        body = {"error": {"problem": problem, "where": where, "hint": hint}}
        return JSONResponse(body, status_code=status, headers=headers)
    text = escape(f"{where}: {problem}" if where else problem)
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{status} · racedesk</title><link rel="stylesheet" href="/static/racedesk.css"></head>'
        f'<body><main><h1>{status}</h1><p>{text}</p><p><a href="/">All elections</a></p></main></body></html>'
    )
    return HTMLResponse(html, status_code=status, headers=headers)


# --- running ---------------------------------------------------------------------------------------------


class DeskServer(uvicorn.Server):
    """uvicorn's server that ends the desk's event streams first when it shuts down: an open
    stream would otherwise hold the shutdown until its grace period ran out."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        hub = getattr(getattr(self.config.app, "state", None), "hub", None)
        if isinstance(hub, EventHub):
            await hub.close()
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


ReplayItem = bytes | Release | OutstandingReport


def replay_in_background(
    desk: Desk,
    election_id: str,
    releases: Sequence[ReplayItem],
    delay: float,
    *,
    start_after: float = 0.0,
    on_error: Callable[[Exception], None] | None = None,
) -> tuple[threading.Thread, threading.Event]:
    """Feed ``releases`` to the desk one every ``delay`` seconds in a daemon thread, while a
    server runs over the same desk; open pages update from the store as each one lands.

    Items are a feed's payload bytes (``Desk.ingest``), parsed releases
    (``Desk.ingest_release``) or outstanding reports (``Desk.add_outstanding``, which take no
    time of their own). Returns the thread and an event that stops it early when set.
    """
    stop = threading.Event()

    def run() -> None:
        if start_after > 0 and stop.wait(start_after):
            return
        for i, item in enumerate(releases):
            if stop.is_set():
                return
            try:
                if isinstance(item, OutstandingReport):
                    desk.add_outstanding(election_id, item)
                    continue
                if isinstance(item, Release):
                    desk.ingest_release(item)
                else:
                    desk.ingest(election_id, item, origin=f"replay #{i}")
            except (RacedeskError, StoreError) as exc:
                if on_error is None:
                    raise
                on_error(exc)
            if i < len(releases) - 1 and stop.wait(delay):
                return

    thread = threading.Thread(target=run, name=f"racedesk-replay-{election_id}", daemon=True)
    thread.start()
    return thread, stop


__all__ = ["ApiError", "DeskServer", "create_app", "replay_in_background", "serve"]
