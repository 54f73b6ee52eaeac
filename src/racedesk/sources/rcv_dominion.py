"""Dominion Democracy Suite cast vote records, as RCTab's ``dominion`` provider reads them: a
folder holding ``CvrExport*.json`` (sessions, each with its ``Original`` and perhaps
``Modified`` ballot; cards; contests; marks with ``CandidateId`` and ``Rank``). A candidate's
Dominion id is its alias in the configuration; ``undeclaredWriteInLabel`` is the id of the
undeclared write-in.
"""

from __future__ import annotations

import json
from typing import Any

from racedesk.errors import InputError
from racedesk.rcv.contest import UNDECLARED_WRITE_INS, Ballot
from racedesk.sources.rcv_config import CvrSource, RcvConfig
from racedesk.sources.rcv_tables import ranked
from racedesk.sources.safety import read_file


def read_dominion(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of a Dominion export folder in the ``contestId`` contest: one a session
    whose current ballot has the contest; ambiguous marks are no marks."""
    exports = sorted(source.path.glob("CvrExport*.json")) if source.path.is_dir() else []
    if not exports:
        raise InputError("no CvrExport*.json in the Dominion folder", where=str(source.path))
    ballots = []
    for path in exports:
        where = str(path)
        try:
            export = json.loads(read_file(path))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read the Dominion export: {exc}", where=where) from exc
        sessions = export.get("Sessions") if isinstance(export, dict) else None
        if not isinstance(sessions, list):
            raise InputError("a Dominion export needs a Sessions list", where=where)
        for n, session in enumerate(sessions, start=1):
            ballot = _ballot(session, config, source, f"{where}: session {n}")
            if ballot is not None:
                ballots.append(ballot)
    return ballots


def _ballot(
    session: dict[str, Any], config: RcvConfig, source: CvrSource, where: str
) -> Ballot | None:
    """One session's ballot in the contest (its ``Modified`` ballot when that is current)."""
    modified = session.get("Modified")
    current = modified if modified and modified.get("IsCurrent", True) else session.get("Original")
    if not isinstance(current, dict):
        raise InputError("a session with no ballot", where=where)
    wanted = source.option("contestId")
    write_in = source.option("undeclaredWriteInLabel")
    contests = [
        contest
        for card in current.get("Cards") or []
        for contest in card.get("Contests") or []
        if str(contest.get("Id")) == wanted
    ]
    if not contests:
        return None
    marks = []
    for contest in contests:
        for mark in contest.get("Marks") or []:
            if mark.get("IsAmbiguous"):
                continue
            rank, candidate = mark.get("Rank"), str(mark.get("CandidateId"))
            if not isinstance(rank, int):
                raise InputError(f"a mark with rank {rank!r}", where=where)
            label = UNDECLARED_WRITE_INS if write_in and candidate == write_in else candidate
            marks.append((rank, config.candidate_for(label, where)))
    record = session.get("RecordId", "")
    return Ballot(
        id=f"{session.get('TabulatorId', '')}-{session.get('BatchId', '')}-{record}",
        rankings=ranked(marks, where),
        precinct=str(current.get("PrecinctPortionId", "")),
        batch=str(session.get("BatchId", "")),
    )
