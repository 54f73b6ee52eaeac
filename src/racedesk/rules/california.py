"""How a California results feed says which rule a contest has.

- **Candidate contests**: in a primary, voter-nominated offices are top-two (Prop 14 of 2010);
  nonpartisan county and judicial offices, the Superintendent of Public Instruction and a
  county superintendent of schools (Cal. Const. art. II §6(a)), and the offices of a city's
  primary nominating election, are majority-or-runoff with 2 × seats advancing (EC
  §8140–8142); everything else on a primary ballot (party contests, consolidated general
  elections) and every candidate contest of a general election is plurality, vote for N
  electing N (EC §15452). A file that names a city's, a school's or a district's office in a
  primary without the election it belongs to cannot tell which of these it is
  (:func:`local_primary_rule`: unknown, but the City of San Diego's top-two).
- **Measures**: the threshold is read from the feed's words ("Majority of votes cast", "55%",
  "2/3 of votes cast", "Two-thirds", "2/3 votes, 55% if prop 5 passes"), the words kept
  verbatim; no words is any threshold from a majority to two-thirds, settled only where they
  all agree (:func:`unstated_measure_rule`; a statewide proposition's majority, art. II §10(a),
  is stated); words racedesk cannot read keep no threshold, so that the standing says "rule
  unknown" rather than guess. Recalls pass by more than half (EC §11000 ff.).
- **Judges' retention** (LA's ``"Type": "Judicial"``, ``.ets`` JC records): yes/no, retained
  with more than half of the votes on the question (California Constitution art. VI §16).
- **The Secretary of State's feed** names the office in each contest's title ("U.S. Senate
  (Full Term)", "State Assembly District 34", "President Democratic"):
  :func:`state_office_rule` reads it. The voter-nominated offices (California Constitution
  art. II §5; EC §359.5: Congress, the Legislature and the state's executive offices) are
  top-two in a primary; a party's presidential primary is plurality for one.
- **A type racedesk does not know** keeps its counts under an ``unknown`` rule
  (:mod:`racedesk.rules.unknown`): shown, never projected or called.
- **How much of a contest a county's feed sees** (:func:`portion_in_county`): all of a
  county's own contests, but only the county's part of a statewide contest (President, U.S.
  Senate, statewide offices and propositions, the Supreme Court and the Courts of Appeal), of a
  district that spans other counties (:func:`district_table`: the 2021 maps,
  :data:`racedesk.rules.california_districts.DISTRICT_COUNTIES`, and the 2011 maps before them,
  :data:`racedesk.rules.california_districts_2011.DISTRICT_COUNTIES_2011`), and of a special district
  that does (a "joint" district, California's name for one that lies in more than one county,
  Education Code §35512 and §4010 ff.; and the districts named in :data:`SPANNING_DISTRICTS`).

Every adapter of a California county's feed (LA County's JSON and ``.ets``, San Diego's CSV)
asks here, and :mod:`racedesk.rules.county_part` for a California county's file of another
source.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Final

from racedesk.errors import InputError
from racedesk.model import Rule
from racedesk.rules.california_districts import DISTRICT_COUNTIES
from racedesk.rules.california_districts_2011 import DISTRICT_COUNTIES_2011
from racedesk.rules.places import plurality_rule

# Groups and titles of offices decided by majority-or-runoff in a primary (EC §8140–8142 for
# county and judicial offices; city charters for "PRIMARY NOMINATING" elections and the school
# boards consolidated with them).
MAJORITY_GROUPS: Final = frozenset(
    {"district attorney", "board of supervisors", "judge superior court", "sheriff", "assessor"}
)
_MAJORITY_TITLE: Final = re.compile(
    r"\bPRIMARY\b|^LOS ANGELES UNIFIED SCHOOL DISTRICT|^LONG BEACH UNIFIED SCHOOL DISTRICT",
    re.IGNORECASE,
)
_NUMBER_WORDS: Final = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_WORD_THRESHOLDS: Final = (
    (re.compile(r"two[- ]thirds", re.I), "2/3"),
    (re.compile(r"three[- ]fifths", re.I), "3/5"),
    (re.compile(r"three[- ]quarters|three[- ]fourths", re.I), "3/4"),
    (re.compile(r"majority|more than half|one[- ]half|50\s*%\s*\+", re.I), "1/2"),
)
_NUMBER_THRESHOLD: Final = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*%|(?P<a>\d+)\s*/\s*(?P<b>\d+)")


def votes_allowed(vote_for: str | None, where: str = "") -> int:
    """Votes each ballot may give: ``""`` is one, "Vote for no more than two" is two."""
    text = (vote_for or "").strip().lower()
    if not text:
        return 1
    match = re.search(r"(\d+)|\b(" + "|".join(_NUMBER_WORDS) + r")\b", text)
    if not match:
        raise InputError(f"cannot read how many votes are allowed from {vote_for!r}", where=where)
    return int(match.group(1)) if match.group(1) else _NUMBER_WORDS[match.group(2)]


def _fraction_text(match: re.Match[str]) -> str:
    if match.group("num") is not None:
        percent = Fraction(match.group("num"))
        if percent in (Fraction(6667, 100), Fraction(667, 10)):
            return "2/3"
        value = percent / 100
    else:
        value = Fraction(int(match.group("a")), int(match.group("b")) or 1)
    return f"{value.numerator}/{value.denominator}"


def measure_rule(
    pass_rate: str | None, *, recall: bool = False, variation: str | None = None
) -> Rule:
    """A measure's (or a recall's) rule from the feed's words for its pass rate (LA's
    ``MeasurePassRate``, a CDF ``PassageThreshold``), kept verbatim in ``text``; where the feed
    has no words, from a CDF ``VoteVariation`` (``super-majority`` with no figure keeps no
    threshold).

    A conditional text keeps its first threshold, the second as ``alt_threshold`` and the words
    after "if" as ``condition``.
    """
    words = (pass_rate or "").strip()
    if recall:
        return Rule(kind="recall", threshold="1/2", text=words or "Majority of votes cast")
    found = list(_NUMBER_THRESHOLD.finditer(words))
    if found:
        first = _fraction_text(found[0])
        if len(found) > 1 and re.search(r"\bif\b", words, re.I):
            condition = re.split(r"\bif\b", words, maxsplit=1, flags=re.I)[1].strip()
            return Rule(
                kind="measure",
                threshold=first,
                alt_threshold=_fraction_text(found[1]),
                condition=condition,
                text=words,
            )
        return Rule(kind="measure", threshold=first, text=words)
    for pattern, value in _WORD_THRESHOLDS:
        if pattern.search(words):
            return Rule(kind="measure", threshold=value, text=words)
    if not words:
        if variation == "super-majority":
            return Rule(
                kind="measure", threshold=None, text="super-majority (threshold not stated)"
            )
        return unstated_measure_rule()
    return Rule(kind="measure", threshold=None, text=words)


#: The rule text of a measure whose source states no threshold (:func:`unstated_measure_rule`).
UNSTATED_THRESHOLD: Final = (
    "threshold not stated by the source (a majority, 55%, 60% or two-thirds)"
)


def unstated_measure_rule() -> Rule:
    """The rule of a measure whose source states no threshold: any of a majority, 55%, 60% or
    two-thirds (California's local special taxes need two-thirds, art. XIII C §2(d), its school
    bonds 55%; Florida's constitutional amendments 60%), so it is held as two thresholds, more
    than half and two-thirds, and settled only where both agree (:mod:`racedesk.rules.threshold`):
    passed at two-thirds or more, failed below half, otherwise not called until a contest-rules
    file states the threshold. A statewide proposition's majority (art. II §10(a)) is stated by
    the adapter that reads it."""
    return Rule(
        kind="measure",
        threshold="2/3",
        alt_threshold="1/2",
        condition="the threshold, which the source does not state, is a majority",
        text=UNSTATED_THRESHOLD,
    )


#: The threshold of a California statewide proposition (California Constitution art. II §10(a),
#: art. XVIII §4): more than half of the votes on it.
STATE_MEASURE_WORDS: Final = "Majority of votes cast"


#: The nonpartisan offices a primary elects by a majority of the votes, else the top two go to
#: the general election, named by their words (Cal. Const. art. II §6(a); EC §8140–8142): a
#: judge of the superior court, the Superintendent of Public Instruction, a county
#: superintendent of schools and the county's offices.
_PRIMARY_MAJORITY_OFFICES: Final = re.compile(
    r"\bjudge\b.*\bsuperior\s+court\b|\bsuperior\s+court\b.*\bjudge\b|"
    r"\bsuperintendent\s+of\s+(?:public\s+instruction|schools)\b|\bboard\s+of\s+supervisors\b|"
    r"\bcounty\s+supervisor\b|\bsheriff\b|\bdistrict\s+attorney\b|\bassessor\b|"
    r"\btreasurer[\s-]+tax\s+collector\b|\bauditor[\s-]+controller\b|\bcounty\s+clerk\b|"
    r"\brecorder\b|\bpublic\s+administrator\b|\bcoroner\b",
    re.IGNORECASE,
)
#: A local office whose rule in a primary a file that names only the office cannot tell: a
#: city's (a charter city's primary nominating election, majority or top two, or a general-law
#: city's own election, most votes), a school's, a college's or a special district's.
_LOCAL_OFFICE: Final = re.compile(
    r"\b(?:city|town|mayor|council\w*|school|college|unified|trustees?|board\s+of\s+education|"
    r"governing\s+board|water|fire|hospital|healthcare|community\s+services|directors?|harbor|"
    r"port|irrigation|sanitation|sanitary|utility|park|recreation|transit|library|cemetery|"
    r"vector|flood|conservation)\b",
    re.IGNORECASE,
)
#: The City of San Diego's offices, whose primary sends the top two on whatever their votes
#: (San Diego City Charter, as amended by Measure K of November 2016).
_SAN_DIEGO_CITY: Final = re.compile(r"^\s*CITY\s+OF\s+SAN\s+DIEGO\b", re.IGNORECASE)


def local_primary_rule(title: str, *, vote_for: int = 1) -> Rule | None:
    """The rule, in a primary, of the office titled ``title`` where the file names the office
    but not the election it belongs to: the City of San Diego's offices send the top two on
    (:data:`_SAN_DIEGO_CITY`); any other city's, school's or district's office (and not a
    county's, a judge's or a voter-nominated one) has a rule the file cannot tell, so unknown
    (shown, never called; a contest-rules file sets it); None for any other contest."""
    if voter_nominated(title) or _PRIMARY_MAJORITY_OFFICES.search(title):
        return None
    if _SAN_DIEGO_CITY.search(title) and vote_for == 1:
        return Rule(
            kind="top_two",
            seats=1,
            votes_allowed=1,
            advance=2,
            text="top two advance (San Diego City Charter, Measure K of 2016)",
        )
    if _LOCAL_OFFICE.search(title):
        return Rule(
            kind="unknown",
            text=(
                f"{title} in a primary (the file does not say whether it is the city's or the "
                "district's own election, won by the most votes, or a primary that a majority "
                "wins or that sends the top two on)"
            ),
        )
    return None


def candidate_rule(*, primary: bool, group: str, title: str, nonpartisan: bool,
                   voter_nominated: bool, vote_for: int) -> Rule:  # fmt: skip
    """The rule of a candidate contest (module docstring): ``group`` is the feed's group of
    offices ("District Attorney"), ``title`` the contest's."""
    if primary and voter_nominated:
        return Rule(
            kind="top_two", seats=1, votes_allowed=vote_for, advance=2, text="top two advance"
        )
    if (
        primary
        and nonpartisan
        and (
            group.strip().lower() in MAJORITY_GROUPS
            or _MAJORITY_TITLE.search(title)
            or _PRIMARY_MAJORITY_OFFICES.search(title)
        )
    ):
        return Rule(
            kind="majority_or_runoff",
            seats=vote_for,
            votes_allowed=vote_for,
            advance=2 * vote_for,
            text="majority of votes cast elects; otherwise the top two go to the November runoff",
        )
    return plurality_rule(vote_for)


