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
    all), each with its new stages and verdict events. A table that cannot be read raises
    :class:`InputError` after its bytes are quarantined; a name in ``only`` that the table does
    not hold is an :class:`InputError` and nothing of the table but its bytes is stored."""
    raw = RawPayload.of(
        data,
        source=PETITIONS_SOURCE,
        received_at=received_at or datetime.now(tz=UTC),
        origin=origin,
    )
    store.put_raw(raw)
    try:
        read = read_petitions(data, origin or "petitions table", content_hash=raw.content_hash)
    except InputError as exc:
        store.quarantine(raw, exc.message)
        raise
    known = {petition.id for petition, _ in read}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise InputError(
            f"the table holds no petition {', '.join(map(repr, unknown))}",
            where=origin or "petitions table",
            hint=f"it holds {', '.join(sorted(known))}",
        )
    return [
        _ingest_one(store, petition, stages)
        for petition, stages in read
        if not only or petition.id in only
    ]


def _ingest_one(
    store: Store, petition: Petition, stages: Sequence[PetitionStage]
) -> PetitionIngest:
    store.put_petition(petition)
    for attempt in range(_ATTEMPTS):
        stored = store.petition_stages(petition.id)
        digests = store.petition_digests(petition.id)
        fresh = [s for s in stages if stage_digest(s) not in digests]
        numbered = [
            msgspec.structs.replace(s, sequence=len(stored) + i) for i, s in enumerate(fresh)
        ]
        ledger = store.petition_ledger(petition.id)
        events = petition_events(petition, [*stored, *numbered])[len(ledger) :]
        try:
            store.commit_petition(petition.id, numbered, events)
        except SequenceConflict:
            if attempt == _ATTEMPTS - 1:
                raise
            continue
        return PetitionIngest(petition.id, len(numbered), tuple(events))
    raise AssertionError("unreachable")  # pragma: no cover
