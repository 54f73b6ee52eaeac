"""The amendment log: for every statement filed more than once, what each version said and by
how much a committee's total moved (``../shared/domain/campaign-finance.md``, "Amendments and
overlaps": an amendment restates the whole filing, so the newest version replaces the others).
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import msgspec

from racedesk.money.committees import RECEIVED, SPENT
from racedesk.money.filings import Filings


class Amendment(msgspec.Struct, frozen=True, kw_only=True):
    """Version ``version`` of a statement replaced version ``replaced``: contributions received
    (lines 1 + 4) moved by ``received_moved``, spending (lines 6 + 9) by ``spent_moved``."""

    filer_id: str
    filer_name: str
    form: str
    start: date | None
    end: date | None
    replaced: int
    version: int
    filed: date | None
    received: Decimal
    received_moved: Decimal
    spent: Decimal
    spent_moved: Decimal

    @property
    def reason(self) -> str:
        """Why the committee's total moved, in a sentence."""
        period = f"{self.start} to {self.end}" if self.start else "its period"
        return (
            f"amendment {self.version} of the {self.form} for {period} replaced version "
            f"{self.replaced}: received {self.received_moved:+,.2f}, spent {self.spent_moved:+,.2f}"
        )


def amendment_log(filings: Filings) -> tuple[Amendment, ...]:
    """Every replaced statement version, oldest period first."""
    sums: dict[tuple[object, ...], dict[int, list[Decimal]]] = {}
    meta: dict[tuple[object, ...], tuple[str, date | None]] = {}
    for s in filings.summaries:
        if s.part != "F460" or s.line not in RECEIVED + SPENT:
            continue
        versions = sums.setdefault(s.filing.period, {})
        pair = versions.setdefault(s.filing.amendment, [Decimal(0), Decimal(0)])
        pair[0 if s.line in RECEIVED else 1] += s.this_period
        meta[(*s.filing.period, s.filing.amendment)] = (s.filing.filer_name, s.filing.filed)
    log = []
    for period, versions in sorted(sums.items(), key=lambda kv: str(kv[0])):
        ordered = sorted(versions)
        for before, after in itertools.pairwise(ordered):
            filer, form, start, end = period
            name, filed = meta[(*period, after)]
            log.append(
                Amendment(
                    filer_id=str(filer),
                    filer_name=name,
                    form=str(form),
                    start=start,  # type: ignore[arg-type]
                    end=end,  # type: ignore[arg-type]
                    replaced=before,
                    version=after,
                    filed=filed,
                    received=versions[after][0],
                    received_moved=versions[after][0] - versions[before][0],
                    spent=versions[after][1],
                    spent_moved=versions[after][1] - versions[before][1],
                )
            )
    return tuple(log)
