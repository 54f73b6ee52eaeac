"""Money by side (``money/sides.py``) and its links (``money/links.py``), on Oakland's fixtures
and Berkeley's exports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from racedesk.money import links, sides
from racedesk.money.filings import Filings

from .reading import read_folder


def _side(answers: tuple[sides.SubjectMoney, ...], subject: str) -> sides.SubjectMoney:
    (found,) = [a for a in answers if a.subject == subject]
    return found


def test_gary_yee_is_supported_by_56_394_73_of_independent_expenditures(
    yee_case: Filings,
) -> None:
    """Oakland's expected total, from suggested links, counted once (the 496s of 22 September
    are on the 460 through that day)."""
    answers = sides.money_by_side(yee_case, links.suggest_links(yee_case))
    yee = _side(answers, "GARY D YEE")
    assert yee.support.ies == Decimal("56394.73")
    assert yee.support.late_ies == 0 and not yee.support.provisional
    assert yee.oppose.ies == 0
    assert yee.contest == "OAKLAND UNIFIED SCHOOL DISTRICT / BED / district 4"


def test_trenado_is_supported_by_99_288_96(oakland: Path) -> None:
    case = read_folder(oakland / "candidate_independent_supporting_trenado")
    answers = sides.money_by_side(case, links.suggest_links(case))
    assert _side(answers, "HUBER TRENADO").support.ies == Decimal("99288.96")


def test_the_series_ends_at_the_total(yee_case: Filings) -> None:
    series = sides.ie_series(yee_case, "Gary Yee")
    assert [(p.day.isoformat(), p.total) for p in series] == [
        ("2018-08-29", Decimal("3170.46")),
        ("2018-09-08", Decimal("30523.30")),
        ("2018-09-22", Decimal("56394.73")),
    ]


def test_late_496s_are_provisional_until_a_statement_covers_them(yee_case: Filings) -> None:
    """Without the 460, the four 496s of 22 September are the only report: they count, and the
    side is marked provisional."""
    late_only = Filings(items=tuple(i for i in yee_case.items if i.filing.form == "F496"))
    answers = sides.money_by_side(late_only, links.suggest_links(late_only))
    yee = _side(answers, "GARY D YEE")
    assert yee.support.ies == yee.support.late_ies == Decimal("25871.00")
    assert yee.support.provisional
    assert sides.ie_series(late_only, "GARY D YEE")[-1].provisional


def test_kate_harrison_s_side_in_berkeley_2017(berkeley: dict[int, Filings]) -> None:
    """Her controlled committee and the Working Families IE committee are on one side; the
    committee's 10,000 from SEIU 1021's PAC heads the donors; nobody opposed her."""
    filings = berkeley[2017]
    suggested = links.suggest_links(filings)
    own = [lnk for lnk in suggested if lnk.subject == "Kate Harrison" and lnk.role == "own"]
    assert [(lnk.committee_id, lnk.contest) for lnk in own] == [("1392842", "City Council")]
    answers = sides.money_by_side(filings, suggested)
    harrison = [a for a in answers if a.subject == "Kate Harrison"]
    assert {a.support.ies for a in harrison} == {Decimal("7907.27")}
    assert {a.oppose.total for a in harrison} == {Decimal(0)}
    donors = sides.top_donors(filings, suggested, "Kate Harrison", "support", 2)
    assert donors[0].name == "Service Employees International Union Local 1021 Candidate PAC"
    assert donors[0].amount == Decimal("10000.00")


def test_names_as_filed_are_one_person() -> None:
    from racedesk.money.names import name_key

    assert name_key("GARY D YEE") == name_key("Yee, Gary") == name_key("Gary Yee") == "GARY YEE"
    assert name_key("Gary Yee") != name_key("Gary Yeen")


def test_money_through_another_committee_is_a_route(berkeley: dict[int, Filings]) -> None:
    """Ben Bartlett's 2016 committee gave 250.00 to Kate Harrison's: his committee's largest
    donors reach her side in two hops (schedule I corrections are no donors)."""
    filings = berkeley[2017]
    routes = sides.donor_routes(filings, links.suggest_links(filings), "Kate Harrison", "support")
    assert [(r.donor, r.donor_amount, r.via, r.via_amount, r.to) for r in routes] == [
        ("Varela, Keiji", Decimal("500.00"), "1383020", Decimal("250.00"), "1392842"),
        ("Weske, Gary", Decimal("350.00"), "1383020", Decimal("250.00"), "1392842"),
        ("Arbitblit, Donald", Decimal("250.00"), "1383020", Decimal("250.00"), "1392842"),
    ]


def test_ies_by_committee_and_week(yee_case: Filings) -> None:
    weeks = sides.ies_by_week(yee_case, "Gary Yee")
    assert [(w.committee_id, w.week.isoformat(), w.position, w.amount) for w in weeks] == [
        ("1331137", "2018-08-27", "support", Decimal("3170.46")),
        ("1331137", "2018-09-03", "support", Decimal("27352.84")),
        ("1331137", "2018-09-17", "support", Decimal("25871.43")),
    ]
