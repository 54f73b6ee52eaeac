"""Recall petitions from a table of their facts, the layout of
``../shared/data/recalls/petitions.csv``: one row per petition, its stages read out of it.

Columns read (others are ignored): ``petition`` (the id), ``jurisdiction``, ``office``,
``rule``, ``filed_or_deadline``, ``raw_count``, ``required``, ``sample_size``,
``sample_valid``, ``sample_duplicates_reported``, ``sample_outcome``, ``full_count_valid``,
``full_count_invalid``, ``outcome``, ``status_flags`` and ``source_urls``.

The table was compiled from the press, so its cells mix figures and words. A figure is the
whole number a cell starts with (``39188 (proponents)`` is 39,188, and the words after it are kept
as a note); a cell that starts with anything else (``~10300``, ``>70000 per member``, ``not
published``) or with a share (``5% (ROV)``, ``0.05``) gives no figure. The stages of a row, in the law's order:

- ``filed`` when ``filed_or_deadline`` says "filed", dated by its date;
- ``sample`` when the sample's size and valid signatures are figures or ``sample_outcome``
  names a band (it starts with ``sufficient``, ``insufficient``, ``full count`` or
  ``inconclusive``, or says ``manual count``); dated by the first date in ``sample_outcome``, else by the earliest source
  page published after the filing, its date read from its address (``…/2022/07/14/…``);
- ``full count`` when ``full_count_valid`` is a figure;
- ``outcome`` when ``outcome`` starts with ``qualified``, ``insufficient`` or ``not
  submitted``; dated by the date after "certified", "announced" or "after" in it, else (not
  submitted) by the deadline, else (certified from the sample) by the sample's date.

A full count is dated as its outcome. A stage the row gives no date for has none. A petition
is a ``local-recall`` unless its rule names an initiative or EC §9031 (a state recall's bands).

A file whose header names a ``stage`` column is the other layout, one row per stage as the
reports come (:mod:`racedesk.sources.petition_reports`): :func:`read_petitions` reads both.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date

from msgspec.structs import replace

from racedesk.errors import InputError
from racedesk.model.petition import Petition, PetitionStage, Verdict
from racedesk.sources.petition_reports import is_reports_header, read_reports
from racedesk.sources.safety import check_size, decode_text

#: The columns a petitions table must have.
COLUMNS = (
    "petition",
    "jurisdiction",
    "office",
    "rule",
    "filed_or_deadline",
    "raw_count",
    "required",
    "sample_size",
    "sample_valid",
    "sample_duplicates_reported",
    "sample_outcome",
    "full_count_valid",
    "full_count_invalid",
    "outcome",
    "status_flags",
    "source_urls",
)

_FIGURE = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?!\.\d|\s*%)\b\s*(.*)$", re.S)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_OUTCOME_DATE = re.compile(r"\b(?:certified|announced|after)\s+(\d{4}-\d{2}-\d{2})")
_ADDRESS_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})(?:/|$)")


def read_petitions(
    data: bytes, where: str, *, content_hash: str = ""
) -> list[tuple[Petition, list[PetitionStage]]]:
    """Every petition of a petitions table (or reports file) with its stages (see the module's docstring), each
    stage naming ``content_hash`` and its line. An empty table, a missing column, a row without
    an id or the same id twice is an :class:`InputError` naming the file and line."""
    text = decode_text(check_size(data, where), where, what="petitions table")
    try:
        return _read(text, where, content_hash)
    except csv.Error as exc:
        raise InputError(f"not a CSV table: {exc}", where=where) from None


def _read(text: str, where: str, content_hash: str) -> list[tuple[Petition, list[PetitionStage]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if is_reports_header(list(reader.fieldnames or ())):
        return read_reports(text, where, content_hash=content_hash)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(
            f"the petitions table has no column {', '.join(missing)}",
            where=where,
            hint="use the layout of ../shared/data/recalls/petitions.csv",
        )
    found: list[tuple[Petition, list[PetitionStage]]] = []
    seen: set[str] = set()
    for row in reader:
        line = f"{where}, line {reader.line_num}"
        petition_id = (row["petition"] or "").strip()
        if not petition_id:
            raise InputError("a row has no petition id", where=line)
        if petition_id in seen:
            raise InputError(f"petition {petition_id!r} appears twice", where=line)
        seen.add(petition_id)
        found.append(_petition(row, line, content_hash))
    if not found:
        raise InputError("the petitions table has no petition", where=where)
    return found


def figure(cell: str | None) -> tuple[int | None, str]:
    """The whole number a cell starts with and the words after it: ``"39188 (proponents)"`` →
    (39188, "(proponents)"); (None, the cell) when it starts with anything else."""
    text = (cell or "").strip()
    match = _FIGURE.match(text)
    if match is None:
        return None, text
    return int(match.group(1).replace(",", "")), match.group(2).strip()


def _first_date(text: str, pattern: re.Pattern[str] = _DATE) -> date | None:
    match = pattern.search(text)
    if match is None:
        return None
    return date.fromisoformat(match.group(match.lastindex or 0))


def _petition(
    row: Mapping[str, str], line: str, content_hash: str
) -> tuple[Petition, list[PetitionStage]]:
    """One row's petition and stages."""
    rule = row["rule"] or ""
    kind = "initiative" if "initiative" in rule.lower() or "9031" in rule else "local-recall"
    petition = Petition(
        id=row["petition"].strip(),
        jurisdiction=(row["jurisdiction"] or "").strip(),
        office=(row["office"] or "").strip(),
        kind=kind,
        law=rule.strip(),
    )
    notes: list[str] = []
    cells: dict[str, int | None] = {}
    for column in (
        "raw_count",
        "required",
        "sample_size",
        "sample_valid",
        "sample_duplicates_reported",
        "full_count_valid",
        "full_count_invalid",
    ):
        cells[column], rest = figure(row[column])
        if rest and (cells[column] is not None or column in ("raw_count", "sample_valid")):
            notes.append(f"{column.replace('_', ' ')}: {row[column].strip()}")
    if row["status_flags"]:
        notes.append(f"flags: {row['status_flags'].strip()}")
    base = PetitionStage(
        petition_id=petition.id,
        stage="filed",
        on=None,
        source=(row["source_urls"] or "").strip(),
        content_hash=content_hash,
        where=line,
    )
    stages = _stages(row, cells, base)
    if stages:
        stages[0] = replace(stages[0], notes=tuple(notes))
    return petition, stages


def _stages(
    row: Mapping[str, str], cells: Mapping[str, int | None], base: PetitionStage
) -> list[PetitionStage]:
    """The stages of one row, in the law's order (see the module's docstring)."""
    stages: list[PetitionStage] = []
    filing = (row["filed_or_deadline"] or "").strip()
    filed_on = _first_date(filing) if filing.lower().startswith("filed") else None
    if filing.lower().startswith("filed"):
        stages.append(
            replace(
                base,
                stage="filed",
                on=filed_on,
                raw=cells["raw_count"],
                required=cells["required"],
                words=filing,
            )
        )
    required = cells["required"] if not stages else None
    outcome_words = (row["outcome"] or "").strip()
    outcome_on = _first_date(outcome_words, _OUTCOME_DATE)
    sample = _sample_stage(row, cells, base, filed_on, outcome_on)
    if sample is not None:
        stages.append(sample)
    if cells["full_count_valid"] is not None:
        stages.append(
            replace(
                base,
                stage="full count",
                on=outcome_on,
                required=required,
                valid=cells["full_count_valid"],
                invalid=cells["full_count_invalid"],
            )
        )
        required = None
    verdict = _outcome_verdict(outcome_words)
    if verdict is not None:
        if outcome_on is None and outcome_words.lower().startswith("not submitted"):
            outcome_on = _first_date(filing)
        if outcome_on is None and sample is not None and sample.published in _FROM_SAMPLE:
            outcome_on = sample.on
        stages.append(
            replace(
                base,
                stage="outcome",
                on=outcome_on,
                required=required,
                published=verdict,
                words=outcome_words,
            )
        )
    return stages


#: A sample that decides the petition without a full count (EC §11225(c), (e)).
_FROM_SAMPLE = ("projected to qualify", "projected to fail")


def _sample_stage(
    row: Mapping[str, str],
    cells: Mapping[str, int | None],
    base: PetitionStage,
    filed_on: date | None,
    outcome_on: date | None,
) -> PetitionStage | None:
    words = (row["sample_outcome"] or "").strip()
    published = _sample_verdict(words)
    figures = cells["sample_size"] is not None and cells["sample_valid"] is not None
    if not figures and published is None:
        return None
    on = _first_date(words) or _address_date(row["source_urls"] or "", filed_on, outcome_on)
    return replace(
        base,
        stage="sample",
        on=on,
        sample=cells["sample_size"] if figures else None,
        valid=cells["sample_valid"] if figures else None,
        duplicates=cells["sample_duplicates_reported"],
        published=published,
        words=words,
    )


def _sample_verdict(words: str) -> Verdict | None:
    """The band the registrar's words give a sample."""
    text = words.lower()
    if text.startswith("insufficient"):
        return "projected to fail"
    if text.startswith("sufficient"):
        return "projected to qualify"
    if text.startswith(("full count", "inconclusive")) or "manual count" in text:
        return "full count needed"
    return None


def _outcome_verdict(words: str) -> Verdict | None:
    """The certificate's verdict in the registrar's words."""
    text = words.lower()
    if text.startswith("qualified"):
        return "qualified"
    if text.startswith(("insufficient", "not submitted")):
        return "failed"
    return None


def _address_date(addresses: str, after: date | None, before: date | None) -> date | None:
    """The earliest date in a source address later than ``after`` and not later than
    ``before``: when the press first reported the stage."""
    dates = []
    for match in _ADDRESS_DATE.finditer(addresses):
        try:
            found = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if (after is None or found > after) and (before is None or found <= before):
            dates.append(found)
    return min(dates, default=None)
