"""Which states elect a candidate by a majority, else hold a runoff, where a source does not say.

AP, Clarity and OpenElections state no contest's rule. Taken as plurality everywhere, a
Georgia or Texas primary's leader at 45% would be "called" where a runoff of the top two is due:
a wrong call. So a single-seat contest of more than two candidates, in a state whose law asks
a majority, is majority-or-runoff (:mod:`racedesk.rules.runoff`):

- **Primaries** in Alabama, Arkansas, Georgia, Mississippi, Oklahoma, South Carolina and Texas
  nominate by a majority of the votes, else the top two meet in a runoff primary.
- **General elections** in Georgia (O.C.G.A. §21-2-501) elect by a majority, else a runoff of
  the top two; Louisiana's November ballot is its open primary, decided the same way (La. R.S.
  18:511). Presidential electors are chosen by plurality everywhere.
- **Special elections** to fill a vacancy in Texas (Tex. Elec. Code §2.021, §2.023) and
  Mississippi (Miss. Code §23-15-833) elect by a majority, else a runoff of the top two; a
  special election's primary follows the state's primaries.
- **California's** primaries send the top two of a voter-nominated office to November (Prop
  14; EC §359.5) and elect a county office by a majority, else a runoff (EC §8140):
  :func:`racedesk.rules.california.candidate_rule`, whatever the number of candidates. In a
  special primary to fill a vacancy a majority elects outright, else the top two meet in the
  special general election (EC §10704(d)).
- **North Carolina** nominates with more than 30% of the votes and **South Dakota** its
  governor, senators and representatives with 35%, else a runoff: racedesk has no rule of a
  threshold below half, so such a primary contest is kept ``unknown`` (shown, never called)
  until a contest-rules file states its rule.

- **Washington's** primary sends the top two of every office on, whatever their party and
  however few the candidates (RCW 29A.52.112); a judge's candidate with a majority goes on
  alone (RCW 29A.52.231), so a judicial contest is kept ``unknown``; a precinct committee
  officer is elected at the primary by the most votes. **Nebraska's** primary sends the top two
  of its nonpartisan legislature's districts on (Neb. Const. art. III §7).

A place that counts a contest by ranked choice gives only its first choices to such a source:
the contest is ranked choice, never called on first choices alone
(:mod:`racedesk.rules.ranked_places`).

Two candidates (or one) need no such rule: the one with the most votes has a majority of the
two. A contest-rules file states any other rule (a city's runoff, a local body's).
"""

from __future__ import annotations

import re
from typing import Final

import msgspec

from racedesk.model import Contest, Rule
from racedesk.model.election import ElectionKind
from racedesk.rules.california import candidate_rule, local_primary_rule, voter_nominated
from racedesk.rules.ranked_places import ranked_rule

#: States whose party primaries nominate by a majority, else a runoff of the top two.
RUNOFF_PRIMARIES: Final = frozenset({"AL", "AR", "GA", "MS", "OK", "SC", "TX"})
#: States whose general elections (Louisiana's: its open primary) elect by a majority.
RUNOFF_GENERALS: Final = frozenset({"GA", "LA"})
#: States whose special elections to fill a vacancy elect by a majority, else a runoff.
RUNOFF_SPECIALS: Final = frozenset({"MS", "TX"})
#: States whose primaries nominate at a share below half, else a runoff (module docstring).
LOWER_BAR_PRIMARIES: Final = {
    "NC": "more than 30% of the votes nominates (N.C. Gen. Stat. §163-111)",
    "SD": "35% of the votes nominates a governor, senator or representative (SDCL 12-6-51.1)",
}
_SOUTH_DAKOTA_OFFICES: Final = re.compile(
    r"\b(?:GOVERNOR|U\.?\s?S\.?\s+(?:SENAT|HOUSE|REPRESENTATIVE)|UNITED STATES|CONGRESS)",
    re.IGNORECASE,
)
#: States whose primary sends the top two on whatever their party or their votes (Nebraska: for
#: its nonpartisan legislature only).
TOP_TWO_PRIMARIES: Final = {
    "WA": "Washington's primary, RCW 29A.52.112",
    "NE": "Nebraska's nonpartisan legislature, Neb. Const. art. III §7",
}
#: Why a Washington primary's judicial contest is not called (:func:`_top_two_primary`).
WASHINGTON_JUDGES: Final = (
    "in Washington's primary a judge's candidate with a majority goes on alone, else the top "
    "two (RCW 29A.52.231)"
)
_NEBRASKA_LEGISLATURE: Final = re.compile(
    r"\b(?:legislat\w*|state\s+senat\w*|unicameral)\b", re.IGNORECASE
)
_PRECINCT_OFFICER: Final = re.compile(r"\bprecinct\s+committee", re.IGNORECASE)
_JUDGE: Final = re.compile(r"\b(?:judges?|justices?|court)\b", re.IGNORECASE)
_ELECTORS: Final = re.compile(r"^\s*(?:[A-Z]{2}\s+)?PRESIDENT", re.IGNORECASE)
_CALIFORNIA: Final = re.compile(r"^\s*CA\s+(?=\S)")


