"""Petitions into the store, as releases are: the one write path of ``racedesk recall ingest``
(and of whatever else brings a petitions table).

The table's bytes are kept first (as any payload, by content hash); a table that cannot be read
is quarantined with the reason and nothing else of it is stored. Then, petition by petition:
its definition, the stages not already stored (same digest: not new), numbered after the stored
ones, and the verdict events the engine finds beyond those already in its ledger
(:func:`racedesk.engine.petition.petition_events`, which only appends when stages are appended),
committed together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec

from racedesk.engine.petition import petition_events
from racedesk.errors import InputError, SequenceConflict
from racedesk.model import RawPayload
from racedesk.model.petition import Petition, PetitionEvent, PetitionStage
from racedesk.sources.petitions import read_petitions
from racedesk.store.base import Store
from racedesk.store.petitions import stage_digest

#: The source name petition tables are kept under in the raw payloads.
PETITIONS_SOURCE = "petitions"

#: How many times a petition's commit is recomputed when another writer got there first.
_ATTEMPTS = 3


@dataclass(frozen=True)
class PetitionIngest:
    """What one petition's ingest stored: how many new stages and which new verdict events."""

    petition_id: str
    new_stages: int
    new_events: tuple[PetitionEvent, ...]


def ingest_petitions(
    store: Store,
    data: bytes,
    *,
    origin: str = "",
    only: Sequence[str] = (),
    received_at: datetime | None = None,
) -> list[PetitionIngest]:
    """Keep a petitions table's bytes and store its petitions (those named in ``only``, or
    all), each with its new stages and verdict events. A table that cannot be read, a stage the
    law cannot read with those before it, or a name in ``only`` that the table does not hold
    raises :class:`InputError` after the bytes are quarantined: nothing else of them is
    stored."""
    raw = RawPayload.of(
        data,
        source=PETITIONS_SOURCE,
        received_at=received_at or datetime.now(tz=UTC),
        origin=origin,
    )
    store.put_raw(raw)
    try:
        read = read_petitions(data, origin or "petitions table", content_hash=raw.content_hash)
        chosen = _chosen(read, only, origin or "petitions table")
        for petition, stages in chosen:
            _fresh(store, petition, stages)  # the stages hold together with those stored
    except InputError as exc:
        store.quarantine(raw, exc.message)
        raise
    return [_ingest_one(store, petition, stages) for petition, stages in chosen]


def _chosen(
    read: list[tuple[Petition, list[PetitionStage]]], only: Sequence[str], where: str
) -> list[tuple[Petition, list[PetitionStage]]]:
    """The petitions named in ``only`` (all when empty); a name the file does not hold is an
    :class:`InputError`."""
    known = {petition.id for petition, _ in read}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise InputError(
            f"the table holds no petition {', '.join(map(repr, unknown))}",
            where=where,
            hint=f"it holds {', '.join(sorted(known))}",
        )
    return [(p, stages) for p, stages in read if not only or p.id in only]


def _fresh(
    store: Store, petition: Petition, stages: Sequence[PetitionStage]
) -> tuple[list[PetitionStage], list[PetitionEvent]]:
    """The stages not stored yet, numbered after those stored, and the events they bring. A
    stage the law cannot read with those before it (a sample larger than the raw count) is an
    :class:`InputError` naming its file and line."""
    stored = store.petition_stages(petition.id)
    digests = store.petition_digests(petition.id)
    fresh = [s for s in stages if stage_digest(s) not in digests]
    numbered = [msgspec.structs.replace(s, sequence=len(stored) + i) for i, s in enumerate(fresh)]
    every = [*stored, *numbered]
    try:
        events = petition_events(petition, every)
    except InputError as exc:
        bad = next(s for i, s in enumerate(every) if _fails(petition, every[: i + 1]))
        raise InputError(exc.problem, where=bad.where or exc.where, hint=exc.hint) from None
    return numbered, events[len(store.petition_ledger(petition.id)) :]


def _fails(petition: Petition, stages: Sequence[PetitionStage]) -> bool:
    try:
        petition_events(petition, stages)
    except InputError:
        return True
    return False


def _ingest_one(
    store: Store, petition: Petition, stages: Sequence[PetitionStage]
) -> PetitionIngest:
    store.put_petition(petition)
    for attempt in range(_ATTEMPTS):
        numbered, events = _fresh(store, petition, stages)
        try:
            store.commit_petition(petition.id, numbered, events)
        except SequenceConflict:
            if attempt == _ATTEMPTS - 1:
                raise
            continue
        return PetitionIngest(petition.id, len(numbered), tuple(events))
    raise AssertionError("unreachable")  # pragma: no cover
