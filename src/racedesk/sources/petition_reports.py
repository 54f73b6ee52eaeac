"""A petition's reports as they come, one row per stage: the desk's own layout for following a
petition live (the filing, the sample, each progress report of a full count, its end, the
certificate), beside the compiled table of :mod:`racedesk.sources.petitions`.

A CSV whose header names at least ``petition``, ``stage`` and ``date``, and any of:

- ``jurisdiction``, ``office``, ``kind`` (``local-recall`` or ``initiative``), ``law``: the
  petition, given on its first row (later rows leave them empty or repeat them);
- ``raw``, ``required``, ``sample``, ``valid``, ``duplicates``, ``checked``, ``invalid``: whole
  numbers (``715833`` or ``715,833``), empty where the stage has none;
- ``verdict``: the registrar's verdict, one of ``filed``, ``full count needed``, ``projected to
  qualify``, ``projected to fail``, ``qualified``, ``failed``; ``words``: its own words;
- ``source``: where the figures were published (addresses separated by ``;``).

``stage`` is one of ``filed``, ``sample``, ``count progress``, ``full count``, ``outcome``;
``date`` is ISO (``2022-07-14``) or empty when unknown. A progress report gives ``checked`` (so
far) and ``valid`` (so far). Rows of a petition are its stages in the order given. Unlike the
compiled table, a cell that is not what its column says is an error naming its line and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date
from typing import get_args

from racedesk.errors import InputError
from racedesk.model.petition import (
    STAGE_KINDS,
    VERDICTS,
    Petition,
    PetitionStage,
    StageKind,
    Verdict,
)
from racedesk.rules.petition import PETITION_KINDS

#: The columns a reports file must have.
REQUIRED_COLUMNS = ("petition", "stage", "date")
_ABOUT = ("jurisdiction", "office", "kind", "law")
_WHOLE = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


def is_reports_header(header: list[str]) -> bool:
    """Whether a CSV header is this layout's (it names a ``stage`` column)."""
    return all(c in header for c in REQUIRED_COLUMNS)


def read_reports(
    text: str, where: str, *, content_hash: str = ""
) -> list[tuple[Petition, list[PetitionStage]]]:
    """Every petition of a reports file with its stages, in the file's order (see the module's
    docstring); an :class:`InputError` names the line and column of what cannot be read."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or ())
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"the reports file has no column {', '.join(missing)}", where=where)
    found: dict[str, tuple[Petition, list[PetitionStage]]] = {}
    for row in reader:
        line = f"{where}, line {reader.line_num}"
        petition = _petition(row, line)
        if petition.id not in found:
            found[petition.id] = (petition, [])
        else:
            _same_petition(found[petition.id][0], row, line)
        found[petition.id][1].append(_stage(row, petition.id, line, content_hash))
    if not found:
        raise InputError("the reports file has no stage", where=where)
    return list(found.values())


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


def _petition(row: Mapping[str, str | None], line: str) -> Petition:
    petition_id = _cell(row, "petition")
    if not petition_id:
        raise InputError("a row has no petition id", where=f"{line}, column petition")
    kind = _cell(row, "kind") or "local-recall"
    if kind not in PETITION_KINDS:
        raise InputError(
            f"unknown petition kind {kind!r}",
            where=f"{line}, column kind",
            hint="use local-recall or initiative",
        )
    return Petition(
        id=petition_id,
        jurisdiction=_cell(row, "jurisdiction"),
        office=_cell(row, "office"),
        kind=kind,
        law=_cell(row, "law"),
    )


def _same_petition(first: Petition, row: Mapping[str, str | None], line: str) -> None:
    """A later row may leave the petition's columns empty or repeat them, not change them."""
    for column in _ABOUT:
        given = _cell(row, column)
        if given and given != getattr(first, column):
            raise InputError(
                f"petition {first.id!r} was given {column} {getattr(first, column)!r} on an "
                f"earlier row, here {given!r}",
                where=f"{line}, column {column}",
            )


def _whole(row: Mapping[str, str | None], column: str, line: str) -> int | None:
    text = _cell(row, column)
    if not text:
        return None
    if not _WHOLE.match(text):
        raise InputError(
            f"{column} {text!r} is not a whole number", where=f"{line}, column {column}"
        )
    return int(text.replace(",", ""))


def _day(row: Mapping[str, str | None], line: str) -> date | None:
    text = _cell(row, "date")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"cannot read the date {text!r}", where=f"{line}, column date", hint="use 2022-07-14"
        ) from None


def _stage(
    row: Mapping[str, str | None], petition_id: str, line: str, content_hash: str
) -> PetitionStage:
    stage = _cell(row, "stage")
    if stage not in STAGE_KINDS:
        raise InputError(
            f"unknown stage {stage!r}",
            where=f"{line}, column stage",
            hint=f"use one of {', '.join(STAGE_KINDS)}",
        )
    verdict = _cell(row, "verdict") or None
    if verdict is not None and verdict not in VERDICTS:
        raise InputError(
            f"unknown verdict {verdict!r}",
            where=f"{line}, column verdict",
            hint=f"use one of {', '.join(VERDICTS)}",
        )
    return PetitionStage(
        petition_id=petition_id,
        stage=_stage_kind(stage),
        on=_day(row, line),
        source=_cell(row, "source"),
        content_hash=content_hash,
        where=line,
        published=_verdict(verdict),
        words=_cell(row, "words"),
        raw=_whole(row, "raw", line),
        required=_whole(row, "required", line),
        sample=_whole(row, "sample", line),
        valid=_whole(row, "valid", line),
        duplicates=_whole(row, "duplicates", line),
        checked=_whole(row, "checked", line),
        invalid=_whole(row, "invalid", line),
    )


def _stage_kind(text: str) -> StageKind:
    return next(k for k in get_args(StageKind) if k == text)


def _verdict(text: str | None) -> Verdict | None:
    return None if text is None else next(v for v in get_args(Verdict) if v == text)