#: Offices the state's feed names in a contest title that are voter-nominated (EC §359.5):
#: top-two in a primary (Prop 14).
VOTER_NOMINATED_OFFICES: Final = re.compile(
    r"^(U\.?S\.? Senate|U\.?S\.? House\b|U\.?S\.? Representative|"
    r"State Senate|State Assembly|State House\b|Member of the State Assembly|Governor|"
    r"Lieutenant Governor|"
    r"Secretary of State|Controller|Treasurer(?![\s-]+Tax)|Attorney General|Insurance Commissioner|"
    r"Board of Equalization)\b",
    re.IGNORECASE,
)


#: The same offices as county ballots word them ("UNITED STATES REPRESENTATIVE 50th District",
#: "MEMBER OF THE STATE ASSEMBLY 77th District", "STATE SENATOR 39th District").
_VOTER_NOMINATED_WORDS: Final = re.compile(
    r"\b(?:UNITED\s+STATES\s+(?:SENATOR|REPRESENTATIVE)|U\.?\s?S\.?\s+(?:SENATOR|REPRESENTATIVE)|"
    r"REPRESENTATIVE\s+IN\s+CONGRESS|STATE\s+SENATOR|MEMBER(?:,)?\s+(?:OF\s+THE\s+)?STATE\s+ASSEMBLY|"
    r"MEMBER\s+OF\s+THE\s+ASSEMBLY|(?:STATE\s+)?ASSEMBLY\s?MEMBER|LIEUTENANT\s+GOVERNOR|GOVERNOR|"
    r"SECRETARY\s+OF\s+STATE|STATE\s+(?:CONTROLLER|TREASURER)|ATTORNEY\s+GENERAL|"
    r"INSURANCE\s+COMMISSIONER|BOARD\s+OF\s+EQUALIZATION)\b",
    re.IGNORECASE,
)


