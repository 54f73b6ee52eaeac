"""The store's petitions (a part of :class:`racedesk.store.sql.SqlStore`): definitions,
stages kept as releases are, and the ledger of verdicts, on SQLite and PostgreSQL alike.

Append-only as the rest: a petition's changed definition is its next version, a stage is
appended with the next sequence (the same stage twice is a no-op, by its digest), a verdict is
an appended event. As of a date: the stages and events dated on or before it; a stage the source
gave no date for is in no as-of answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from racedesk.errors import SequenceConflict, StoreError
from racedesk.model import sha256_hex
from racedesk.model.petition import Petition, PetitionEvent, PetitionStage
from racedesk.store import schema as t
from racedesk.store.codec import now_us

if TYPE_CHECKING:
    from racedesk.store.connect import Connections

_encode = msgspec.json.Encoder(order="deterministic").encode
_petition = msgspec.json.Decoder(Petition).decode
_stage = msgspec.json.Decoder(PetitionStage).decode
_event = msgspec.json.Decoder(PetitionEvent).decode


def stage_digest(stage: PetitionStage) -> str:
    """What makes two stages the same: everything but their number and where their bytes are
    (the same stage read again from a newer copy of the table is not new)."""
    same = msgspec.structs.replace(stage, sequence=0, content_hash="", where="")
    return sha256_hex(_encode(same))


def _on(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


class PetitionQueries:
    """Petitions in the store; mixed into :class:`~racedesk.store.sql.SqlStore`."""

    _db: Connections
    url: str

    def put_petition(self, petition: Petition) -> int:
        """Store a petition's definition and return its version (1, 2, …): the same
        definition again changes nothing, a different one is the next version."""
        data = _encode(petition)
        digest = sha256_hex(data)
        p = t.petitions
        with self._db.write() as conn:
            latest = conn.execute(
                select(p.c.version, p.c.digest)
                .where(p.c.petition_id == petition.id)
                .order_by(p.c.version.desc())
                .limit(1)
            ).first()
            if latest is not None and latest.digest == digest:
                return int(latest.version)
            version = 1 if latest is None else int(latest.version) + 1
            conn.execute(
                p.insert(),
                {
                    "petition_id": petition.id,
                    "version": version,
                    "digest": digest,
                    "stored_us": now_us(),
                    "data": data,
                },
            )
        return version

    def petition(self, petition_id: str) -> Petition:
        """The petition's current definition, or ``StoreError`` naming it."""
        p = t.petitions
        with self._db.read() as conn:
            data = conn.execute(
                select(p.c.data)
                .where(p.c.petition_id == petition_id)
                .order_by(p.c.version.desc())
                .limit(1)
            ).scalar()
        if data is None:
            raise StoreError(f"no petition {petition_id!r} in the store", where=self.url)
        return _petition(data)

    def petitions(self) -> list[Petition]:
        """Every petition's current definition, by id."""
        p = t.petitions
        with self._db.read() as conn:
            rows = conn.execute(
                select(p.c.petition_id, p.c.data).order_by(p.c.petition_id, p.c.version)
            ).all()
        latest = {row.petition_id: row.data for row in rows}
        return [_petition(data) for data in latest.values()]

    def commit_petition(
        self,
        petition_id: str,
        stages: Sequence[PetitionStage],
        events: Sequence[PetitionEvent],
    ) -> None:
        """Append stages (numbered from the petition's next sequence, each naming a stored raw
        payload) and the ledger events they brought, in one transaction: all or none. A
        sequence or event id another writer took first is a ``SequenceConflict`` (read again,
        recompute, retry); a stage whose bytes are not kept is a ``StoreError``."""
        stored = now_us()
        stage_rows = [_stage_row(s, stored) for s in stages]
        event_rows = [_event_row(e, stored) for e in events]
        hashes = {row["content_hash"] for row in stage_rows}
        try:
            with self._db.write() as conn:
                r = t.raw_payloads
                kept = conn.execute(select(r.c.content_hash).where(r.c.content_hash.in_(hashes)))
                missing = hashes - set(kept.scalars().all())
                if missing:
                    raise StoreError(
                        f"petition {petition_id}: no raw payload {', '.join(sorted(missing))} "
                        "is kept; keep the bytes a stage was read from first (put_raw)",
                        where=self.url,
                    )
                if stage_rows:
                    conn.execute(t.petition_stages.insert(), stage_rows)
                if event_rows:
                    conn.execute(t.petition_events.insert(), event_rows)
        except IntegrityError as exc:
            raise SequenceConflict(
                f"petition {petition_id}: a stage or event was stored by another writer first "
                f"({type(exc.orig).__name__}); read the petition again and retry"
            ) from None

    def petition_stages(self, petition_id: str, as_of: date | None = None) -> list[PetitionStage]:
        """The petition's stages in sequence order; as of a date, those dated on or before it."""
        s = t.petition_stages
        query = select(s.c.data).where(s.c.petition_id == petition_id)
        if as_of is not None:
            query = query.where(s.c.on_date <= as_of.isoformat())
        with self._db.read() as conn:
            rows = conn.execute(query.order_by(s.c.sequence)).scalars().all()
        return [_stage(data) for data in rows]

    def petition_digests(self, petition_id: str) -> set[str]:
        """The digests of the petition's stored stages (:func:`stage_digest`)."""
        s = t.petition_stages
        with self._db.read() as conn:
            rows = conn.execute(select(s.c.digest).where(s.c.petition_id == petition_id))
            return set(rows.scalars().all())

    def petition_ledger(self, petition_id: str, as_of: date | None = None) -> list[PetitionEvent]:
        """The petition's verdict events in order; as of a date, those dated on or before it."""
        e = t.petition_events
        query = select(e.c.data).where(e.c.petition_id == petition_id)
        if as_of is not None:
            query = query.where(e.c.on_date <= as_of.isoformat())
        with self._db.read() as conn:
            rows = conn.execute(query.order_by(e.c.event_id)).scalars().all()
        return [_event(data) for data in rows]


def _stage_row(stage: PetitionStage, stored: int) -> dict[str, Any]:
    return {
        "petition_id": stage.petition_id,
        "sequence": stage.sequence,
        "stage": stage.stage,
        "on_date": _on(stage.on),
        "digest": stage_digest(stage),
        "content_hash": stage.content_hash,
        "stored_us": stored,
        "data": _encode(stage),
    }


def _event_row(event: PetitionEvent, stored: int) -> dict[str, Any]:
    return {
        "petition_id": event.petition_id,
        "event_id": event.event_id,
        "verdict": event.verdict,
        "stage_sequence": event.stage_sequence,
        "on_date": _on(event.on),
        "reason": event.reason,
        "stored_us": stored,
        "data": _encode(event),
    }
