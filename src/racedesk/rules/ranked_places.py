"""Where a contest is counted by ranked choice though its source gives first choices alone.

AP, Clarity and OpenElections give each candidate's votes and no rule. In a place that counts
by ranked choice those votes are the first choices, and the leader of the first choices need
not win: Oakland's 2010 mayoral count had Don Perata ahead of Jean Quan by 33.7% to 24.5% in
first choices, and Quan won on the transfers. Taken as plurality, such a contest would be called
for the first-choice leader. So a contest is ranked choice (:mod:`racedesk.rules.ranked_choice`:
never called before the rounds are published) where:

- its title says so ("(RCV)", "Ranked Choice", "Instant Runoff");
- **Maine** counts its party primaries for state and federal offices, and its general elections
  for federal offices, by ranked choice (21-A M.R.S. §723-A);
- **Alaska** counts its general elections for state and federal offices by ranked choice (Alaska
  Stat. §15.15.350(d)–(e), Ballot Measure 2 of 2020); its primary for them sends the top four on
  since 2022 and nominated one a party before, which a file does not say: such a primary
  contest is kept ``unknown``;
- a city that counts its own offices so is named in the title: in California San Francisco
  (Charter §13.102), Oakland, Berkeley, San Leandro and Albany; Minneapolis and Saint Paul in
  Minnesota; Portland in Oregon; Santa Fe and Las Cruces in New Mexico; Takoma Park in Maryland;
  Cambridge in Massachusetts.

A ranked count that fills more than one seat (single transferable vote: Cambridge, Portland's
council, Albany's) is not one racedesk holds: such a contest is kept ``unknown``. A contest-rules
file states the rule of a place not listed. A place that has since given ranked choice up is
still taken for one: that only holds a call back.
"""

from __future__ import annotations

import re
from typing import Final

from racedesk.model import Rule
from racedesk.model.election import ElectionKind

_SAYS_RANKED: Final = re.compile(
    r"\b(?:RCV|IRV|ranked[\s-]+choice|instant[\s-]+runoff|preferential\s+voting)\b", re.IGNORECASE
)
_FEDERAL: Final = re.compile(
    r"\b(?:president|U\.?\s?S\.?\s+(?:senat|house|rep)|united\s+states|congress)", re.IGNORECASE
)
_STATE_OR_FEDERAL: Final = re.compile(
    r"\b(?:president|governor|senat\w*|house|representative|congress|legislat\w*|"
    r"united\s+states|U\.?\s?S\.?)\b",
    re.IGNORECASE,
)
#: Cities that count their own offices by ranked choice, by state (module docstring).
RANKED_CITIES: Final = {
    "CA": ("San Francisco", "Oakland", "Berkeley", "San Leandro", "Albany"),
    "MN": ("Minneapolis", "Saint Paul", "St. Paul", "St Paul"),
    "OR": ("Portland",),
    "NM": ("Santa Fe", "Las Cruces"),
    "MD": ("Takoma Park",),
    "MA": ("Cambridge",),
}


#: Why an Alaskan primary's rule is not known from its file (:func:`ranked_rule`).
ALASKA_PRIMARY: Final = (
    "Alaska's primary sends the top four on whatever their party since 2022 (Alaska Stat. "
    "§15.25.100), and nominated one a party before; the file does not say which"
)


def ranked_why(state: str, kind: ElectionKind, title: str) -> str:
    """Why the contest titled ``title``, of ``kind``'s election in ``state`` (a postal code),
    is counted by ranked choice (module docstring); "" where nothing says it is."""
    st = state.strip().upper()
    if _SAYS_RANKED.search(title):
        return "its title says it is counted by ranked choice"
    maine = kind == "primary" or _FEDERAL.search(title)
    if st == "ME" and maine and _STATE_OR_FEDERAL.search(title):
        return "Maine counts it by ranked choice, 21-A M.R.S. §723-A"
    if st == "AK" and kind != "primary" and _STATE_OR_FEDERAL.search(title):
        return "Alaska counts it by ranked choice, Alaska Stat. §15.15.350"
    for city in RANKED_CITIES.get(st, ()):
        if re.search(rf"\b{re.escape(city)}\b(?!\s+County)", title, re.IGNORECASE):
            return f"{city} counts its offices by ranked choice"
    return ""


def ranked_rule(
    state: str, kind: ElectionKind, title: str, *, seats: int, candidates: int
) -> Rule | None:
    """The rule of a contest of ``candidates`` named candidates for ``seats`` counted by ranked
    choice (:func:`ranked_why`): one seat is :mod:`racedesk.rules.ranked_choice`'s, never
    called on first choices alone; more than one (single transferable vote) is unknown; None
    where nothing says the count is ranked, or where two candidates make the first choices
    decide. An Alaskan primary for a state or federal office is unknown whatever its candidates
    (module docstring)."""
    if state.strip().upper() == "AK" and kind == "primary" and _STATE_OR_FEDERAL.search(title):
        return Rule(kind="unknown", text=f"{title}: {ALASKA_PRIMARY}")
    why = ranked_why(state, kind, title) if candidates > 2 else ""
    if not why:
        return None
    if seats > 1:
        return Rule(kind="unknown", text=f"{title}: {why}, for {seats} seats")
    return Rule(kind="ranked_choice", text=f"ranked choice: {why}")


__all__ = ["ALASKA_PRIMARY", "RANKED_CITIES", "ranked_rule", "ranked_why"]
