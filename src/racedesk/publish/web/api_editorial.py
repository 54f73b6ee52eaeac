"""Editorial control over HTTP (``docs/editors.md``, ``docs/web.md``): an editor approves,
holds or rejects the desk's calls, calls or rescinds a contest by hand, sets the desk-wide
publishing mode, and reads what is published and why. Writes and the editorial reads need the
write token, as a bearer token or as the signed-in editor's cookie (``POST /editor/sign-in``
with the token sets it; the pages' buttons use it). Reads of what is published stay public.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any, Literal, get_args
from urllib.parse import parse_qs, quote, unquote

import msgspec
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from racedesk.engine.editorial import PublicationState
from racedesk.model.editorial import EditorialAct
from racedesk.publish.editorial_document import act_row, editorial_view, publication_row
from racedesk.publish.links import Links
from racedesk.publish.pages import ENV
from racedesk.publish.web.api_write import Bearer, _read, authorize
from racedesk.publish.web.errors import ApiError
from racedesk.publish.web.params import ElectionId
from racedesk.publish.web.replies import json_reply, reply, write_responses
from racedesk.publish.web.state import Served, WebState

router = APIRouter(tags=["editorial"], default_response_class=Response)

#: The signed-in editor's cookies: a value derived from the write token (never the token), and
#: the editor's name the pages' buttons sign acts with.
SESSION_COOKIE = "racedesk_editor"
NAME_COOKIE = "racedesk_editor_name"
_NAME = r"^[^\r\n]+$"
_LINKS = Links.live_app()
STATES: tuple[str, ...] = get_args(PublicationState)


class EditorialRequest(BaseModel):
    """An editor's act on a contest's call."""

    act: Literal["approve", "hold", "reject", "call", "rescind"]
    editor: str = Field(min_length=1, max_length=200, pattern=_NAME)
    note: str = Field(default="", max_length=2000)
    event_id: int | None = Field(
        default=None, ge=0, description="approve, hold, reject: the ledger call decided on."
    )
    contest_id: str | None = Field(
        default=None, max_length=200, description="call, rescind: the contest."
    )
    choices: list[str] = Field(
        default_factory=list, max_length=50, description="call: the winners (ids or names)."
    )


class ModeRequest(BaseModel):
    """A change of the desk-wide publishing mode."""

    mode: Literal["auto", "recommend"]
    editor: str = Field(min_length=1, max_length=200, pattern=_NAME)
    note: str = Field(default="", max_length=2000)


def session_value(token: str) -> str:
    """The signed-in editor's cookie value for ``token`` (an HMAC of it: the cookie never
    carries the token itself)."""
    return hmac.new(token.encode(), b"racedesk editor session", hashlib.sha256).hexdigest()


def signed_in(web: WebState, request: Request) -> bool:
    """Whether the request carries the signed-in editor's cookie for the app's token."""
    if web.token is None:
        return False
    given = request.cookies.get(SESSION_COOKIE, "")
    return bool(given) and hmac.compare_digest(given, session_value(web.token))


def _allow(web: WebState, request: Request, credentials: Any) -> None:
    """Nothing for the signed-in editor; else the bearer token is needed (``authorize``)."""
    if not signed_in(web, request):
        authorize(web, credentials)


def _said(web: WebState, election_id: str, act: EditorialAct) -> dict[str, Any]:
    """An act as the API answers it: its row and what is published of its contest now."""
    election = web.library.election(election_id)
    published = web.desk.editors.publications(election_id).get(act.contest_id)
    return {
        "act": msgspec.to_builtins(act_row(election, act)),
        "contest": (
            msgspec.to_builtins(publication_row(election, published))
            if published is not None
            else None
        ),
    }


@router.post(
    "/api/elections/{election_id}/editorial",
    status_code=201,
    responses=write_responses(
        {
            200: reply("The same act was in force: nothing stored", "schema", "act", "contest"),
            201: reply("The act, stored", "schema", "act", "contest"),
            409: reply("A call rescinded or superseded since, a rescind, or nothing to rescind"),
        }
    ),
)
async def editorial_act(
    web: Served, request: Request, election_id: ElectionId, credentials: Bearer
) -> Response:
    """Approve, hold or reject the desk's call (``event_id``), or call or rescind a contest by
    hand (``contest_id``, ``choices``), as ``editor`` with a ``note``
    (``racedesk.editorial-act/1``)."""
    _allow(web, request, credentials)
    body = _read(EditorialRequest, await request.body())
    election = await run_in_threadpool(web.library.election, election_id)
    editors = web.desk.editors

    def act() -> tuple[EditorialAct, bool]:
        with web.write_lock:
            if body.act in ("approve", "hold", "reject"):
                if body.event_id is None:
                    raise ApiError(422, f"{body.act} needs the ledger call", where="body.event_id")
                return editors.decide(election_id, body.act, body.event_id, body.editor, body.note)
            if not body.contest_id:
                raise ApiError(422, f"{body.act} needs the contest", where="body.contest_id")
            if body.act == "call":
                return editors.call(
                    election, body.contest_id, tuple(body.choices), body.editor, body.note
                )
            return editors.rescind(election_id, body.contest_id, body.editor, body.note)

    done, stored = await run_in_threadpool(act)
    said = await run_in_threadpool(_said, web, election_id, done)
    if stored:
        web.library.note_editorial(election_id)
        await web.hub.editorial(election_id, said)
    doc = {"schema": "racedesk.editorial-act/1", "stored": stored, **said}
    return json_reply(doc, status=201 if stored else 200)


@router.get(
    "/api/elections/{election_id}/editorial",
    responses=write_responses({200: reply("racedesk.editorial/1", "schema", "contests")}),
)
async def editorial_doc(
    web: Served,
    request: Request,
    election_id: ElectionId,
    credentials: Bearer,
    state: Annotated[
        str | None,
        Query(description="Only contests in this state (published, recommended, held, …)."),
    ] = None,
) -> Response:
    """What is published of each contest's call and why, and every editor's act
    (``racedesk.editorial/1``): for editors, so it needs the token or the editor's cookie."""
    _allow(web, request, credentials)
    election = await run_in_threadpool(web.library.election, election_id)
    editors = web.desk.editors

    def make() -> Any:
        return editorial_view(
            election,
            editors.mode(),
            editors.publications(election_id),
            editors.acts(election_id),
            state=state,
        )

    return json_reply(await run_in_threadpool(make))