def voter_nominated(title: str) -> bool:
    """Whether ``title`` names a voter-nominated office (EC §359.5), as the state's feed names it
    (:data:`VOTER_NOMINATED_OFFICES`) or as a county's ballot words it."""
    office = title.strip()
    return bool(VOTER_NOMINATED_OFFICES.search(office) or _VOTER_NOMINATED_WORDS.search(office))


def state_office_rule(office: str, *, primary: bool) -> Rule:
    """The rule of a candidate contest of the Secretary of State's feed, from the office its
    title names (``"U.S. Senate (Full Term)"``): a voter-nominated office (EC §359.5) is
    top-two in a primary (Prop 14); the Superintendent of Public Instruction, nonpartisan, is
    elected in a primary by a majority, else the top two go on (Cal. Const. art. II §6(a); EC
    §8140–8142); anything else, a party's presidential primary among them, is plurality for one
    seat (EC §15452)."""
    return candidate_rule(
        primary=primary,
        group="",
        title=office,
        nonpartisan=bool(_PRIMARY_MAJORITY_OFFICES.search(office)),
        voter_nominated=bool(VOTER_NOMINATED_OFFICES.search(office.strip())),
        vote_for=1,
    )


def retention_rule() -> Rule:
    """A judge's retention (California Constitution art. VI §16): retained with more than half
    of the votes on the question."""
    return Rule(
        kind="retention",
        threshold="1/2",
        text="retained with more than half of the votes (Cal. Const. art. VI §16)",
    )


