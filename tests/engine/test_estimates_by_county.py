"""The registrar's later estimates against what came, in every county of the state's
unprocessed-ballots reports of the 2024 general (``../shared/data/ca-sos/
2024-general-unprocessed-ballots``: 58 counties, 13 daily versions from Nov 22 to Dec 6).

Each county's figure (ballots processed, estimated total remaining) is an estimate made after
election day; what came after it is the county's last processed count plus its last remaining
less its processed count then. The high end the desk gives such an estimate
(``votes_left.estimate_high``) must hold what came: a bare total (no kinds) from a registrar
whose later estimates have not yet held three times running carries the trickle of ballots to
cure or under review (``docs/hurdles.md``)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from racedesk.engine.params import default_params
from racedesk.engine.votes_left import estimate_high, estimates_held

PARAMS = default_params()


@pytest.fixture(scope="module")
def counties(shared_data: Path) -> dict[str, list[tuple[int, int]]]:
    """Each county's (processed, remaining) in every version, in time order."""
    folder = (
        shared_data / "ca-sos" / "2024-general-unprocessed-ballots" / "unprocessed-ballots-status"
    )
    if not folder.is_dir():
        pytest.skip(f"the state's unprocessed-ballots reports not found at {folder}")
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for path in sorted(folder.glob("*.csv")):  # named by the time each version was seen
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in list(csv.reader(f))[1:]:
                processed, remaining = (int(c.replace(",", "") or 0) for c in row[1:3])
                found[row[0]].append((processed, remaining))
    return dict(found)


def _exceeded(counties: dict[str, list[tuple[int, int]]], *, trust_all: bool) -> list[str]:
    """The distinct (county, processed, remaining) figures before each county's last whose
    high end what came exceeded."""
    missed: set[tuple[str, int, int]] = set()
    figures: set[tuple[str, int, int]] = set()
    for county, versions in counties.items():
        final = versions[-1][0] + versions[-1][1]
        for k, (processed, remaining) in enumerate(versions):
            if (processed, remaining) == versions[-1]:
                continue
            figures.add((county, processed, remaining))
            held = trust_all or estimates_held(versions[: k + 1], PARAMS)
            high = estimate_high(
                remaining, 0, processed, early=False, itemized=False, held=held, params=PARAMS
            )
            if final - processed > high:
                missed.add((county, processed, remaining))
    assert len(figures) == 157
    return sorted(f"{c} ({p:,} processed, {r:,} remaining)" for c, p, r in missed)


def test_a_bare_later_estimate_holds_what_came_in_all_but_two_county_figures(
    counties: dict[str, list[tuple[int, int]]],
) -> None:
    assert len(counties) == 58
    assert _exceeded(counties, trust_all=False) == [
        "Fresno (316,697 processed, 7,139 remaining)",  # Nov 22: 14,235 came
        "Humboldt (54,768 processed, 8,021 remaining)",  # Nov 22: 10,464 came
    ]
    # taken at its word with a rise of 10% only (the desk before), 58 figures are exceeded
    assert len(_exceeded(counties, trust_all=True)) == 58
