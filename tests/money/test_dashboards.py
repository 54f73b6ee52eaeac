"""San Francisco's check figures (``../shared/data/money/SOURCES.md``), from the Ethics
Commission's dashboards read by ``sources/sf_ethics.py`` and added up by
``money/dashboards.py``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from racedesk.money import dashboards
from racedesk.sources import sf_ethics


@pytest.fixture(scope="module")
def sf(money_data: Path) -> Path:
    return money_data / "sf-ethics-dashboards"


@pytest.fixture(scope="module")
def pages(sf: Path) -> tuple[dashboards.ContestCommittee, ...]:
    path = sf / "DERIVED_contest_money_snapshots.csv"
    return sf_ethics.read_contest_pages(path.read_bytes(), where=str(path))


def _row(rows: tuple[dashboards.ContestCommittee, ...], committee: str) -> tuple[Decimal, Decimal]:
    (row,) = [r for r in rows if r.committee_id == committee]
    return (row.funds or Decimal(0), row.expenses or Decimal(0))


def test_the_2024_district_attorney_committees(
    pages: tuple[dashboards.ContestCommittee, ...],
) -> None:
    rows = dashboards.latest(pages, "2024-11-05/contests/dat")
    assert _row(rows, "1460998") == (Decimal("434634.23"), Decimal("520319.97"))  # Jenkins
    assert _row(rows, "1466416") == (Decimal("115523.85"), Decimal("121461.67"))  # Khojasteh
    assert _row(rows, "1475317")[1] == Decimal("97382.82")  # IEs for Jenkins
    jenkins = {
        (s.position, s.expenses)
        for s in dashboards.by_side(r for r in rows if r.kind == "ie_committee")
        if s.subject == "BROOKE JENKINS"
    }
    assert jenkins == {("support", Decimal("113183.39"))}  # 97,382.82 + 14,939.79 + 860.78


def test_the_engardio_recall_by_side(pages: tuple[dashboards.ContestCommittee, ...]) -> None:
    """Measure A (2025): support = remove, oppose = keep. No on A 838,524.50 / 826,772.83 plus
    the Alice B. Toklas club's 1,730.94 of IEs; the recall's committee 294,117.19 /
    290,424.04."""
    rows = dashboards.latest(pages, "2025-09-16/measures/measurea")
    assert _row(rows, "1477355") == (Decimal("838524.50"), Decimal("826772.83"))
    assert _row(rows, "1477256") == (Decimal("294117.19"), Decimal("290424.04"))
    by_side = {s.position: (s.funds, s.expenses) for s in dashboards.by_side(rows)}
    assert by_side == {
        "oppose": (Decimal("838524.50"), Decimal("828503.77")),
        "support": (Decimal("294117.19"), Decimal("290424.04")),
    }


def test_the_engardio_recall_s_top_donors(sf: Path) -> None:
    path = sf / "DERIVED_committee_contributors.csv"
    contributions = sf_ethics.read_contributors(path.read_bytes(), where=str(path))
    top = dashboards.top_donors(contributions, {"1477355"}, 3)
    assert [(c.donor, c.amount) for c in top] == [
        ("CHRIS LARSEN", Decimal("200000.00")),
        ("JEREMY STOPPELMAN", Decimal("175000.00")),
        ("JOHN WOLTHUIS", Decimal("100000.00")),
    ]


def test_district_4_s_ies_at_the_last_snapshot(
    pages: tuple[dashboards.ContestCommittee, ...],
) -> None:
    rows = dashboards.latest(pages, "2026-06-02/contests/bos04")
    assert {r.snapshot.date().isoformat() for r in rows} == {"2026-08-03"}
    ies = {
        (s.subject, s.position): s.expenses.quantize(Decimal(1))
        for s in dashboards.by_side(r for r in rows if r.kind == "ie_committee")
    }
    assert ies[("ALAN WONG", "support")] == 744401
    assert ies[("ALAN WONG", "oppose")] == 24754
    assert ies[("NATALIE GEE", "support")] == 328193
    assert ies[("NATALIE GEE", "oppose")] == 226989
    assert ies[("DAVID LEE", "support")] == 192794


def test_district_4_s_ies_over_time(pages: tuple[dashboards.ContestCommittee, ...]) -> None:
    """75 snapshots of the page, 2026-02-03 → 2026-08-03; the series ends at the last figure."""
    series = dashboards.over_time(pages, "2026-06-02/contests/bos04")
    wong = series[("ALAN WONG", "support")]
    snapshots = {r.snapshot for r in pages if r.contest == "2026-06-02/contests/bos04"}
    assert len(snapshots) == 75
    assert wong[-1][1].quantize(Decimal(1)) == 744401
    assert wong[0][0] < wong[-1][0]


def test_the_ie_ledger_counted_once_is_78_percent_lower(
    sf: Path, pages: tuple[dashboards.ContestCommittee, ...]
) -> None:
    """The recent-IE ledger lists an IE once from its 496 and again from the 460: summed
    naively, Alan Wong's support is 1,325,602.23, 78% above the dashboard's 744,401; once per
    expenditure it is 786,519.01 (the rest is spending the ledger's window never showed)."""
    path = sf / "DERIVED_recent_ies_ledger.csv"
    ledger = [r for r in sf_ethics.read_ie_ledger(path.read_bytes(), where=str(path))]
    june = [r for r in ledger if r.election == "2026-06-02"]
    naive = dashboards.ledger_total(june, "ALAN WONG", "support")
    once = dashboards.ledger_total(dashboards.once_per_expenditure(june), "ALAN WONG", "support")
    assert naive == Decimal("1325602.23")
    assert once == Decimal("786519.01")
    dashboard = Decimal("744401")
    assert round((naive / dashboard - 1) * 100) == 78
    assert round((once / dashboard - 1) * 100) == 6


def test_money_reaching_no_on_a_through_other_committees(sf: Path) -> None:
    """Two hops into No on A: the Committee for an Affordable California gave 20,000, and its
    largest contributor was Smart Justice California Action Fund (23,600)."""
    path = sf / "DERIVED_committee_contributors.csv"
    contributions = sf_ethics.read_contributors(path.read_bytes(), where=str(path))
    routes = dashboards.routes(contributions, {"1477355"}, 1)
    assert [(r.via, r.via_amount, r.donor, r.donor_amount) for r in routes[:2]] == [
        ("1315969", Decimal("50000.00"),
         "INTERMEDIARY FOR CONTRIBUTIONS UNDER $100: SAN FRANCISCO POLICE OFFICERS ASSOCIATION",
         Decimal("36423.00")),
        ("1482084", Decimal("20000.00"), "SMART JUSTICE CALIFORNIA ACTION FUND",
         Decimal("23600.00")),
    ]  # fmt: skip
    assert all(r.to == "1477355" for r in routes)
