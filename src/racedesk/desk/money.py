"""The desk's money: campaign-finance files kept (their bytes and the filings they hold) and
read back for counting (issue 21, ``docs/money.md``).

``ingest_money`` reads each file with its adapter *before* keeping anything, so a file that does
not read raises an :class:`~racedesk.errors.InputError` and the store is left as it was;
``stored_filings`` reads every kept payload again (CAL-ACCESS covers first, so the tables after
them know each filing's filer and period).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from racedesk.model import RawPayload
from racedesk.money.filings import Filing, Filings
from racedesk.money.links import Link
from racedesk.money.reported import ReportedFigure
from racedesk.sources import calaccess
from racedesk.sources.money_files import LINKS, REPORTED, is_money, read_money
from racedesk.sources.money_links import read_links
from racedesk.sources.reported_figures import read_reported
from racedesk.sources.safety import read_file
from racedesk.store.base import Store, StoredFiling


class MoneyIngest(msgspec.Struct, frozen=True, kw_only=True):
    """What became of one file: ``stored`` (new bytes), ``duplicate``, or ``skipped`` (a file
    of a folder that holds no filings, such as CAL-ACCESS's other tables)."""

    origin: str
    format: str
    status: str
    content_hash: str
    filings: int
    lines: int


def _files(paths: Sequence[Path]) -> list[tuple[Path, bool]]:
    """The files named and each folder's files in name order, covers first (CAL-ACCESS), each
    with whether it was named (a folder's other files are skipped, a named one must read)."""
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found.extend((p, False) for p in sorted(path.iterdir()) if p.is_file())
        else:
            found.append((path, True))
    return sorted(
        found, key=lambda f: calaccess.table_of(f[0].name) != "CVR_CAMPAIGN_DISCLOSURE_CD"
    )


def _skipped(path: Path) -> MoneyIngest:
    return MoneyIngest(
        origin=path.name, format="", status="skipped", content_hash="", filings=0, lines=0
    )


def _filing_counts(raw: RawPayload, filings: Filings) -> list[StoredFiling]:
    lines: dict[Filing, int] = {}
    for item in filings.items:
        lines[item.filing] = lines.get(item.filing, 0) + 1
    for summary in filings.summaries:
        lines[summary.filing] = lines.get(summary.filing, 0) + 1
    return [
        StoredFiling(content_hash=raw.content_hash, filing=f, lines=n) for f, n in lines.items()
    ]


def ingest_money(store: Store, paths: Sequence[Path]) -> list[MoneyIngest]:
    """Read every file (all of them, before keeping any), then keep each with its filings."""
    read = []
    skipped = []
    covers: dict[tuple[str, int], Filing] = {}
    for path, named in _files(paths):
        data = read_file(path)
        if not named and not is_money(data, path.name):
            skipped.append(_skipped(path))
            continue
        if calaccess.table_of(path.name) == "CVR_CAMPAIGN_DISCLOSURE_CD":
            covers.update(calaccess.read_covers(data, where=str(path)))
        kind, filings = read_money(data, path.name, where=str(path), covers=covers)
        if kind == LINKS:
            read_links(data, where=str(path))
        elif kind == REPORTED:
            read_reported(data, where=str(path))
        raw = RawPayload.of(
            data, source=f"money:{kind}", received_at=datetime.now(UTC), origin=path.name
        )
        read.append((raw, kind, filings))
    results = skipped
    for raw, kind, filings in read:
        kept = store.put_money(raw, kind, _filing_counts(raw, filings))
        results.append(
            MoneyIngest(
                origin=raw.origin,
                format=kind,
                status="stored" if kept else "duplicate",
                content_hash=raw.content_hash,
                filings=len(filings.filings),
                lines=len(filings.items) + len(filings.summaries),
            )
        )
    return results


def _newest(store: Store, kind: str) -> tuple[str, bytes] | None:
    found = [p for p in store.money_payloads() if p.format == kind]
    raw = store.raw(found[-1].content_hash) if found else None
    return (found[-1].origin, raw.data) if found and raw is not None else None


def stored_links(store: Store) -> tuple[Link, ...]:
    """The newest links file kept (``racedesk money ingest links.csv``), or none."""
    newest = _newest(store, LINKS)
    return read_links(newest[1], where=newest[0]) if newest else ()


def stored_reported(store: Store) -> tuple[ReportedFigure, ...]:
    """The newest reported-figures file kept, or none."""
    newest = _newest(store, REPORTED)
    return read_reported(newest[1], where=newest[0]) if newest else ()


def stored_filings(store: Store) -> Filings:
    """Every kept money payload read again, as one set of filings."""
    payloads = store.money_payloads()
    payloads.sort(key=lambda p: calaccess.table_of(p.origin) != "CVR_CAMPAIGN_DISCLOSURE_CD")
    covers: dict[tuple[str, int], Filing] = {}
    found = Filings()
    for payload in payloads:
        raw = store.raw(payload.content_hash)
        if raw is None or payload.format in (LINKS, REPORTED):
            continue
        if calaccess.table_of(payload.origin) == "CVR_CAMPAIGN_DISCLOSURE_CD":
            covers.update(calaccess.read_covers(raw.data, where=payload.origin))
        found = found + read_money(raw.data, payload.origin, covers=covers)[1]
    return found