#: Offices and questions on which every Californian votes (or every voter of a party, in a
#: presidential primary), and appellate courts, whose districts span several counties.
_STATEWIDE: Final = re.compile(
    r"^(?:PRESIDENT|PRESIDENTIAL|UNITED STATES SENAT(?:OR|E)|U\.?\s?S\.? SENAT(?:OR|E)|GOVERNOR|"
    r"LIEUTENANT GOVERNOR|SECRETARY OF STATE|(?:STATE )?CONTROLLER|(?:STATE )?TREASURER|"
    r"ATTORNEY GENERAL|INSURANCE COMMISSIONER|(?:STATE )?SUPERINTENDENT OF PUBLIC INSTRUCTION|"
    r"STATE MEASURE|STATE PROPOSITION|PROPOSITION)\b"
    r"|\bSTATE BOARD OF EQUALIZATION\b|\bSUPREME COURT\b|\bCOURT OF APPEAL\b",
    re.IGNORECASE,
)
_DISTRICT_OFFICE: Final = (
    (re.compile(r"^(?:UNITED STATES REPRESENTATIVE|REPRESENTATIVE IN CONGRESS|U\.?\s?S\.? "
                r"REPRESENTATIVE|U\.?\s?S\.? HOUSE|UNITED STATES HOUSE|CONGRESSIONAL DISTRICT)"
                r"\b\D*(\d+)", re.I), "us-rep-district-"),
    (re.compile(r"^(?:STATE SENATOR|MEMBER OF THE STATE SENATE|STATE SENATE)\b\D*(\d+)", re.I),
     "state-senate-district-"),
    (re.compile(r"^(?:MEMBER OF THE STATE ASSEMBLY|MEMBER OF THE ASSEMBLY|STATE ASSEMBLY|"
                r"STATE HOUSE)\b\D*(\d+)", re.I), "state-assembly-district-"),
)  # fmt: skip
#: Special districts known to lie in more than one county though their names do not say
#: "joint", by the county whose feed carries them.
SPANNING_DISTRICTS: Final[dict[str, tuple[str, ...]]] = {
    "los-angeles": (
        "WRIGHTWOOD COMMUNITY SERVICES DISTRICT",  # mostly in San Bernardino County
        "VICTOR VALLEY COMMUNITY COLLEGE DISTRICT",  # San Bernardino County
    ),
}
_JOINT: Final = re.compile(r"\bJOINT\b.*\bDISTRICT\b", re.IGNORECASE)
#: The years whose elections the district maps of 2021 hold for: the elections of 2022 to 2030.
MAPS_HOLD_FROM: Final = 2022
MAPS_HOLD_UNTIL: Final = 2030
#: The first year of the maps of 2011, which held until the 2021 maps.
MAPS_2011_FROM: Final = 2012


