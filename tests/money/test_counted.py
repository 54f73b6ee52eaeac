"""The rules against counting twice (``money/counted.py``), each on real rows."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from racedesk.money import counted
from racedesk.money.filings import Filings
from racedesk.money.versions import covering_statements, newest_versions, once_per_transaction

from .reading import read_folder


def _statements(filings: Filings):  # type: ignore[no-untyped-def]
    return covering_statements(s.filing for s in filings.summaries)


def _yee(items):  # type: ignore[no-untyped-def]
    return [i for i in items if "YEE" in i.candidate]


def test_a_496_on_or_before_the_latest_statement_is_not_counted_again(yee_case: Filings) -> None:
    """Rule 2: the four 496s of 2018-09-22 are on the 460 through 2018-09-22 (schedule D)."""
    late = _yee(i for i in yee_case.items if i.schedule == "F496")
    assert len(late) == 4 and counted.total(late) == Decimal("25871.00")
    assert counted.latest_statement_end(_statements(yee_case))["1331137"].isoformat() == (
        "2018-09-22"
    )
    assert counted.late_independent_expenditures(yee_case.items, _statements(yee_case)) == ()


def test_the_gary_yee_support_total_is_56_394_73(yee_case: Filings) -> None:
    """Oakland's fixture: D lines coded IND, once, without the 496s and without the D line
    coded MON (a contribution to the candidate's committee)."""
    on_statements = once_per_transaction(
        i for i in newest_versions(yee_case).items if not i.is_late
    )
    ies = _yee(counted.independent_expenditures(on_statements))
    assert counted.total(ies) == Decimal("56394.73")
    naive = _yee(i for i in yee_case.items if i.schedule in ("D", "F496"))
    # adding every D line and every 496 counts the 496s twice and the contribution as an IE
    assert counted.total(naive) == Decimal("83865.73")


def test_a_496_after_the_latest_statement_counts(yee_case: Filings) -> None:
    """Without the 460 that covers them, the 496s are the only report: they count."""
    only_late = Filings(items=tuple(i for i in yee_case.items if i.filing.form == "F496"))
    assert counted.total(counted.late_independent_expenditures(only_late.items, ())) == Decimal(
        "25871.00"
    )


def test_cumulative_columns_are_never_summed(oakland: Path) -> None:
    """Rule 6: the Trenado D lines print running totals beside their amounts; the total
    (Oakland's expected 99,288.96) is the sum of the amounts, which here ends where the last
    running total does, and summing the running totals would be wildly off."""
    case = read_folder(oakland / "candidate_independent_supporting_trenado")
    lines = [i for i in case.items if "TRENADO" in i.candidate]
    assert max(i.cumulative or 0 for i in lines) == Decimal("99288.96")
    assert sum(i.cumulative or 0 for i in lines) > 10 * Decimal("99288.96")
    assert counted.total(counted.independent_expenditures(lines)) == Decimal("99288.96")


def test_memo_lines_agent_payments_and_loans_are_not_added(berkeley: dict[int, Filings]) -> None:
    """Rules 4 and 8 on Berkeley 2017: schedule G lines (an agent's sub-vendors) and B1 loans
    are never addable; schedule E is."""
    items = berkeley[2017].items
    g = [i for i in items if i.schedule == "G"]
    b1 = [i for i in items if i.schedule == "B1"]
    assert len(g) == 60 and len(b1) == 38
    assert not any(counted.addable(i) for i in g + b1)
    assert counted.loans(items) == tuple(b1)
    assert len(counted.payments(items)) == sum(1 for i in items if i.schedule == "E" and not i.memo)
    assert all(i not in counted.receipts(items) for i in b1)


def test_schedule_d_is_never_added_to_e(yee_case: Filings) -> None:
    """Rule 3: payments are E lines only; the IE lines are D lines only."""
    assert {i.schedule for i in counted.payments(yee_case.items)} == {"E"}
    assert {i.schedule for i in counted.independent_expenditures(yee_case.items)} == {"D"}


def test_a_497_counts_only_after_the_latest_statement(oakland: Path) -> None:
    """Rule 1: the 497s of 2018-09-24 come after the 460 through 2018-09-22, so they count;
    against a statement through the 24th they would not."""
    case = read_folder(oakland / "referendum_supporters_without_expenditures_are_included")
    statements = _statements(case)
    late = counted.late_contributions(case.items, statements)
    assert len(late) == 4 and counted.total(late) == Decimal("23585.00")
    assert {i.date.isoformat() for i in late if i.date} == {"2018-09-24"}


def test_transfers_between_committees_are_edges(oakland: Path) -> None:
    """Rule 7: Causa Justa's contributions (mostly staff time, schedule C) to the Measure JJ
    committee are one edge between the two committees; its amount agrees with the running total
    the committee printed on its last line from Causa Justa (``Tran_Amt2``), which is read, never
    summed."""
    case = read_folder(oakland / "referendum_contributions_by_origin")
    edges = counted.committee_edges(case.items)
    causa = [e for e in edges if e.source == "1385949"]
    assert [(e.target, e.amount) for e in causa] == [("1364564", Decimal("153559.68"))]
    last = max(
        (i for i in case.items if i.committee_id == "1385949"), key=lambda i: (i.date, i.tran_id)
    )
    assert last.cumulative == Decimal("153559.68")


def test_memo_lines_are_left_out(money_data: Path) -> None:
    """Rule 4 on the state's own rows: CAL-ACCESS's sample of EXPN_CD has 24 schedule E lines
    marked memo (``MEMO_CODE`` X, sub-items inside another payment) and 3 on 461/465 reports;
    none is a payment or an IE that adds."""
    from racedesk.sources import calaccess

    path = money_data / "calaccess-sample" / "EXPN_CD.TSV"
    items = calaccess.read_table(path.read_bytes(), path.name).items
    memos = [i for i in items if i.memo]
    assert Counter(i.schedule for i in memos) == {"E": 24, "F465P3": 2, "F461P5": 1}
    assert not set(memos) & set(counted.payments(items))
    assert not set(memos) & set(counted.independent_expenditures(items))
    assert len(counted.payments(items)) == sum(1 for i in items if i.schedule == "E") - 24
