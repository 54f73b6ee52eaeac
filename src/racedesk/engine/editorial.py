"""What is published of the desk's calls, from the ledger and editors' acts (issue 18, item 1;
``docs/editors.md``). Pure: no I/O, no cache.

The ledger holds what the engine (or an outside source) calls; editors' acts
(:class:`~racedesk.model.editorial.EditorialAct`) decide what the public sees, one contest at a
time, by these rules, first that applies:

1. An editor's own act on the contest, the latest of ``call`` and ``rescind``: a call is
   published as the editor made it; a rescind of the contest's standing ledger call withdraws
   it (the public sees the call rescinded). A rescind of an editor's call leaves the contest to
   the rules below.
2. The contest's standing ledger call (``engine.calls.active_calls``), decided by the latest
   ``approve``, ``hold`` or ``reject`` that names it: approved is published, held or rejected
   is not. An approval made in the ledger (``CallEvent.approves``) is approved.
3. Undecided: published in the ``auto`` mode, a recommendation (not published) in the
   ``recommend`` mode.

Every new ledger call is a new recommendation: a decision on an earlier event does not carry
over to a later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import msgspec

from racedesk.engine.calls import active_calls
from racedesk.model.answers import CallEvent, CallStatus
from racedesk.model.editorial import DECISIONS, MANUAL, EditorialAct, PublishingMode

PublicationState = Literal[
    "published", "recommended", "held", "rejected", "editor's call", "rescinded"
]
#: The states in which the public sees a call.
SHOWN: tuple[PublicationState, ...] = ("published", "editor's call", "rescinded")


class Publication(msgspec.Struct, frozen=True, kw_only=True):
    """One contest's call as the public sees it, and why.

    ``recommendation`` is the contest's standing ledger call (None when it has none);
    ``decision`` the editor's act that decided (None when the mode did); ``status`` and
    ``choices`` what is published (``status`` None when nothing is)."""

    contest_id: str
    state: PublicationState
    recommendation: CallEvent | None = None
    decision: EditorialAct | None = None
    status: CallStatus | None = None
    choices: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.state in SHOWN


def publishing_mode(desk_acts: Sequence[EditorialAct]) -> PublishingMode:
    """The desk's publishing mode after ``desk_acts`` (its ``mode`` acts): the latest one's,
    ``auto`` before any."""
    modes = [a.mode for a in desk_acts if a.act == "mode" and a.mode is not None]
    return modes[-1] if modes else "auto"


def publications(
    ledger: Sequence[CallEvent], acts: Sequence[EditorialAct], mode: PublishingMode
) -> dict[str, Publication]:
    """Each contest's :class:`Publication` after ``ledger`` and the election's editorial
    ``acts`` (in order) under ``mode``, for every contest that has a standing ledger call or an
    editor's call or rescind (the module's rules)."""
    standing = active_calls(ledger)
    manual: dict[str, EditorialAct] = {}
    decisions: dict[int, EditorialAct] = {}
    for act in acts:
        if act.act in MANUAL:
            manual[act.contest_id] = act
        elif act.act in DECISIONS and act.target is not None:
            decisions[act.target] = act
    result: dict[str, Publication] = {}
    for contest_id in sorted(set(standing) | set(manual)):
        call = standing.get(contest_id)
        own = _by_hand(contest_id, call, manual.get(contest_id))
        if own is not None:
            result[contest_id] = own
        elif call is not None:
            result[contest_id] = _decided(call, decisions.get(call.event_id), mode)
    return result


def _by_hand(
    contest_id: str, call: CallEvent | None, act: EditorialAct | None
) -> Publication | None:
    """Rule 1: the editor's own call or rescind in force on the contest, or None."""
    if act is None:
        return None
    if act.act == "call":
        return Publication(
            contest_id=contest_id,
            state="editor's call",
            recommendation=call,
            decision=act,
            status="called",
            choices=act.choices,
        )
    if call is not None and act.target == call.event_id:
        return Publication(
            contest_id=contest_id,
            state="rescinded",
            recommendation=call,
            decision=act,
            status="rescinded",
            choices=call.choices,
        )
    return None


def _decided(call: CallEvent, act: EditorialAct | None, mode: PublishingMode) -> Publication:
    """Rules 2 and 3: the standing ledger call as its decision (or the mode) leaves it."""
    if act is not None:
        state: PublicationState = {
            "approve": "published",
            "hold": "held",
            "reject": "rejected",
        }[act.act]  # type: ignore[assignment]
    elif call.approves is not None or mode == "auto":
        state = "published"
    else:
        state = "recommended"
    shown = state == "published"
    return Publication(
        contest_id=call.contest_id,
        state=state,
        recommendation=call,
        decision=act,
        status=call.status if shown else None,
        choices=call.choices if shown else (),
    )


def decision_refusal(target: CallEvent, standing: CallEvent | None) -> str:
    """Why an editor cannot approve, hold or reject ledger event ``target`` while ``standing``
    is its contest's standing call, or "" when they can: only the standing call is decided on,
    never a rescind, a call rescinded or superseded since, or an approval (issue 17, item 4)."""
    if target.status == "rescinded":
        return "is a rescind, not a call"
    if target.approves is not None:
        return f"is an approval of event {target.approves}; decide on a call, not an approval"
    if standing is None:
        return f"was rescinded: contest {target.contest_id} has no standing call"
    if standing.event_id != target.event_id:
        return f"was superseded by event {standing.event_id}, the standing call of its contest"
    return ""


def shown_events(
    ledger: Sequence[CallEvent], acts: Sequence[EditorialAct], mode: PublishingMode
) -> list[CallEvent]:
    """The ledger as the public sees it: each call event that was ever published (approved,
    or undecided in the ``auto`` mode, and neither held nor rejected), and the rescinds of
    those, in order."""
    decisions: dict[int, str] = {}
    for act in acts:
        if act.act in DECISIONS and act.target is not None:
            decisions[act.target] = act.act
    shown: set[int] = set()
    for event in ledger:
        if event.status == "rescinded":
            if event.rescinds in shown:
                shown.add(event.event_id)
            continue
        decision = decisions.get(event.event_id)
        if decision == "approve" or (
            decision is None and (mode == "auto" or event.approves is not None)
        ):
            shown.add(event.event_id)
    return [e for e in ledger if e.event_id in shown]


__all__ = [
    "SHOWN",
    "Publication",
    "PublicationState",
    "decision_refusal",
    "publications",
    "publishing_mode",
    "shown_events",
]
