"""The contest page's charts (``racedesk.publish.charts``): batch shares on the hurdle's
denominator, and the DA's chart on the 2024 general."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from racedesk.desk import Desk
from racedesk.model.answers import ContestState, Standing, VotesLeft
from racedesk.publish.charts import batch_share, chart_data
from racedesk.publish.library import Library
from racedesk.sources.lavote import read_release

from .conftest import DA, GASCON, HOCHMAN, Feed

E = "lavote:4324"


def _state(
    seq: int, votes: dict[str, int], write_ins: int = 0, usable: bool = True
) -> ContestState:
    total = sum(votes.values()) + write_ins
    return ContestState(
        contest_id="c",
        title="C",
        rule="plurality",
        release_sequence=seq,
        feed_time=datetime(2024, 11, 6, seq, tzinfo=UTC),
        release_hash=str(seq),
        votes=votes,
        shares={k: v / sum(votes.values()) for k, v in votes.items()},
        total_votes=total,
        write_ins=write_ins,
        ballots=None,
        leaders=(),
        margin_votes=0,
        margin_share=0.0,
        votes_left=VotesLeft(ballots=None, votes=None, source="none"),
        standings=(),
        outcome="",
        usable=usable,
    )


def _contest() -> Any:
    from racedesk.model import Choice, Contest, Rule

    return Contest(id="c", title="C", kind="candidate", rule=Rule(kind="plurality"),
                   choices=(Choice(id="a", name="A"), Choice(id="b", name="B"), Choice(id="x", name="X")))  # fmt: skip


def test_batch_share_uses_the_hurdle_denominator() -> None:
    contest = _contest()
    before = _state(1, {"a": 100, "b": 80, "x": 20}, write_ins=0)
    after = _state(
        2, {"a": 160, "b": 120, "x": 60}, write_ins=10
    )  # batch: a 60, b 40, x 40, write-ins 10
    two_way = Standing(choice_id="b", name="B", votes=120, share=0.3, status="contending", goal="to win",
                       denominator="two-way share of the votes left for B and A", rival="a")  # fmt: skip
    assert batch_share(contest, before, after, "b", two_way) == pytest.approx(40 / 100)
    all_votes = msgspec.structs.replace(
        two_way, denominator="share of all votes left, if the other choices get none"
    )
    assert batch_share(contest, before, after, "b", all_votes) == pytest.approx(40 / 150)
    majority = msgspec.structs.replace(
        two_way, choice_id="a", denominator="share of all votes left, write-ins included", rival=""
    )
    assert batch_share(contest, before, after, "a", majority) == pytest.approx(60 / 150)
    others = msgspec.structs.replace(
        two_way, denominator="share of all votes left going to others than A", rival="a"
    )
    assert batch_share(contest, before, after, "b", others) == pytest.approx(90 / 150)
    measure = msgspec.structs.replace(
        two_way, denominator="share of the yes+no votes left", rival=""
    )
    assert batch_share(contest, before, after, "b", measure) == pytest.approx(40 / 140)


def test_batch_share_is_none_across_a_torn_release_or_a_correction() -> None:
    contest = _contest()
    standing = Standing(choice_id="b", name="B", votes=1, share=0.5, status="contending", goal="to win",
                        denominator="two-way share of the votes left for B and A", rival="a")  # fmt: skip
    before = _state(1, {"a": 100, "b": 80, "x": 0})
    assert (
        batch_share(
            contest, before, _state(2, {"a": 150, "b": 90, "x": 0}, usable=False), "b", standing
        )
        is None
    )
    assert (
        batch_share(contest, before, _state(2, {"a": 150, "b": 70, "x": 0}), "b", standing) is None
    )
    assert (
        batch_share(contest, before, _state(2, {"a": 100, "b": 80, "x": 5}), "b", standing) is None
    )


@pytest.fixture(scope="module")
def library(general_desk: Desk) -> Library:
    return Library(general_desk)


def test_da_chart_follows_gascon_against_what_he_needed(
    library: Library, general_feed: Feed
) -> None:
    election = library.election(E)
    contest = election.contest(DA)
    latest = library.latest_sequence(E)
    assert latest is not None
    states = library.history(E, DA, latest)
    labels = [str(i) for i in range(len(states))]
    chart = chart_data(contest, states, lambda seq: library.snapshot(E, seq), labels)
    assert [s["id"] for s in chart["series"]] == [HOCHMAN, GASCON]
    hochman = chart["series"][0]
    assert hochman["shares"][-1] == pytest.approx(1_983_802 / 3_312_512, abs=1e-6)
    assert hochman["shares"][0] is None  # the zero release counted nothing
    assert all(
        lo <= hi for lo, hi in zip(hochman["low"], hochman["high"], strict=True) if lo is not None
    )
    batch = chart["batch"]
    assert batch is not None and batch["id"] == GASCON
    assert len(batch["shares"]) == len(states)
    # Gascón's share of each batch, computed here from the raw files, on the same denominator
    releases = [read_release(data, general_feed.election) for _, data in general_feed.releases]
    for i in range(2, len(states)):
        standing = next(s for s in states[i].standings if s.choice_id == GASCON)
        if not (states[i - 1].usable and states[i].usable) or not standing.denominator.startswith(
            "two-way"
        ):
            continue
        a, b = releases[i - 1].count(DA), releases[i].count(DA)
        assert a is not None and b is not None
        dg = b.votes[GASCON] - a.votes[GASCON]
        dh = b.votes[HOCHMAN] - a.votes[HOCHMAN]
        if dg + dh > 0:
            assert batch["shares"][i] == pytest.approx(dg / (dg + dh), abs=1e-6)
