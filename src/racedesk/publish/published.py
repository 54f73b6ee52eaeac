"""What the public sees of the desk's calls: a snapshot and a ledger with only what editors
published (``engine.editorial``; ``docs/editors.md``). Pages, API documents, CSV, CDF and the
static export read through these, so a call the desk only recommends, or one held or rejected,
is nowhere in them, and an editor's call or rescind is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import msgspec

from racedesk.desk import Desk
from racedesk.engine.editorial import Publication, publications, shown_events
from racedesk.model import Election
from racedesk.model.answers import CallEvent, ContestCall, Snapshot
from racedesk.model.editorial import EditorialAct, PublishingMode
from racedesk.publish.words import call_words


def public_call(call: ContestCall, publication: Publication | None) -> ContestCall:
    """``call``, the contest's call in a snapshot, as the public sees it: unchanged when the
    desk's call in it is published (or it is no call at all), "not called yet" when the desk's
    call is only recommended, held or rejected, and the editor's own call or rescind in force."""
    if publication is None:
        return call
    decision = publication.decision
    by = f"{decision.made_by}: {decision.note}" if decision and decision.note else ""
    if publication.state == "editor's call":
        return ContestCall(
            contest_id=call.contest_id,
            status="called",
            choices=publication.choices,
            sentence=f"called by {by or (decision.made_by if decision else 'an editor')}",
        )
    if publication.state == "rescinded":
        return ContestCall(
            contest_id=call.contest_id,
            status="rescinded",
            choices=(),
            sentence=f"rescinded by {by or (decision.made_by if decision else 'an editor')}",
        )
    unpublished = publication.recommendation
    if not publication.shown and unpublished is not None and call.event_id == unpublished.event_id:
        return ContestCall(contest_id=call.contest_id, status="leading", choices=(), sentence="")
    return call


def published_snapshot(
    election: Election,
    snapshot: Snapshot,
    published: Mapping[str, Publication],
    shown: set[int],
) -> Snapshot:
    """``snapshot`` with each contest's call as published (:func:`public_call`) and its
    sentence ending in the words of that call; its new ledger events only those ``shown``
    (the ids of :func:`published_ledger`)."""
    calls = dict(snapshot.calls)
    sentences = dict(snapshot.sentences)
    for contest_id, call in snapshot.calls.items():
        public = public_call(call, published.get(contest_id))
        if public == call:
            continue
        calls[contest_id] = public
        try:
            contest = election.contest(contest_id)
        except KeyError:
            continue
        said, was = sentences.get(contest_id, ""), call_words(contest, call)
        base = said[: -len(was)] if was and said.endswith(was) else said
        sentences[contest_id] = f"{base.rstrip()} {call_words(contest, public)}".strip()
    new_events = tuple(e for e in snapshot.new_events if e.event_id in shown)
    return msgspec.structs.replace(
        snapshot, calls=calls, sentences=sentences, new_events=new_events
    )


def published_ledger(
    ledger: Sequence[CallEvent], acts: Sequence[EditorialAct], mode: PublishingMode
) -> list[CallEvent]:
    """The ledger as the public sees it (``engine.editorial.shown_events``)."""
    return shown_events(ledger, acts, mode)


def public_snapshot(
    desk: Desk, election: Election, snapshot: Snapshot, as_of: datetime | None = None
) -> Snapshot:
    """The desk's ``snapshot`` as the public saw it: with the editors' acts made before the
    next release was received (all of them for the latest release; none after ``as_of``, when
    the snapshot is read as it stood then) and the mode then, so that a page of an earlier
    release never changes after the fact. Unchanged while no editor has acted (the ``auto``
    mode publishes every call)."""
    if desk.store.editorial_count(election.id) == 0:
        return snapshot
    sequence = snapshot.release_sequence
    latest = desk.store.latest_sequence(election.id)
    cutoff = (
        desk.store.release(election.id, sequence + 1).release.received_at
        if latest is not None and sequence < latest
        else None
    )
    if as_of is not None:
        cutoff = as_of if cutoff is None else min(cutoff, as_of)
    acts = desk.editors.acts(election.id, cutoff)
    mode = desk.editors.mode(cutoff)
    if not acts and mode == "auto":
        return snapshot
    ledger = [
        e
        for e in desk.ledger(election.id)
        if e.release_sequence <= sequence and (as_of is None or e.release_time <= as_of)
    ]
    shown = {e.event_id for e in shown_events(ledger, acts, mode)}
    return published_snapshot(election, snapshot, publications(ledger, acts, mode), shown)


__all__ = ["public_call", "public_snapshot", "published_ledger", "published_snapshot"]
