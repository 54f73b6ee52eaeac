"""Petitions as documents: ``racedesk.petition-status/1`` (one petition as of a date: its
stages, the sample's arithmetic, the full count, the verdict and its ledger) and
``racedesk.petitions/1`` (every petition's verdict), for ``racedesk recall status --json``, the
API and the pages. Fields are described in ``docs/json-schema.md``.

Read from the store (:mod:`racedesk.store.petitions`), recomputed by the pure engine
(:func:`racedesk.engine.petition.read_petition`) over the stages known as of the date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import msgspec

from racedesk.desk.petitions import PetitionIngest
from racedesk.engine.petition import PetitionReading, read_petition
from racedesk.errors import NotFound, StoreError
from racedesk.model.petition import Petition, PetitionEvent, PetitionStage
from racedesk.publish import words
from racedesk.publish.documents import SCHEMA_VERSION, PetitionDoc, petition_view
from racedesk.publish.links import slug
from racedesk.rules import petition as law
from racedesk.store.base import Store


def _schema(kind: str) -> str:
    return f"racedesk.{kind}/{SCHEMA_VERSION}"


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class PetitionAbout(msgspec.Struct, frozen=True, kw_only=True):
    """A petition: ``id``, ``jurisdiction``, ``office``, ``kind`` (its sampling bands) and the
    ``law`` its source names."""

    id: str
    jurisdiction: str
    office: str
    kind: str
    law: str


class PetitionStageRow(msgspec.Struct, frozen=True, kw_only=True):
    """One stage as published: its figures (null where it carries none), the registrar's
    verdict and words, notes, the source addresses and the bytes it was read from."""

    sequence: int
    stage: str
    on: str | None
    raw: int | None
    required: int | None
    sample: int | None
    valid: int | None
    duplicates: int | None
    checked: int | None
    invalid: int | None
    published: str | None
    words: str
    notes: list[str]
    sources: list[str]
    where: str
    hash: str


class PetitionEventRow(msgspec.Struct, frozen=True, kw_only=True):
    """One event of the petition's ledger."""

    event_id: int
    verdict: str
    on: str | None
    stage_sequence: int
    reason: str


class SampleLines(msgspec.Struct, frozen=True, kw_only=True):
    """The bands of the law in signatures: sufficient above ``high`` (110% of the requirement),
    insufficient below ``low`` (90% for a local recall, 95% for an initiative)."""

    low_share: float
    high_share: float
    low: float
    high: float
    law: str


class CountProgressRow(msgspec.Struct, frozen=True, kw_only=True):
    """A full count under way: ``checked`` of ``raw``, ``valid`` of them; the share valid so
    far and the share the rest must be."""

    checked: int
    valid: int
    raw: int
    so_far: float
    rest_must_be: float
    sentence: str


class FullCountRow(msgspec.Struct, frozen=True, kw_only=True):
    """A full count's end: the valid signatures, the requirement, the outcome and the margin
    (valid less required, negative when short)."""

    valid: int
    invalid: int | None
    required: int
    outcome: str
    margin: int
    sentence: str


class RecallElectionRow(msgspec.Struct, frozen=True, kw_only=True):
    """The recall election the desk holds for a qualified petition."""

    id: str
    title: str
    date: str


class PetitionStatusDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.petition-status/1``: one petition as of a date (null: all that is known)."""

    schema: str = _schema("petition-status")
    petition: PetitionAbout
    as_of: str | None
    verdict: str | None
    sentence: str
    raw: int | None
    required: int | None
    sample: PetitionDoc | None
    lines: SampleLines | None
    progress: CountProgressRow | None
    full_count: FullCountRow | None
    stages: list[PetitionStageRow]
    ledger: list[PetitionEventRow]
    recall_election: RecallElectionRow | None = None


class PetitionListing(msgspec.Struct, frozen=True, kw_only=True):
    """One petition in the list: its verdict, since when, and its figures."""

    petition: PetitionAbout
    verdict: str | None
    since: str | None
    raw: int | None
    required: int | None
    sentence: str


class PetitionsDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.petitions/1``: every petition as of a date."""

    schema: str = _schema("petitions")
    as_of: str | None
    petitions: list[PetitionListing]


def _about(petition: Petition) -> PetitionAbout:
    return PetitionAbout(
        id=petition.id,
        jurisdiction=petition.jurisdiction,
        office=petition.office,
        kind=petition.kind,
        law=petition.law,
    )


def _stage_row(stage: PetitionStage) -> PetitionStageRow:
    return PetitionStageRow(
        sequence=stage.sequence,
        stage=stage.stage,
        on=_day(stage.on),
        raw=stage.raw,
        required=stage.required,
        sample=stage.sample,
        valid=stage.valid,
        duplicates=stage.duplicates,
        checked=stage.checked,
        invalid=stage.invalid,
        published=stage.published,
        words=stage.words,
        notes=list(stage.notes),
        sources=[s.strip() for s in stage.source.split(";") if s.strip()],
        where=stage.where,
        hash=stage.content_hash,
    )


def _event_row(event: PetitionEvent) -> PetitionEventRow:
    return PetitionEventRow(
        event_id=event.event_id,
        verdict=event.verdict,
        on=_day(event.on),
        stage_sequence=event.stage_sequence,
        reason=event.reason,
    )


