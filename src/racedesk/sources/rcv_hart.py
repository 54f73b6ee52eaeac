"""Hart Verity cast vote records, as RCTab's ``hart`` provider reads them: a folder of XML
files, one a ballot sheet (``Cvr``); the contest (``contestId``: its ``Id``) lists the options
marked, each with its ``Id`` (a candidate's alias in the configuration), ``Name`` and ``Value``
(the rank). An option with ``WriteInData`` is an undeclared write-in.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from racedesk.errors import InputError
from racedesk.rcv.contest import UNDECLARED_WRITE_INS, Ballot
from racedesk.sources.rcv_config import CvrSource, RcvConfig
from racedesk.sources.rcv_tables import ranked
from racedesk.sources.safety import parse_xml, read_file


def _child(node: Any, name: str) -> Any:
    """The first child element of ``node`` named ``name`` (namespace aside), or None."""
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child
    return None


def _text(node: Any, name: str) -> str:
    child = _child(node, name) if node is not None else None
    return (child.text or "").strip() if child is not None else ""


def read_hart(config: RcvConfig, source: CvrSource) -> list[Ballot]:
    """The ballots of a folder of Hart XML records (files in name order) that have the
    ``contestId`` contest; a sheet without the contest is no ballot of it."""
    if not source.path.is_dir():
        raise InputError("a Hart source is a folder of XML records", where=str(source.path))
    wanted = source.option("contestId")
    ballots = []
    for path in sorted(source.path.glob("*.xml")):
        where = str(path)
        root = parse_xml(read_file(path), where)
        contests = _child(root, "Contests")
        contest = next(
            (c for c in (contests if contests is not None else []) if _text(c, "Id") == wanted),
            None,
        )
        if contest is None:
            continue
        marks = [_option(option, config, where) for option in _options(contest)]
        ballots.append(
            Ballot(
                id=_text(root, "CvrGuid") or path.stem,
                rankings=ranked(marks, where),
                precinct=_text(_child(root, "PrecinctSplit"), "Name"),
                batch=_text(root, "BatchNumber"),
            )
        )
    return ballots


def _options(contest: Any) -> list[Any]:
    options = _child(contest, "Options")
    if options is None:
        return []
    return [o for o in options if isinstance(o.tag, str)]


def _option(option: Any, config: RcvConfig, where: str) -> tuple[int, str]:
    """One marked option as (rank, candidate)."""
    rank = _text(option, "Value")
    if not rank.isdigit() or int(rank) < 1:
        raise InputError(f"an option whose Value (its rank) is {rank!r}", where=where)
    if _child(option, "WriteInData") is not None:
        return int(rank), config.candidate_for(UNDECLARED_WRITE_INS, where)
    key = _text(option, "Id")
    if key in config.aliases:
        return int(rank), config.aliases[key]
    return int(rank), config.candidate_for(_text(option, "Name"), where)
