"""Where a count or a feed time read from outside data stops being one (issue 17, item 5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from builders import contest, release
from racedesk.errors import InputError
from racedesk.sources.plausible import MAX_COUNT, check_count, check_time, checked_release


def test_the_line_is_one_billion_votes() -> None:
    assert check_count(MAX_COUNT, "f") == MAX_COUNT
    with pytest.raises(InputError, match=r"the count 1,000,000,001 is more than any electorate"):
        check_count(MAX_COUNT + 1, "f")
    with pytest.raises(InputError, match=r"the count of 301 digits"):
        check_count(10**300, "f")


def test_feed_times_are_read_from_1900_to_2999() -> None:
    assert check_time(datetime(2999, 12, 31, tzinfo=UTC), "f").year == 2999
    for year in (1899, 3000, 9999):
        with pytest.raises(InputError, match=r"not a results feed's time \(years 1900–2999"):
            check_time(datetime(year, 1, 1, tzinfo=UTC), "f")


def test_a_release_names_the_contest_and_the_figure() -> None:
    da = contest("9547", ["HOCHMAN", "GASCON"])
    ok = release([da], [[MAX_COUNT, 0]])
    assert checked_release(ok, "r") is ok
    with pytest.raises(InputError) as err:
        checked_release(release([da], [[5, 2**63]]), "r.json")
    assert err.value.where == "r.json, contest 9547, votes of 9547-1"