def _sample_doc(reading: PetitionReading) -> PetitionDoc | None:
    """The latest sample with its figures, projected as ``racedesk recall project`` does."""
    stage = reading.sample
    if stage is None or stage.sample is None or stage.valid is None:
        return None
    if reading.raw is None or reading.required is None:
        return None
    return petition_view(
        reading.raw,
        stage.sample,
        stage.valid,
        stage.duplicates,
        reading.required,
        reading.petition.kind,
    )


def _lines(reading: PetitionReading) -> SampleLines | None:
    if reading.required is None:
        return None
    bands = law.bands_of(reading.petition.kind)
    return SampleLines(
        low_share=float(bands.low),
        high_share=float(bands.high),
        low=float(bands.low * reading.required),
        high=float(bands.high * reading.required),
        law=bands.law,
    )


def _progress(reading: PetitionReading) -> CountProgressRow | None:
    progress = reading.progress
    if progress is None:
        return None
    return CountProgressRow(
        checked=progress.checked,
        valid=progress.valid,
        raw=progress.raw,
        so_far=float(progress.so_far),
        rest_must_be=float(progress.rest_must_be),
        sentence=words.count_progress_sentence(progress.rest_must_be, progress.so_far),
    )


def _full_count(reading: PetitionReading) -> FullCountRow | None:
    decision = reading.full_count
    stage = next((s for s in reversed(reading.stages) if s.stage == "full count"), None)
    if decision is None or stage is None or stage.valid is None or reading.required is None:
        return None
    return FullCountRow(
        valid=stage.valid,
        invalid=stage.invalid,
        required=reading.required,
        outcome=decision.outcome,
        margin=decision.margin,
        sentence=decision.sentence(),
    )


def recall_election_id(petition_id: str) -> str:
    """The id of a petition's recall election on the desk (``racedesk recall election``):
    ``scenario:recall-gascon_2022``."""
    return f"scenario:recall-{slug(petition_id)}"


def _recall_election(store: Store, petition_id: str) -> RecallElectionRow | None:
    """The petition's recall election, when the desk holds it."""
    try:
        election = store.election(recall_election_id(petition_id))
    except StoreError:
        return None
    return RecallElectionRow(id=election.id, title=election.title, date=election.date.isoformat())


def _known(store: Store, petition_id: str) -> Petition:
    try:
        return store.petition(petition_id)
    except StoreError:
        raise NotFound(f"no petition {petition_id!r}") from None


def petition_status_view(
    store: Store, petition_id: str, as_of: date | None = None
) -> PetitionStatusDoc:
    """One petition as known on ``as_of`` (None: everything stored): :class:`NotFound` when the
    store has no such petition."""
    petition = _known(store, petition_id)
    stages = store.petition_stages(petition_id, as_of)
    reading = read_petition(petition, stages)
    return PetitionStatusDoc(
        petition=_about(petition),
        as_of=_day(as_of),
        verdict=reading.verdict,
        sentence=words.petition_sentence(reading.verdict, reading.reason, _day(as_of)),
        raw=reading.raw,
        required=reading.required,
        sample=_sample_doc(reading),
        lines=_lines(reading),
        progress=_progress(reading),
        full_count=_full_count(reading),
        stages=[_stage_row(s) for s in stages],
        ledger=[_event_row(e) for e in store.petition_ledger(petition_id, as_of)],
        recall_election=_recall_election(store, petition_id)
        if reading.verdict == "qualified"
        else None,
    )


def petitions_view(store: Store, as_of: date | None = None) -> PetitionsDoc:
    """Every petition's verdict as known on ``as_of``, by id."""
    listed = []
    for petition in sorted(store.petitions(), key=lambda p: p.id):
        reading = read_petition(petition, store.petition_stages(petition.id, as_of))
        ledger = store.petition_ledger(petition.id, as_of)
        listed.append(
            PetitionListing(
                petition=_about(petition),
                verdict=reading.verdict,
                since=_day(ledger[-1].on) if ledger else None,
                raw=reading.raw,
                required=reading.required,
                sentence=words.petition_sentence(reading.verdict, reading.reason, _day(as_of)),
            )
        )
    return PetitionsDoc(as_of=_day(as_of), petitions=listed)


class PetitionIngested(msgspec.Struct, frozen=True, kw_only=True):
    """What one petition's ingest stored."""

    id: str
    new_stages: int
    new_events: list[PetitionEventRow]


class PetitionIngestDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.petition-ingest/1``: what a petitions table or reports file brought, petition
    by petition (nothing new when it was ingested before)."""

    schema: str = _schema("petition-ingest")
    petitions: list[PetitionIngested]


def petition_ingest_view(done: Sequence[PetitionIngest]) -> PetitionIngestDoc:
    """The document of :func:`racedesk.desk.petitions.ingest_petitions`' answer."""
    return PetitionIngestDoc(
        petitions=[
            PetitionIngested(
                id=one.petition_id,
                new_stages=one.new_stages,
                new_events=[_event_row(e) for e in one.new_events],
            )
            for one in done
        ]
    )
