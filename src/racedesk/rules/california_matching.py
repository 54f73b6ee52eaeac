"""Which contests of two California feeds of one election are the same contest.

Los Angeles County's feed and the Secretary of State's feed name the same contest differently:
"UNITED STATES REPRESENTATIVE, 27th District" and "U.S. House of Representatives District 27"
(``us-rep-district-27``), "STATE MEASURE 1" and "Proposition 1: Bonds for …" (``prop-1``),
"PRESIDENTIAL PREFERENCE - DEMOCRATIC" and "President Democratic". :func:`office_key` reads
either title as one key (the state feed's path for the office: ``us-rep-district-27``,
``prop-1``, ``president-democrat``); contests of two sources with the same key are one contest.

Of a matched pair, the **contest of record**, the one the desk projects and calls, is the one
that sees the whole contest: the state's count of a statewide contest or of a district that
crosses the county line (the county's is its portion), the county's count of a district wholly
inside the county (whose feed gives ballots counted, undervotes and the registrar's estimates of
ballots left; the state's count is then a copy). The other is shown beside it, never called
(``Contest.record``). A user reviews the matches (``racedesk matches``) and may set or undo one
in a contest-rules file (``record = "prop-1"``, ``record = ""``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from racedesk.model import Contest, Election

_PARTIES = {
    "DEMOCRATIC": "democrat",
    "DEMOCRAT": "democrat",
    "REPUBLICAN": "republican",
    "GREEN": "green",
    "LIBERTARIAN": "libertarian",
    "PEACE AND FREEDOM": "peace-and-freedom",
    "AMERICAN INDEPENDENT": "american-independent",
}
_STATEWIDE = {
    "GOVERNOR": "governor",
    "LIEUTENANT GOVERNOR": "lieutenant-governor",
    "SECRETARY OF STATE": "secretary-of-state",
    "CONTROLLER": "controller",
    "TREASURER": "treasurer",
    "ATTORNEY GENERAL": "attorney-general",
    "INSURANCE COMMISSIONER": "insurance-commissioner",
    "SUPERINTENDENT OF PUBLIC INSTRUCTION": "superintendent-of-public-instruction",
}
_NUMBER = re.compile(r"\b(\d+)(?:ST|ND|RD|TH)?\s+DISTRICT\b|\bDISTRICT\s+(?:NO\.?\s*)?(\d+)\b")
_DISTRICT_OFFICES = (
    (re.compile(r"^(?:UNITED STATES|U\.\s?S\.)\s+(?:REPRESENTATIVE|HOUSE OF REPRESENTATIVES)\b"), "us-rep-district"),
    (re.compile(r"^(?:STATE SENATOR|STATE SENATE)\b"), "state-senate-district"),
    (re.compile(r"^(?:MEMBER OF THE STATE ASSEMBLY|STATE ASSEMBLY|MEMBER OF THE ASSEMBLY)\b"), "state-assembly-district"),
    (re.compile(r"^(?:MEMBER,?\s+)?(?:STATE\s+)?BOARD OF EQUALIZATION\b"), "board-of-equalization-district"),
)  # fmt: skip
_MEASURE = re.compile(r"^(?:STATE MEASURE|STATE PROPOSITION|PROPOSITION)\s+(\d+[A-Z]?)\b")
_PREFERENCE = re.compile(r"^PRESIDENTIAL (?:CANDIDATE )?PREFERENCE\s*[-–:]\s*(.+)$")
_PRESIDENT_PARTY = re.compile(r"^PRESIDENT\s+(" + "|".join(_PARTIES) + r")$")
_SENATE = re.compile(r"^(?:UNITED STATES|U\.\s?S\.)\s+SENAT(?:OR|E)\b")
_UNEXPIRED = re.compile(r"SHORT TERM|UNEXPIRED|PARTIAL")


def office_key(title: str) -> str | None:
    """The office (or measure) a contest's title names, as the state feed's path names it, or
    None for a contest that is not a state or federal one (a county's own contests)."""
    text = " ".join(title.upper().replace("\u2013", "-").split())
    if (m := _MEASURE.match(text)) is not None:
        return f"prop-{m.group(1).lower()}"
    if (m := _PREFERENCE.match(text)) is not None:
        party = _PARTIES.get(m.group(1).strip())
        return f"president-{party}" if party else None
    if (m := _PRESIDENT_PARTY.match(text)) is not None:
        return f"president-{_PARTIES[m.group(1)]}"
    if text in ("PRESIDENT", "PRESIDENT AND VICE PRESIDENT", "PRESIDENT/VICE PRESIDENT"):
        return "president"
    if _SENATE.match(text):
        return "us-senate-unexpired-term" if _UNEXPIRED.search(text) else "us-senate"
    for pattern, office in _DISTRICT_OFFICES:
        if pattern.match(text):
            number = _NUMBER.search(text)
            if number is None:
                return None
            return f"{office}-{int(number.group(1) or number.group(2))}"
    base = text.split(" - ")[0].strip()
    return _STATEWIDE.get(base)


class Match(NamedTuple):
    """Two contests of a joined election that are one contest: ``contest`` is shown beside
    ``record``, the contest of record, and never called; ``how`` says why they were matched."""

    contest: str
    record: str
    how: str


def match_contests(county: Election, others: Sequence[Election]) -> list[Match]:
    """The contests of ``county`` (a county's feed) that are the whole contests of ``others``
    (the state's feed), by :func:`office_key`, each with its contest of record (module
    docstring). Parts of contests in ``others`` (their own county slices) are not matched: a
    slice is already a portion."""
    wholes: dict[str, Contest] = {}
    for election in others:
        for contest in election.contests:
            key = office_key(contest.title) if not contest.portion else None
            if key is not None and key not in wholes:
                wholes[key] = contest
    matches: list[Match] = []
    for contest in county.contests:
        key = office_key(contest.title)
        whole = wholes.get(key) if key is not None else None
        if whole is None:
            continue
        if contest.portion:
            how = f"{key}: {contest.portion}'s part of the whole contest"
            matches.append(Match(contest.id, whole.id, how))
        else:
            how = f"{key}: counted whole in {county.jurisdiction or county.source}'s feed"
            matches.append(Match(whole.id, contest.id, how))
    return matches


def records(
    county: Election, others: Sequence[Election], reviewed: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """The (contest, contest of record) pairs a joined election is made with, sorted: those
    :func:`match_contests` finds, with a reviewed rules file's ``record`` entries (``reviewed``:
    contest id → its contest of record, "" for none) setting or undoing a match."""
    pairs = {m.contest: m.record for m in match_contests(county, others)}
    for contest, record in (reviewed or {}).items():
        if record:
            pairs[contest] = record
        else:
            pairs.pop(contest, None)
    return sorted(pairs.items())


__all__ = ["Match", "match_contests", "office_key", "records"]
