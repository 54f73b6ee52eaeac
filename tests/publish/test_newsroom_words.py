"""Words an editor reads, as the newsroom review found them wrong (publish/numbers.py,
publish/contest_part.py, engine/calls.py, the pages' templates)."""

from __future__ import annotations

from pathlib import Path

from racedesk.data import load_params
from racedesk.engine.replay import replay
from racedesk.publish.contest_part import outcome_lines
from racedesk.publish.numbers import chance
from racedesk.rules.base import chance as reason_chance
from racedesk.sources.loader import load_canvasses
from racedesk.sources.outstanding import load_reports


def test_a_probability_from_draws_is_never_certain() -> None:
    """ "Chance 100%" on outcomes not yet called: 400 draws cannot say that."""
    assert chance(1.0, draws=400) == ">99%" and chance(0.0, draws=400) == "<1%"
    assert chance(1.0) == "100%"  # the count is final: nothing left to draw
    assert chance(0.734, draws=400) == "73%"
    assert reason_chance(1.0) == ">99.5%" and reason_chance(0.0) == "<0.5%"
    assert reason_chance(0.996) == "99.6%"


def test_unlikely_outcomes_are_one_line() -> None:
    """A 12-candidate primary listed "X wins a majority: 0%" twelve times."""
    outcomes = {"runoff": 0.99, **{f"C{i} wins a majority": 0.0 for i in range(12)}}
    assert outcome_lines(outcomes, 400) == [
        ["runoff", "99%"],
        ["12 other outcomes", "<1% each"],
    ]
    assert outcome_lines({"yes": 0.996, "no": 0.004}, 400) == [["yes", ">99%"], ["no", "<1%"]]


def test_two_names_lead_not_leads(primary_2024: Path) -> None:
    """ "GEORGE GASCÓN and NATHAN HOCHMAN leads" on the 2024 primary's DA before the call."""
    canvass = load_canvasses(str(primary_2024))[0]
    reports = load_reports(primary_2024.parent / "outstanding-reports.csv", canvass.election.date)
    snapshots = replay(canvass.election, canvass.releases, reports, load_params())
    said = [s.calls["9054"].sentence for s in snapshots][2]
    assert said == (
        "a runoff is certain; GEORGE GASCÓN and NATHAN HOCHMAN lead (>99.5% projected) but the "
        "count could still change it"
    )
