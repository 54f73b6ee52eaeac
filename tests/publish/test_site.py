"""Page building and the static export (``racedesk.publish.site``)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.model.answers import ContestState, Interval, Standing, VotesLeft
from racedesk.publish import words
from racedesk.publish.numbers import count, count_interval, pct, pct_interval
from racedesk.publish.site import (
    ExportResult,
    Library,
    batch_share,
    chance,
    chart_data,
    filter_contests,
    slug,
    standing_text,
    when,
)
from racedesk.publish.web.app import create_app
from racedesk.sources.lavote import read_release

from .conftest import DA, GASCON, HOCHMAN, TOKEN, Feed

E = "lavote:4324"


# --- numbers for people ----------------------------------------------------------------------------------


def test_numbers_and_times_for_people() -> None:
    assert count(1_983_802) == "1,983,802"
    assert count(None) == "–"
    assert pct(1_983_802 / (1_983_802 + 1_328_710)) == "59.89%"
    assert pct(None) == "–"
    assert pct_interval(Interval(low=0.639, mid=0.647, high=0.656)) == "64.7% (63.9–65.6%)"
    assert pct_interval({"low": 0.5, "mid": 0.5, "high": 0.5}) == "50.0%"
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


def _standing(**kw: Any) -> dict[str, Any]:
    base = {
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
    return base


def test_standing_in_words_never_shows_a_share_outside_0_to_100() -> None:
    names = {"a": "Alice", "b": "Bob"}
    assert standing_text(_standing(status="clinched", goal="to win"), names) == "clinched win"
    assert standing_text(_standing(status="eliminated"), names) == "eliminated"
    assert standing_text(_standing(status="unknown"), names) == "unknown: no estimate of votes left"
    text = standing_text(
        _standing(
            needs={"low": 0.639, "mid": 0.647, "high": 0.656},
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
        _standing(needs={"low": 0.2, "mid": 0.3, "high": 0.4}, rival="b", denominator="d"),
        names,
        leading=True,
    )
    assert lead.startswith("needs 30.0% (20.0–40.0%) to stay ahead of Bob")


def test_filter_contests_by_status_and_words() -> None:
    rows = [
        {"id": "1", "title": "DISTRICT ATTORNEY", "group": "District Attorney", "status": "called"},
        {"id": "2", "title": "MEASURE A", "group": "County Measures", "status": "passed"},
        {
            "id": "3",
            "title": "CITY OF ARTESIA Member, City Council",
            "group": "",
            "status": "leading",
        },
    ]
    assert [r["id"] for r in filter_contests(rows, status="called")] == ["1"]
    assert [r["id"] for r in filter_contests(rows, q="attorney district")] == ["1"]
    assert [r["id"] for r in filter_contests(rows, q="city")] == ["3"]
    assert [r["id"] for r in filter_contests(rows, q="measure", status="leading")] == []
    assert len(filter_contests(rows)) == 3


# --- batch shares on the hurdle's denominator ---------------------------------------------------------------


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


# --- real data -------------------------------------------------------------------------------------------


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


def test_library_resolves_as_of_times(library: Library, general_desk: Desk) -> None:
    stored = general_desk.releases(E)
    assert library.sequence(E) == stored[-1].release.sequence
    assert library.sequence(E, as_of=stored[7].release.feed_time) == 7
    assert library.sequence(E, as_of=datetime(2000, 1, 1, tzinfo=UTC)) is None
    assert library.sequence(E, release=4) == 4


# --- the static export --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(general_site: tuple[Path, ExportResult]) -> tuple[Path, ExportResult]:
    return general_site


def test_export_writes_every_page_and_document(site: tuple[Path, ExportResult]) -> None:
    out, result = site
    assert result.pages == 2 + 373
    assert (out / "index.html").is_file()
    assert (out / "elections" / "lavote-4324" / "index.html").is_file()
    assert len(list((out / "elections" / "lavote-4324" / "contests").glob("*.html"))) == 373
    assert (out / "static" / "vendor" / "htmx.min.js").is_file()
    assert (out / "static" / "vendor" / "uPlot.LICENSE").is_file()
    assert (out / "api" / "elections" / "lavote-4324" / "contests" / f"{DA}.json").is_file()


def test_export_has_the_same_numbers_as_the_live_api(
    site: tuple[Path, ExportResult], general_desk: Desk
) -> None:
    out, _ = site
    live = TestClient(create_app(general_desk, token=TOKEN))
    for doc_path, url in (
        (f"api/elections/lavote-4324/contests/{DA}.json", f"/api/elections/{E}/contests/{DA}"),
        (
            f"api/elections/lavote-4324/contests/{DA}/history.json",
            f"/api/elections/{E}/contests/{DA}/history",
        ),
        ("api/elections/lavote-4324.json", f"/api/elections/{E}"),
        ("api/elections/lavote-4324/ledger.json", f"/api/elections/{E}/ledger"),
        ("api/elections/lavote-4324/releases.json", f"/api/elections/{E}/releases"),
    ):
        assert json.loads((out / doc_path).read_text()) == live.get(url).json(), doc_path


def test_exported_contest_page_links_only_relative_files(site: tuple[Path, ExportResult]) -> None:
    out, _ = site
    page = (out / "elections" / "lavote-4324" / "contests" / f"{DA}.html").read_text()
    row = re.search(r'<tr data-choice="23483".*?</tr>', page, re.S)
    assert row and "1,983,802" in row.group(0)
    for ref in re.findall(r'(?:href|src)="([^"]+)"', page):
        assert ref.startswith(("../", "#", "data:")), ref
        if ref.startswith("../"):
            target = (out / "elections" / "lavote-4324" / "contests" / ref.split("#")[0]).resolve()
            assert target.exists(), ref
    # every release's part record is in the page for the time slider, and no live hooks
    marks = re.search(
        r'<script type="application/json" id="release-marks">(.*?)</script>', page, re.S
    )
    assert marks is not None
    records = re.search(
        r'<script type="application/json" id="part-records">(.*?)</script>', page, re.S
    )
    assert records is not None
    parts = json.loads(records.group(1))
    assert [p["release"] for p in parts] == [m["sequence"] for m in json.loads(marks.group(1))]
    final = {row["id"]: row["votes"] for row in parts[-1]["rows"]}
    assert final == {HOCHMAN: "1,983,802", GASCON: "1,328,710"}
    assert "sse-connect" not in page and "hx-get" not in page
