"""The amendment log (``money/amendments.py``) and late money (``money/late.py``) on Berkeley's
2017 export and Oakland's fixtures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from racedesk.money.amendments import amendment_log
from racedesk.money.filings import Filings
from racedesk.money.late import late_money

from .reading import read_folder


def test_every_amended_statement_says_how_much_the_total_moved(
    berkeley: dict[int, Filings],
) -> None:
    """Ten amended 460s in 2017; Hahn's first-half statement gained 420.00 received and
    450.00 spent, Ben Bartlett's lost 130.00 received; Kate Harrison's January statement was
    amended twice."""
    log = amendment_log(berkeley[2017])
    assert len(log) == 10
    hahn = next(a for a in log if a.filer_name == "Hahn for Council 2016")
    assert (hahn.received_moved, hahn.spent_moved) == (Decimal("420.00"), Decimal("450.00"))
    assert hahn.reason == (
        "amendment 1 of the F460 for 2017-01-01 to 2017-06-30 replaced version 0: "
        "received +420.00, spent +450.00"
    )
    bartlett = next(a for a in log if a.filer_id == "1383020")
    assert bartlett.received_moved == Decimal("-130.00")
    january = [a for a in log if a.filer_id == "1392842" and a.end and a.end.day == 21]
    assert [(a.replaced, a.version) for a in january] == [(0, 1), (1, 2)]


def test_an_unchanged_amendment_moves_nothing(oakland: Path) -> None:
    """Cat Brooks' amendment restated the same figures: logged, with nothing moved."""
    (entry,) = amendment_log(read_folder(oakland / "amendment_with_null_filer_id"))
    assert (entry.replaced, entry.version) == (0, 1)
    assert (entry.received, entry.received_moved, entry.spent_moved) == (
        Decimal("49932.42"), Decimal(0), Decimal(0),
    )  # fmt: skip


def test_late_money_is_a_feed_newest_first(oakland: Path, yee_case: Filings) -> None:
    """The four 497s of 24 September 2018 come after the committee's 460 through the 22nd:
    provisional; Gary Yee's 496s of the 22nd are on that 460: settled."""
    case = read_folder(oakland / "referendum_supporters_without_expenditures_are_included")
    feed = late_money(case)
    assert [(x.day.isoformat(), x.amount, x.provisional) for x in feed if x.day] == [
        ("2018-09-24", Decimal("1000.00"), True),
        ("2018-09-24", Decimal("135.00"), True),
        ("2018-09-24", Decimal("19950.00"), True),
        ("2018-09-24", Decimal("2500.00"), True),
    ]
    yee = late_money(yee_case)
    assert len(yee) == 4 and not any(x.provisional for x in yee)
    assert {x.subject for x in yee} == {"GARY D YEE"}
