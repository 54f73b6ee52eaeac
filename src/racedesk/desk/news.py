"""What the desk tells its listeners after each write it commits (``Desk.listen``).

A listener (the outgoing webhooks, ``racedesk.publish.webhooks``) hears of every release the desk
stored and every call event it appended, in the process that made them, once committed: a
release (with its problems and the calls it made), a snapshot made again (a held release
confirmed, the count certified: the calls that made), an editor's approval, calls from an outside
source. A listener must return at once (hand the news to a thread of its own); one that raises is
logged and never stops the write path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from racedesk.model import Election
from racedesk.model.answers import CallEvent, Problem
from racedesk.model.editorial import EditorialAct

log = logging.getLogger("racedesk.desk")


@dataclass(frozen=True)
class ReleaseNews:
    """A release the desk has just stored."""

    sequence: int
    feed_time: datetime
    content_hash: str
    usable: bool
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class DeskNews:
    """One committed write: the election, the release stored (None when the write stored no
    release) and the call events appended to the ledger, in order. ``recommended``: the desk
    publishes its calls once an editor approves them (the ``recommend`` publishing mode,
    ``docs/editors.md``), so the engine's calls among ``events`` are recommendations."""

    election: Election
    release: ReleaseNews | None
    events: tuple[CallEvent, ...]
    recommended: bool = False
    #: An editor's act on the election's calls stored now (``docs/editors.md``): approve, hold,
    #: reject, a call or a rescind by hand.
    acts: tuple[EditorialAct, ...] = ()


Listener = Callable[[DeskNews], None]


def tell(listeners: list[Listener], news: DeskNews) -> None:
    """Hand ``news`` to every listener; one that fails is logged, never raised."""
    if news.release is None and not news.events and not news.acts:
        return
    for listener in list(listeners):
        try:
            listener(news)
        except Exception:
            log.exception("a listener of the desk failed on news of %s", news.election.id)


__all__ = ["DeskNews", "Listener", "ReleaseNews", "tell"]
