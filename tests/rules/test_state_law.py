"""Where a source states no rule, the state's law decides whether a majority is needed
(``rules/state_law.py``): a Georgia or Texas primary's leader at 45% is not elected, a runoff
of the top two is due; California's primaries send a voter-nominated office's top two on."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from racedesk.engine.backtest import run_backtest
from racedesk.engine.params import default_params
from racedesk.model.election import ElectionKind
from racedesk.rules.california import state_office_rule
from racedesk.rules.state_law import state_candidate_rule
from racedesk.sources import ap, clarity
from racedesk.sources.loader import load_canvasses


@pytest.mark.parametrize(
    ("state", "kind", "title", "candidates", "rule"),
    [
        ("GA", "primary", "GA U.S. Senate", 3, "majority_or_runoff"),
        ("tx", "primary", "Railroad Commissioner", 4, "majority_or_runoff"),
        ("GA", "primary", "GA U.S. Senate", 2, None),  # the most votes are a majority of two
        ("KY", "primary", "US Senator - REPUBLICAN", 5, None),  # Kentucky nominates by plurality
        ("TX", "general", "U.S. House District 23", 3, None),
        ("GA", "general", "U.S. Senate", 3, "majority_or_runoff"),  # O.C.G.A. §21-2-501
        ("GA", "general", "GA President", 3, None),  # electors: plurality
        ("LA", "general", "U.S. House District 2", 6, "majority_or_runoff"),  # the open primary
        ("NC", "primary", "Lieutenant Governor", 4, "unknown"),  # more than 30% nominates
        ("SD", "primary", "Governor", 3, "unknown"),  # 35%
        ("SD", "primary", "State Senate District 1", 3, None),
        ("CA", "primary", "CA U.S. House District 27", 6, "top_two"),  # Prop 14
        ("CA", "primary", "State House District 5", 1, "top_two"),
        ("CA", "primary", "District Attorney", 3, "majority_or_runoff"),  # EC §8140
        # nonpartisan offices a primary elects by a majority (Cal. Const. art. II §6(a))
        ("CA", "primary", "Judge of the Superior Court, Office No. 17", 3, "majority_or_runoff"),
        ("CA", "primary", "Superintendent of Public Instruction", 8, "majority_or_runoff"),
        ("CA", "primary", "Treasurer-Tax Collector", 3, "majority_or_runoff"),
        ("CA", "primary", "Treasurer", 3, "top_two"),  # the state's, voter-nominated
        # a city's or a district's office: which election it is, the file does not say
        ("CA", "primary", "Los Angeles Mayor", 12, "unknown"),
        ("CA", "primary", "City of Chula Vista Mayor", 3, "unknown"),
        ("CA", "primary", "Governing Board Member, Trustee Area 3", 3, "unknown"),
        ("CA", "primary", "City of San Diego Council District 1", 4, "top_two"),  # Measure K
        ("CA", "primary", "President (DEM)", 20, None),
        ("CA", "general", "U.S. House District 27", 2, None),
        ("", "primary", "U.S. Senate", 5, None),  # the state unknown: as before
        # Washington's primary sends the top two on, however few the candidates
        ("WA", "primary", "U.S. Representative District 3", 2, "top_two"),
        ("WA", "primary", "State Representative District 21 Position 1", 5, "top_two"),
        ("WA", "primary", "Superior Court Judge Position 4", 3, "unknown"),  # a majority: alone
        ("WA", "primary", "Precinct Committee Officer Dem 123", 3, None),  # elected: most votes
        ("WA", "general", "U.S. Representative District 3", 2, None),
        ("NE", "primary", "Legislature District 12", 3, "top_two"),  # nonpartisan
        ("NE", "primary", "Governor - Republican", 3, None),
    ],
)
def test_the_state_s_law_decides_where_plurality_does_not_hold(
    state: str, kind: ElectionKind, title: str, candidates: int, rule: str | None
) -> None:
    found = state_candidate_rule(state, kind, title, seats=1, candidates=candidates)
    assert (found.kind if found else None) == rule


def test_an_ap_primary_in_a_runoff_state_is_never_called_for_its_plurality_leader(
    shared_data: Path,
) -> None:
    """AP's 2015 Kentucky governor's race (three candidates) counted as a Georgia Republican
    primary whose leader has 45%: a runoff of the top two, not a winner. Before, plurality: it
    would have been called for the leader."""
    path = shared_data / "formats" / "ap" / "20151103_national.json"
    if not path.is_file():
        pytest.skip(f"AP sample not found at {path}")
    payload = json.loads(path.read_bytes())
    (race,) = [copy.deepcopy(r) for r in payload["races"] if r["officeName"] == "Governor"]
    race["raceTypeID"], race["raceType"] = "R", "Primary"
    for unit in race["reportingUnits"]:
        unit["statePostal"] = "GA"
        for c in unit["candidates"]:
            c["winner"] = ""
        if unit["level"] == "state":
            for c, votes in zip(unit["candidates"], (450_000, 350_000, 200_000), strict=False):
                c["voteCount"] = votes
    race.pop("statePostal", None)
    data = json.dumps({**payload, "races": [race]}).encode()
    parsed = ap.parse(data, where="ga.json")
    (contest,) = parsed.election.contests
    assert parsed.election.kind == "primary"
    assert (contest.rule.kind, contest.rule.advance) == ("majority_or_runoff", 2)
    report = run_backtest(parsed.election, parsed.releases, [], default_params())
    assert report.contests[0].final_status == "runoff"


def test_a_clarity_file_from_a_runoff_state_s_site_needs_a_majority(shared_data: Path) -> None:
    """Greenup County's 2014 Republican U.S. Senate primary (five candidates) is plurality in
    Kentucky; the same file served from a Georgia site would need a majority."""
    path = shared_data / "formats" / "clarity" / "precinct.xml"
    if not path.is_file():
        pytest.skip(f"Clarity sample not found at {path}")
    data = path.read_bytes()
    kentucky = clarity.parse(data, where="https://results.enr.clarityelections.com/KY/Greenup/1/")
    georgia = clarity.parse(data, where="https://results.enr.clarityelections.com/GA/Greenup/1/")
    assert [c.rule.kind for c in kentucky.election.contests] == ["plurality"]
    assert [c.rule.kind for c in georgia.election.contests] == ["majority_or_runoff"]


def test_california_s_primary_files_send_the_top_two_on(shared_data: Path) -> None:
    """OpenElections' Amador County file of the 2020 primary: U.S. House 4 and the Assembly's
    5th district ("State House District 5") are top-two contests (Prop 14), not won by the most
    votes; the parties' presidential primaries are plurality."""
    path = shared_data / "formats" / "openelections" / "20200303__ca__primary__amador__precinct.csv"
    if not path.is_file():
        pytest.skip(f"OpenElections sample not found at {path}")
    (canvass,) = load_canvasses(str(path))
    rules = {c.title: c.rule.kind for c in canvass.election.contests}
    assert rules["U.S. House District 4"] == rules["State House District 5"] == "top_two"
    assert rules["President (DEM)"] == rules["President (REP)"] == "plurality"


