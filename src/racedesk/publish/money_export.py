"""CSV files of a ``racedesk.money/1`` document (``racedesk money export --csv DIR``): money by
side, committees, late money and the amendment log, one file each, amounts to the cent."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from racedesk.publish.money_document import MoneyDoc


def _write(path: Path, header: list[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def write_money_csv(doc: MoneyDoc, folder: Path) -> list[Path]:
    """``sides.csv``, ``committees.csv``, ``late.csv``, ``amendments.csv`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    sides = [
        [s.contest, s.subject, side.position, side.total, side.spent, side.received, side.ies,
         side.late_ies, "yes" if side.provisional else "no", " ".join(side.committees)]
        for s in doc.subjects
        for side in (s.support, s.oppose)
    ]  # fmt: skip
    committees = [
        [c.filer_id, c.name, c.received, c.spent, c.late_received, c.late_spent,
         "yes" if c.provisional else "no", c.through, c.statements, c.cash, c.debts]
        for c in doc.committees
    ]  # fmt: skip
    late = [
        [x.day, x.form, x.filer_id, x.filer_name, x.name, x.subject, x.position, x.amount,
         "yes" if x.provisional else "no"]
        for x in doc.late
    ]  # fmt: skip
    amendments = [
        [a.filer_id, a.filer_name, a.form, a.start, a.end, a.replaced, a.version,
         a.received_moved, a.spent_moved, a.reason]
        for a in doc.amendments
    ]  # fmt: skip
    return [
        _write(folder / "sides.csv", ["contest", "subject", "position", "total", "spent",
               "received", "ies", "late_ies", "provisional", "committees"], sides),
        _write(folder / "committees.csv", ["filer_id", "name", "received", "spent",
               "late_received", "late_spent", "provisional", "through", "statements", "cash",
               "debts"], committees),
        _write(folder / "late.csv", ["day", "form", "filer_id", "filer_name", "name", "subject",
               "position", "amount", "provisional"], late),
        _write(folder / "amendments.csv", ["filer_id", "filer_name", "form", "start", "end",
               "replaced", "version", "received_moved", "spent_moved", "reason"], amendments),
    ]  # fmt: skip
