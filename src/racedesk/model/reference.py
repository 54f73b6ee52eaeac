"""A reference call: when someone outside the desk called a contest (AP, a concession, a
campaign's own declaration), the time a desk's calls are compared with."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import msgspec

#: How exactly the reference time is known: to the minute, to the day ("2024-03-06 (Wed)"),
#: by a day at the latest ("by 2024-03-09"), or not at all.
Precision = Literal["minute", "day", "none"]


class ReferenceCall(msgspec.Struct, frozen=True, kw_only=True):
    """One contest's reference call, read from a sourced list of calls and concessions.

    ``contest_ids`` are the contests of the election it names (none when it could not be told
    which, several for a row that names several contests); ``winners`` the called choices' ids
    (all contests together); ``at`` the reference time (for ``day``, midnight starting the day;
    None for ``none``). ``contest``, ``winner``, ``said`` and ``source`` keep the row's words.
    """

    election_date: date
    contest: str
    winner: str
    caller: str
    said: str
    source: str
    contest_ids: tuple[str, ...] = ()
    winners: tuple[str, ...] = ()
    at: datetime | None = None
    precision: Precision = "none"


__all__ = ["Precision", "ReferenceCall"]
