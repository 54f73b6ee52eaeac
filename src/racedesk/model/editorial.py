"""Editors' acts on the desk's calls (issue 18, item 1; ``docs/editors.md``).

The engine's ledger says what the desk would call; editors decide what is published. Each act
is appended, never edited: an approval, a hold or a rejection of a ledger call; a call or a
rescind an editor makes by hand; a change of the desk-wide publishing mode:

- ``auto``: the engine's calls are published as it makes them, unless an editor holds or
  rejects one (the desk's behaviour before editorial control, and the default);
- ``recommend``: the engine's calls are recommendations, published once an editor approves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

PublishingMode = Literal["auto", "recommend"]
EditorialActKind = Literal["approve", "hold", "reject", "call", "rescind", "mode"]

#: The acts that decide on one ledger call (their ``target``).
DECISIONS: tuple[EditorialActKind, ...] = ("approve", "hold", "reject")
#: The acts an editor makes on a contest by hand.
MANUAL: tuple[EditorialActKind, ...] = ("call", "rescind")
PUBLISHING_MODES: tuple[PublishingMode, ...] = ("auto", "recommend")


class EditorialAct(msgspec.Struct, frozen=True, kw_only=True):
    """One editor's act, as stored (``editorial_events``).

    - ``approve`` / ``hold`` / ``reject``: ``target`` is the ledger event decided on, and
      ``contest_id`` its contest;
    - ``call``: ``choices`` are the winners the editor names for ``contest_id``;
    - ``rescind``: withdraws what is published for ``contest_id`` (``target`` the ledger call it
      withdraws, None when it withdraws an editor's call);
    - ``mode``: ``mode`` is the desk's publishing mode from now on (``contest_id`` empty).

    ``made_at`` is the wall-clock time it was made (as-of reads go by it); ``event_id`` is
    given by the store.
    """

    act: EditorialActKind
    made_by: str
    made_at: datetime
    note: str = ""
    contest_id: str = ""
    target: int | None = None
    choices: tuple[str, ...] = ()
    mode: PublishingMode | None = None
    event_id: int = -1

    @property
    def subject(self) -> tuple[object, ...]:
        """What the act is about: a ledger call (a decision), a contest (a call or a rescind by
        hand) or the desk (a mode). The latest act on a subject is the one in force."""
        if self.act in DECISIONS:
            return ("decision", self.target)
        if self.act in MANUAL:
            return ("contest", self.contest_id)
        return ("mode",)

    def repeats(self, other: EditorialAct) -> bool:
        """Whether this act says again what ``other``, the act in force on the same subject,
        says (whoever makes it): storing it changes nothing, so it is not stored."""
        return (self.subject, self.act, self.choices, self.mode, self.target) == (
            other.subject,
            other.act,
            other.choices,
            other.mode,
            other.target,
        )


__all__ = [
    "DECISIONS",
    "MANUAL",
    "PUBLISHING_MODES",
    "EditorialAct",
    "EditorialActKind",
    "PublishingMode",
]
