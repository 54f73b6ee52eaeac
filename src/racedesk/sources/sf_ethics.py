"""San Francisco Ethics Commission's campaign dashboards, as the CSV files of
``../shared/data/money/sf-ethics-dashboards/`` hold them (``SOURCES.md`` says how they were
made): contest pages (``DERIVED_contest_money_snapshots.csv``), the recent-IE ledger
(``DERIVED_recent_ies_ledger.csv``) and committees' contributors
(``DERIVED_committee_contributors.csv``). Each reader returns the records of
:mod:`racedesk.money.dashboards`; a row that does not read raises an
:class:`~racedesk.errors.InputError` naming the file, line and column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from racedesk.errors import InputError
from racedesk.money.dashboards import ContestCommittee, Contribution, LedgerIE
from racedesk.sources import cal_fields as cal
from racedesk.sources.safety import check_size, decode_text

NAME = "sf-ethics"
#: A page's positions; a committee on several measures at once is ``multiple``.
_POSITION = {"SUPPORT": "support", "OPPOSE": "oppose", "MULTIPLE": "multiple", "": "support"}


def _rows(data: bytes, where: str, needed: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(decode_text(check_size(data, where), where, what="CSV")))
    missing = [c for c in needed if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(f"lacks the column(s) {', '.join(missing)}", where=where)
    for row in reader:
        yield f"{where}, line {reader.line_num}", row


def _position(value: str, where: str) -> str:
    try:
        return _POSITION[value.strip().upper()]
    except KeyError:
        raise InputError(
            f"position is not SUPPORT, OPPOSE or MULTIPLE: {value!r}", where=where
        ) from None


def _when(value: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"commit_date is not a time: {value!r}", where=where) from None


def read_contest_pages(data: bytes, *, where: str) -> tuple[ContestCommittee, ...]:
    """Every row of every snapshot of every contest page."""
    needed = ("election", "page", "commit_date", "row_kind", "committee_filer_id", "expenses")
    return tuple(
        ContestCommittee(
            election=row["election"],
            contest=f"{row['election']}/{row['page']}",
            title=row.get("contest_title", ""),
            snapshot=_when(row["commit_date"], at),
            kind=row["row_kind"],
            subject=row.get("candidate_name", ""),
            position=_position(row.get("position", ""), at),
            committee_id=row["committee_filer_id"],
            committee_name=row.get("committee_name", ""),
            funds=cal.amount(row, "funds", at),
            expenses=cal.amount(row, "expenses", at),
        )
        for at, row in _rows(data, where, needed)
    )


def read_ie_ledger(data: bytes, *, where: str) -> tuple[LedgerIE, ...]:
    """The recent-IE ledger; ``ie_description`` is "office: CANDIDATE"."""
    needed = ("election", "cmte_fppcid", "ie_description", "position", "tx_amount", "tx_date")
    ledger = []
    for at, row in _rows(data, where, needed):
        contest, _, subject = row["ie_description"].rpartition(":")
        day = cal.day(row, "tx_date", at)
        if day is None:
            raise InputError("tx_date is empty", where=at)
        ledger.append(
            LedgerIE(
                election=row["election"],
                committee_id=row["cmte_fppcid"],
                committee_name=row.get("cmte_name", ""),
                contest=contest.strip(),
                subject=subject.strip(),
                position=_position(row["position"], at),
                amount=cal.amount(row, "tx_amount", at) or cal.ZERO,
                day=day,
                filing_url=row.get("attachment_url", ""),
                copy_index=int(cal.version(row.get("copy_index"), "copy_index", at) or 1),
            )
        )
    return tuple(ledger)


def read_contributors(data: bytes, *, where: str) -> tuple[Contribution, ...]:
    """Each committee's contributors with their cumulative amounts."""
    needed = ("election", "filer_id", "contributor_last", "amount")
    return tuple(
        Contribution(
            election=row["election"],
            committee_id=row["filer_id"],
            committee_name=row.get("filer_name", ""),
            donor=" ".join(
                p for p in (row.get("contributor_first", ""), row["contributor_last"]) if p
            ),
            donor_committee_id=row.get("contributor_cmte_id", ""),
            amount=cal.amount(row, "amount", at) or cal.ZERO,
        )
        for at, row in _rows(data, where, needed)
    )
