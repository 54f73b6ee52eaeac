"""What is published, from the ledger and editors' acts (``engine.editorial``; issue 18,
item 1): each rule of the module on a small ledger of two contests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from racedesk.engine.editorial import (
    decision_refusal,
    publications,
    publishing_mode,
    shown_events,
)
from racedesk.model.answers import CallEvent
from racedesk.model.editorial import EditorialAct, EditorialActKind

T0 = datetime(2024, 11, 6, 5, 0, tzinfo=UTC)


def _event(event_id: int, contest: str, status: str = "called", **fields: object) -> CallEvent:
    return CallEvent(
        event_id=event_id,
        contest_id=contest,
        status=status,  # type: ignore[arg-type]
        choices=("a",),
        release_hash="h",
        release_sequence=event_id,
        release_time=T0 + timedelta(minutes=event_id),
        votes_left=None,
        hurdle=None,
        probability=None,
        model_version="m",
        reason="r",
        **fields,  # type: ignore[arg-type]
    )


def _act(kind: EditorialActKind, n: int, **fields: object) -> EditorialAct:
    return EditorialAct(act=kind, made_by="ed", made_at=T0 + timedelta(hours=n), **fields)  # type: ignore[arg-type]


LEDGER = [_event(0, "x"), _event(1, "y"), _event(2, "y", "rescinded", rescinds=1), _event(3, "y")]


def test_the_mode_decides_what_no_editor_decided() -> None:
    assert {c: p.state for c, p in publications(LEDGER, [], "auto").items()} == {
        "x": "published",
        "y": "published",
    }
    recommended = publications(LEDGER, [], "recommend")
    assert {p.state for p in recommended.values()} == {"recommended"}
    assert recommended["y"].recommendation == LEDGER[3] and recommended["y"].status is None
    assert publishing_mode([]) == "auto"
    assert publishing_mode([_act("mode", 0, mode="recommend"), _act("mode", 1, mode="auto")]) == (
        "auto"
    )


def test_a_decision_holds_for_its_event_only() -> None:
    acts = [_act("approve", 0, contest_id="y", target=1), _act("hold", 1, contest_id="x", target=0)]
    found = publications(LEDGER, acts, "recommend")
    # the approval of event 1 does not carry over to event 3, the desk's later call
    assert (found["x"].state, found["y"].state) == ("held", "recommended")
    approved = publications(LEDGER, [*acts, _act("approve", 2, contest_id="y", target=3)], "auto")
    assert (approved["y"].state, approved["y"].status) == ("published", "called")
    rejected = publications(LEDGER, [_act("reject", 0, contest_id="x", target=0)], "auto")
    assert rejected["x"].state == "rejected" and not rejected["x"].shown


def test_an_editors_own_call_and_rescind() -> None:
    call = _act("call", 0, contest_id="z", choices=("b",))
    found = publications(LEDGER, [call], "recommend")
    assert (found["z"].state, found["z"].status, found["z"].choices) == (
        "editor's call",
        "called",
        ("b",),
    )
    withdrawn = publications(LEDGER, [_act("rescind", 1, contest_id="x", target=0)], "auto")
    assert (withdrawn["x"].state, withdrawn["x"].status) == ("rescinded", "rescinded")
    # a rescind of the editor's own call leaves the contest to the desk's call and the mode
    back = publications(LEDGER, [_act("call", 0, contest_id="x", choices=("b",)),
                                 _act("rescind", 1, contest_id="x")], "auto")  # fmt: skip
    assert back["x"].state == "published" and back["x"].choices == ("a",)


def test_the_public_ledger_and_the_refusals() -> None:
    assert [e.event_id for e in shown_events(LEDGER, [], "auto")] == [0, 1, 2, 3]
    assert shown_events(LEDGER, [], "recommend") == []
    approved = [_act("approve", 0, contest_id="y", target=1)]
    assert [e.event_id for e in shown_events(LEDGER, approved, "recommend")] == [1, 2]
    assert decision_refusal(LEDGER[2], LEDGER[3]) == "is a rescind, not a call"
    assert decision_refusal(LEDGER[1], LEDGER[3]).startswith("was superseded by event 3")
    assert decision_refusal(LEDGER[1], None).startswith("was rescinded")
    assert decision_refusal(_event(4, "y", approves=3), LEDGER[3]).startswith("is an approval")
    assert decision_refusal(LEDGER[3], LEDGER[3]) == ""


def test_an_act_in_force_is_repeated_whoever_makes_it() -> None:
    first = _act("approve", 0, contest_id="y", target=3)
    again = EditorialAct(act="approve", made_by="other", made_at=T0, contest_id="y", target=3)
    assert again.repeats(first)
    assert not _act("hold", 1, contest_id="y", target=3).repeats(first)
