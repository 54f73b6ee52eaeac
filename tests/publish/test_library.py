"""The read library (``racedesk.publish.library``): contest filters and as-of times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from racedesk.desk import Desk
from racedesk.publish.library import Library, filter_contests

E = "lavote:4324"


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


@pytest.fixture(scope="module")
def library(general_desk: Desk) -> Library:
    return Library(general_desk)


def test_library_resolves_as_of_times(library: Library, general_desk: Desk) -> None:
    stored = general_desk.releases(E)
    assert library.sequence(E) == stored[-1].release.sequence
    assert library.sequence(E, as_of=stored[7].release.feed_time) == 7
    assert library.sequence(E, as_of=datetime(2000, 1, 1, tzinfo=UTC)) is None
    assert library.sequence(E, release=4) == 4
