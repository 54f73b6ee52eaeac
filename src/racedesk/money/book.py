"""A set of filings counted once, kept by whoever asks several questions of it (the money by
side of every subject of a desk): each filing's newest version, the statements that cover
their periods, the lines on them once per transaction, the independent expenditures and the
receipts that may be added, and each committee's totals (``versions``, ``counted``,
``committees``). Made once per set of filings; the engine's rule of no module-level cache holds
here too: the book belongs to its caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from racedesk.money import counted
from racedesk.money.committees import CommitteeTotal, committee_totals
from racedesk.money.filings import Filing, Filings, Item
from racedesk.money.versions import covering_statements, newest_versions, once_per_transaction


@dataclass(frozen=True)
class MoneyBook:
    """``ies``: statement lines coded IND once each, then 496s beyond their filer's latest
    statement (rules 1–3); ``receipts``: contributions received once each, statement lines then
    497s beyond (rule 1); ``edges``: committee → committee money (rule 7)."""

    filings: Filings
    newest: Filings
    statements: tuple[Filing, ...]
    ies: tuple[Item, ...]
    receipts: tuple[Item, ...]
    edges: tuple[counted.Edge, ...]
    totals: dict[str, CommitteeTotal]

    @classmethod
    def of(cls, filings: Filings | MoneyBook) -> MoneyBook:
        """The book of ``filings`` (a book is its own)."""
        if isinstance(filings, MoneyBook):
            return filings
        newest = newest_versions(filings)
        statements = covering_statements(
            [s.filing for s in newest.summaries] + [i.filing for i in newest.items]
        )
        on_statements = once_per_transaction(i for i in newest.items if not i.is_late)
        late_ies = counted.late_independent_expenditures(newest.items, statements)
        late_in = counted.late_contributions(newest.items, statements)
        return cls(
            filings=filings,
            newest=newest,
            statements=statements,
            ies=counted.independent_expenditures(on_statements)
            + tuple(i for i in late_ies if i.subject),
            receipts=counted.receipts(on_statements) + late_in,
            edges=counted.committee_edges(newest.items),
            totals=committee_totals(filings),
        )
