"""Cast vote records in the NIST CVR common data format (SP 1500-103), JSON form, as RCTab's
``cdf`` provider reads them: one contest (``contestId``: the contest's ``@id`` or ``Name``),
each record's current snapshot, each selection's positions with a ``Rank``.
"""

from __future__ import annotations

import json
from typing import Any

from racedesk.errors import InputError
from racedesk.rcv.contest import Ballot
from racedesk.sources.rcv_config import CvrSource, RcvConfig
from racedesk.sources.rcv_tables import ranked


def read_cdf(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of ``source`` (a CDF JSON report) in the configured contest."""
    where = str(source.path)
    if source.path.suffix.lower() == ".xml":
        raise InputError("racedesk does not read CDF XML records yet (CDF JSON only)", where=where)
    try:
        report = json.loads(source.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the CDF cast vote records: {exc}", where=where) from exc
    if not isinstance(report, dict) or not isinstance(report.get("CVR"), list):
        raise InputError("a CDF CastVoteRecordReport needs a CVR list", where=where)
    contest_id, selections = _contest(report, source.option("contestId"), config, where)
    ballots = []
    for n, record in enumerate(report["CVR"], start=1):
        at = f"{where}: CVR {n}"
        marks = _marks(record, contest_id, selections, at)
        ballot_id = str(record.get("BallotPrePrintedId") or record.get("UniqueId") or n)
        ballots.append(Ballot(id=ballot_id, rankings=ranked(marks, at)))
    return ballots


def _contest(
    report: dict[str, Any], wanted: str, config: RcvConfig, where: str
) -> tuple[str, dict[str, str]]:
    """The contest's ``@id`` and each of its selections' ``@id`` to a configured candidate."""
    names: dict[str, str] = {}
    for election in report.get("Election") or []:
        for candidate in election.get("Candidate") or []:
            names[str(candidate.get("@id"))] = str(candidate.get("Name", ""))
        for contest in election.get("Contest") or []:
            if wanted in (contest.get("@id"), contest.get("Name")):
                selections = {}
                for selection in contest.get("ContestSelection") or []:
                    ids = selection.get("CandidateIds") or []
                    if len(ids) != 1 or str(ids[0]) not in names:
                        raise InputError(
                            "a contest selection names no single known candidate",
                            where=f"{where}: selection {selection.get('@id')}",
                        )
                    name = config.candidate_for(names[str(ids[0])], where)
                    selections[str(selection.get("@id"))] = name
                return str(contest.get("@id")), selections
    raise InputError(f"no contest {wanted!r} in the CDF report", where=where)


def _marks(
    record: dict[str, Any], contest_id: str, selections: dict[str, str], where: str
) -> list[tuple[int, str]]:
    """The (rank, candidate) marks of one record's current snapshot in the contest."""
    current = record.get("CurrentSnapshotId")
    snapshots = record.get("CVRSnapshot") or []
    chosen = [s for s in snapshots if s.get("@id") == current] or snapshots[-1:]
    marks: list[tuple[int, str]] = []
    for snapshot in chosen:
        for contest in snapshot.get("CVRContest") or []:
            if contest.get("ContestId") != contest_id:
                continue
            for selection in contest.get("CVRContestSelection") or []:
                name = selections.get(str(selection.get("ContestSelectionId")))
                if name is None:
                    raise InputError("a selection the contest does not list", where=where)
                for position in selection.get("SelectionPosition") or []:
                    if position.get("HasIndication", "yes") != "yes":
                        continue
                    rank = position.get("Rank")
                    if not isinstance(rank, int) or rank < 1:
                        raise InputError(f"a selection position with rank {rank!r}", where=where)
                    marks.append((rank, name))
    return marks
