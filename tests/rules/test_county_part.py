"""A county's results of any source see only the county's part of a contest reaching beyond it:
shown as that part, never called (issue: calls never wrong on canvasses kept back; the
whole-contests rule of ``../shared/design/architecture.md``). Pinned on the real samples of
Clarity, OpenElections and AP in ``../shared/data/formats``."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from racedesk.engine.backtest import run_backtest
from racedesk.engine.params import default_params
from racedesk.rules.california import portion_in_county
from racedesk.rules.california_districts_2011 import DISTRICT_COUNTIES_2011
from racedesk.rules.county_part import county_name_of, county_part
from racedesk.sources import ap, clarity, openelections
from racedesk.sources.loader import load_canvasses

GREENUP = "Greenup County"


@pytest.mark.parametrize(
    ("title", "part"),
    [
        ("US Senator - REPUBLICAN", GREENUP),
        ("President and Vice President", GREENUP),
        ("Governor/Lt. Governor", GREENUP),
        ("State Representative 98th District", GREENUP),
        ("State Senate District 17", GREENUP),
        ("U.S. House District 4", GREENUP),
        ("Representative in Congress, 4th Congressional District", GREENUP),
        ("Justice of the Supreme Court, 7th District", GREENUP),
        ("Circuit Judge, 32nd Judicial Circuit", GREENUP),
        ("Commonwealth's Attorney", GREENUP),
        ("Constitutional Amendment 1", GREENUP),
        ("Issue No. 1", GREENUP),
        ("Amendment 2", GREENUP),
        ("Regional Transit Authority Board", GREENUP),
        # Arizona's statewide commissioners and courts as its county files name them.
        ("Corporation Commissioner", GREENUP),
        ("Public Service Commissioners", GREENUP),
        ("State Mine Inspector", GREENUP),
        ("Supr Ct Retn/BRUTINEL", GREENUP),
        ("Ct App Div2/EPPICH", GREENUP),
        ("County Judge/Executive", ""),
        ("Sheriff", ""),
        ("Circuit Court Clerk", ""),
        ("Magistrate District 3", ""),
        ("Mayor - City of Russell", ""),
        ("Greenup County Schools Board of Education, Division 2", ""),
        ("Local Option Election", ""),
        ("Measure A", ""),
        ("Measure 26-238", ""),
        ("Village President", ""),
    ],
)
def test_how_much_of_a_contest_a_county_sees_outside_california(title: str, part: str) -> None:
    """Without district maps, a county's results lean to the part (module docstring)."""
    assert county_part(title, GREENUP, state="KY", county="", year=2014) == part


def test_california_asks_the_district_table_for_the_years_its_maps_hold() -> None:
    la = "Los Angeles County"
    house = "U.S. House District 27"  # OpenElections' title; wholly in LA on the 2021 maps
    assert county_part(house, la, state="CA", county="los-angeles", year=2024) == ""
    assert county_part("State Senate District 35", la, state="ca", county="los-angeles", year=2024) == ""  # fmt: skip
    assert county_part("State House District 40", la, state="ca", county="los-angeles", year=2024) == ""  # fmt: skip
    assert county_part("U.S. Senate", la, state="ca", county="los-angeles", year=2024) == la
    # from 2012 to 2021 the districts of 2011 held: the 27th reached into San Bernardino County
    assert county_part(house, la, state="CA", county="los-angeles", year=2020) == la
    house_27, senate_35 = "UNITED STATES REPRESENTATIVE, 27th District", "STATE SENATOR, 35th District"  # fmt: skip
    assert portion_in_county(house_27, "los-angeles", la, 2020) == la
    assert portion_in_county(senate_35, "los-angeles", la, 2020) == ""
    # the even-numbered State Senate districts of 2011 were not on the 2020 ballot: no lines
    assert portion_in_county("STATE SENATOR, 26th District", "los-angeles", la, 2018) == la
    # before the 2011 maps, no lines at all
    assert portion_in_county(senate_35, "los-angeles", la, 2010) == la


