"""How many a contest elects, where its source names the office but not the number of seats.

OpenElections' files state no contest's seats. Taken as one seat everywhere, a contest electing
several would be "called" with all but its leader defeated: Arizona's 2020 "State
Representative Dist. 14" elected Griffin and Nutt, its "Corporation Commissioner" three. So the
number of seats is read, in this order, from:

1. **The words of the contest**: "(Vote for 3)", "Vote for no more than two", "(2 seats)".
   A party's committee or its convention's delegates are many, how many not known.
2. **The legislature's districts.** A lower house elects two members a district in Arizona and
   New Jersey (Ariz. Const. art. IV pt. 2 §1; N.J. Const. art. IV §2), and in North and South
   Dakota but for their lettered sub-districts (26A, 4B: one each). Maryland's, New Hampshire's
   and Vermont's districts elect one to many (Vermont's senate too), and West Virginia's did
   until 2022 (W. Va. Code §1-2-2): there the number is not known. Washington and Idaho elect
   theirs by numbered position or seat letter, one a contest: known only where the contest
   names it.
3. **An office of one**: President, U.S. Senator or Representative, Governor, the state's
   other executive officers, Mayor, Sheriff, a prosecutor, a county's clerk, assessor or
   recorder, and any office of a numbered district, ward, seat, position, place or area
   ("Board of Supervisors Dist. 1", "Trustee Area 3", "Office No. 5", a lettered "DISTRICT A");
   and a recall's successor contest, whose plurality winner takes the one recalled officer's
   place (Cal. Const. art. II §15(c)), even of a board elected at large.

Anything else (a city council or school board at large, "Corporation Commissioner") has an
unknown number of seats: :func:`seats_of` says None, and the source keeps such a contest with
its rule unknown (shown, never called) until a contest-rules file states its seats.
"""

from __future__ import annotations

import re
from typing import Final

from racedesk.model import Rule
from racedesk.rules.successor import successor_condition

_NUMBER_WORDS: Final = {
    w: n
    for n, w in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), start=1
    )
}
_N: Final = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_STATED: Final = (
    re.compile(
        r"\b(?:vote|elect|choose|select)\s+(?:for\s+)?"
        r"(?:not\s+more\s+than\s+|no\s+more\s+than\s+|up\s+to\s+|any\s+)?" + _N + r"\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b" + _N + r"\s+(?:seats|positions|vacancies|to\s+be\s+elected)\b", re.IGNORECASE),
)

#: Members a lower-house district elects, where every district elects the same number.
LOWER_HOUSE_MEMBERS: Final = {"AZ": 2, "NJ": 2, "ND": 2, "SD": 2}
#: States whose lettered sub-districts elect one member each (``26A``, ``4B``).
_LETTERED_SINGLE: Final = frozenset({"ND", "SD"})
#: States whose lower-house districts elect from one to many members.
VARYING_LOWER_HOUSE: Final = frozenset({"MD", "NH", "VT"})
#: States whose senate districts elect from one to many senators.
VARYING_SENATE: Final = frozenset({"VT"})
#: States that elect each district's members by position or seat, one contest each.
BY_POSITION: Final = frozenset({"WA", "ID"})
#: The year West Virginia's house of delegates became one member a district (HB 4002, 2018).
WEST_VIRGINIA_SINGLE_FROM: Final = 2022