@router.get("/api/publishing-mode", responses={200: reply("racedesk.publishing-mode/1", "mode")})
async def get_mode(web: Served) -> Response:
    """The desk-wide publishing mode: ``auto`` or ``recommend``."""
    mode = await run_in_threadpool(web.desk.editors.mode)
    return json_reply({"schema": "racedesk.publishing-mode/1", "mode": mode})


@router.post(
    "/api/publishing-mode",
    status_code=201,
    responses=write_responses(
        {
            200: reply("The mode was in force: nothing stored", "schema", "mode"),
            201: reply("The mode, set", "schema", "mode"),
        }
    ),
)
async def set_mode(web: Served, request: Request, credentials: Bearer) -> Response:
    """Set the desk-wide publishing mode (``{"mode": "recommend", "editor": "name"}``)."""
    _allow(web, request, credentials)
    body = _read(ModeRequest, await request.body())

    def act() -> tuple[EditorialAct, bool]:
        with web.write_lock:
            return web.desk.editors.set_mode(body.mode, body.editor, body.note)

    done, stored = await run_in_threadpool(act)
    if stored:
        web.library.note_editorial()
    doc = {
        "schema": "racedesk.publishing-mode/1",
        "mode": done.mode,
        "stored": stored,
        "made_by": done.made_by,
        "made_at": done.made_at.isoformat(),
    }
    return json_reply(doc, status=201 if stored else 200)


def _form(raw: bytes) -> dict[str, str]:
    """A form's fields (``application/x-www-form-urlencoded``), the first value of each."""
    if len(raw) > 4096:
        raise ApiError(413, "the form is larger than 4,096 bytes")
    fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


