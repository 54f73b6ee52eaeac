"""The contest page's charts (``racedesk.publish.charts``): batch shares on the hurdle's
denominator, and the DA's chart on the 2024 general."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from racedesk.desk import Desk
from racedesk.model.answers import ContestState, Standing, VotesLeft
from racedesk.publish.charts import (
    PALETTE,
    batch_share,
    chart_data,
    choice_colour,
    release_times,
)
from racedesk.publish.library import Library
from racedesk.sources.lavote import read_release

from .conftest import DA, GASCON, HOCHMAN, Feed, hostile_election, hostile_release

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
    times = release_times(library.releases(E, latest))
    chart = chart_data(
        contest, states, lambda seq: library.snapshot(E, seq), labels, times, election.timezone
    )
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
    # nothing is drawn for the zero report of Oct 29: the axis starts on election night
    assert batch["need_mid"][0] is None and batch["need_mid"][1] is not None
    assert chart["first"] == 1 and labels[chart["first"]] == "1"
    assert times[1] - times[0] > 7 * 86_400
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


def test_each_choice_keeps_its_ballot_colour_whoever_leads(library: Library) -> None:
    """US Representative 27th District: Garcia (23452) led from release 2 to 19, Whitesides
    (23453) from release 20 on; each keeps the colour of its place on the ballot at every
    release, where colours by rank swapped at release 20."""
    election = library.election(E)
    contest = election.contest("9532")
    assert [c.id for c in contest.choices][:2] == ["23453", "23452"]  # the ballot's order
    latest = library.latest_sequence(E)
    assert latest is not None
    times = release_times(library.releases(E, latest))
    colours = {}
    for upto in (19, latest):
        states = library.history(E, "9532", upto)
        chart = chart_data(
            contest,
            states,
            lambda seq: library.snapshot(E, seq),
            [str(i) for i in range(upto + 1)],
            times[: upto + 1],
            election.timezone,
        )
        colours[upto] = {s["id"]: s["colour"] for s in chart["series"]}
        leader = chart["series"][0]["id"]
        assert leader == ("23452" if upto == 19 else "23453")
    assert colours[19] == colours[latest] == {"23453": PALETTE[0], "23452": PALETTE[1]}
    assert choice_colour(contest, "23452") == PALETTE[1]


def test_the_time_axis_is_each_release_feed_time(library: Library, general_feed: Feed) -> None:
    """x is the feed time of each release of the 2024 general, read from the files (the first
    is the Oct 29 release, a week before election night), never its index."""
    latest = library.latest_sequence(E)
    assert latest is not None
    times = release_times(library.releases(E, latest))
    election = general_feed.election
    raw = [read_release(data, election).feed_time for _, data in general_feed.releases]
    assert times == [int(t.timestamp()) for t in raw]
    assert times == sorted(times)
    first = datetime.fromtimestamp(times[0], UTC)
    assert (first.month, first.day) == (10, 29)


def test_an_implausible_feed_time_does_not_stretch_the_axis() -> None:
    from racedesk.model.answers import Problem
    from racedesk.store.base import StoredRelease

    election = hostile_election()
    stored = [
        StoredRelease(release=hostile_release(election, i, 10 * (i + 1), 5)) for i in range(3)
    ]
    typo = msgspec.structs.replace(
        stored[1].release, feed_time=datetime(2124, 11, 6, 5, tzinfo=UTC)
    )
    problem = Problem(code="implausible-time", message="feed time 2124", blocking=True)
    stored[1] = StoredRelease(release=typo, problems=(problem,), usable=False)
    times = release_times(stored)
    base = int(datetime(2024, 11, 6, 4, tzinfo=UTC).timestamp())
    assert times == [base, base, base + 7200]
