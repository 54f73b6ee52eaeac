"""How the store writes values into rows and reads them back (racedesk.store.codec), without a
database."""

from __future__ import annotations

from types import SimpleNamespace
from zoneinfo import ZoneInfo

import msgspec
import pytest
from store_support import Feed

from racedesk.errors import StoreError
from racedesk.model.answers import Problem
from racedesk.store import codec
from racedesk.store.base import StoredRelease
from racedesk.store.codec import from_us, to_us, zone_name


def test_times_keep_their_instant_and_their_zone(general: Feed) -> None:
    for release in general.releases[:3]:
        moment = release.feed_time
        back = from_us(to_us(moment), zone_name(moment))
        assert back == moment and back.isoformat() == moment.isoformat()
    utc = general.releases[0].received_at.astimezone(ZoneInfo("UTC"))
    assert zone_name(utc) == "UTC"
    fixed = msgspec.json.decode(b'"2024-11-05T20:36:34.123456-08:00"', type=type(utc))
    assert zone_name(fixed) == "-08:00"
    assert from_us(to_us(fixed), "-08:00").isoformat() == "2024-11-05T20:36:34.123456-08:00"
    with pytest.raises(StoreError, match="no time zone"):
        to_us(fixed.replace(tzinfo=None))


def test_a_release_laid_in_rows_reads_back_the_same(general: Feed) -> None:
    note = Problem(code="count-went-down", message="a correction", blocking=False)
    for release in (general.releases[0], general.releases[-1]):
        stored = StoredRelease(release=release, problems=(note,), correction=True)
        head = SimpleNamespace(**codec.release_row(7, stored))
        contests, choices = codec.count_rows(7, release)
        assert [r[1] for r in contests] == list(range(len(release.contests)))
        assert [r[1] for r in choices] == list(range(sum(len(c.votes) for c in release.contests)))
        # as the store selects them: without their positions, in their order
        contest_rows = [(r[0], *r[2:]) for r in contests]
        choice_rows = [(r[0], r[2], r[3], r[4]) for r in choices]
        assert codec.read_releases([head], contest_rows, choice_rows) == [stored]