def test_the_2011_table_is_the_2020_general_by_county(shared_data: Path) -> None:
    """Each district of the 2011 maps on the 2020 ballot spans the counties whose results have
    its contest (``rules/california_districts_2011.py``)."""
    path = shared_data / "formats" / "openelections" / "20201103__ca__general__county.csv"
    prefix = {"U.S. House": "us-rep-district-", "State Senate": "state-senate-district-",
              "State Assembly": "state-assembly-district-"}  # fmt: skip
    spans: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["office"] in prefix and row["district"]:
                key = prefix[row["office"]] + str(int(row["district"]))
                spans.setdefault(key, set()).add(row["county"].lower().replace(" ", "-"))
    assert {k: tuple(sorted(v)) for k, v in spans.items()} == DISTRICT_COUNTIES_2011
    assert len(spans) == 153
    assert sum(len(v) > 1 for v in spans.values()) == 81
    touching = {k for k, v in spans.items() if "los-angeles" in v}
    assert (len(touching), sum(spans[k] == {"los-angeles"} for k in touching)) == (49, 28)


@pytest.mark.parametrize(
    ("place", "state", "name"),
    [
        ("alpine", "CA", "Alpine County"),
        ("los_angeles", "CA", "Los Angeles County"),
        ("Greenup", "", "Greenup County"),
        ("orleans", "LA", "Orleans Parish"),
        ("Example County", "", "Example County"),
        ("Carson City", "NV", "Carson City"),
    ],
)
def test_a_county_s_part_is_named_as_people_name_it(place: str, state: str, name: str) -> None:
    assert county_name_of(place, state) == name


def test_an_openelections_county_file_is_never_called(shared_data: Path) -> None:
    """Alpine County's 2020 general: the President, U.S. House 4, State Senate 1 and Assembly 5
    all reach beyond the county; the desk called all four from Alpine's votes alone."""
    path = shared_data / "formats" / "openelections" / "20201103__ca__general__alpine__precinct.csv"
    (canvass,) = load_canvasses(str(path))
    election = canvass.election
    assert [(c.title, c.portion) for c in election.contests] == [
        ("President", "Alpine County"),
        ("U.S. House District 4", "Alpine County"),
        ("State Senate District 1", "Alpine County"),
        ("State Assembly District 5", "Alpine County"),
    ]
    report = run_backtest(election, canvass.releases, [], default_params())
    assert (report.summary.contests, report.summary.called) == (4, 0)
    # Amador's 2020 primary: its six presidential primaries and two districts
    amador = shared_data / "formats" / "openelections" / "20200303__ca__primary__amador__precinct.csv"  # fmt: skip
    contests = load_canvasses(str(amador))[0].election.contests
    assert (len(contests), {c.portion for c in contests}) == (8, {"Amador County"})


def test_a_state_s_openelections_file_sees_its_contests_whole(shared_data: Path) -> None:
    path = shared_data / "formats" / "openelections" / "20201103__ca__general__county.csv"
    (canvass,) = load_canvasses(str(path))
    assert len(canvass.election.contests) == 154
    assert not any(c.portion for c in canvass.election.contests)
    report = run_backtest(canvass.election, canvass.releases, [], default_params())
    assert (report.summary.called, report.summary.wrong_calls) == (154, 0)


def test_a_file_whose_rows_name_one_county_is_that_county_s(
    shared_data: Path, tmp_path: Path
) -> None:
    """Renamed, with its date given, Alpine's file still says which county it covers."""
    source = shared_data / "formats" / "openelections" / "20201103__ca__general__alpine__precinct.csv"  # fmt: skip
    renamed = tmp_path / "alpine-results.csv"
    shutil.copy(source, renamed)
    parsed = openelections.parse(
        renamed.read_bytes(), where=str(renamed), election_date=date(2020, 11, 3)
    )
    assert {c.portion for c in parsed.election.contests} == {"Alpine County"}


