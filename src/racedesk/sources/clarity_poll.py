"""``racedesk watch clarity:URL``: following a Clarity (Scytl) ENR site as it publishes.

A Clarity site publishes a version number in ``current_ver.txt`` and, for each version, the whole
results in ``<version>/reports/detailxml.zip``. The watcher reads the version every ``interval``
seconds; when it changes, it fetches that version's file, reads it with
:mod:`racedesk.sources.clarity` and hands it to the desk, which keeps it only when its counts
changed. A site that fails is reported and polled again after a growing wait; a file that cannot
be read is quarantined (its bytes and the reason), never dropped.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

import httpx

from racedesk.errors import InputError, RacedeskError
from racedesk.model import Election, Release
from racedesk.sources import clarity


class ClarityDesk(Protocol):
    """What the watcher needs of the desk (``racedesk.desk.Desk``)."""

    def add_election(self, election: Election) -> None: ...

    def ingest_parsed(
        self, release: Release, data: bytes | None, *, origin: str = ""
    ) -> object: ...

    def quarantine_payload(
        self, data: bytes, origin: str, received_at: datetime, reason: str
    ) -> None: ...


def watch_clarity(
    desk: ClarityDesk,
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
    version_url = clarity.current_version_url(url)
    stop = stop or threading.Event()
    seen: Counter[str] = Counter()
    known: str | None = None
    failures = 0
    http = client or httpx.Client(timeout=30.0, follow_redirects=True)
    try:
        polls = 0
        while max_polls is None or polls < max_polls:
            polls += 1
            outcome, known = _poll_once(desk, http, url, version_url, known, say)
            seen[outcome] += 1
            failures = failures + 1 if outcome in ("error", "garbage") else 0
            wait = min(backoff_cap, max(interval, 1.0) * 2**failures) if failures else interval
            if (max_polls is None or polls < max_polls) and stop.wait(wait):
                break
    finally:
        if client is None:
            http.close()
    return dict(seen)


def _poll_once(
    desk: ClarityDesk,
    http: httpx.Client,
    url: str,
    version_url: str,
    known: str | None,
    say: Callable[[str], object],
) -> tuple[str, str | None]:
    try:
        got = http.get(version_url)
        got.raise_for_status()
        version = clarity.read_version(got.content, version_url)
    except (httpx.HTTPError, InputError) as exc:
        say(f"error: {version_url}: {exc}")
        return "error", known
    if version == known:
        say(f"not-modified: version {version}")
        return "not-modified", known
    detail = clarity.detail_url(url, version)
    try:
        got = http.get(detail)
        got.raise_for_status()
    except httpx.HTTPError as exc:
        say(f"error: {detail}: {exc}")
        return "error", known
    received = datetime.now(tz=UTC)
    try:
        parsed = clarity.parse(got.content, where=detail, received_at=received)
    except InputError as exc:
        desk.quarantine_payload(got.content, detail, received, exc.message)
        say(f"garbage: {exc.message} (kept in quarantine)")
        return "garbage", version
    try:
        desk.add_election(parsed.election)
        result = desk.ingest_parsed(parsed.releases[0], got.content, origin=detail)
    except RacedeskError as exc:
        say(f"error: the desk refused version {version}: {exc.message}")
        return "error", known
    status = str(getattr(result, "status", "stored"))
    say(f"{status}: version {version} ({parsed.releases[0].feed_time.isoformat()})")
    return status, version
