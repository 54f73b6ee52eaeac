"""The live loops: following a feed as it publishes and handing each new payload to the desk.

- :func:`watch_source` (``racedesk watch lavote:4324``) polls the LA County feed with
  :class:`racedesk.sources.poll.Poller`, which fetches (conditional requests, back-off) and
  tells a new release from a repeat; each new one is ingested by the desk.
- :func:`watch_clarity` (``racedesk watch clarity:URL``) polls a Clarity site with
  :func:`racedesk.sources.clarity_poll.fetch_new_version`; each new version's file is read and
  ingested; the desk keeps it only when its counts changed.

- :func:`watch_casos` (``racedesk watch ca-sos:2024-03-05``) polls every feed of the
  Secretary of State's election with :class:`racedesk.sources.casos_poll.FeedPoller`; when any
  changed, the bundle of every feed's latest document is read and ingested.

- :func:`replay_in_background` (``racedesk demo``) feeds a desk a canvass at a watchable pace
  while a server runs over it.

A payload that cannot be read is quarantined (its bytes and the reason), never dropped.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime

import httpx

from racedesk.desk.ingest import Desk
from racedesk.errors import InputError, RacedeskError, StoreError
from racedesk.model import OutstandingReport, RawPayload, Release
from racedesk.sources import casos, clarity, lavote
from racedesk.sources.casos_poll import FeedPoller, FeedsPolled
from racedesk.sources.clarity_poll import Fetched, backoff, fetch_new_version
from racedesk.sources.poll import FAILURES, Backoff, Poller, PollEvent, feed_id, local_time


def watch_source(
    desk: Desk,
    source: str,
    *,
    interval: float = 30.0,
    max_polls: int | None = None,
    base_url: str | None = None,
    say: Callable[[str], object] = print,
    stop: threading.Event | None = None,
    seed: int = 0,
    backoff: Backoff | None = None,
    client: httpx.Client | None = None,
) -> dict[str, int]:
    """``racedesk watch SOURCE``: poll the live feed and ingest each new release into ``desk``,
    saying in one line what every poll gave. Returns how many polls gave each kind of event.

    When the store already holds releases of the election, the poller starts from the latest
    one's payload, so that a restart does not hand the same release on again.
    """
    fid = feed_id(source)
    election_id = f"{lavote.SOURCE}:{fid}"
    outcome: list[str] = []

    def on_release(data: bytes, url: str, received_at: datetime) -> None:
        result = desk.ingest(election_id, data, origin=url, received_at=received_at)
        if result.status == "stored":
            outcome.append(f"stored as release {result.sequence}")
        else:
            outcome.append(f"not stored ({result.status}): {result.message}")

    def on_event(event: PollEvent) -> None:
        line = f"{local_time(event.at)} {event.kind}: {event.message}"
        if event.kind == "release" and outcome:
            line += f" · {outcome.pop()}"
        if event.kind in FAILURES:
            line += f" · next poll in {event.delay:.1f} s"
        say(line)

    poller = Poller(
        fid,
        on_release=on_release,
        on_event=on_event,
        on_election=desk.add_election,
        on_garbage=desk.quarantine_payload,
        base_url=base_url or lavote.BASE_URL,
        interval=interval,
        backoff=backoff,
        seed=seed,
        client=client,
    )
    latest = _latest_payload(desk, election_id)
    if latest is not None:
        poller.prime(latest)
    stop = stop or threading.Event()
    try:
        with poller:
            return poller.run(stop=stop, max_polls=max_polls)
    except KeyboardInterrupt:
        stop.set()
        say("stopped")
        return dict(poller.state.seen)


def _latest_payload(desk: Desk, election_id: str) -> bytes | None:
    """The raw payload of the election's latest stored release (``None`` when there is none or
    the store cannot say)."""
    try:
        return desk.latest_payload(election_id)
    except RacedeskError:
        return None


def watch_clarity(
    desk: Desk,
    url: str,
    *,
    interval: float = 60.0,
    max_polls: int | None = None,
    say: Callable[[str], object] = print,
    client: httpx.Client | None = None,
    stop: threading.Event | None = None,
    backoff_cap: float = 600.0,
) -> dict[str, int]:
    """Poll the Clarity site at ``url`` (any address of it) and ingest each new version.

    Returns how many polls gave each outcome: ``stored``, ``unchanged``, ``duplicate``,
    ``not-modified`` (same version), ``error`` (the site failed) or ``garbage`` (unreadable file).
    """
    known: str | None = None

    def step(http: httpx.Client) -> str:
        nonlocal known
        fetched = fetch_new_version(http, url, known)
        if fetched.kind == "new":
            outcome, known = _take_version(desk, fetched, known, say)
            return outcome
        say(f"{fetched.kind}: {fetched.message}")
        return fetched.kind

    return poll_every(step, interval, max_polls, client, stop, backoff_cap)


def poll_every(
    step: Callable[[httpx.Client], str],
    interval: float,
    max_polls: int | None,
    client: httpx.Client | None,
    stop: threading.Event | None,
    backoff_cap: float,
) -> dict[str, int]:
    """Poll with ``step`` (one fetch handed to the desk, its outcome) every ``interval``
    seconds, backing off while polls fail (``error``, ``garbage``), until ``max_polls`` or
    ``stop``: how many polls gave each outcome."""
    stop = stop or threading.Event()
    seen: Counter[str] = Counter()
    failures = 0
    http = client or httpx.Client(timeout=30.0, follow_redirects=True)
    try:
        polls = 0
        while max_polls is None or polls < max_polls:
            polls += 1
            outcome = step(http)
            seen[outcome] += 1
            failures = failures + 1 if outcome in ("error", "garbage") else 0
            wait = backoff(failures, interval, backoff_cap)
            if (max_polls is None or polls < max_polls) and stop.wait(wait):
                break
    finally:
        if client is None:
            http.close()
    return dict(seen)


def _take_version(
    desk: Desk, fetched: Fetched, known: str | None, say: Callable[[str], object]
) -> tuple[str, str | None]:
    """Read a new version's file and hand it to the desk: the outcome, and the version known
    from now on (a file the desk refused is offered again at the next poll)."""
    assert fetched.received_at is not None  # a new version's file is always received
    raw = RawPayload.of(
        fetched.data, source=clarity.SOURCE, received_at=fetched.received_at, origin=fetched.url
    )
    try:
        parsed = clarity.parse(
            fetched.data,
            where=fetched.url,
            received_at=fetched.received_at,
            content_hash=raw.content_hash,
        )
    except InputError as exc:
        desk.quarantine_payload(fetched.data, fetched.url, fetched.received_at, exc.message)
        say(f"garbage: {exc.message} (kept in quarantine)")
        return "garbage", fetched.version
    try:
        (result,) = desk.take(parsed, [raw], origin=fetched.url).results
    except RacedeskError as exc:
        say(f"error: the desk refused version {fetched.version}: {exc.message}")
        return "error", known
    say(f"{result.status}: version {fetched.version} ({parsed.releases[0].feed_time.isoformat()})")
    return result.status, fetched.version


def casos_poller(
    desk: Desk, source: str, feeds: Sequence[str] | None = None, base_url: str | None = None
) -> FeedPoller:
    """The poller of ``ca-sos:DATE``: the ``feeds`` named, else those of the election's latest
    stored release (each started from its stored document)."""
    try:
        day = date.fromisoformat(source.split(":", 1)[1])
    except ValueError:
        raise InputError("expected ca-sos:YYYY-MM-DD (the election's date)", where=source) from None
    latest = _latest_payload(desk, f"{casos.SOURCE}:{day.isoformat()}")
    stored = casos.bundled_feeds(latest) if latest is not None else (None, "", {})
    names = tuple(feeds or sorted(stored[2]))
    if not names:
        raise InputError(
            "no feeds to poll: the desk holds no release of this election",
            where=source,
            hint="name them with --feed (us-senate, ballot-measures, us-rep-district-27 …)",
        )
    poller = FeedPoller(names, day, kind=stored[1], base=base_url or casos.BASE_URL)
    for name, body in stored[2].items():
        poller.prime(name, body)
    return poller


def watch_casos(
    desk: Desk,
    poller: FeedPoller,
    *,
    interval: float = 60.0,
    max_polls: int | None = None,
    say: Callable[[str], object] = print,
    client: httpx.Client | None = None,
    stop: threading.Event | None = None,
    backoff_cap: float = 600.0,
) -> dict[str, int]:
    """Poll the state's feeds of ``poller`` and ingest a release whenever any feed changed.

    Returns how many polls gave each outcome: ``stored``, ``unchanged``, ``duplicate``,
    ``not-modified``, ``error`` (every feed failed, or the desk refused) or ``garbage`` (nothing
    readable: kept in quarantine).
    """

    def step(http: httpx.Client) -> str:
        polled = poller.poll(http)
        if polled.kind == "new":
            return _take_bundle(desk, polled, say)
        say(f"{polled.kind}: {polled.message}")
        return polled.kind

    return poll_every(step, interval, max_polls, client, stop, backoff_cap)


def _take_bundle(desk: Desk, polled: FeedsPolled, say: Callable[[str], object]) -> str:
    """Read a bundle of the state's feeds and hand it to the desk (its election first, which the
    store keeps as a new version only when its contests changed): the outcome."""
    assert polled.received_at is not None  # a new bundle is always received
    origin = f"{casos.BASE_URL} ({', '.join(polled.changed[:3])})"
    raw = RawPayload.of(polled.data, source=casos.SOURCE, received_at=polled.received_at,
                        origin=origin)  # fmt: skip
    try:
        parsed = casos.parse(polled.data, where=origin, received_at=polled.received_at,
                             content_hash=raw.content_hash)  # fmt: skip
    except InputError as exc:
        desk.quarantine_payload(polled.data, origin, polled.received_at, exc.message)
        say(f"garbage: {exc.message} (kept in quarantine)")
        return "garbage"
    try:
        (result,) = desk.take(parsed, [raw], origin=origin).results
    except RacedeskError as exc:
        say(f"error: the desk refused the release: {exc.message}")
        return "error"
    when = parsed.releases[0].feed_time.isoformat()
    say(f"{result.status}: {polled.message} ({when})")
    return result.status


ReplayItem = bytes | Release | OutstandingReport


def replay_in_background(
    desk: Desk,
    election_id: str,
    releases: Sequence[ReplayItem],
    delay: float,
    *,
    start_after: float = 0.0,
    on_error: Callable[[Exception], None] | None = None,
) -> tuple[threading.Thread, threading.Event]:
    """Feed ``releases`` to the desk one every ``delay`` seconds in a daemon thread, while a
    server runs over the same desk; open pages update from the store as each one lands.

    Items are a feed's payload bytes (``Desk.ingest``), parsed releases
    (``Desk.ingest_release``) or outstanding reports (``Desk.add_outstanding``, which take no
    time of their own). Returns the thread and an event that stops it early when set.
    """
    stop = threading.Event()

    def run() -> None:
        if start_after > 0 and stop.wait(start_after):
            return
        for i, item in enumerate(releases):
            if stop.is_set():
                return
            try:
                if isinstance(item, OutstandingReport):
                    desk.add_outstanding(election_id, item)
                    continue
                if isinstance(item, Release):
                    desk.ingest_release(item)
                else:
                    desk.ingest(election_id, item, origin=f"replay #{i}")
            except (RacedeskError, StoreError) as exc:
                if on_error is None:
                    raise
                on_error(exc)
            if i < len(releases) - 1 and stop.wait(delay):
                return

    thread = threading.Thread(target=run, name=f"racedesk-replay-{election_id}", daemon=True)
    thread.start()
    return thread, stop


__all__ = ["ReplayItem", "poll_every", "replay_in_background", "watch_clarity", "watch_source"]
