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


def test_the_margin_and_the_expected_vote_counted(general_2024: Path) -> None:
    """What results pages lead with: "Hochman +19.8, 655,092 votes" on the certified count."""
    from racedesk.model.answers import Interval
    from racedesk.publish.numbers import expected_counted, margin

    canvass = load_canvasses(str(general_2024))[0]
    da = canvass.releases[-1].count("9547")
    assert da is not None
    names = {c.id: c.name for c in canvass.election.contest("9547").choices}
    assert margin(da.votes, names) == "Hochman +19.8, 655,092 votes"
    assert margin({"a": 5, "b": 5}, {}) == "tied at 5 votes"
    assert margin({"a": 5}, {}) == ""
    left = Interval(low=100_000, mid=150_000, high=250_000)
    assert expected_counted(3_000_000, left) == "about 95% of the expected vote counted (92–97%)"
    assert expected_counted(3_000_000, Interval(low=0, mid=0, high=0)) == (
        "100% of the expected vote counted"
    )
    # the DA's page after the last release: 3,321,126 votes and about 13,000 (0-16,000) left
    assert expected_counted(3_321_126, Interval(low=0, mid=13_000, high=16_000)) == (
        ">99% of the expected vote counted"
    )
    assert expected_counted(990_000, Interval(low=0, mid=6_000, high=12_000)) == (
        "about 99% of the expected vote counted (99–100%)"
    )
    assert expected_counted(990_000, Interval(low=1_000, mid=6_000, high=12_000)) == (
        "about 99% of the expected vote counted (99% to over 99%)"
    )
    assert expected_counted(0, left) == "" and expected_counted(10, None) == ""


def test_a_recall_that_passes_names_who_is_recalled(general_2024: Path) -> None:
    """Montebello's recall (9911) said "Passed." and "yes needs 0.0% or less of the votes left";
    its question names the officer, and no reason says a need of 0% or less."""
    from racedesk.publish.words import call_words, contest_sentence

    canvass = load_canvasses(str(general_2024))[0]
    reports = load_reports(general_2024.parent / "outstanding-reports.csv", canvass.election.date)
    snapshots = list(replay(canvass.election, canvass.releases, reports, load_params()))
    recall = canvass.election.contest("9911")
    assert recall.question.startswith("Shall Angie Jimenez be recalled (removed)")
    last = snapshots[-1]
    call = last.calls["9911"]
    assert call.status == "passed"
    assert call_words(recall, call) == "Passed: Angie Jimenez is recalled."
    reasons = [e.reason for s in snapshots for e in s.new_events if e.contest_id == "9911"]
    assert reasons and all("0.0% or less" not in r for r in reasons)
    # called before the count settles it: the reason says how little yes needs
    assert reasons[0] == "yes needs 40.2% or less of the votes left, far below its 63.5% so far"
    # the needs interval of the sentence is never shown below 0% (it read "(-25.1–47.0%)")
    state = snapshots[3].state("9911")
    assert state is not None
    said = contest_sentence(
        recall, state, snapshots[3].projections.get("9911"), snapshots[3].calls.get("9911"), [state]
    )
    assert "(-" not in said and "needs 37.3% (0.0–47.0%)" in said


def test_a_choice_out_of_reach_is_said_so(general_2024: Path) -> None:
    """Multi-seat 9669 said a trailing choice "would need 100.0% or more": it cannot catch up
    even with every vote left, and the reason now says that."""
    canvass = load_canvasses(str(general_2024))[0]
    reports = load_reports(general_2024.parent / "outstanding-reports.csv", canvass.election.date)
    snapshots = list(replay(canvass.election, canvass.releases, reports, load_params()))
    reasons = [e.reason for s in snapshots for e in s.new_events]
    assert reasons and not [r for r in reasons if "100.0% or more" in r]
    assert any("cannot catch up even with every vote left" in r for r in reasons)
