"""Plain-language sentences (publish/words.py)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from racedesk.model import Choice, Contest, Rule
from racedesk.model.answers import ChoiceProjection as CP
from racedesk.model.answers import ContestCall, ContestState, Interval, Projection, VotesLeft
from racedesk.publish import words

LA = ZoneInfo("America/Los_Angeles")
T0 = datetime(2020, 11, 5, 17, 0, tzinfo=LA)
DA = Contest(
    id="da",
    title="DISTRICT ATTORNEY",
    kind="candidate",
    rule=Rule(kind="plurality"),
    choices=(Choice(id="g", name="GEORGE GASCÓN"), Choice(id="l", name="JACKIE LACEY")),
)


def state(
    c: Contest, votes: dict[str, int], left: tuple[float, float, float] | None
) -> ContestState:
    total = sum(votes.values())
    interval = None if left is None else Interval(low=left[0], mid=left[1], high=left[2])
    return ContestState(
        contest_id=c.id, title=c.title, rule=c.rule.kind, release_sequence=1, feed_time=T0,
        release_hash="h", votes=votes, shares={k: v / total if total else 0.0 for k, v in votes.items()},
        total_votes=total, write_ins=0, ballots=total, leaders=(), margin_votes=0, margin_share=0.0,
        votes_left=VotesLeft(ballots=interval, votes=interval, source="registrar"), standings=(), outcome="",
    )  # fmt: skip


def percentages(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)%", text)]


def test_short_names_and_rounding() -> None:
    assert words.short_name("NATHAN HOCHMAN") == "Hochman"
    assert words.short_name("GEORGE GASCÓN") == "Gascón"
    assert words.short_name("JOHN Q. PUBLIC JR.") == "Public"
    assert words.short_name("MARY SMITH-JONES") == "Smith-Jones"
    assert words.short_name("YES") == "Yes"
    # The same short names as the standings and the tables: particles kept, suffixes dropped.
    assert words.short_name("CLAUDIA DE LA CRUZ") == "De La Cruz"
    assert words.short_name("ROBERT F. KENNEDY JR.") == "Kennedy"
    assert words.about(721_344) == "about 721,000"
    assert words.about(1_116_100) == "about 1,116,000"  # as the tables round it
    assert words.about(950) == "about 950"
    assert words.pct_range(Interval(low=0.639, mid=0.647, high=0.656)) == "64.7% (63.9–65.6%)"


def test_the_2020_da_sentence() -> None:
    # Nov 5, 2020: Gascón 1,655,481, Lacey 1,426,459 (lead 229,022)
    now = state(DA, {"g": 1_655_481, "l": 1_426_459}, (700_000, 721_000, 745_000))
    # three batches earlier Lacey had 46% of the votes added since
    earlier = state(DA, {"g": 1_655_481 - 54_000, "l": 1_426_459 - 46_000}, (0, 0, 0))
    call = ContestCall(contest_id="da", status="called", choices=("g",), sentence="", event_id=1)
    text = words.contest_sentence(DA, now, None, call, [earlier, earlier, earlier])
    # Lacey needs (229,022 + R) / 2R: 65.9% at 721,000 left, 65.4% at 745,000, 66.4% at 700,000
    assert text == (
        "Lacey would need 65.9% (65.4–66.4%) of about 721,000 votes left; "
        "Lacey has had 46% of the last three batches. Called for Gascón."
    )


def test_a_hurdle_is_never_shown_outside_0_to_100() -> None:
    # with 200,000 left Lacey could not catch up; with as many as 2,000,000 she needs 55.7%
    s = state(DA, {"g": 1_655_481, "l": 1_426_459}, (100_000, 200_000, 2_000_000))
    text = words.contest_sentence(DA, s, None, None, [])
    assert text == (
        "Lacey would need more than all of about 200,000 votes left, "
        "or 55.7% if as many as about 2,000,000 votes left."
    )
    s = state(DA, {"g": 1_655_481, "l": 1_426_459}, (100_000, 300_000, 2_000_000))
    text = words.contest_sentence(DA, s, None, None, [])
    assert text == (
        "Lacey would need 88.2% of about 300,000 votes left (55.7% if as many as about "
        "2,000,000 votes left; not enough even with all of them if as few as about 100,000 are)."
    )
    assert all(0 <= p <= 100 for p in percentages(text))
    done = state(DA, {"g": 1_655_481, "l": 1_426_459}, (1_000, 2_000, 3_000))
    assert words.contest_sentence(DA, done, None, None, []).startswith("Lacey cannot catch up")


def test_measure_sentence_and_projection_clause() -> None:
    m = Contest(
        id="m", title="MEASURE A", kind="measure",
        rule=Rule(kind="measure", threshold="11/20", text="55% of votes cast"),
        choices=(Choice(id="y", name="YES"), Choice(id="n", name="NO")),
    )  # fmt: skip
    s = state(m, {"y": 5_800, "n": 4_200}, (1_000, 2_000, 3_000))
    proj = Projection(
        contest_id="m", model_version="v", seed=0, draws=100, level=0.9,
        choices=(CP(choice_id="y", share_mid=0.575, share_low=0.56, share_high=0.59, probability=0.97),
                 CP(choice_id="n", share_mid=0.425, share_low=0.41, share_high=0.44, probability=0.03)),
        outcomes={"passes": 0.97},
    )  # fmt: skip
    call = ContestCall(contest_id="m", status="too close", choices=(), sentence="")
    text = words.contest_sentence(m, s, proj, call, [])
    # yes needs (0.55 × 12,000 − 5,800) / 2,000 = 40.0% at the middle estimate
    assert text.startswith("Yes has 58.0%; it needs 40.0% (")
    assert "to pass at 55%." in text
    assert "Yes is projected at 57.5% (56.0–59.0%)." in text
    assert text.endswith("Too close to call.")


def test_what_a_measure_or_a_majority_has_clinched_is_named() -> None:
    """Measure A's sentence after the 2024 general's last release said "it has clinched it
    whatever the votes left do to pass at 50%"; what is clinched is named."""
    m = Contest(
        id="m", title="MEASURE A", kind="measure",
        rule=Rule(kind="measure", threshold="1/2", text="Majority of votes cast"),
        choices=(Choice(id="y", name="YES"), Choice(id="n", name="NO")),
    )  # fmt: skip
    won = state(m, {"y": 1_989_295, "n": 1_453_394}, (0, 14_000, 17_000))
    assert words.contest_sentence(m, won, None, None, []) == (
        "Yes has 57.8%; it has clinched passage at 50% whatever the votes left do."
    )
    lost = state(m, {"y": 4_000, "n": 6_000}, (100, 500, 1_000))
    assert words.contest_sentence(m, lost, None, None, []) == (
        "Yes has 40.0%; it cannot catch up: even every one of the votes left would not be "
        "enough to pass at 50%."
    )
    majority = Contest(
        id="cd4", title="CITY COUNCIL 4", kind="candidate",
        rule=Rule(kind="majority_or_runoff", advance=2),
        choices=(Choice(id="r", name="NITHYA RAMAN"), Choice(id="k", name="LEVON BAGHDASSARIAN")),
    )  # fmt: skip
    held = state(majority, {"r": 32_436, "k": 15_000}, (0, 500, 1_132))
    assert words.contest_sentence(majority, held, None, None, []) == (
        "Raman has clinched a majority whatever the votes left do."
    )


def test_no_votes_and_unknown_votes_left() -> None:
    empty = state(DA, {"g": 0, "l": 0}, (0, 0, 0))
    assert words.contest_sentence(DA, empty, None, None, []) == "No votes counted yet."
    unknown = state(DA, {"g": 10, "l": 5}, None)
    assert words.contest_sentence(DA, unknown, None, None, []) == "The votes left are unknown."
