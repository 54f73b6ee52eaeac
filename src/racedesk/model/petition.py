"""A recall or initiative petition and its stages, tracked as releases are.

A **petition** is filed with a raw count of signatures against a number required; the
registrar then publishes **stages**, each a release of the petition with its date and source:

- ``filed``: the raw count filed and the signatures required;
- ``sample``: the random sample's size, its valid signatures and (when published) its
  duplicates, or only the registrar's word on it;
- ``count progress``: during a full count, how many signatures were checked and how many of them
  were valid so far;
- ``full count``: every signature checked, the valid and invalid ones;
- ``outcome``: the registrar's certificate (qualified, failed, not submitted), in its words.

Each change of the petition's **verdict** is a :class:`PetitionEvent` of its ledger, never
edited. The law's arithmetic is :mod:`racedesk.rules.petition`; the verdict after each stage,
:mod:`racedesk.engine.petition`.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

import msgspec

StageKind = Literal["filed", "sample", "count progress", "full count", "outcome"]
STAGE_KINDS: Final = ("filed", "sample", "count progress", "full count", "outcome")

#: A petition's verdict: before verification, what its sample projects, what its full count or
#: certificate found.
Verdict = Literal[
    "filed",
    "full count needed",
    "projected to qualify",
    "projected to fail",
    "qualified",
    "failed",
]
VERDICTS: Final = (
    "filed",
    "full count needed",
    "projected to qualify",
    "projected to fail",
    "qualified",
    "failed",
)


class Petition(msgspec.Struct, frozen=True, kw_only=True):
    """A petition: its id (``gascon_2022``), where and against which office, its kind
    (``local-recall`` or ``initiative``: which sampling bands apply) and the law the source
    names."""

    id: str
    jurisdiction: str
    office: str
    kind: str = "local-recall"
    law: str = ""


class PetitionStage(msgspec.Struct, frozen=True, kw_only=True):
    """One stage of a petition as the registrar (or the press) published it.

    ``on`` is the date it was published (None when the source does not give one: such a stage is
    known now but in no as-of answer); ``content_hash`` names the bytes it was read from (kept in
    the store's raw payloads) and ``where`` the place in them (file and line). Figures a stage
    does not carry are None. ``published`` is the verdict in the registrar's own words when the
    source gives one (``words``), beside the figures the desk computes from. ``sequence`` is its
    place in the petition's stages, given by the store."""

    petition_id: str
    stage: StageKind
    on: date | None
    source: str = ""
    content_hash: str = ""
    where: str = ""
    raw: int | None = None
    required: int | None = None
    sample: int | None = None
    valid: int | None = None
    duplicates: int | None = None
    checked: int | None = None
    invalid: int | None = None
    published: Verdict | None = None
    words: str = ""
    notes: tuple[str, ...] = ()
    sequence: int = 0


class PetitionEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event of a petition's ledger: its verdict changed after stage ``stage_sequence``
    (published ``on``), with the reason in words. Never edited."""

    petition_id: str
    event_id: int
    verdict: Verdict
    stage_sequence: int
    on: date | None
    reason: str
