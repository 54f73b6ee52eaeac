"""Cast vote records as tables, as RCTab's ``ess`` (an ES&S xlsx export: one row a ballot, one
column a rank, the candidate's name in the cell), ``genericCsv`` (one row a ballot, one column
a candidate, the rank in the cell) and ``clearBallot`` (one column a candidate at a rank, 1
where marked) providers read them.

Both count columns and rows from 1, as RCTab's ``firstVoteColumnIndex``, ``firstVoteRowIndex``,
``idColumnIndex``, ``precinctColumnIndex`` and ``batchColumnIndex`` do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from racedesk.errors import InputError
from racedesk.rcv.contest import OVERVOTE, UNDECLARED_WRITE_INS, Ballot
from racedesk.sources.rcv_config import CvrSource, RcvConfig
from racedesk.sources.safety import decode_text, read_file


def ranked(marks: Iterable[tuple[int, str]], where: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(rank, candidate) marks grouped by rank, ranks ascending, a candidate once a rank."""
    by_rank: dict[int, list[str]] = {}
    for rank, name in marks:
        if rank < 1:
            raise InputError(f"rank {rank} (ranks start at 1)", where=where)
        names = by_rank.setdefault(rank, [])
        if name not in names:
            names.append(name)
    return tuple((rank, tuple(by_rank[rank])) for rank in sorted(by_rank))


