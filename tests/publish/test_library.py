"""The read library (``racedesk.publish.library``): contest filters and as-of times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from racedesk.desk import Desk
from racedesk.model import CallStatus
from racedesk.publish.documents import ContestSummary
from racedesk.publish.library import Library, filter_contests

E = "lavote:4324"


def _summary(id: str, title: str, group: str, status: CallStatus) -> ContestSummary:
    return ContestSummary(
        id=id,
        title=title,
        group=group,
        kind="candidate",
        rule="plurality",
        leaders=[],
        shares={},
        total_votes=0,
        outcome="",
        status=status,
        called_for=[],
    )


def test_filter_contests_by_status_and_words() -> None:
    rows = [
        _summary("1", "DISTRICT ATTORNEY", "District Attorney", "called"),
        _summary("2", "MEASURE A", "County Measures", "passed"),
        _summary("3", "CITY OF ARTESIA Member, City Council", "", "leading"),
    ]
    assert [r.id for r in filter_contests(rows, status="called")] == ["1"]
    assert [r.id for r in filter_contests(rows, q="attorney district")] == ["1"]
    assert [r.id for r in filter_contests(rows, q="city")] == ["3"]
    assert [r.id for r in filter_contests(rows, q="measure", status="leading")] == []
    assert len(filter_contests(rows)) == 3


@pytest.fixture(scope="module")
def library(general_desk: Desk) -> Library:
    return Library(general_desk)


def test_library_resolves_as_of_times(library: Library, general_desk: Desk) -> None:
    stored = general_desk.releases(E)
    assert library.sequence(E) == stored[-1].release.sequence
    assert library.sequence(E, as_of=stored[7].release.feed_time) == 7
    assert library.sequence(E, as_of=datetime(2000, 1, 1, tzinfo=UTC)) is None
    assert library.sequence(E, release=4) == 4
