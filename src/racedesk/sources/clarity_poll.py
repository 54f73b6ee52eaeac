"""Fetching a Clarity (Scytl) ENR site as it publishes (``racedesk watch clarity:URL``).

A Clarity site publishes a version number in ``current_ver.txt`` and, for each version, the whole
results in ``<version>/reports/detailxml.zip``. :func:`fetch_new_version` asks for the version
and, when it changed, fetches that version's file; :func:`backoff` says how long to wait after
failures. The loop that hands each new file to the desk is ``racedesk.desk.watch.watch_clarity``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx

from racedesk.errors import InputError
from racedesk.sources import clarity

FetchKind = Literal["error", "not-modified", "new"]


@dataclass(frozen=True)
class Fetched:
    """What one poll of the site gave: a failure (``error``, with ``message``), the version
    already known (``not-modified``), or a ``new`` version's file (``data``, fetched from
    ``url`` at ``received_at``)."""

    kind: FetchKind
    version: str | None
    url: str
    message: str = ""
    data: bytes = b""
    received_at: datetime | None = None


def fetch_new_version(http: httpx.Client, url: str, known: str | None) -> Fetched:
    """Ask the site at ``url`` (any address of it) for its current version and, when it is not
    ``known``, fetch that version's ``detailxml.zip``."""
    version_url = clarity.current_version_url(url)
    try:
        got = http.get(version_url)
        got.raise_for_status()
        version = clarity.read_version(got.content, version_url)
    except (httpx.HTTPError, InputError) as exc:
        return Fetched("error", known, version_url, f"{version_url}: {exc}")
    if version == known:
        return Fetched("not-modified", version, version_url, f"version {version}")
    detail = clarity.detail_url(url, version)
    try:
        got = http.get(detail)
        got.raise_for_status()
    except httpx.HTTPError as exc:
        return Fetched("error", known, detail, f"{detail}: {exc}")
    return Fetched("new", version, detail, data=got.content, received_at=datetime.now(tz=UTC))


def backoff(failures: int, interval: float, cap: float) -> float:
    """Seconds to wait before the next poll after ``failures`` failed polls in a row: the
    interval, doubled for each failure (from at least 1 s), at most ``cap``."""
    if not failures:
        return interval
    return min(cap, max(interval, 1.0) * 2**failures)


__all__ = ["FetchKind", "Fetched", "backoff", "fetch_new_version"]
