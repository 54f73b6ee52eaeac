"""Words and times of a contest page (``racedesk.publish.contest_part``) and the numbers they
are written with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from racedesk.model.answers import Interval, Standing
from racedesk.publish import words
from racedesk.publish.contest_part import standing_text, when
from racedesk.publish.links import slug
from racedesk.publish.numbers import chance, count, count_interval, pct, pct_interval


def test_numbers_and_times_for_people() -> None:
    assert count(1_983_802) == "1,983,802"
    assert count(None) == "–"
    assert pct(1_983_802 / (1_983_802 + 1_328_710)) == "59.89%"
    assert pct(None) == "–"
    assert pct_interval(Interval(low=0.639, mid=0.647, high=0.656)) == "64.7% (63.9–65.6%)"
    assert pct_interval(Interval(low=0.5, mid=0.5, high=0.5)) == "50.0%"
    assert (
        count_interval(Interval(low=690_123, mid=721_344, high=790_777))
        == "about 721,000 (690,000–791,000)"
    )
    assert count_interval(Interval.exact(141_900)) == "141,900"
    # The votes left in a contest's table and in its sentence are one figure.
    left = Interval(low=2_130_000, mid=2_213_456, high=2_290_600)
    assert count_interval(left) == "about 2,213,000 (2,130,000–2,291,000)"
    assert words.about(left.mid) == "about 2,213,000"
    assert count_interval(None) == "unknown"
    assert [chance(p) for p in (1.0, 0.999, 0.73, 0.004, 0.0)] == [
        "100%",
        ">99%",
        "73%",
        "<1%",
        "0%",
    ]
    # feed times are shown in the election's zone, whatever zone they come in
    assert when(datetime(2024, 11, 6, 9, 6, tzinfo=UTC)) == "Nov 6, 2024, 1:06 AM PST"
    assert when("2024-11-05T20:36:34-08:00") == "Nov 5, 2024, 8:36 PM PST"
    assert slug("lavote:4324") == "lavote-4324"


def _standing(**kw: Any) -> Standing:
    base: dict[str, Any] = {
        "choice_id": "b",
        "name": "B",
        "votes": 10,
        "share": 0.4,
        "status": "contending",
        "goal": "to win",
        "needs": None,
        "denominator": "",
        "rival": "",
    }
    base.update(kw)
    return Standing(**base)


def test_standing_in_words_never_shows_a_share_outside_0_to_100() -> None:
    names = {"a": "Alice", "b": "Bob"}
    assert standing_text(_standing(status="clinched", goal="to win"), names) == "clinched win"
    assert standing_text(_standing(status="eliminated"), names) == "eliminated"
    assert standing_text(_standing(status="unknown"), names) == "unknown: no estimate of votes left"
    text = standing_text(
        _standing(
            needs=Interval(low=0.639, mid=0.647, high=0.656),
            rival="a",
            denominator="two-way share of the votes left for Bob and Alice",
        ),
        names,
    )
    assert (
        text
        == "needs 64.7% (63.9–65.6%) to pass Alice (two-way share of the votes left for Bob and Alice)"
    )
    lead = standing_text(
        _standing(needs=Interval(low=0.2, mid=0.3, high=0.4), rival="b", denominator="d"),
        names,
        leading=True,
    )
    assert lead.startswith("needs 30.0% (20.0–40.0%) to stay ahead of Bob")