_FEDERAL: Final = re.compile(
    r"\b(?:u\.?\s?s\.?|united\s+states)\s+(?:senat|house|represent|congress)|\bcongress",
    re.IGNORECASE,
)
_LOWER_HOUSE: Final = re.compile(
    r"\b(?:state\s+house|state\s+assembly|member\s+of\s+(?:the\s+)?assembly|assembly\s*member|"
    r"assemblyman|state\s+representative|house\s+of\s+(?:representatives|delegates)|"
    r"state\s+delegate|general\s+assembly)\b|^\s*assembly\b",
    re.IGNORECASE,
)
#: Bodies of many members a contest can name beside a district or office: a party's committee,
#: its convention's delegates.
_MANY: Final = re.compile(r"\bcommittee\w*|(?<!house of )\bdelegates?\b", re.IGNORECASE)
#: A numbered district that is the body electing, not the part of it a member is elected by.
_ENTITY_DISTRICT: Final = re.compile(
    r"\b(?:school|fire|water|hospital|health|parks?|recreation|sanitary|sanitation|utility|"
    r"conservation|library|road|drainage|irrigation|college|cemetery|transit|port|airport|levee|"
    r"reclamation|protection|services?|improvement|special)\s+(?:district|dist)\.?\s*"
    r"(?:no\.?|#)?\s*\d+[a-z]?",
    re.IGNORECASE,
)
_SENATE: Final = re.compile(r"\bsenat(?:e|or)\b", re.IGNORECASE)
_OFFICE_OF_ONE: Final = re.compile(
    r"\b(?:president(?:ial)?|governor|lt\.?\s+governor|attorney\s+general|secretary\s+of\s+state|"
    r"treasurer|auditor|controller|comptroller|superintendent|insurance\s+commissioner|"
    r"commissioner\s+of\s+(?:insurance|agriculture|labor|public\s+lands|education)|mayor|"
    r"sheriff|district\s+attorney|county\s+attorney|state'?s\s+attorney|prosecut\w*|"
    r"public\s+defender|city\s+attorney|(?:county|city|town|circuit|district)\s+clerk|clerk\s+of\s+(?:the\s+)?"
    r"(?:\w+\s+)?court|recorder|register\s+of\s+deeds|assessor|coroner|surveyor|"
    r"tax\s+collector|probate\s+judge|judge\s+of\s+probate|county\s+executive|county\s+judge)\b",
    re.IGNORECASE,
)
_AT_LARGE: Final = re.compile(r"\bat[\s-]+large\b", re.IGNORECASE)
_NUMBERED: Final = re.compile(
    r"\b(?:district|dist|ward|division|div|seat|position|pos|place|post|office|zone|area|"
    r"subdistrict|precinct)\.?\s*(?:no\.?|number|#)?\s*(?:\d+[a-z]?|(?-i:[A-Z]))\b",
    re.IGNORECASE,
)
_DISTRICT_CELL: Final = re.compile(r"^\s*(?:no\.?\s*)?\d+[a-z]?\s*$", re.IGNORECASE)
_LETTERED: Final = re.compile(r"\d+\s*[ab]\b", re.IGNORECASE)
_POSITION: Final = re.compile(
    r"\b(?:position|pos\.?|seat)\s*(?:no\.?|#)?\s*(?:\d+|[ab])\b|\b\d+\s*[ab]\b|\s[ab]$",
    re.IGNORECASE,
)


def stated_seats(text: str) -> int | None:
    """The number of seats ``text`` (a contest's title or office) states, as a ballot does
    ("Vote for 3", "Vote for no more than two", "(2 seats)"); None where it states none."""
    for pattern in _STATED:
        m = pattern.search(text)
        if m:
            word = m.group(1).lower()
            n = int(word) if word.isdigit() else _NUMBER_WORDS[word]
            if n >= 1:
                return n
    return None


def _is_legislature(title: str) -> bool:
    """Whether ``title`` names a seat in a state's senate or lower house."""
    return bool(_SENATE.search(title) or _LOWER_HOUSE.search(title))


def _legislature_seats(state: str, title: str, district: str, year: int) -> int | None:
    """A state legislative contest's seats (module docstring, 2); None where not known."""
    where = f"{title} {district}"
    if _SENATE.search(title):
        return None if state in VARYING_SENATE else 1
    if state in VARYING_LOWER_HOUSE or (state == "WV" and year < WEST_VIRGINIA_SINGLE_FROM):
        return None
    if state in BY_POSITION:
        return 1 if _POSITION.search(where.strip()) else None
    members = LOWER_HOUSE_MEMBERS.get(state)
    if members is None:
        return 1
    return 1 if state in _LETTERED_SINGLE and _LETTERED.search(where) else members


def seats_of(state: str, title: str, district: str = "", *, year: int) -> int | None:
    """How many the contest ``title`` (its office, with ``district`` if the source keeps it
    apart) elects in ``state`` (a postal code, "" if not known) in ``year``, by the module's
    order; None where no source of it knows."""
    st = state.strip().upper()
    full = f"{title} {district}".strip()
    stated = stated_seats(full)
    if stated is not None:
        return stated
    if successor_condition(title):
        return 1
    if _MANY.search(full):
        return None
    if _FEDERAL.search(title):
        return 1
    if _is_legislature(title):
        return _legislature_seats(st, title, district, year)
    if _OFFICE_OF_ONE.search(title):
        return 1
    if _AT_LARGE.search(full):
        return None
    if _NUMBERED.search(_ENTITY_DISTRICT.sub("", full)) or _DISTRICT_CELL.match(district):
        return 1
    return None


def unstated_seats_rule(title: str) -> Rule:
    """The rule of the contest titled ``title``, of more than one candidate, whose seats nothing
    states (:func:`seats_of` says None): unknown, so it is shown and never called until a
    contest-rules file gives its seats."""
    return Rule(kind="unknown", text=f"{title} (the file does not state how many it elects)")


__all__ = [
    "BY_POSITION",
    "LOWER_HOUSE_MEMBERS",
    "VARYING_LOWER_HOUSE",
    "VARYING_SENATE",
    "seats_of",
    "stated_seats",
    "unstated_seats_rule",
]
