"""Rows of the money tables (``money_payloads``, ``money_filings``) and back (issue 21)."""

from __future__ import annotations

from datetime import date
from typing import Any

from racedesk.money.filings import Filing
from racedesk.store.base import StoredFiling


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def filing_row(stored: StoredFiling, position: int) -> dict[str, Any]:
    f = stored.filing
    return {
        "content_hash": stored.content_hash,
        "position": position,
        "filer_id": f.filer_id,
        "filer_name": f.filer_name,
        "form": f.form,
        "amendment": f.amendment,
        "filed": _iso(f.filed),
        "start": _iso(f.start),
        "end": _iso(f.end),
        "committee_type": f.committee_type,
        "filing_id": f.filing_id,
        "lines": stored.lines,
    }


def read_filing(row: Any) -> StoredFiling:
    return StoredFiling(
        content_hash=row.content_hash,
        filing=Filing(
            filer_id=row.filer_id,
            filer_name=row.filer_name,
            form=row.form,
            amendment=row.amendment,
            filed=_day(row.filed),
            start=_day(row.start),
            end=_day(row.end),
            committee_type=row.committee_type,
            filing_id=row.filing_id,
        ),
        lines=row.lines,
    )
