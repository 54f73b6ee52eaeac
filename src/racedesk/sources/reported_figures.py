"""Money figures reported in the news, as a CSV file a person writes with the source of each:
``contest, subject, position, amount, what, source, reported_on`` (``docs/money.md``). A row
without a source is refused: a reported figure is shown only with where it was reported."""

from __future__ import annotations

import csv
import io

from racedesk.errors import InputError
from racedesk.money.reported import ReportedFigure
from racedesk.sources import cal_fields as cal
from racedesk.sources.safety import check_size, decode_text

COLUMNS = ("contest", "subject", "position", "amount", "what", "source", "reported_on")


def read_reported(data: bytes, *, where: str) -> tuple[ReportedFigure, ...]:
    reader = csv.DictReader(io.StringIO(decode_text(check_size(data, where), where, what="CSV")))
    missing = [c for c in COLUMNS[:6] if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(f"lacks the column(s) {', '.join(missing)}", where=where)
    figures = []
    for row in reader:
        at = f"{where}, line {reader.line_num}"
        amount = cal.amount(row, "amount", at)
        if amount is None:
            raise InputError("a reported figure needs an amount", where=at)
        if not row["source"].strip():
            raise InputError("a reported figure needs its source", where=at)
        figures.append(
            ReportedFigure(
                contest=row["contest"].strip(),
                subject=row["subject"].strip(),
                position=row["position"].strip().lower(),
                amount=amount,
                what=row["what"].strip(),
                source=row["source"].strip(),
                reported_on=cal.day(row, "reported_on", at),
            )
        )
    return tuple(figures)
