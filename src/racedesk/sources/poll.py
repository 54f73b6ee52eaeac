"""Polling the Los Angeles County live results feed (``racedesk watch lavote:4324``).

The feed has two endpoints (``lavote.endpoints``): the election definition, fetched once, and
the counters, fetched every ``interval`` seconds. A counter payload becomes a release, handed to
``on_release(data, url, received_at)``, only when

- its feed ``TimeStamp`` is later than the newest one seen so far, **and**
- its counts differ from the last release handed on (the order of the counters is ignored).

Everything else is reported through ``on_event`` as a :class:`PollEvent` and changes nothing:

- ``not-modified``: the server answered 304 to the conditional request (``If-None-Match`` /
  ``If-Modified-Since`` from the last response taken);
- ``unchanged``: the same feed time again, or a later feed time with the same counts;
- ``stale``: an older feed time than one already seen (CDN copies were seen serving an older
  release after a newer one); the last good state is kept;
- ``conflict``: the same feed time as the last release with different counts;
- ``error``: the request failed (connection, timeout, an HTTP status other than 200 or 304);
- ``garbage``: the payload cannot be read (cut short, not the feed's layout, a counter for an id
  the election does not have, too large);
- ``rejected``: ``on_release`` (or ``on_election``) raised a racedesk error; the payload is
  offered again at the next poll.

After an ``error``, ``garbage`` or ``rejected`` poll the next one waits longer: ``interval × 2ⁿ``
after the n-th failure in a row (at least ``Backoff.first × 2ⁿ``), capped at ``Backoff.cap``,
shortened by up to ``Backoff.jitter`` of itself at random (a seeded RNG, so a run can be
replayed), and never shorter than a ``Retry-After`` the server sent. One good poll resets it.

The loop stops when ``stop`` is set (checked while waiting too) or after ``max_polls`` requests.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import httpx
import msgspec

import racedesk
from racedesk.errors import InputError, RacedeskError
from racedesk.model import Election
from racedesk.sources import lavote
from racedesk.sources.base import ReadRelease

log = logging.getLogger("racedesk.poll")

EventKind = Literal[
    "election",
    "release",
    "not-modified",
    "unchanged",
    "stale",
    "conflict",
    "error",
    "garbage",
    "rejected",
]
#: Kinds of poll that count as failures for the back-off.
FAILURES: frozenset[str] = frozenset({"error", "garbage", "rejected"})

#: Largest payload the poller reads (a 2024 general release is about 400 KB).
MAX_BYTES = 64 * 1024 * 1024

ReleaseCallback = Callable[[bytes, str, datetime], None]
#: Called with a payload that cannot be read: its bytes, URL, time received and the reason.
ReleaseGarbageCallback = Callable[[bytes, str, datetime, str], None]


class PollEvent(msgspec.Struct, frozen=True, kw_only=True):
    """What one request to the feed gave.

    ``delay`` is the wait, in seconds, before the next request (the interval, or the back-off
    after a failure); ``status`` the HTTP status when there was a response; ``feed_time`` the
    payload's ``TimeStamp`` when it could be read.
    """

    kind: EventKind
    url: str
    at: datetime
    message: str
    status: int | None = None
    feed_time: datetime | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Backoff:
    """Waits after failures: ``min(cap, max(first, interval) × 2ⁿ)`` after the n-th failure in
    a row, less up to ``jitter`` (a fraction) of it at random."""

    first: float = 5.0
    cap: float = 600.0
    jitter: float = 0.5

    def delay(self, failures: int, interval: float, rng: random.Random) -> float:
        full = min(self.cap, max(self.first, interval) * 2.0**failures)
        return full * (1.0 - self.jitter * rng.random())


@dataclass
class _State:
    """What the poller knows of the feed: validators of the last response taken, the newest feed
    time seen in a readable payload and the counts of the last release handed on."""

    etag: str | None = None
    last_modified: str | None = None
    feed_time: datetime | None = None
    counts: str | None = None
    failures: int = 0
    seen: dict[str, int] = field(default_factory=dict)


class _Counter(msgspec.Struct):
    ReferenceID: int
    ReferenceType: str
    Value: int | float


class _Counters(msgspec.Struct):
    TimeStamp: str
    Data: list[_Counter]


_counters_decoder = msgspec.json.Decoder(_Counters)


class Poller:
    """Polls one LA County election's live feed; see the module's docstring.

    ``client`` may be given (tests pass one with a mock transport); otherwise the poller makes
    one and closes it in :meth:`close`. ``sleep`` replaces the wait between polls (tests record
    the delays instead of waiting); by default the poller waits on the stop event.
    """

    def __init__(
        self,
        election_feed_id: int,
        *,
        on_release: ReleaseCallback,
        on_event: Callable[[PollEvent], None] | None = None,
        on_election: Callable[[Election], None] | None = None,
        on_garbage: ReleaseGarbageCallback | None = None,
        base_url: str = lavote.BASE_URL,
        interval: float = 30.0,
        backoff: Backoff | None = None,
        seed: int = 0,
        client: httpx.Client | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] | None = None,
        now: Callable[[], datetime] | None = None,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        if interval < 0:
            raise ValueError("interval must not be negative")
        self.feed_id = election_feed_id
        self.election_url, self.counter_url = lavote.endpoints(
            election_feed_id, base_url.rstrip("/")
        )
        self.on_release = on_release
        self.on_event = on_event or _log_event
        self.on_election = on_election
        self.on_garbage = on_garbage
        self.interval = interval
        self.backoff = backoff or Backoff()
        self.rng = random.Random(seed)
        self.max_bytes = max_bytes
        self.election: Election | None = None
        self._read_release: ReadRelease | None = None  # the election's, once it is read
        self.state = _State()
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": f"racedesk/{racedesk.__version__}"},
        )
        self._sleep = sleep
        self._now = now or (lambda: datetime.now(tz=UTC))

    # --- life ----------------------------------------------------------------------------

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Poller:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prime(self, data: bytes) -> bool:
        """Start from a release already kept (after a restart): its feed time and counts become
        the last good state, so the same release is not handed on again. Returns False (and
        changes nothing) when ``data`` is not a readable counter release."""
        try:
            counters = _counters_decoder.decode(data)
            feed_time = lavote.parse_timestamp(counters.TimeStamp)
        except (msgspec.DecodeError, RecursionError, InputError):
            return False
        self.state.feed_time = feed_time
        self.state.counts = _fingerprint(counters)
        return True

    def run(
        self, *, stop: threading.Event | None = None, max_polls: int | None = None
    ) -> dict[str, int]:
        """Poll until ``stop`` is set or ``max_polls`` requests were made (the election
        definition's included); returns how many polls gave each kind of event."""
        stop = stop or threading.Event()
        polls = 0
        while not stop.is_set() and (max_polls is None or polls < max_polls):
            event = self.poll_once()
            polls += 1
            if stop.is_set() or (max_polls is not None and polls >= max_polls):
                break
            self._wait(event.delay, stop)
        return dict(self.state.seen)

    def poll_once(self) -> PollEvent:
        """One request: the election definition until it has been read, then the counters."""
        if self.election is None:
            kind, message, status, feed_time, retry = self._fetch_election()
            url = self.election_url
        else:
            kind, message, status, feed_time, retry = self._fetch_counters()
            url = self.counter_url
        if kind in FAILURES:
            self.state.failures += 1
            delay = self.backoff.delay(self.state.failures, self.interval, self.rng)
            if retry is not None:
                delay = max(delay, min(retry, self.backoff.cap))
        else:
            self.state.failures = 0
            delay = self.interval
        self.state.seen[kind] = self.state.seen.get(kind, 0) + 1
        event = PollEvent(
            kind=kind,
            url=url,
            at=self._now(),
            message=message,
            status=status,
            feed_time=feed_time,
            delay=delay,
        )
        self.on_event(event)
        return event

    # --- requests ------------------------------------------------------------------------

    def _fetch_election(self) -> tuple[EventKind, str, int | None, datetime | None, float | None]:
        got = self._get(self.election_url, conditional=False)
        if isinstance(got, _Failure):
            return got.kind, got.message, got.status, None, got.retry_after
        try:
            election = lavote.read_election(got.body, where=self.election_url)
        except InputError as exc:
            return "garbage", exc.message, got.status, None, None
        wanted = f"{lavote.SOURCE}:{self.feed_id}"
        if election.id != wanted:
            return (
                "garbage",
                f"the feed answered with election {election.id}, not {wanted}",
                got.status,
                None,
                None,
            )
        if self.on_election is not None:
            try:
                self.on_election(election)
            except RacedeskError as exc:
                return (
                    "rejected",
                    f"the election definition was not taken: {exc.message}",
                    got.status,
                    None,
                    None,
                )
        self.election = election
        self._read_release = lavote.release_reader(election)
        return (
            "election",
            f"{election.title} ({election.date.isoformat()}): {len(election.contests)} contests",
            got.status,
            None,
            None,
        )

    def _garbage(
        self, data: bytes, url: str, received_at: datetime, reason: str, status: int | None
    ) -> tuple[EventKind, str, int | None, datetime | None, float | None]:
        """Report an unreadable counter payload, handing its bytes to ``on_garbage`` (the desk
        quarantines them) so that nothing that arrived is lost."""
        if self.on_garbage is not None:
            self.on_garbage(data, url, received_at, reason)
        return "garbage", reason, status, None, None

    def _fetch_counters(self) -> tuple[EventKind, str, int | None, datetime | None, float | None]:
        got = self._get(self.counter_url, conditional=True)
        if isinstance(got, _Failure):
            return got.kind, got.message, got.status, None, got.retry_after
        if got.status == 304:
            return "not-modified", "not modified since the last release", 304, None, None
        data, url, state = got.body, self.counter_url, self.state
        try:
            counters = _counters_decoder.decode(data)
            feed_time = lavote.parse_timestamp(counters.TimeStamp, url)
            if self._read_release is not None:
                self._read_release(data, where=url)
        except (msgspec.DecodeError, RecursionError) as exc:
            return self._garbage(
                data, url, got.received_at, f"not a counter release: {exc}", got.status
            )
        except InputError as exc:
            return self._garbage(data, url, got.received_at, exc.problem, got.status)
        counts = _fingerprint(counters)
        shown = local_time(feed_time)
        if state.feed_time is not None and feed_time < state.feed_time:
            return (
                "stale",
                f"feed time {shown} is older than {local_time(state.feed_time)} already seen: "
                "an older copy, ignored",
                got.status,
                feed_time,
                None,
            )
        if state.feed_time is not None and feed_time == state.feed_time:
            if counts == state.counts:
                self._take_validators(got)
                return "unchanged", f"the same release again ({shown})", got.status, feed_time, None
            return (
                "conflict",
                f"feed time {shown} did not advance but the counts differ: ignored",
                got.status,
                feed_time,
                None,
            )
        if counts == state.counts:
            state.feed_time = feed_time
            self._take_validators(got)
            return (
                "unchanged",
                f"feed time advanced to {shown} with the same counts",
                got.status,
                feed_time,
                None,
            )
        try:
            self.on_release(data, url, got.received_at)
        except RacedeskError as exc:
            return (
                "rejected",
                f"release {shown} was not taken: {exc.message}",
                got.status,
                feed_time,
                None,
            )
        state.feed_time = feed_time
        state.counts = counts
        self._take_validators(got)
        return "release", f"new release {shown}", got.status, feed_time, None

    def _get(self, url: str, *, conditional: bool) -> _Response | _Failure:
        headers: dict[str, str] = {}
        if conditional:
            if self.state.etag:
                headers["If-None-Match"] = self.state.etag
            if self.state.last_modified:
                headers["If-Modified-Since"] = self.state.last_modified
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                received_at = self._now()
                if response.status_code == 304:
                    return _Response(304, b"", received_at, None, None)
                if response.status_code != 200:
                    return _Failure(
                        "error",
                        f"HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                        response.status_code,
                        _retry_after(response.headers.get("Retry-After")),
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        return _Failure(
                            "garbage",
                            f"the payload is larger than {self.max_bytes:,} bytes",
                            200,
                            None,
                        )
                    chunks.append(chunk)
                return _Response(
                    200,
                    b"".join(chunks),
                    received_at,
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
        except httpx.HTTPError as exc:
            return _Failure("error", f"request failed: {type(exc).__name__}: {exc}", None, None)

    def _take_validators(self, got: _Response) -> None:
        self.state.etag = got.etag
        self.state.last_modified = got.last_modified

    def _wait(self, delay: float, stop: threading.Event) -> None:
        if self._sleep is not None:
            self._sleep(delay)
        else:
            stop.wait(delay)


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    received_at: datetime
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class _Failure:
    kind: EventKind
    message: str
    status: int | None
    retry_after: float | None


def _fingerprint(counters: _Counters) -> str:
    """A digest of the counts alone: every counter's (type, reference, value), in sorted order,
    so that the feed's changing row order and ``Number`` do not count as a change."""
    rows = sorted((c.ReferenceType, c.ReferenceID, c.Value) for c in counters.Data)
    return hashlib.sha256(msgspec.json.encode(rows)).hexdigest()


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def local_time(when: datetime) -> str:
    """``when`` in LA time, as the watch lines show it."""
    return when.astimezone(lavote.LA_TIME).strftime("%Y-%m-%d %H:%M:%S %Z")


def _log_event(event: PollEvent) -> None:
    level = (
        logging.WARNING
        if event.kind in FAILURES or event.kind in ("stale", "conflict")
        else logging.INFO
    )
    log.log(level, "%s %s: %s", event.kind, event.url, event.message)


# --- watch sources -------------------------------------------------------------------------------


def feed_id(source: str) -> int:
    """The election id of a watch source ``lavote:4324``."""
    scheme, sep, rest = source.partition(":")
    if not sep or scheme.lower() != lavote.SOURCE:
        raise InputError(
            "only the LA County feed can be watched for now",
            where=source,
            hint="write lavote:ELECTION_ID, e.g. lavote:4324",
        )
    if not rest.strip().isdigit():
        raise InputError(f"{rest!r} is not an election id", where=source, hint="e.g. lavote:4324")
    return int(rest)


__all__ = [
    "FAILURES",
    "Backoff",
    "EventKind",
    "PollEvent",
    "Poller",
    "feed_id",
    "local_time",
]
