"""Push: server-sent events for new releases, new calls and rescinds.

Pages and other systems subscribe to one election's stream (``GET
/api/elections/{id}/events``) instead of polling. The :class:`EventHub` learns of new releases
from the store, so releases committed by any process count (``racedesk watch``, an ingester, a
replay thread): one watcher per election waits in ``Store.wait_for_release`` (PostgreSQL wakes
on ``LISTEN/NOTIFY``, SQLite polls) and reads the ledger for calls. A write made through this
process's own API pokes the hub at once instead of waiting for the watcher.

Every message is an :class:`Event` whose ``id`` is the stream's *cursor* after it,
``"<release sequence>:<last ledger event id>"``. A client that reconnects sends it back
(``Last-Event-ID``) and receives what it missed: the events still in the hub's recent buffer,
or, when they are older than that, one ``release`` event for the latest release (enough for a
page, which re-reads its state on any ``release``).

Event kinds (``event:`` field) and their JSON data (``racedesk.event/1``; every event also
carries ``sent_at``, when the hub first sent it, in seconds since the epoch):

- ``ready``: sent first on every connection: the current cursor;
- ``release``: a release was committed: its sequence, feed time, hash, whether it was usable,
  its problems' codes and the ids of the call events it triggered;
- ``call``: a ledger event that is not a rescind (a call, a status change, an approval), as a
  row of ``racedesk.ledger/1``;
- ``rescind``: a ledger event that rescinds an earlier one;
- ``editorial``: an editor acted on a contest's call (``docs/editors.md``): ``act``, a row of
  ``racedesk.editorial/1``'s ``acts``, and ``contest``, the contest's row of its ``contests``
  (what is published of it now), or null for a change of the publishing mode. A page re-reads
  the contest on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import msgspec
from fastapi.sse import KEEPALIVE_COMMENT, ServerSentEvent, format_sse_event

from racedesk.publish import documents

if TYPE_CHECKING:
    from racedesk.publish.library import Library

EventKind = Literal["ready", "release", "call", "rescind", "editorial"]

#: How long one ``wait_for_release`` call may block the watcher's thread (seconds); also how
#: often the watcher reads the ledger for calls made without a release (an editor's approval).
WAIT_SECONDS = 0.5
#: Events kept per election for clients that reconnect.
BUFFER_EVENTS = 512
#: Events a slow client may have queued before it is dropped (it reconnects and catches up).
QUEUE_EVENTS = 256
#: Milliseconds a browser waits before reconnecting (the SSE ``retry`` field).
RETRY_MS = 1000
#: Seconds between keep-alive comments on an idle stream (proxies close silent connections).
PING_SECONDS = 15.0


@dataclass(frozen=True, order=True)
class Cursor:
    """Where a stream stands: the latest release sequence (-1 before any) and the latest ledger
    event id (-1 before any)."""

    sequence: int = -1
    event_id: int = -1

    def text(self) -> str:
        return f"{self.sequence}:{self.event_id}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """A cursor from ``Last-Event-ID``; None when absent or unreadable."""
        if not text:
            return None
        try:
            seq, event = text.strip().split(":", 1)
            return cls(int(seq), int(event))
        except ValueError:
            return None


@dataclass(frozen=True)
class Event:
    """One message of an election's stream, encoded once (``wire``: the SSE bytes) for every
    subscriber."""

    kind: EventKind
    cursor: Cursor
    data: dict[str, Any]
    wire: bytes = field(compare=False, repr=False)

    @classmethod
    def make(cls, kind: EventKind, cursor: Cursor, data: dict[str, Any]) -> Event:
        body = {
            "schema": "racedesk.event/1",
            "kind": kind,
            "sent_at": round(time.time(), 3),
            **data,
        }
        wire = format_sse_event(
            data_str=json.dumps(body, separators=(",", ":"), ensure_ascii=False),
            event=kind,
            id=cursor.text(),
            retry=RETRY_MS if kind == "ready" else None,
        )
        return cls(kind=kind, cursor=cursor, data=body, wire=wire)

    @property
    def message(self) -> ServerSentEvent:
        """The event as FastAPI's :class:`ServerSentEvent` (what ``wire`` encodes)."""
        return ServerSentEvent(
            event=self.kind,
            id=self.cursor.text(),
            raw_data=json.dumps(self.data, separators=(",", ":"), ensure_ascii=False),
            retry=RETRY_MS if self.kind == "ready" else None,
        )


