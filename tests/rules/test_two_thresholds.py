"""A measure held to two thresholds (``rules/threshold.py``): three measures of LA's 2024 general
need "2/3 votes, 55% if prop 5 passes", and a measure whose source states no threshold is held to
a majority and two-thirds at once. Its chance is shown at both, its outcomes split three ways,
and a call asks the chance of its side whichever threshold holds."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from builders import contest
from racedesk.engine.params import default_params
from racedesk.engine.replay import replay
from racedesk.model import CallEvent
from racedesk.model.answers import ContestState
from racedesk.publish import cdf_export, tabular_export
from racedesk.publish.numbers import chances
from racedesk.rules import logic_for
from racedesk.rules.california import unstated_measure_rule
from racedesk.sources.loader import load_canvasses
from racedesk.sources.outstanding import load_reports

#: Pasadena's Measure PL and the Beach Cities Health District's Measure BC (2024 general).
MEASURE_PL, MEASURE_BC = "9938", "9956"


def test_the_general_s_conditional_measures_show_a_chance_at_each_threshold(
    general_2024: Path,
) -> None:
    """At 8:36 pm on election night (the feed's first count) Measure PL's yes had 73.0% of
    29,691 votes and Measure BC's 47.5% of 32,570: PL's chance to pass at 2/3 is 99% (at 55%,
    over 99%); BC's is under 1% at 2/3 and 1% at 55%, as the page shows them."""
    canvass = load_canvasses(str(general_2024))[0]
    reports = load_reports(general_2024.parent / "outstanding-reports.csv", canvass.election.date)
    ordered = sorted(canvass.releases, key=lambda r: r.feed_time)
    snaps = list(replay(canvass.election, ordered[:2], reports, default_params()))
    first = snaps[1]
    assert first.feed_time == datetime.fromisoformat("2024-11-05T20:36:34-08:00")
    rules = {c.id: c.rule for c in canvass.election.contests}
    assert (rules[MEASURE_PL].threshold, rules[MEASURE_PL].alt_threshold) == ("2/3", "11/20")
    pl, bc = first.projections[MEASURE_PL], first.projections[MEASURE_BC]
    pl_yes, bc_yes = pl.choices[0], bc.choices[0]
    assert (pl_yes.probability, pl_yes.probability_alt) == (0.99, 1.0)
    assert chances(pl_yes.probability, pl_yes.probability_alt, pl.draws) == "99% (>99%)"
    assert pl.outcomes == {
        "passes whichever threshold holds": 0.99,
        "fails whichever threshold holds": 0.0,
        "passes at 55%, fails at 2/3": 0.01,
    }
    assert (bc_yes.probability, bc_yes.probability_alt) == (0.0, 0.01)
    assert chances(bc_yes.probability, bc_yes.probability_alt, bc.draws) == "<1% (1%)"
    assert bc.choices[1].probability_alt == 0.99  # no keeps yes from 55% in 99% of draws
    # the data export and the NIST CDF export carry both chances of each choice
    table = {
        (r["contest_id"], r["choice_name"]): r
        for r in tabular_export.rows(canvass.election, ordered[1], first)
    }
    pl_row = table[(MEASURE_PL, "YES")]
    assert (pl_row["threshold"], pl_row["alt_threshold"]) == ("2/3", "11/20")
    assert (pl_row["probability"], pl_row["probability_alt"]) == (0.99, 1.0)
    exported = json.dumps(cdf_export.report(canvass.election, ordered[1], first))
    assert exported.count('"OtherType": "racedesk-probability-alt"') == 6  # 3 measures, 2 sides
    assert (
        '"OtherType": "racedesk-probability", "Value": "0.99"}, {"@type": '
        '"ElectionResults.ExternalIdentifier", "Type": "other", "OtherType": '
        '"racedesk-probability-alt", "Value": "1.0"}'
    ) in exported


def _state(yes: int, no: int) -> ContestState:
    """A state whose count is ``yes`` to ``no`` (all :meth:`leading_now` reads)."""
    return cast(ContestState, SimpleNamespace(votes={"m-0": yes, "m-1": no}))


def _call(status: str) -> CallEvent:
    return cast(CallEvent, SimpleNamespace(status=status))


def test_a_call_on_a_measure_of_two_thresholds_stands_only_while_the_count_agrees_at_both() -> None:
    """A "failed" call on a measure of unstated threshold is on the side of the count only while
    yes is under half: at 55.9% it fails at two-thirds but passes at a majority."""
    measure = contest("m", ["YES", "NO"], unstated_measure_rule())
    logic = logic_for(measure.rule)
    assert logic.leading_now(measure, _call("failed"), _state(441, 559)) is True
    assert logic.leading_now(measure, _call("failed"), _state(559, 441)) is False
    assert logic.leading_now(measure, _call("passed"), _state(713, 287)) is True
    assert logic.leading_now(measure, _call("passed"), _state(559, 441)) is False


@pytest.mark.parametrize(
    ("p", "p_alt", "shown"),
    [(0.0, 1.0, "<1% (>99%)"), (0.4, 0.4, "40%"), (0.5, None, "50%"), (1.0, 1.0, ">99%")],
)
def test_a_second_chance_is_shown_in_brackets_only_where_it_differs(
    p: float, p_alt: float | None, shown: str
) -> None:
    assert chances(p, p_alt, draws=400) == shown


def test_a_measure_s_failing_chance_counts_every_threshold(general_2024: Path) -> None:
    """Measure BC needs 2/3, or 55% if Prop 5 passes. Replayed without the registrar's reports,
    on Nov 18 its yes reached 55% in 2 of 400 draws (none reached 2/3): failing whichever
    threshold holds was 99.5% projected, not the ">99.5%" of failing at 2/3 alone said before
    (the golden digest of BC's call was re-pinned for this sentence)."""
    canvass = load_canvasses(str(general_2024))[0]
    ordered = sorted(canvass.releases, key=lambda r: r.feed_time)
    snaps = list(replay(canvass.election, ordered[:28], [], default_params()))
    nov_18 = snaps[27]
    assert nov_18.feed_time.strftime("%Y-%m-%d %H:%M") == "2024-11-18 16:39"
    outcomes = nov_18.projections[MEASURE_BC].outcomes
    assert outcomes == {
        "passes whichever threshold holds": 0.0,
        "fails whichever threshold holds": 0.995,
        "passes at 55%, fails at 2/3": 0.005,
    }
    call = nov_18.calls[MEASURE_BC]
    assert call.status == "leading" and "(99.5% projected)" in call.sentence