@pytest.mark.parametrize(
    ("state", "stage", "title", "candidates", "rule"),
    [
        # California's special primary for a vacancy: a majority elects (EC §10704(d)).
        ("CA", "primary", "U.S. House District 34", 23, "majority_or_runoff"),
        ("CA", "primary", "State Assembly District 51", 5, "majority_or_runoff"),
        ("CA", "primary", "District Attorney", 3, "majority_or_runoff"),  # EC §8140, as ever
        ("CA", "general", "U.S. House District 34", 2, None),
        # Texas's and Mississippi's special elections need a majority, else a runoff.
        ("TX", "general", "State Senate District 30", 6, "majority_or_runoff"),
        ("MS", "general", "County Supervisor District 2", 4, "majority_or_runoff"),
        ("TN", "general", "U.S. House District 7", 3, None),
        # A special primary follows the state's primaries.
        ("AL", "primary", "U.S. Senate (REP)", 9, "majority_or_runoff"),
        ("TN", "primary", "U.S. House District 7 (REP)", 4, None),
    ],
)
def test_a_special_election_follows_the_state_s_law_for_its_stage(
    state: str, stage: ElectionKind, title: str, candidates: int, rule: str | None
) -> None:
    found = state_candidate_rule(state, stage, title, seats=1, candidates=candidates, special=True)
    assert (found.kind if found else None) == rule
    if found is not None and state == "CA" and "House" in title:
        assert (found.advance, found.text) == (
            2,
            "a majority elects; otherwise the top two go to the special general election",
        )


def test_california_s_regular_primary_still_sends_the_top_two_on_whatever_the_share() -> None:
    found = state_candidate_rule("CA", "primary", "U.S. House District 34", seats=1, candidates=5)
    assert found is not None and found.kind == "top_two"