def state_candidate_rule(
    state: str,
    kind: ElectionKind,
    title: str,
    *,
    seats: int,
    candidates: int,
    special: bool = False,
) -> Rule | None:
    """The rule the law of ``state`` (a postal code) gives a candidate contest of ``kind``'s
    election (a ``special`` one's primary or general) titled ``title``, electing ``seats``
    among ``candidates`` named candidates, where it is not plurality (module docstring); None
    where plurality holds, or ``state`` is not known."""
    st = state.strip().upper()
    ranked = ranked_rule(st, kind, title, seats=seats, candidates=candidates)
    if ranked is not None:
        return ranked
    if st == "CA" and kind == "primary":
        return _california_primary(title, seats=seats, special=special)
    if kind == "primary" and st in TOP_TWO_PRIMARIES and not _ELECTORS.search(title):
        return _top_two_primary(st, title, seats=seats)
    if seats != 1 or candidates <= 2 or _ELECTORS.search(title):
        return None
    if (
        (kind == "primary" and st in RUNOFF_PRIMARIES)
        or st in RUNOFF_GENERALS
        or (special and kind != "primary" and st in RUNOFF_SPECIALS)
    ):
        return Rule(
            kind="majority_or_runoff",
            seats=1,
            votes_allowed=1,
            advance=2,
            text=f"a majority elects; otherwise the top two go to a runoff ({st}'s {kind})",
        )
    bar = LOWER_BAR_PRIMARIES.get(st) if kind == "primary" else None
    if bar is not None and (st != "SD" or _SOUTH_DAKOTA_OFFICES.search(title)):
        return Rule(
            kind="unknown",
            text=f"{bar}, else a runoff",
        )
    return None


def _top_two_primary(st: str, title: str, *, seats: int) -> Rule | None:
    """A Washington primary's rule, or a Nebraska primary's for the legislature (module
    docstring): the top two go on, whatever their votes and however few the candidates; a
    precinct committee officer is elected at Washington's primary by the most votes; a judge
    with a majority goes on alone, so a judge's contest, or one of several seats, is unknown."""
    if st == "NE" and not _NEBRASKA_LEGISLATURE.search(title):
        return None
    if st == "WA" and _PRECINCT_OFFICER.search(title):
        return None
    if st == "WA" and _JUDGE.search(title):
        return Rule(kind="unknown", text=f"{title}: {WASHINGTON_JUDGES}")
    if seats != 1:
        return Rule(kind="unknown", text=f"{title}: {TOP_TWO_PRIMARIES[st]}, for {seats} seats")
    return Rule(
        kind="top_two", seats=1, votes_allowed=1, advance=2,
        text=f"top two advance ({TOP_TWO_PRIMARIES[st]})",
    )  # fmt: skip


def _california_primary(title: str, *, seats: int, special: bool) -> Rule | None:
    """A California primary's rule (:func:`racedesk.rules.california.candidate_rule`); in a
    special primary for a vacancy, a voter-nominated office is won outright by a majority, else
    the top two meet in the special general election (EC §10704(d))."""
    office = _CALIFORNIA.sub("", title)  # AP's titles start with the state
    nominated = voter_nominated(office)
    if special and nominated and seats == 1:
        return Rule(
            kind="majority_or_runoff",
            seats=1,
            votes_allowed=1,
            advance=2,
            text="a majority elects; otherwise the top two go to the special general election",
        )
    local = local_primary_rule(office, vote_for=seats)
    if local is not None:
        return local
    rule = candidate_rule(
        primary=True,
        group=office,
        title=office,
        nonpartisan=True,
        voter_nominated=nominated,
        vote_for=seats,
    )
    return None if rule.kind == "plurality" else rule


def with_state_law(contest: Contest, state: str, kind: ElectionKind) -> Contest:
    """``contest`` with the rule the law of ``state`` gives it (:func:`state_candidate_rule`)
    where its source took it for plurality; any other rule is the source's own, kept."""
    if contest.rule.kind != "plurality":
        return contest
    rule = state_candidate_rule(
        state, kind, contest.title, seats=contest.rule.seats, candidates=len(contest.choices)
    )
    return contest if rule is None else msgspec.structs.replace(contest, rule=rule)


__all__ = [
    "LOWER_BAR_PRIMARIES",
    "RUNOFF_GENERALS",
    "RUNOFF_PRIMARIES",
    "RUNOFF_SPECIALS",
    "state_candidate_rule",
    "with_state_law",
]