def _back(form: dict[str, str]) -> str:
    """Where to go after signing in or out: a path of this site only."""
    back = form.get("back", "/")
    return back if back.startswith("/") and not back.startswith("//") else "/"


@router.post("/editor/sign-in", include_in_schema=False)
async def sign_in(web: Served, request: Request) -> Response:
    """Sign an editor in with the write token (form fields ``token``, ``name``, ``back``):
    two cookies (HttpOnly, SameSite=Strict), then back to the page."""
    form = _form(await request.body())
    token, name = form.get("token", ""), form.get("name", "").strip()
    if web.token is None or not hmac.compare_digest(token.encode(), web.token.encode()):
        raise ApiError(401, "the token is not the desk's write token")
    if not name or len(name) > 200 or "\n" in name or "\r" in name:
        raise ApiError(422, "an editor's name of 1 to 200 characters is needed", where="name")
    response = RedirectResponse(_back(form), status_code=303)
    options: dict[str, Any] = {"httponly": True, "samesite": "strict", "path": "/"}
    response.set_cookie(SESSION_COOKIE, session_value(web.token), **options)
    response.set_cookie(NAME_COOKIE, quote(name), **options)
    return response


@router.post("/editor/sign-out", include_in_schema=False)
async def sign_out(request: Request) -> Response:
    """Sign the editor out (the cookies forgotten), then back to the page."""
    response = RedirectResponse(_back(_form(await request.body())), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(NAME_COOKIE, path="/")
    return response


@router.get("/editor", include_in_schema=False, response_class=HTMLResponse)
async def sign_in_page(back: Annotated[str, Query(max_length=500)] = "/") -> HTMLResponse:
    """The editor's sign-in form (the write token and a name)."""
    target = _back({"back": back})
    html = ENV.get_template("sign_in.html").render(links=_LINKS, back=target, events_url=None)
    return HTMLResponse(html)


@router.get("/elections/{election_id}/ledger", include_in_schema=False, response_class=HTMLResponse)
def ledger_page(
    web: Served,
    request: Request,
    election_id: str,
    state: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The election-wide ledger for editors: every contest's call as published and why, and
    every act, filtered by state and by words in the contest's title."""
    editor = editor_name(web, request)
    if editor is None:
        return RedirectResponse(f"/editor?back=/elections/{quote(election_id)}/ledger", 303)
    election = web.library.election(election_id)
    editors = web.desk.editors
    doc = editorial_view(
        election,
        editors.mode(),
        editors.publications(election_id),
        editors.acts(election_id),
        state=state or None,
    )
    if q:
        words = q.casefold().split()
        rows = [r for r in doc.contests if all(w in r.contest_title.casefold() for w in words)]
        doc = msgspec.structs.replace(doc, contests=rows)
    html = ENV.get_template("ledger.html").render(
        links=_LINKS, doc=doc, editor=editor, state=state, q=q, states=STATES, events_url=None
    )
    return HTMLResponse(html)


def editor_panel(web: WebState, request: Request, election_id: str, contest_id: str) -> str:
    """The signed-in editor's panel for a contest page (its buttons post to the API), or ""
    when no editor is signed in."""
    editor = editor_name(web, request)
    if editor is None:
        return ""
    election = web.library.election(election_id)
    contest = web.library.contest(election, contest_id)
    published = web.desk.editors.publications(election_id).get(contest_id)
    return ENV.get_template("_editor_panel.html").render(
        editor=editor,
        mode=web.desk.editors.mode(),
        row=publication_row(election, published) if published is not None else None,
        contest=contest,
        api_url=f"/api/elections/{quote(election_id)}/editorial",
        ledger_url=f"/elections/{quote(election_id)}/ledger",
        script_url=_LINKS.static("editor.js"),
    )


def editor_name(web: WebState, request: Request) -> str | None:
    """The signed-in editor's name, or None when no editor is signed in."""
    if not signed_in(web, request):
        return None
    return unquote(request.cookies.get(NAME_COOKIE, "")) or "editor"


__all__ = [
    "NAME_COOKIE",
    "SESSION_COOKIE",
    "editor_name",
    "router",
    "session_value",
    "signed_in",
]
