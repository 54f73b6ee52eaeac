"""What every route of the web app reads (:class:`WebState`): the desk, its read library, the
push hub, the write token and the lock that keeps writes one at a time. The app keeps one on
``app.state.web``; a route asks for it with a parameter of type :data:`Served`."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from racedesk.errors import NotFound
from racedesk.publish.events import EventHub
from racedesk.publish.library import Library
from racedesk.publish.web.params import aware

if TYPE_CHECKING:
    from racedesk.desk import Desk


@dataclass(frozen=True)
class WebState:
    """One served desk. ``token`` protects writes; None refuses them."""

    desk: Desk
    library: Library
    hub: EventHub
    token: str | None
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def over(cls, desk: Desk, token: str | None) -> WebState:
        """The state of an app serving ``desk``: a new library and a hub over it."""
        library = Library(desk)
        return cls(desk=desk, library=library, hub=EventHub(library), token=token)

    def sequence(
        self, election_id: str, as_of: datetime | None, release: int | None = None
    ) -> int | None:
        """The release a request is about (:meth:`Library.sequence`), a time without a zone
        being the election's local time; None before the first release."""
        election = self.library.election(election_id)
        return self.library.sequence(
            election_id, as_of=aware(as_of, election.timezone), release=release
        )

    def aware(self, election_id: str, as_of: datetime | None) -> datetime | None:
        """``as_of`` with a zone: a time without one is the election's local time."""
        if as_of is None:
            return None
        return aware(as_of, self.library.election(election_id).timezone)

    def cut(
        self,
        election_id: str,
        sequence: int | None,
        as_of: datetime | None,
        release: int | None = None,
    ) -> datetime | None:
        """When a request as of ``as_of`` reads release ``sequence`` (:meth:`Library.cut`):
        ``as_of`` (a time without a zone being the election's local time) when the release was
        made again after it, else None; None too when the request named its ``release``."""
        if release is not None:
            return None
        return self.library.cut(election_id, sequence, self.aware(election_id, as_of))

    def point(
        self, election_id: str, as_of: datetime | None, release: int | None = None
    ) -> tuple[int | None, datetime | None]:
        """The release a request is about (:meth:`sequence`) and when it is read (:meth:`cut`)."""
        sequence = self.sequence(election_id, as_of, release)
        return sequence, self.cut(election_id, sequence, as_of, release)

    def known_sequence(
        self, election_id: str, as_of: datetime | None, release: int | None = None
    ) -> int:
        """:meth:`sequence`, which must be a release: none at that time is a 404."""
        sequence = self.sequence(election_id, as_of, release)
        if sequence is None:
            raise NotFound(f"election {election_id} has no release at that time")
        return sequence


async def served(request: Request) -> WebState:
    """The app's :class:`WebState` (a coroutine, so FastAPI asks for it on the event loop)."""
    state: WebState = request.app.state.web
    return state


#: A route parameter that receives the app's :class:`WebState`.
Served = Annotated[WebState, Depends(served)]
