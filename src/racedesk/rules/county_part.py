"""How much of a contest one county's results see, in any state.

A county's results (a Clarity county site, an OpenElections county file, a county's CDF report)
carry every contest on the county's ballots: the county's own, and its part of statewide
contests and of districts that reach beyond it. Called from that part, a statewide contest could
be called for the candidate who loses the state (``../shared/design/architecture.md``: never call
what you cannot see whole). So a county's part is marked as such (``Contest.portion``), shown,
never called.

- **In California** :func:`racedesk.rules.california.portion_in_county` says it, with the
  counties each district of the 2021 maps spans.
- **Elsewhere** racedesk holds no district maps, so it leans to the part: statewide offices and
  questions (numbered ones: "Amendment 2", "Issue No. 1", "Proposition 123"), seats in Congress
  and the legislature, appellate and circuit courts, judicial and prosecutorial districts, joint,
  regional and multi-county bodies are the county's part; the county's own offices and its
  cities', towns', schools' and lettered measures are whole.

A contest-rules file says otherwise for a contest either way (``portion = ""`` for a district
wholly in the county, ``portion = "Greenup County"`` for a body that spans counties though its
name does not say so): :mod:`racedesk.sources.rules_file`.
"""

from __future__ import annotations

import re
from typing import Final

from racedesk.rules.california import portion_in_county

#: Titles of contests that reach beyond one county (module docstring), matched anywhere.
_BEYOND: Final = re.compile(
    r"^\s*(?:PRESIDENT|PRESIDENTIAL)\b"
    r"|\b(?:U\.?\s?S\.?|UNITED STATES)\s+(?:SENAT|HOUSE|REPRESENTATIVE|CONGRESS)"
    r"|\b(?:CONGRESS|CONGRESSIONAL|GOVERNOR|LIEUTENANT GOVERNOR|LT\.? GOVERNOR"
    r"|SECRETARY OF STATE|ATTORNEY GENERAL|STATE TREASURER|TREASURER OF STATE|STATE AUDITOR"
    r"|AUDITOR OF STATE|AUDITOR OF PUBLIC ACCOUNTS|AUDITOR GENERAL|STATE COMPTROLLER"
    r"|COMPTROLLER GENERAL|STATE CONTROLLER|INSURANCE COMMISSIONER|COMMISSIONER OF INSURANCE"
    r"|COMMISSIONER OF AGRICULTURE|AGRICULTURE COMMISSIONER|COMMISSIONER OF LABOR"
    r"|LABOR COMMISSIONER|LAND COMMISSIONER|GENERAL LAND OFFICE|RAILROAD COMMISSION(?:ER)?"
    r"|(?:PUBLIC SERVICE|CORPORATION|PUBLIC REGULATION) COMMISSION(?:ERS?)?|MINE INSPECTOR"
    r"|SUPR(?:EME)?\.? CT|CT\.? (?:OF )?APP(?:EALS?)?"
    r"|SUPERINTENDENT OF PUBLIC INSTRUCTION|STATE SUPERINTENDENT|STATE BOARD OF EDUCATION"
    r"|BOARD OF REGENTS|SUPREME COURT|COURT OF APPEALS?|COURT OF CRIMINAL APPEALS|APPELLATE"
    r"|COMMONWEALTH COURT|STATE SENAT(?:E|OR)|SENATE DISTRICT|STATE REPRESENTATIVE|STATE HOUSE"
    r"|HOUSE OF REPRESENTATIVES|HOUSE OF DELEGATES|HOUSE DISTRICT|ASSEMBLY|LEGISLATIVE"
    r"|LEGISLATURE|JUDICIAL|PROSECUTORIAL|COMMONWEALTH'?S ATTORNEY|CONSTITUTIONAL AMENDMENT"
    r"|STATEWIDE|STATE QUESTION|STATE ISSUE|STATE MEASURE|STATE PROPOSITION|MULTI-?COUNTY"
    r"|REGIONAL|JOINT)\b"
    r"|\bCIRCUIT\b(?!\s+(?:COURT\s+)?CLERK)"
    r"|^\s*(?:PROPOSITION|AMENDMENT|ISSUE|QUESTION|REFERENDUM|INITIATIVE|MEASURE|REFERRED)"
    r"\s*(?:NO\.?\s*|NUMBER\s*|#\s*)?\d+\b(?!-)",
    re.IGNORECASE,
)


#: Each state's counties and county equivalents by the 2020 census (Louisiana's parishes,
#: Virginia's 38 independent cities, Baltimore, St. Louis, Carson City, the District of
#: Columbia): 3,143 in all with Alaska's 30 boroughs and census areas and New England's 67
#: counties, which are left out, for AP's subunits there are house districts and towns.
STATE_COUNTIES: Final[dict[str, int]] = {
    "AL": 67, "AZ": 15, "AR": 75, "CA": 58, "CO": 64, "DE": 3, "DC": 1, "FL": 67, "GA": 159,
    "HI": 5, "ID": 44, "IL": 102, "IN": 92, "IA": 99, "KS": 105, "KY": 120, "LA": 64, "MD": 24,
    "MI": 83, "MN": 87, "MS": 82, "MO": 115, "MT": 56, "NE": 93, "NV": 17, "NJ": 21, "NM": 33,
    "NY": 62, "NC": 100, "ND": 53, "OH": 88, "OK": 77, "OR": 36, "PA": 67, "SC": 46, "SD": 66,
    "TN": 95, "TX": 254, "UT": 29, "VA": 133, "WA": 39, "WV": 55, "WI": 72, "WY": 23,
}  # fmt: skip


def every_county(state: str, counties: int) -> bool:
    """Whether ``counties`` distinct counties' results are all of ``state``'s
    (:data:`STATE_COUNTIES`); never for a state whose count is not kept here."""
    known = STATE_COUNTIES.get(state.strip().upper())
    return known is not None and counties >= known


def county_part(title: str, county_name: str, *, state: str, county: str, year: int) -> str:
    """How much of the contest titled ``title`` a county's results see (module docstring):
    ``""`` for the whole contest, else ``county_name`` ("Alpine County"), the part they cover.

    ``state`` is the state's postal code ("ca"; "" when the source does not say it), ``county``
    the county as California's feed names it (``alpine``, ``los-angeles``), ``year`` the
    election's (for which district maps hold)."""
    if state.strip().lower() == "ca":
        return portion_in_county(title, county, county_name, year)
    return county_name if _BEYOND.search(" ".join(title.split())) else ""


def county_name_of(place: str, state: str = "") -> str:
    """The name a county's part goes by, from the source's name for the place ("alpine",
    "Greenup", "Orleans Parish"): the place as it is when it already says what it is, else
    with "County" (Louisiana's "Parish")."""
    name = " ".join(place.replace("_", " ").split())
    name = name.title() if name.islower() else name
    if re.search(r"\b(?:COUNTY|PARISH|BOROUGH|CITY|CENSUS AREA|MUNICIPALITY)\b", name, re.I):
        return name
    return f"{name} {'Parish' if state.strip().lower() == 'la' else 'County'}"


__all__ = ["STATE_COUNTIES", "county_name_of", "county_part", "every_county"]
