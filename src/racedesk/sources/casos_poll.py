"""Fetching the Secretary of State's feeds as they publish (``racedesk watch ca-sos:DATE``).

The state serves each feed at its own URL (:func:`racedesk.sources.casos.feed_url`,
``https://api.sos.ca.gov/returns/us-rep/district/27``). :class:`FeedPoller` asks every feed of
an election once per poll with a conditional request (``If-None-Match`` / ``If-Modified-Since``
from the feed's last answer), keeps each feed's latest document, and when any feed changed
makes the bundle of all of them (:func:`racedesk.sources.casos.bundle`): one release. A feed
that fails keeps its last document; a poll where every feed failed is a failure, and the loop
(``racedesk.desk.watch.watch_casos``) backs off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

import httpx

from racedesk.sources import casos

PollKind = Literal["error", "not-modified", "new"]


@dataclass(frozen=True)
class FeedsPolled:
    """What one poll of every feed gave: ``new`` (some feed changed: ``data`` is the bundle of
    every feed's latest document, received at ``received_at``), ``not-modified``, or ``error``
    (every feed failed); ``changed`` and ``failed`` name the feeds, ``message`` says it."""

    kind: PollKind
    message: str
    changed: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    data: bytes = b""
    received_at: datetime | None = None


@dataclass
class _Feed:
    url: str
    etag: str | None = None
    modified: str | None = None
    body: bytes | None = None
    received_at: datetime | None = None


@dataclass
class FeedPoller:
    """The feeds of one election (their names: ``us-senate``, ``prop``'s ``ballot-measures``…),
    served under ``base``, with what each last gave."""

    feeds: tuple[str, ...]
    election_date: date
    kind: str = ""
    base: str = casos.BASE_URL
    _state: dict[str, _Feed] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._state = {f: _Feed(casos.feed_url(f, self.base)) for f in self.feeds}

    def prime(self, feed: str, body: bytes) -> None:
        """Start ``feed`` from a document already stored (a restart hands nothing on twice)."""
        if feed in self._state:
            self._state[feed].body = body

    def poll(self, http: httpx.Client) -> FeedsPolled:
        """Ask every feed once; a bundle when any feed's document changed."""
        changed: list[str] = []
        failed: list[str] = []
        for name, feed in self._state.items():
            headers = {}
            if feed.etag:
                headers["If-None-Match"] = feed.etag
            if feed.modified:
                headers["If-Modified-Since"] = feed.modified
            try:
                got = http.get(feed.url, headers=headers)
                if got.status_code == 304:
                    continue
                got.raise_for_status()
            except httpx.HTTPError as exc:
                failed.append(f"{name} ({exc})")
                continue
            feed.etag = got.headers.get("ETag") or feed.etag
            feed.modified = got.headers.get("Last-Modified") or feed.modified
            if got.content != feed.body:
                feed.body, feed.received_at = got.content, datetime.now(tz=UTC)
                changed.append(name)
        if failed and len(failed) == len(self._state):
            return FeedsPolled("error", "every feed failed: " + "; ".join(failed[:3]),
                               failed=tuple(failed))  # fmt: skip
        note = f"; {len(failed)} feeds failed: {', '.join(failed[:3])}" if failed else ""
        if not changed:
            return FeedsPolled("not-modified", "no feed changed" + note, failed=tuple(failed))
        served = [
            casos.served(name, f.body, received_at=f.received_at)
            for name, f in self._state.items()
            if f.body is not None
        ]
        data = casos.bundle(served, election_date=self.election_date, kind=self.kind)
        return FeedsPolled(
            "new",
            f"{len(changed)} feeds changed: {', '.join(changed[:5])}" + note,
            changed=tuple(changed),
            failed=tuple(failed),
            data=data,
            received_at=datetime.now(tz=UTC),
        )


__all__ = ["FeedPoller", "FeedsPolled", "PollKind"]
