"""Editorial control (issue 18, item 1): in the ``recommend`` mode the engine's calls are
published once an editor approves; holds, rejections, calls and rescinds by hand are acts
appended with the editor's name, the wall-clock time and a note, and made once. Built from the
real 2024 general (lavote:4324), on SQLite and PostgreSQL: after the 8:56 pm release the desk
calls the District Attorney (contest 9547) for NATHAN HOCHMAN (23483), ledger event 17."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from racedesk.desk import Desk
from racedesk.errors import InputError, NotFound, StoreError
from racedesk.model import Election
from racedesk.sources import lavote
from racedesk.store import open_store

from .test_approvals import _rescind

DA, GASCON, HOCHMAN = "9547", "23482", "23483"
NIGHT = datetime(2024, 11, 6, 5, 0, tzinfo=UTC)  # 9 pm in Los Angeles on election night


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> tuple[Election, list[tuple[Path, bytes]]]:
    return lavote.load_folder(general_2024)


def _desk(db_url: str, feed: tuple[Election, list[tuple[Path, bytes]]]) -> Desk:
    election, files = feed
    desk = Desk(open_store(db_url))
    desk.add_election(election)
    for _, data in files[:3]:
        desk.ingest(election.id, data)
    return desk


def _at(minutes: int) -> datetime:
    return NIGHT + timedelta(minutes=minutes)


def test_in_the_recommend_mode_a_call_is_published_once_approved(
    db_url: str, feed: tuple[Election, list[tuple[Path, bytes]]]
) -> None:
    election, _ = feed
    desk = _desk(db_url, feed)
    eid, editors = election.id, desk.editors
    (call,) = [e for e in desk.ledger(eid) if e.contest_id == DA]
    assert (call.event_id, call.choices) == (17, (HOCHMAN,))
    # the default mode publishes the engine's calls as it makes them
    assert editors.mode() == "auto"
    assert editors.publications(eid)[DA].state == "published"
    mode, stored = editors.set_mode("recommend", "Night Editor", "election night", made_at=_at(0))
    assert stored and (mode.act, mode.mode, mode.made_by) == ("mode", "recommend", "Night Editor")
    assert editors.set_mode("recommend", "Someone Else", made_at=_at(1)) == (mode, False)
    assert editors.mode() == "recommend" and editors.mode(as_of=_at(-1)) == "auto"

    recommended = editors.publications(eid)[DA]
    assert (recommended.state, recommended.status, recommended.choices) == ("recommended", None, ())
    assert recommended.recommendation == call

    held, _ = editors.decide(eid, "hold", 17, "Ana Editor", "wait for Long Beach", made_at=_at(5))
    assert (held.act, held.target, held.contest_id, held.note) == (
        "hold",
        17,
        DA,
        "wait for Long Beach",
    )
    assert editors.publications(eid)[DA].state == "held"

    approval, stored = editors.decide(eid, "approve", 17, "Ana Editor", made_at=_at(20))
    assert stored and approval.made_at == _at(20) and approval.event_id == 1
    published = editors.publications(eid)[DA]
    assert (published.state, published.status, published.choices) == (
        "published",
        "called",
        (HOCHMAN,),
    )
    # the same approval again is not stored; as of before it the call was held
    assert editors.decide(eid, "approve", 17, "Bo Editor", made_at=_at(21)) == (approval, False)
    assert [a.act for a in editors.acts(eid)] == ["hold", "approve"]
    assert editors.publications(eid, as_of=_at(10))[DA].state == "held"
    assert editors.publications(eid, as_of=_at(2))[DA].state == "recommended"

    rejected, _ = editors.decide(eid, "reject", 17, "Chief", "not yet", made_at=_at(30))
    assert editors.publications(eid)[DA].state == "rejected"
    assert rejected.event_id == 2
    # every other contest the engine called stays a recommendation
    states = {p.state for c, p in editors.publications(eid).items() if c != DA}
    assert states == {"recommended"}


def test_calls_and_rescinds_by_hand(
    db_url: str, feed: tuple[Election, list[tuple[Path, bytes]]]
) -> None:
    election, _ = feed
    desk = _desk(db_url, feed)
    eid, editors = election.id, desk.editors
    # in the auto mode the engine's call is published; an editor rescinds it
    rescind, _ = editors.rescind(eid, DA, "Chief", "the desk is not sure", made_at=_at(1))
    assert (rescind.act, rescind.target) == ("rescind", 17)
    withdrawn = editors.publications(eid)[DA]
    assert (withdrawn.state, withdrawn.status) == ("rescinded", "rescinded")
    assert editors.rescind(eid, DA, "Chief", made_at=_at(2)) == (rescind, False)
    # the editor calls it for Gascón by name, then takes the call back
    call, _ = editors.call(election, DA, ("george gascón",), "Chief", "own sources", made_at=_at(3))
    assert call.choices == (GASCON,)
    shown = editors.publications(eid)[DA]
    assert (shown.state, shown.status, shown.choices) == ("editor's call", "called", (GASCON,))
    assert editors.call(election, DA, (GASCON,), "Bo", made_at=_at(4)) == (call, False)
    back, _ = editors.rescind(eid, DA, "Chief", made_at=_at(5))
    assert back.target is None
    # rescinding an editor's call leaves the contest to the engine's call and the mode
    assert editors.publications(eid)[DA].state == "published"
    assert [a.act for a in editors.acts(eid)] == ["rescind", "call", "rescind"]
    with pytest.raises(InputError, match="no choice 'NOBODY'"):
        editors.call(election, DA, ("NOBODY",), "Chief")
    with pytest.raises(NotFound):
        editors.call(election, "no-such-contest", (GASCON,), "Chief")
    with pytest.raises(StoreError, match="no published call"):
        editors.rescind(eid, "9534-not-a-contest", "Chief")


def test_decisions_are_refused_on_what_is_not_a_standing_call(
    db_url: str, feed: tuple[Election, list[tuple[Path, bytes]]]
) -> None:
    election, files = feed
    desk = _desk(db_url, feed)
    eid, editors = election.id, desk.editors
    with pytest.raises(NotFound):
        editors.decide(eid, "approve", 999_999, "Chief")
    with pytest.raises(InputError, match="editor's name"):
        editors.decide(eid, "approve", 17, "  ")
    with pytest.raises(InputError, match="no publishing mode"):
        editors.set_mode("sometimes", "Chief")
    assert editors.acts(eid) == [] and editors.mode() == "auto"
    # a rescinded call cannot be decided on (issue 17, item 4)
    _rescind(desk, eid, files[3][1])
    for kind in ("approve", "hold", "reject"):
        with pytest.raises(StoreError, match="event 17 was rescinded"):
            editors.decide(eid, kind, 17, "Chief")  # type: ignore[arg-type]
    assert editors.acts(eid) == []
