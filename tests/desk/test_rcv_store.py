"""A ranked-choice contest's rounds in the store (issue 19, item 2), on SQLite and PostgreSQL:
San Francisco's 2018 mayoral reports ingested one by one, their rounds read back, the answers
as of a day of the canvass, and the ledger's one call (Breed, on the certified count)."""

from __future__ import annotations

from pathlib import Path

import pytest

from racedesk import load_canvass, open_desk
from racedesk.model import RoundCount
from racedesk.sources.loader import Canvass

BREED, LENO = "london-breed", "mark-leno"


@pytest.fixture(scope="module")
def canvass(shared_data: Path) -> Canvass:
    path = shared_data / "sf-rcv" / "2018-06-05-mayor"
    if not path.is_dir():
        pytest.skip(f"San Francisco's 2018 RCV reports not found at {path}")
    return load_canvass(path)


def test_the_store_keeps_the_rounds_and_answers_as_of(canvass: Canvass, db_url: str) -> None:
    desk = open_desk(db_url)
    desk.add_election(canvass.election)
    for payload in canvass.payloads:
        assert payload is not None
        assert (
            desk.ingest(canvass.election.id, payload.data, origin=payload.origin).status == "stored"
        )
    stored = desk.releases(canvass.election.id)
    assert [s.release.contests[0].rounds for s in stored] == [
        r.contests[0].rounds for r in canvass.releases
    ]
    june_8 = desk.snapshot(canvass.election.id, as_of=canvass.releases[4].feed_time)
    assert june_8 is not None
    assert june_8.states[0].rounds[-1] == RoundCount(
        name="last round", tally={BREED: 83_523, LENO: 83_667}
    )
    (call,) = desk.ledger(canvass.election.id)
    assert call.choices == (BREED,) and call.release_sequence == 12
    assert desk.ledger(canvass.election.id, as_of=canvass.releases[11].feed_time) == []