#: What the queue of a subscriber holds: an event, a keep-alive ping, or None (end of stream).
_PING = "ping"


class Subscriber:
    """One open stream: a bounded queue the hub fills and the response drains."""

    def __init__(self, election_id: str) -> None:
        self.election_id = election_id
        self.queue: asyncio.Queue[Event | str | None] = asyncio.Queue(maxsize=QUEUE_EVENTS)
        self.dropped = False

    def offer(self, event: Event | str) -> None:
        if self.dropped:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # Too slow: end its stream; the browser reconnects with its cursor and catches up.
            self.dropped = True
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.queue.put_nowait(None)


class _Channel:
    """One election's subscribers, cursor, recent events and watcher."""

    def __init__(self, election_id: str) -> None:
        self.election_id = election_id
        self.subscribers: set[Subscriber] = set()
        self.cursor = Cursor()
        self.start = Cursor()
        self.recent: deque[Event] = deque(maxlen=BUFFER_EVENTS)
        self.lock = asyncio.Lock()
        self.ready = asyncio.Event()
        self.watcher: asyncio.Task[None] | None = None


class EventHub:
    """Fans release and call events of each election out to its subscribers."""

    def __init__(self, library: Library, *, wait_seconds: float = WAIT_SECONDS) -> None:
        self.library = library
        self.wait_seconds = wait_seconds
        self._channels: dict[str, _Channel] = {}
        self._closed = False

    # subscribing ---------------------------------------------------------------------------
    async def subscribe(self, election_id: str, last_event_id: str | None = None) -> Subscriber:
        """A new subscriber to ``election_id``'s stream, its queue already holding ``ready``
        and whatever a reconnecting client (``last_event_id``) missed."""
        channel = await self._channel(election_id)
        seen = Cursor.parse(last_event_id)
        missed: list[Event] = []
        if seen is not None and seen < channel.cursor:
            if self._covered(channel, seen):
                missed = [e for e in channel.recent if e.cursor > seen]
            elif channel.cursor.sequence >= 0:
                anchor = channel.cursor
                missed = [await self._release_event(channel, anchor.sequence, anchor)]
                missed += [e for e in channel.recent if e.cursor > anchor]
        # From here to registering there is no await: no event can slip between.
        sub = Subscriber(election_id)
        ready = {"election_id": election_id, **_cursor_data(channel.cursor)}
        sub.offer(Event.make("ready", channel.cursor, ready))
        for event in missed:
            sub.offer(event)
        channel.subscribers.add(sub)
        return sub

    @staticmethod
    def _covered(channel: _Channel, seen: Cursor) -> bool:
        """Does the recent buffer hold every event after ``seen``?"""
        if any(e.cursor == seen for e in channel.recent):
            return True
        return len(channel.recent) < BUFFER_EVENTS and seen >= channel.start

    def unsubscribe(self, sub: Subscriber) -> None:
        channel = self._channels.get(sub.election_id)
        if channel is not None:
            channel.subscribers.discard(sub)

    async def stream(self, sub: Subscriber) -> AsyncIterator[bytes]:
        """The SSE bytes of one subscriber's messages (events and keep-alive pings) until it is
        dropped or the hub closes. Every event was encoded once for all subscribers, so serving
        one more client costs one write per event."""
        try:
            while True:
                item = await sub.queue.get()
                if item is None:
                    return
                yield KEEPALIVE_COMMENT if item == _PING else item.wire  # type: ignore[union-attr]
        finally:
            self.unsubscribe(sub)

    def subscribers(self, election_id: str | None = None) -> int:
        if election_id is not None:
            channel = self._channels.get(election_id)
            return len(channel.subscribers) if channel else 0
        return sum(len(c.subscribers) for c in self._channels.values())

    # learning of changes ---------------------------------------------------------------------
    async def poke(self, election_id: str) -> None:
        """Look for new releases and calls now (after a write through this process)."""
        channel = await self._channel(election_id)
        await self._catch_up(channel)

    async def editorial(self, election_id: str, data: dict[str, Any]) -> None:
        """Tell the election's subscribers of an editor's act (``data``: ``act`` and
        ``contest``), at the stream's current cursor."""
        channel = await self._channel(election_id)
        async with channel.lock:
            self._emit(
                channel,
                Event.make("editorial", channel.cursor, {"election_id": election_id, **data}),
            )

    async def _channel(self, election_id: str) -> _Channel:
        channel = self._channels.get(election_id)
        if channel is None:
            channel = _Channel(election_id)
            self._channels[election_id] = channel
            channel.watcher = asyncio.create_task(
                self._watch(channel), name=f"racedesk-events-{election_id}"
            )
        await channel.ready.wait()
        return channel

    async def _watch(self, channel: _Channel) -> None:
        store = self.library.desk.store
        eid = channel.election_id
        try:
            latest = await asyncio.to_thread(store.latest_sequence, eid)
            ledger = await asyncio.to_thread(self.library.ledger, eid)
            channel.cursor = Cursor(
                -1 if latest is None else latest, max((e.event_id for e in ledger), default=-1)
            )
            channel.start = channel.cursor
        finally:
            channel.ready.set()
        last_ping = time.monotonic()
        while not self._closed:
            if time.monotonic() - last_ping >= PING_SECONDS:
                last_ping = time.monotonic()
                for sub in list(channel.subscribers):
                    sub.offer(_PING)
            try:
                seen = await asyncio.to_thread(
                    store.wait_for_release,
                    eid,
                    None if channel.cursor.sequence < 0 else channel.cursor.sequence,
                    self.wait_seconds,
                )
                if seen is not None:
                    self.library.note_release(eid)
                await self._catch_up(channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the store is away (restarting): try again shortly
                await asyncio.sleep(self.wait_seconds)

    async def _catch_up(self, channel: _Channel) -> None:
        """Emit a ``release`` event for every release after the cursor, then a ``call`` or
        ``rescind`` event for every ledger event after it."""
        async with channel.lock:
            eid = channel.election_id
            latest = await asyncio.to_thread(self.library.latest_sequence, eid)
            for seq in range(
                channel.cursor.sequence + 1, (latest if latest is not None else -1) + 1
            ):
                cursor = Cursor(seq, channel.cursor.event_id)
                self._emit(channel, await self._release_event(channel, seq, cursor))
            ledger = await asyncio.to_thread(self.library.ledger, eid)
            new = [e for e in ledger if e.event_id > channel.cursor.event_id]
            if new:
                election = self.library.election(eid)
                rows = msgspec.to_builtins(documents.ledger_view(election, new).events)
                for event, row in zip(new, rows, strict=True):
                    cursor = Cursor(channel.cursor.sequence, event.event_id)
                    kind: EventKind = "rescind" if event.status == "rescinded" else "call"
                    self._emit(
                        channel, Event.make(kind, cursor, {"election_id": eid, "event": row})
                    )

    async def _release_event(self, channel: _Channel, seq: int, cursor: Cursor) -> Event:
        snap = await asyncio.to_thread(self.library.snapshot, channel.election_id, seq)
        return Event.make(
            "release",
            cursor,
            {
                "election_id": channel.election_id,
                "sequence": seq,
                "feed_time": snap.feed_time.isoformat(),
                "hash": snap.release_hash,
                "usable": snap.usable,
                "problems": [p.code for p in snap.problems],
                "new_events": [e.event_id for e in snap.new_events],
            },
        )

    def _emit(self, channel: _Channel, event: Event) -> None:
        channel.cursor = max(channel.cursor, event.cursor)
        channel.recent.append(event)
        for sub in list(channel.subscribers):
            sub.offer(event)
            if sub.dropped:
                channel.subscribers.discard(sub)

    # shutting down ------------------------------------------------------------------------------
    async def close(self) -> None:
        """End every stream and stop the watchers."""
        self._closed = True
        for channel in self._channels.values():
            for sub in list(channel.subscribers):
                sub.dropped = True
                with contextlib.suppress(asyncio.QueueFull):
                    sub.queue.put_nowait(None)
            channel.subscribers.clear()
            if channel.watcher is not None:
                channel.watcher.cancel()
        for channel in self._channels.values():
            if channel.watcher is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await channel.watcher
        self._channels.clear()


def _cursor_data(cursor: Cursor) -> dict[str, int | None]:
    return {
        "sequence": cursor.sequence if cursor.sequence >= 0 else None,
        "event_id": cursor.event_id if cursor.event_id >= 0 else None,
    }


__all__ = ["Cursor", "Event", "EventHub", "EventKind", "Subscriber"]