def _index(source: CvrSource, key: str, where: str) -> int | None:
    """The 1-based option ``key`` as a 0-based index, None when blank."""
    text = source.option(key)
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise InputError(f"{key} {text!r} is not a column or row number from 1", where=where)
    return int(text) - 1


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_ess(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of an ES&S xlsx export: the first sheet's rows from ``firstVoteRowIndex``;
    ``maxRankingsAllowed`` rank columns from ``firstVoteColumnIndex`` (a cell is a candidate,
    ``overvoteLabel``, ``skippedRankLabel`` or blank for no mark, or
    ``undeclaredWriteInLabel``)."""
    import openpyxl

    where = str(source.path)
    try:
        book = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
        raise InputError(f"cannot read the ES&S xlsx workbook: {exc}", where=where) from exc
    try:
        rows = [
            tuple(_cell_text(v) for v in row)
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        book.close()
    return _rank_columns(config, source, rows, where)


def _rank_columns(
    config: RcvConfig, source: CvrSource, rows: Sequence[tuple[str, ...]], where: str
) -> list[Ballot]:
    first_row = _index(source, "firstVoteRowIndex", where) or 0
    first_column = _index(source, "firstVoteColumnIndex", where)
    if first_column is None:
        raise InputError("an ES&S source needs firstVoteColumnIndex", where=where)
    ranks = config.rules.max_rankings or max((len(r) for r in rows), default=0) - first_column
    labels = _labels(source)
    ballots = []
    for n, row in enumerate(rows[first_row:], start=first_row + 1):
        at = f"{where}: row {n}"
        if not any(row):
            continue
        cells = row[first_column : first_column + ranks]
        marks = []
        for rank, cell in enumerate(cells, start=1):
            mark = _mark(cell, labels, config, at)
            if mark is not None:
                marks.append((rank, mark))
        ballots.append(_ballot(source, row, n, ranked(marks, at), where))
    return ballots


def _labels(source: CvrSource) -> dict[str, str | None]:
    """The record's special cell texts and what each means (None: no mark at that rank)."""
    labels: dict[str, str | None] = {"": None}
    if source.option("skippedRankLabel"):
        labels[source.option("skippedRankLabel")] = None
    if source.option("overvoteLabel"):
        labels[source.option("overvoteLabel")] = OVERVOTE
    if source.option("undeclaredWriteInLabel"):
        labels[source.option("undeclaredWriteInLabel")] = UNDECLARED_WRITE_INS
    if source.options.get("treatBlankAsUndeclaredWriteIn"):
        labels[""] = UNDECLARED_WRITE_INS
    return labels


def _mark(cell: str, labels: dict[str, str | None], config: RcvConfig, where: str) -> str | None:
    if cell in labels:
        return labels[cell]
    return config.candidate_for(cell, where)


def _ballot(
    source: CvrSource,
    row: tuple[str, ...],
    n: int,
    rankings: tuple[tuple[int, tuple[str, ...]], ...],
    where: str,
) -> Ballot:
    """A ballot with its id, precinct and batch from their configured columns."""

    def column(key: str) -> str:
        index = _index(source, key, where)
        return row[index] if index is not None and index < len(row) else ""

    return Ballot(
        id=column("idColumnIndex") or str(n),
        rankings=rankings,
        precinct=column("precinctColumnIndex"),
        batch=column("batchColumnIndex"),
    )


def read_generic_csv(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of a generic CSV: a header row naming a candidate (or
    ``undeclaredWriteInLabel``) in each column from ``firstVoteColumnIndex``, then one row a
    ballot whose cells hold the rank given each candidate (blank: not ranked)."""
    where = str(source.path)
    text = decode_text(read_file(source.path), where, what="CSV of cast vote records")
    rows = [tuple(cell.strip() for cell in row) for row in csv.reader(io.StringIO(text))]
    first_column = _index(source, "firstVoteColumnIndex", where)
    first_row = _index(source, "firstVoteRowIndex", where) or 1
    if first_column is None or not rows:
        raise InputError("a generic CSV needs a header and firstVoteColumnIndex", where=where)
    labels = _labels(source)
    header = rows[0]
    columns = []
    for name in header[first_column:]:
        mark = labels.get(name) or config.candidate_for(name, f"{where}: row 1")
        columns.append(mark)
    ballots = []
    for n, row in enumerate(rows[first_row:], start=first_row + 1):
        at = f"{where}: row {n}"
        marks = []
        for candidate, cell in zip(columns, row[first_column:], strict=False):
            if not cell:
                continue
            if not cell.isdigit():
                raise InputError(f"the rank {cell!r} is not a whole number", where=at)
            marks.append((int(cell), candidate))
        ballots.append(_ballot(source, row, n, ranked(marks, at), where))
    return ballots


def read_clear_ballot(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of a Clear Ballot CSV export in the ``contestId`` contest: each column
    ``Choice_<n>_<m>:<contest>:<rank>:<vote for>:<candidate>:<party>`` holds 1 where the voter
    marked that candidate at that rank; ``BallotID`` and ``PrecinctID`` name the ballot."""
    where = str(source.path)
    text = decode_text(read_file(source.path), where, what="Clear Ballot CSV")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError("the Clear Ballot CSV is empty", where=where)
    header = rows[0]
    labels = _labels(source)
    choices: dict[int, tuple[int, str]] = {}
    for index, title in enumerate(header):
        parts = title.split(":")
        if not title.startswith("Choice_") or len(parts) < 5:
            continue
        if parts[1] != source.option("contestId"):
            continue
        if not parts[2].isdigit():
            raise InputError(f"the column {title!r} names no rank", where=f"{where}: row 1")
        name = parts[4].strip()
        mark = labels.get(name) or config.candidate_for(name, f"{where}: row 1")
        choices[index] = (int(parts[2]), mark)
    if not choices:
        raise InputError(f"no column of the contest {source.option('contestId')!r}", where=where)
    ballot_column = header.index("BallotID") if "BallotID" in header else None
    precinct_column = header.index("PrecinctID") if "PrecinctID" in header else None
    ballots = []
    for n, row in enumerate(rows[1:], start=2):
        at = f"{where}: row {n}"
        marks = [choices[i] for i in choices if i < len(row) and row[i].strip() not in ("", "0")]
        ballots.append(
            Ballot(
                id=row[ballot_column] if ballot_column is not None else str(n),
                rankings=ranked(marks, at),
                precinct=row[precinct_column] if precinct_column is not None else "",
            )
        )
    return ballots
