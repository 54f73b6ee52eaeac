"""A committee's totals from its statements (``money/committees.py``), on Berkeley's exports."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

from racedesk.money import committees, versions
from racedesk.money.filings import Filing, Filings

from .reading import read_folder


def _contiguous_year(statements: list[Filing], year: int) -> list[Filing]:
    """A filer's statements of ``year`` when they run from 1 January without a gap, else []."""
    own = sorted((f for f in statements if f.start and f.start.year == year), key=lambda f: f.start)  # type: ignore[arg-type, return-value]
    if not own or (own[0].start.month, own[0].start.day) != (1, 1):  # type: ignore[union-attr]
        return []
    gaps = [(b.start - a.end).days for a, b in itertools.pairwise(own)]  # type: ignore[operator]
    return own if all(g == 1 for g in gaps) else []


def test_totals_from_non_overlapping_statements_agree_with_the_year_to_date_column(
    berkeley: dict[int, Filings],
) -> None:
    """For every Berkeley committee whose kept statements cover a calendar year from 1 January
    without a gap, the sum of their "this period" contributions (lines 1 + 4) equals the last
    one's "calendar year to date" column: no statement was dropped or counted twice. 42
    committees in 2017 (10 of whose periods were amended), 9 in 2018."""
    checked = {}
    for year, filings in berkeley.items():
        totals = committees.committee_totals(filings)
        newest = versions.newest_versions(filings)
        kept = versions.covering_statements(s.filing for s in newest.summaries)
        ytd = {
            (s.filing.key, s.line): s.year_to_date or Decimal(0)
            for s in newest.summaries
            if s.part == "F460"
        }
        agreed = 0
        for filer, total in totals.items():
            year_statements = _contiguous_year([f for f in kept if f.filer_id == filer], year)
            if not year_statements or total.late_received:
                continue
            last = year_statements[-1].key
            assert total.through == year_statements[-1].end
            assert total.received == ytd[(last, "1")] + ytd[(last, "4")], filer
            agreed += 1
        checked[year] = agreed
    assert checked == {2017: 42, 2018: 9}


def test_every_amended_period_is_counted_once(berkeley: dict[int, Filings]) -> None:
    """2017 holds 96 statements for 86 periods (10 amended); 81 are kept once the amended ones
    and those inside another's period are set aside."""
    filings = berkeley[2017]
    statements = {s.filing.key for s in filings.summaries if s.part == "F460"}
    periods = {(k[0], k[1], k[3], k[4]) for k in statements}
    kept = versions.covering_statements(
        s.filing for s in versions.newest_versions(filings).summaries if s.part == "F460"
    )
    assert (len(statements), len(periods), len(kept)) == (96, 86, 81)


def test_the_itemized_schedule_a_never_exceeds_line_1(berkeley: dict[int, Filings]) -> None:
    """Every dollar itemized on schedule A is inside the summary's line 1; 35 statements with a
    schedule A (newest versions) in 2017 and 7 in 2018, none over."""
    for year, count in ((2017, 35), (2018, 7)):
        filings = versions.newest_versions(berkeley[year])
        with_a = {i.filing.key for i in filings.items if i.schedule == "A"}
        assert len(with_a) == count
        assert committees.itemized_over_summary(berkeley[year]) == ()


def test_the_check_catches_counting_twice(berkeley: dict[int, Filings]) -> None:
    """The same schedule A read twice (as a careless merge of two exports would) is caught."""
    filings = berkeley[2018]
    doubled = Filings(
        items=filings.items + tuple(i for i in filings.items if i.schedule == "A" and i.amount > 0),
        summaries=filings.summaries,
    )
    assert committees.itemized_over_summary(doubled)


def test_an_amendment_restates_the_statement(oakland: Path) -> None:
    """Cat Brooks' committee filed its first 2018 semi-annual 460 twice (000 on 31 July, 001 on
    1 August): its contributions are counted once, 49,932.42 (monetary 49,517.76 + 414.66 in
    kind), not twice."""
    case = read_folder(oakland / "amendment_with_null_filer_id")
    total = committees.committee_totals(case)["1405474"]
    assert total.statements == 1
    assert total.received == Decimal("49932.42")