def test_a_clarity_file_kept_as_a_mirror_of_its_site_names_its_state(
    shared_data: Path, tmp_path: Path
) -> None:
    """A county's detail.xml read from disk names no state; kept where a mirror of the site
    puts it (``…/GA/Greenup/15263/…``, the site's own path), the path names it, and Georgia's
    law applies as when the file is fetched from the site. A path that names no state's postal
    code in that place leaves the state unknown (plurality, as before)."""
    path = shared_data / "formats" / "clarity" / "precinct.xml"
    if not path.is_file():
        pytest.skip(f"Clarity sample not found at {path}")
    mirrored = tmp_path / "results.enr.clarityelections.com" / "GA" / "Greenup" / "15263"
    mirrored.mkdir(parents=True)
    (mirrored / "detail.xml").write_bytes(path.read_bytes())
    georgia = clarity.parse(path.read_bytes(), where=str(mirrored / "detail.xml"))
    assert [c.rule.kind for c in georgia.election.contests] == ["majority_or_runoff"]
    assert clarity.site_state(str(tmp_path / "XX" / "Greenup" / "15263" / "detail.xml")) == ""
    assert clarity.site_state(str(path)) == ""


@pytest.mark.parametrize(("race_type", "rule"), [("Special Primary", "majority_or_runoff"),
                                                 ("Primary", "top_two")])  # fmt: skip
def test_an_ap_california_special_primary_is_won_by_a_majority(
    shared_data: Path, race_type: str, rule: str
) -> None:
    """AP's 2015 Kentucky governor's race (three candidates) counted as a California primary:
    a voter-nominated office is top-two in a regular primary, but in a special primary for a
    vacancy a majority elects, else the top two meet again (EC §10704(d)); AP's ``raceType``
    says "Special"."""
    path = shared_data / "formats" / "ap" / "20151103_national.json"
    if not path.is_file():
        pytest.skip(f"AP sample not found at {path}")
    payload = json.loads(path.read_bytes())
    (race,) = [copy.deepcopy(r) for r in payload["races"] if r["officeName"] == "Governor"]
    race["raceTypeID"], race["raceType"] = "R", race_type
    for unit in race["reportingUnits"]:
        unit["statePostal"] = "CA"
    race.pop("statePostal", None)
    parsed = ap.parse(json.dumps({**payload, "races": [race]}).encode(), where="ca.json")
    (contest,) = parsed.election.contests
    assert contest.rule.kind == rule


def test_the_state_s_feed_sends_the_superintendent_of_public_instruction_to_a_runoff() -> None:
    """The Superintendent of Public Instruction is nonpartisan (Cal. Const. art. II §6(a)): a
    majority in the primary elects, else the top two go on. In 2022 Thurmond led the primary
    with 45.9% and met Christensen in November; taken as plurality, the state's feed would have
    had him called elected in June."""
    rule = state_office_rule("Superintendent of Public Instruction", primary=True)
    assert (rule.kind, rule.advance) == ("majority_or_runoff", 2)
    assert state_office_rule("Superintendent of Public Instruction", primary=False).kind == (
        "plurality"
    )


WASHINGTON = """county,precinct,office,district,party,candidate,votes
King,P1,U.S. Representative,9,Prefers Democratic Party,Adam Smith,61000
King,P1,U.S. Representative,9,Prefers Republican Party,Doug Basler,39000
Pierce,P2,U.S. Representative,9,Prefers Democratic Party,Adam Smith,6000
Pierce,P2,U.S. Representative,9,Prefers Republican Party,Doug Basler,4000
"""


def test_washington_s_primary_leader_is_sent_on_not_called_elected() -> None:
    """A state's file of Washington's primary, in OpenElections' shape (counts of our own): the
    leader at 61% and the second both go on to November (RCW 29A.52.112). Taken as plurality,
    the leader of two was called elected in August."""
    from racedesk.sources import openelections

    parsed = openelections.parse(WASHINGTON.encode(), where="20200804__wa__primary__county.csv")
    (contest,) = parsed.election.contests
    assert contest.rule.kind == "top_two"
    (row,) = run_backtest(parsed.election, parsed.releases, [], default_params()).contests
    assert row.call is not None and row.call.status == "advanced"
    assert sorted(row.call.choices) == ["Adam Smith", "Doug Basler"]
