"""The web app's errors: one shape, ``{"error": {"problem", "where", "hint"}}``, for the API;
a small HTML page for the dashboard.

Status codes: 404 for what the desk does not have (:class:`NotFound`), 422 for input that
cannot be read (:class:`~racedesk.errors.InputError`), 503 when the database is unavailable
(:class:`~racedesk.store.base.StoreUnavailable`), 409 for any other conflict the desk reports,
and the status an :class:`ApiError` names (401, 403, 413, 422). The framework's own errors (a
route that does not exist, a method a route does not take, a query parameter that cannot be read)
are answered in the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from html import escape
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from racedesk.errors import InputError, NotFound, RacedeskError
from racedesk.store.base import StoreUnavailable


class ApiError(RacedeskError):
    """An HTTP error with its status and the desk's error shape."""

    def __init__(
        self,
        status: int,
        problem: str,
        *,
        where: str = "",
        hint: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(problem, where=where, hint=hint)
        self.status = status
        self.headers = headers or {}


#: The OpenAPI schema of an error document.
ERROR_SCHEMA: dict[str, Any] = {
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


def error_response(
    request: Request,
    status: int,
    problem: str,
    where: str = "",
    hint: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as JSON under ``/api/``, else as a page linking back to the elections."""
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


async def _api_error(request: Request, exc: ApiError) -> Response:
    return error_response(request, exc.status, exc.problem, exc.where, exc.hint, exc.headers)


async def _not_found(request: Request, exc: NotFound) -> Response:
    return error_response(request, 404, exc.message)


async def _racedesk_error(request: Request, exc: RacedeskError) -> Response:
    if isinstance(exc, InputError):
        status = 422
    elif isinstance(exc, StoreUnavailable):
        status = 503
    else:
        status = 409
    return error_response(request, status, exc.problem, exc.where, exc.hint)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """The framework's own errors (no such route 404, method not allowed 405 …) in the desk's
    shape, their headers (``Allow``) kept."""
    problem = exc.detail if isinstance(exc.detail, str) else "the request cannot be answered"
    if exc.status_code == 404 and problem == "Not Found":
        problem = f"nothing at {request.url.path}"
    return error_response(
        request, exc.status_code, problem, request.url.path, headers=dict(exc.headers or {})
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    """A parameter FastAPI could not read (``?release=-1``, ``?as_of=garbage``): 422 in the
    desk's shape, ``where`` naming the parameter (``query.release``)."""
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    given = first.get("input")
    problem = str(first.get("msg", "invalid request"))
    if given is not None and not isinstance(given, dict | list):
        problem += f" (got {str(given)[:100]!r})"
    return error_response(request, 422, problem, where)


#: The app's exception handlers (the most specific class of an error picks its handler).
EXCEPTION_HANDLERS: dict[
    int | type[Exception], Callable[[Request, Any], Coroutine[Any, Any, Response]]
] = {
    ApiError: _api_error,
    NotFound: _not_found,
    RacedeskError: _racedesk_error,
    StarletteHTTPException: _http_error,
    RequestValidationError: _validation_error,
}
