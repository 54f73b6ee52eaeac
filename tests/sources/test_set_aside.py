"""A release that counts a contest or a candidate the election's definition does not have: the
rest of it is used, and what was set aside is said (issue 14: a canvass that carried counters
of one contest its definition did not list was refused release after release).

Built from the real 2024 general: its release of election night 8:36 pm with rows added for a
contest 99999 and a candidate 88888 that the definition does not have.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from racedesk.desk import Desk
from racedesk.errors import UnknownReferenceError
from racedesk.sources import lavote
from racedesk.store import open_store


def _with_strangers(data: bytes) -> bytes:
    payload = json.loads(data)
    rows = payload["Data"]
    rows.append({"Number": 0, "ReferenceID": 99999, "ReferenceType": "CBLT", "Value": 120})
    rows.append({"Number": 0, "ReferenceID": 99999, "ReferenceType": "CFV", "Value": 100})
    rows.append({"Number": 0, "ReferenceID": 88888, "ReferenceType": "CAND", "Value": 7})
    return json.dumps(payload).encode()


@pytest.fixture(scope="module")
def feed(general_2024: Path):  # type: ignore[no-untyped-def]
    election, files = lavote.load_folder(general_2024)
    return election, [data for _, data in files]


def test_counts_the_definition_does_not_have_are_set_aside_and_said(feed) -> None:  # type: ignore[no-untyped-def]
    election, releases = feed
    plain = lavote.read_release(releases[1], election, where="r1")
    odd = lavote.read_release(_with_strangers(releases[1]), election, where="r1+")
    assert odd.contests == plain.contests and plain.set_aside == ()
    assert len(odd.set_aside) == 2
    assert "99999 (2 counters)" in odd.set_aside[0] and "88888" in odd.set_aside[1]


def test_the_desk_uses_the_rest_and_keeps_a_note(feed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    election, releases = feed
    desk = Desk(open_store(f"sqlite:///{tmp_path / 'd.sqlite'}"), project=False)
    desk.add_election(election)
    desk.ingest(election.id, releases[0])
    result = desk.ingest(election.id, _with_strangers(releases[1]))
    assert result.status == "stored" and result.usable
    notes = [p for p in result.problems if p.code == "set-aside"]
    assert len(notes) == 2 and not any(p.blocking for p in notes)
    state = desk.store.snapshot(election.id).state("9547")  # type: ignore[union-attr]
    assert state is not None and state.total_votes > 0
    raw = desk.store.raw(result.content_hash)
    assert raw is not None and b"99999" in raw.data  # nothing lost


def test_another_election_s_release_is_still_refused(feed) -> None:  # type: ignore[no-untyped-def]
    election, releases = feed
    payload = json.loads(releases[1])
    for row in payload["Data"]:
        if row["ReferenceType"] == "EBLT":
            row["ReferenceID"] = 4316
    with pytest.raises(UnknownReferenceError, match="for election 4316, not lavote:4324"):
        lavote.read_release(json.dumps(payload).encode(), election, where="r1")