def district_table(year: int) -> dict[str, tuple[str, ...]]:
    """The counties each district spans, by the maps in force for the elections of ``year``:
    the 2021 maps for 2022 to 2030, the 2011 maps (as far as the 2020 general shows them) for
    2012 to 2021, none for other years (every district then taken as a portion)."""
    if MAPS_HOLD_FROM <= year <= MAPS_HOLD_UNTIL:
        return DISTRICT_COUNTIES
    if MAPS_2011_FROM <= year < MAPS_HOLD_FROM:
        return DISTRICT_COUNTIES_2011
    return {}


def portion_in_county(title: str, county: str, county_name: str, year: int) -> str:
    """How much of a contest a county's feed sees (module docstring): ``""`` for the whole
    contest, else ``county_name`` ("Los Angeles County"), the part the feed covers.

    ``county`` is the county as the state's feed names it (``los-angeles``); ``year`` the
    election's, for which district maps hold (:func:`district_table`; a district racedesk has no
    lines for is taken as a portion until a contest-rules file says otherwise). A special
    election held on the lines of the maps before (in 2022, for a seat won in 2020) needs a
    contest-rules file to say so.
    """
    text = " ".join(title.split())
    if _STATEWIDE.search(text):
        return county_name
    for pattern, prefix in _DISTRICT_OFFICE:
        match = pattern.search(text)
        if match:
            spans = district_table(year).get(prefix + str(int(match.group(1))))
            return "" if spans == (county,) else county_name
    upper = text.upper()
    if _JOINT.search(upper) or any(
        upper.startswith(name) for name in SPANNING_DISTRICTS.get(county, ())
    ):
        return county_name
    return ""


def unknown_rule(type_text: str) -> Rule:
    """The rule of a contest whose type racedesk does not know: kept verbatim, never called."""
    return Rule(kind="unknown", text=f"contest type {type_text!r}")


__all__ = [
    "MAJORITY_GROUPS",
    "MAPS_2011_FROM",
    "MAPS_HOLD_FROM",
    "MAPS_HOLD_UNTIL",
    "SPANNING_DISTRICTS",
    "STATE_MEASURE_WORDS",
    "UNSTATED_THRESHOLD",
    "VOTER_NOMINATED_OFFICES",
    "candidate_rule",
    "district_table",
    "local_primary_rule",
    "measure_rule",
    "portion_in_county",
    "retention_rule",
    "state_office_rule",
    "unknown_rule",
    "unstated_measure_rule",
    "voter_nominated",
    "votes_allowed",
]
