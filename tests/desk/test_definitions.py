"""A definition that changes mid-canvass (issue 14, item 3): a new version is stored
append-only, each release is read with the definition in force when it was received, and
as-of answers show the definition of then. Built from the real 2024 general, on SQLite and
PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from racedesk.desk import Desk
from racedesk.publish.library import Library
from racedesk.sources import lavote
from racedesk.store import open_store

DA, HOCHMAN = "9547", "23483"
WITHDRAWN = "9880"  # County Measure A, taken off the definition for the test


@pytest.fixture(scope="module")
def feed(general_2024: Path):  # type: ignore[no-untyped-def]
    return lavote.load_folder(general_2024)


def _corrected(election):  # type: ignore[no-untyped-def]
    """The registrar's second definition: Hochman's name corrected, Measure A withdrawn."""
    contests = []
    for c in election.contests:
        if c.id == WITHDRAWN:
            continue
        if c.id == DA:
            choices = tuple(
                msgspec.structs.replace(k, name="NATHAN J. HOCHMAN") if k.id == HOCHMAN else k
                for k in c.choices
            )
            c = msgspec.structs.replace(c, choices=choices)
        contests.append(c)
    return msgspec.structs.replace(election, contests=tuple(contests))


def _names(doc) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.name for c in doc.contest.choices}


def test_each_release_is_shown_with_the_definition_in_force(db_url: str, feed) -> None:
    election, files = feed
    desk = Desk(open_store(db_url))
    desk.add_election(election)
    for _, data in files[:5]:
        desk.ingest(election.id, data)
    desk.add_election(_corrected(election))
    for _, data in files[5:8]:
        desk.ingest(election.id, data)
    assert [v for v, _ in desk.store.election_versions(election.id)] == [1, 2]
    # the releases after the change are read with it: Measure A's counts set aside, not lost
    stored = desk.releases(election.id)
    assert len(stored) == 8 and all(s.usable for s in stored[5:])
    assert any(p.code == "set-aside" and WITHDRAWN in p.message for p in stored[6].problems)
    library = Library(desk)
    assert "NATHAN HOCHMAN" in _names(library.contest_doc(election.id, DA, 3))
    assert "NATHAN J. HOCHMAN" in _names(library.contest_doc(election.id, DA, 6))
    before = {c.id for c in library.election_doc(election.id, 3).contests}
    after = {c.id for c in library.election_doc(election.id, 6).contests}
    assert before - after == {WITHDRAWN}
    # a desk started afresh on the same store answers the same
    again = Library(Desk(open_store(db_url)))
    assert "NATHAN HOCHMAN" in _names(again.contest_doc(election.id, DA, 4))
    assert desk.definition_in_force(election.id, stored[2].release.received_at).contest(WITHDRAWN)


def test_one_definition_is_the_one_in_force(db_url: str, feed) -> None:
    election, files = feed
    desk = Desk(open_store(db_url))
    desk.add_election(election)
    desk.ingest(election.id, files[0][1])
    received = desk.releases(election.id)[0].release.received_at
    assert desk.definition_in_force(election.id, received) == desk.election(election.id)
