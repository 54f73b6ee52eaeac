"""The records of a campaign filing, as the CAL format lays them out (FPPC forms 460, 461, 465,
496, 497; ``../shared/domain/campaign-finance.md``, "Who files what").

Every adapter (NetFile export, NetFile API, CAL-ACCESS) yields the same two records:

- :class:`Item`, one line of a schedule or a 24-hour report: a contribution received (460
  schedule A, C, I; 496 Part 3; 497 Part 1), a payment (E, G), an expenditure supporting or
  opposing a candidate or measure (D; 461 Part 5; 465 Part 3; 496 Part 2), a contribution made
  (497 Part 2), an accrued expense (F) or a loan (B1, B2, H);
- :class:`SummaryLine`, one line of a 460's summary page (line 1 monetary contributions, 5 total
  contributions, 11 total expenditures …; column A this period, B calendar year to date).

Both name their :class:`Filing`: the filer, the form, the version (``amendment``, 0 for the
original) and the period. Amounts are :class:`~decimal.Decimal` so that sums are exact to the
cent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

#: Schedules that list contributions received (460 A monetary, C non-monetary; 496 Part 3;
#: 497 Part 1). Schedule I (other increases to cash: interest, refunds, corrections) is no
#: contribution.
RECEIPTS = frozenset({"A", "C", "F496P3", "F497P1"})
#: Schedules of loans received or made (460 B1, B2, H): kept apart, never contributions.
LOANS = frozenset({"B1", "B2", "H"})
#: Lines that name a candidate or measure and a position (460 D, 461 Part 5, 465 Part 3, 496).
SIDED = frozenset({"D", "F461P5", "F465P3", "F496"})
#: Forms filed within 24 hours, re-reported on the filer's next statement (rules 1 and 2).
LATE_FORMS = frozenset({"F496", "F497"})


class Filing(msgspec.Struct, frozen=True, kw_only=True):
    """One filed report: who filed it, which form, which version, which period.

    ``filer_id`` is the FPPC id (or ``name:`` and the committee's name when the filing officer
    shows none, as NetFile's "Pending"); ``amendment`` is NetFile's ``Report_Num`` or
    CAL-ACCESS's ``AMEND_ID``; ``start``/``end`` the period a statement covers (None for a 24-hour
    report); ``filed`` the date it was filed."""

    filer_id: str
    filer_name: str
    form: str
    amendment: int = 0
    filed: date | None = None
    start: date | None = None
    end: date | None = None
    committee_type: str = ""
    filing_id: str = ""

    @property
    def period(self) -> tuple[str, str, date | None, date | None]:
        """What an amendment restates: the same filer's same form for the same period."""
        return (self.filer_id, self.form, self.start, self.end)

    @property
    def key(self) -> tuple[str, str, int, date | None, date | None]:
        """The filing itself, whatever name or type a particular row spells out."""
        return (self.filer_id, self.form, self.amendment, self.start, self.end)

    @property
    def is_statement(self) -> bool:
        """A periodic statement (460, 461, 465), as opposed to a 24-hour report (496, 497)."""
        return self.form not in LATE_FORMS


class Item(msgspec.Struct, frozen=True, kw_only=True):
    """One itemized line of a filing.

    ``schedule`` is the 460 schedule letter (``A`` … ``I``) or the form part (``F496``,
    ``F496P3``, ``F497P1``, ``F497P2``, ``F461P5``, ``F465P3``). ``amount`` is this line's
    amount (``Tran_Amt1``/``Amount``); ``cumulative`` the running total the form prints beside
    it (``Tran_Amt2``, ``Cum_YTD``), never to be summed (rule 6). ``code`` is ``Expn_Code``
    (``IND`` independent expenditure, ``MON`` monetary contribution, ``TSF`` transfer …);
    ``entity`` is ``Entity_Cd`` (``IND``, ``COM``, ``OTH``, ``PTY``, ``SCC``); ``committee_id``
    the other committee's FPPC id (``Cmte_ID``) when the other side is a committee; ``memo``
    marks a sub-item already inside another amount (rule 4). ``position`` is ``S`` or ``O``
    (``Sup_Opp_Cd``) for a line that names a candidate or measure."""

    filing: Filing
    schedule: str
    tran_id: str
    amount: Decimal
    date: date | None = None
    name: str = ""
    entity: str = ""
    code: str = ""
    cumulative: Decimal | None = None
    committee_id: str = ""
    memo: bool = False
    candidate: str = ""
    office: str = ""
    jurisdiction: str = ""
    district: str = ""
    measure: str = ""
    measure_number: str = ""
    position: str = ""
    description: str = ""

    @property
    def is_receipt(self) -> bool:
        return self.schedule in RECEIPTS

    @property
    def is_loan(self) -> bool:
        return self.schedule in LOANS

    @property
    def is_late(self) -> bool:
        """Filed on a 24-hour report (496 or 497), which the next statement repeats."""
        return self.filing.form in LATE_FORMS

    @property
    def subject(self) -> str:
        """The candidate or measure the line supports or opposes, as filed (free text)."""
        if self.candidate:
            return self.candidate
        return " ".join(p for p in (self.measure, self.measure_number) if p)


class SummaryLine(msgspec.Struct, frozen=True, kw_only=True):
    """One line of a statement's summary: ``part`` is ``F460`` for the summary page (line 1
    monetary contributions, 5 total contributions, 11 total expenditures …) or the schedule whose
    own summary it is (``A`` line 1 itemized, 2 unitemized, 3 total …); ``this_period`` is column
    A, ``year_to_date`` B."""

    filing: Filing
    part: str
    line: str
    this_period: Decimal
    year_to_date: Decimal | None = None


class Filings(msgspec.Struct, frozen=True, kw_only=True):
    """What one payload holds: its items and its summary lines."""

    items: tuple[Item, ...] = ()
    summaries: tuple[SummaryLine, ...] = ()

    def __add__(self, other: Filings) -> Filings:
        return Filings(items=self.items + other.items, summaries=self.summaries + other.summaries)

    @property
    def filings(self) -> tuple[Filing, ...]:
        """Every distinct filing named, in the order first met."""
        seen = dict.fromkeys(
            [i.filing for i in self.items] + [s.filing for s in self.summaries], None
        )
        return tuple(seen)
