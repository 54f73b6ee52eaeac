"""Cast vote records in the NIST CVR common data format (SP 1500-103), JSON or XML, as RCTab's
``cdf`` provider reads them: one contest (``contestId``: the contest's ``@id`` or ``Name``),
each record's current snapshot, each selection's positions with a ``Rank``.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from racedesk.errors import InputError
from racedesk.rcv.contest import UNDECLARED_WRITE_INS, Ballot
from racedesk.sources.rcv_config import CvrSource, RcvConfig
from racedesk.sources.rcv_tables import ranked
from racedesk.sources.safety import decode_text, parse_xml, read_file


def read_cdf(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of ``source`` (a CDF report, JSON or XML) in the configured contest: one a
    record whose current snapshot has the contest (none ranked there: an undervote)."""
    where = str(source.path)
    if source.path.suffix.lower() == ".xml":
        report = xml_report(read_file(source.path), where)
    else:
        try:
            report = json.loads(decode_text(read_file(source.path), where, what="CDF report"))
        except json.JSONDecodeError as exc:
            raise InputError(f"cannot read the CDF cast vote records: {exc}", where=where) from exc
    if not isinstance(report, dict) or not isinstance(report.get("CVR"), list):
        raise InputError("a CDF CastVoteRecordReport needs a CVR list", where=where)
    contest_id, selections = _contest(report, source.option("contestId"), config, where)
    ballots = []
    for n, record in enumerate(report["CVR"], start=1):
        at = f"{where}: CVR {n}"
        marks = _marks(record, contest_id, selections, at)
        if marks is None:
            continue
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
                    if str(selection.get("IsWriteIn", "")).lower() == "true":
                        label = UNDECLARED_WRITE_INS
                        selections[str(selection.get("@id"))] = config.candidate_for(label, where)
                        continue
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
) -> list[tuple[int, str]] | None:
    """The (rank, candidate) marks of one record's current snapshot in the contest (None when
    the snapshot does not have the contest); positions without an indication or a rank are
    no marks."""
    current = record.get("CurrentSnapshotId")
    snapshots = record.get("CVRSnapshot") or []
    chosen = [s for s in snapshots if s.get("@id") == current] or snapshots[-1:]
    contests = [
        contest
        for snapshot in chosen
        for contest in snapshot.get("CVRContest") or []
        if contest.get("ContestId") == contest_id
    ]
    if not contests:
        return None
    marks: list[tuple[int, str]] = []
    for contest in contests:
        for selection in contest.get("CVRContestSelection") or []:
            for position in selection.get("SelectionPosition") or []:
                rank = position.get("Rank")
                if position.get("HasIndication", "yes") != "yes" or rank is None:
                    continue
                if not isinstance(rank, int) or rank < 1:
                    raise InputError(f"a selection position with rank {rank!r}", where=where)
                name = selections.get(str(selection.get("ContestSelectionId")))
                if name is None:
                    raise InputError("a selection the contest does not list", where=where)
                marks.append((rank, name))
    return marks


#: The CDF elements that repeat, kept as lists when the XML form is read as the JSON form.
REPEATED = {
    "CVR",
    "CVRSnapshot",
    "CVRContest",
    "CVRContestSelection",
    "SelectionPosition",
    "Election",
    "Candidate",
    "Contest",
    "ContestSelection",
    "CandidateIds",
}


def xml_report(data: bytes, where: str) -> dict[str, Any]:
    """A CDF XML report as the JSON form's structure (``ObjectId`` as ``@id``, repeated
    elements as lists, ``Rank`` as a number), so that one reader serves both."""
    root = parse_xml(data, where)
    report = _element(root, where)
    return report if isinstance(report, dict) else {}


def _element(node: Any, where: str) -> Any:
    children = [c for c in node if isinstance(c.tag, str)]
    if not children and node.get("ObjectId") is not None:
        return {"@id": node.get("ObjectId")}
    if not children:
        text = (node.text or "").strip()
        if etree.QName(node).localname == "Rank":
            if not text.isdigit():
                raise InputError(f"a Rank {text!r} that is not a whole number", where=where)
            return int(text)
        return text
    value: dict[str, Any] = {}
    if node.get("ObjectId") is not None:
        value["@id"] = node.get("ObjectId")
    for child in children:
        name = etree.QName(child).localname
        item = _element(child, where)
        if name in REPEATED:
            value.setdefault(name, []).append(item)
        else:
            value[name] = item
    return value
