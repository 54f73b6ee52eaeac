"""How the API answers: JSON bodies encoded once by msgspec, and what the OpenAPI document says
each route answers (a ``racedesk.KIND/1`` document, or the error shape of
:mod:`racedesk.publish.web.errors`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from fastapi.responses import Response

from racedesk.publish.web.errors import ERROR_SCHEMA


def json_reply(doc: Any, status: int = 200) -> Response:
    """``doc`` as a JSON response."""
    return Response(msgspec.json.encode(doc), status_code=status, media_type="application/json")


def reply(description: str, *required: str) -> dict[str, Any]:
    """An OpenAPI response: a JSON object with the ``required`` fields, or an error document."""
    schema = {"type": "object", "required": list(required)} if required else ERROR_SCHEMA
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def read_responses(
    kind: str, required: Sequence[str], description: str
) -> dict[int | str, dict[str, Any]]:
    """The responses of a read endpoint answering a ``racedesk.KIND/1`` document."""
    schema = {
        "type": "object",
        "required": ["schema", *required],
        "properties": {"schema": {"type": "string", "const": f"racedesk.{kind}/1"}},
        "additionalProperties": True,
    }
    return {
        200: {"description": description, "content": {"application/json": {"schema": schema}}},
        404: reply("Unknown election, contest or release"),
        422: reply("A parameter that cannot be read"),
    }


def write_responses(ok: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """The responses of a write endpoint: ``ok`` and the refusals every write shares."""
    return {
        **ok,
        401: reply("No token, or not the right one"),
        403: reply("Writes are disabled (no token configured)"),
        404: reply("Unknown election or call event"),
        413: reply("Body too large"),
        422: reply("The body cannot be read: nothing was stored"),
    }
