"""The path and query parameters the API's routes share, as the OpenAPI document describes them,
and how a time given without a zone is read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Path, Query

from racedesk.publish.web.errors import ApiError

ElectionId = Annotated[str, Path(description="Election id, e.g. `lavote:4324`.")]
ContestId = Annotated[str, Path(description="Contest id, e.g. `9547`.")]
AS_OF = Query(
    None,
    description="Answer as of this time (ISO 8601): what the desk knew at the last release at or "
    "before it, as it stood then (a registrar's estimate or an editor's act that came later is "
    "not yet in it). A time without a zone is the election's local time.",
)
RELEASE = Query(None, ge=0, description="Answer as of this release sequence (0-based).")


def aware(moment: datetime | None, zone: str) -> datetime | None:
    """A time with its zone (``zone`` when it has none), checked to be representable."""
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