def test_a_clarity_county_file_sees_only_its_part(shared_data: Path) -> None:
    """Greenup County's 2014 primary holds Kentucky's Republican U.S. Senate primary; Arkansas'
    state file holds its U.S. Senate race whole."""
    clarity = shared_data / "formats" / "clarity"
    (county,) = load_canvasses(str(clarity / "precinct.xml"))
    assert [(c.title, c.portion) for c in county.election.contests] == [
        ("US Senator - REPUBLICAN", GREENUP)
    ]
    (state,) = load_canvasses(str(clarity / "county.xml"))
    assert [(c.title, c.portion) for c in state.election.contests] == [("U.S. Senate", "")]


def test_ap_subunits_are_their_counties_parts(shared_data: Path) -> None:
    data = (shared_data / "formats" / "ap" / "20151103_national.json").read_bytes()
    kept = ap.parse(data, where="national.json", level="subunit")
    payload: dict[str, Any] = json.loads(data)
    names = {
        f"{u['statePostal']}-{r['raceID']}-{u['reportingunitID']}": u["reportingunitName"]
        for r in payload["races"]
        for u in r["reportingUnits"]
        if u["level"] == "subunit"
    }
    assert len(names) == len(kept.election.contests) > 0
    for contest in kept.election.contests:
        assert contest.portion == county_name_of(names[contest.id], contest.id[:2])
    whole = ap.parse(data, where="national.json")
    assert not any(c.portion for c in whole.election.contests)


SANTA_CLARA = b"""<?xml version="1.0" encoding="utf-8"?>
<ElectionResult>
  <Timestamp>11/5/2024 9:41:12 PM PST</Timestamp>
  <ElectionName>General Election</ElectionName>
  <ElectionDate>11/5/2024</ElectionDate>
  <Region>Santa Clara</Region>
  <VoterTurnout totalVoters="1000" ballotsCast="600" voterTurnout="60.00" />
  <Contest key="1" text="State Assembly District 26" voteFor="1" isQuestion="false">
    <Choice key="1" text="ANA" totalVotes="300" /><Choice key="2" text="BEN" totalVotes="200" />
  </Contest>
  <Contest key="2" text="U.S. House District 16" voteFor="1" isQuestion="false">
    <Choice key="3" text="CY" totalVotes="300" /><Choice key="4" text="DEE" totalVotes="200" />
  </Contest>
</ElectionResult>
"""


def test_a_clarity_site_s_address_names_its_state() -> None:
    """Fetched from ``…/CA/Santa_Clara/…``, a Clarity county file takes California's district
    table: Assembly 26 lies wholly in Santa Clara County, U.S. House 16 reaches San Mateo. As a
    file on disk, which does not name its state, both are the county's part."""
    site = "https://results.enr.clarityelections.com/CA/Santa_Clara/122140/355987/reports/detailxml.zip"
    assert clarity.site_state(site) == "ca"
    assert clarity.site_state("https://results.enr.clarityelections.com/GA/105369/") == "ga"
    assert clarity.site_state("/tmp/detail.xml") == ""
    fetched = clarity.parse(SANTA_CLARA, where=site)
    assert [c.portion for c in fetched.election.contests] == ["", "Santa Clara County"]
    on_disk = clarity.parse(SANTA_CLARA, where="detail.xml")
    assert {c.portion for c in on_disk.election.contests} == {"Santa Clara County"}


def test_every_county_of_a_state_is_the_census_count(shared_data: Path) -> None:
    """The 2020 census counts 3,143 counties and equivalents; the table keeps all but Alaska's
    30 and New England's 67 (AP's subunits there are house districts and towns). California's
    58 are the counties of the state's district table."""
    from racedesk.rules.county_part import STATE_COUNTIES, every_county

    assert len(STATE_COUNTIES) == 44 and sum(STATE_COUNTIES.values()) == 3143 - 30 - 67
    path = shared_data / "ca-sos" / "districts-2022-2030-counties.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as f:
            counties = {c for row in csv.DictReader(f) for c in row["counties"].split()}
        assert len(counties) == STATE_COUNTIES["CA"] == 58
    assert every_county("co", 64) and not every_county("CO", 63)
    assert not every_county("VT", 10_000) and not every_county("", 1)
