"""OpenElections CSV: totals read independently from the files with the csv module."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from racedesk.errors import InputError
from racedesk.model import Rule
from racedesk.sources import openelections as oe

COUNTY = "20201103__ca__general__county.csv"
AMADOR = "20200303__ca__primary__amador__precinct.csv"
ALPINE = "20201103__ca__general__alpine__precinct.csv"
PSEUDO = {
    "Write-in Totals",
    "Write-In",
    "Total Votes Cast",
    "Overvotes",
    "Undervotes",
    "Contest Total",
}


@pytest.fixture(scope="module")
def oe_dir(shared_data: Path) -> Path:
    path = shared_data / "formats" / "openelections"
    if not path.is_dir():
        pytest.skip(f"OpenElections samples not found at {path}")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _by_name(parsed_contest_votes: dict[str, int], contest) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {contest.choice(cid).name: v for cid, v in parsed_contest_votes.items()}


def test_county_file_totals(oe_dir: Path) -> None:
    rows = _rows(oe_dir / COUNTY)
    parsed = oe.parse((oe_dir / COUNTY).read_bytes(), where=str(oe_dir / COUNTY))
    expected: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        title = r["office"] + (f" District {r['district']}" if r["district"] else "")
        expected[title][r["candidate"]] += int(r["votes"])
    release = parsed.releases[0]
    assert len(parsed.election.contests) == len(expected)
    for contest in parsed.election.contests:
        count = release.count(contest.id)
        assert count is not None
        assert _by_name(count.votes, contest) == expected[contest.title]
    assert parsed.election.id == "openelections:2020-11-03-ca-general"
    assert parsed.election.kind == "general"
    assert release.status == "final"
    assert release.feed_time.date() == date(2020, 11, 3)
    # noon UTC: election day still where the desk shows Pacific or Hawaii time
    hawaii = release.feed_time.astimezone(ZoneInfo("Pacific/Honolulu"))
    assert (hawaii.date(), hawaii.hour) == (date(2020, 11, 3), 2)


def test_precinct_file_with_party_contests_and_pseudo_rows(oe_dir: Path) -> None:
    rows = _rows(oe_dir / AMADOR)
    parsed = oe.parse((oe_dir / AMADOR).read_bytes(), where=AMADOR)
    release = parsed.releases[0]
    # Registration and ballots: the SOVC pseudo-office, not a contest.
    assert parsed.election.registration == sum(
        int(r["votes"]) for r in rows if r["candidate"].startswith("Registered Voters")
    )
    assert release.ballots_counted == sum(
        int(r["votes"]) for r in rows if r["candidate"].startswith("Ballots Cast")
    )
    assert not any(c.group == "SOVC" for c in parsed.election.contests)
    # The presidential primary is one contest per party.
    parties = sorted({r["party"] for r in rows if r["office"] == "President"})
    president = sorted(c.party for c in parsed.election.contests if c.group == "President")
    assert president == parties
    for contest in parsed.election.contests:
        count = release.count(contest.id)
        assert count is not None
        mine = [
            r
            for r in rows
            if r["office"] == contest.group and (not contest.party or r["party"] == contest.party)
        ]
        named: dict[str, int] = defaultdict(int)
        pseudo: dict[str, int] = defaultdict(int)
        for r in mine:
            (pseudo if r["candidate"] in PSEUDO else named)[r["candidate"]] += int(r["votes"])
        assert _by_name(count.votes, contest) == named
        assert count.write_ins == pseudo["Write-in Totals"]
        assert count.undervotes == pseudo["Undervotes"]
        assert count.overvotes == pseudo["Overvotes"]
        assert count.ballots == pseudo["Contest Total"]
        assert count.total_votes == pseudo["Total Votes Cast"]
        assert count.precincts_total == len({r["precinct"] for r in mine})
    assert parsed.election.kind == "primary"
    assert parsed.election.jurisdiction == "Amador, CA"


def test_write_in_rows_and_precincts(oe_dir: Path) -> None:
    rows = _rows(oe_dir / ALPINE)
    parsed = oe.parse((oe_dir / ALPINE).read_bytes(), where=ALPINE)
    president = parsed.releases[0].count("president")
    assert president is not None
    assert president.write_ins == sum(int(r["votes"]) for r in rows if r["candidate"] == "Write-In")
    assert president.precincts_total == len({r["precinct"] for r in rows})
    contest = parsed.election.contest("president")
    assert "Write-In" not in [k.name for k in contest.choices]
    assert contest.rule.kind == "plurality"


CSV = """county,precinct,office,district,party,candidate,votes,election_day,mail
Inyo,P1,Mayor,,,ANA LOPEZ,30,10,20
Inyo,P2,Mayor,,,ANA LOPEZ,12,2,10
Inyo,P1,Mayor,,,BEN WU,25,5,20
Inyo,P2,Mayor,,,BEN WU,5,,5
Inyo,P1,Measure A,,,YES,40,20,20
Inyo,P1,Measure A,,,NO,15,5,10
Inyo,P1,Registered Voters,,,,100,,
Inyo,P2,Registered Voters,,,,80,,
Inyo,P1,Ballots Cast,,,,60,,
"""


def test_vote_type_columns_are_kept() -> None:
    parsed = oe.parse(CSV.encode(), where="20221108__ca__general__inyo__precinct.csv")
    mayor = parsed.releases[0].count("mayor")
    assert mayor is not None
    assert mayor.votes == {"ana-lopez": 42, "ben-wu": 30}
    assert mayor.votes_by_type == {
        "election_day": {"ana-lopez": 12, "ben-wu": 5},
        "mail": {"ana-lopez": 30, "ben-wu": 25},
    }
    assert parsed.election.registration == 180
    assert parsed.releases[0].ballots_counted == 60


def test_a_rules_file_makes_a_measure() -> None:
    rules = {"MEASURE A": Rule(kind="measure", threshold="2/3", text="two-thirds")}
    parsed = oe.parse(CSV.encode(), where="20221108__ca__general__inyo__precinct.csv", rules=rules)
    contest = parsed.election.contest("measure-a")
    assert contest.kind == "measure" and contest.rule.threshold == "2/3"


def test_the_date_comes_from_the_name_or_the_caller() -> None:
    with pytest.raises(InputError, match="cannot tell the election date"):
        oe.parse(CSV.encode(), where="results.csv")
    parsed = oe.parse(CSV.encode(), where="results.csv", election_date=date(2022, 11, 8))
    assert parsed.election.date == date(2022, 11, 8)


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        (CSV.replace("ANA LOPEZ,30", "ANA LOPEZ,3O"), "votes is '3O'", 2),
        (CSV.replace("BEN WU,5,,5", "BEN WU,5,,5,7"), "more fields than the header", 5),
    ],
)
def test_bad_rows_name_the_line(text: str, problem: str, line: int) -> None:
    with pytest.raises(InputError) as err:
        oe.parse(text.encode(), where="20221108__ca__general__inyo__precinct.csv")
    assert err.value.where == f"20221108__ca__general__inyo__precinct.csv, line {line}"
    assert problem in err.value.problem


def test_inconsistent_totals_and_other_csvs_are_refused(oe_dir: Path) -> None:
    text = (
        (oe_dir / AMADOR)
        .read_text(encoding="utf-8")
        .replace(
            "Amador,CP01,State House,5,,Total Votes Cast,591",
            "Amador,CP01,State House,5,,Total Votes Cast,592",
        )
    )
    with pytest.raises(InputError, match="Total Votes Cast is"):
        oe.parse(text.encode(), where=AMADOR)
    with pytest.raises(InputError, match="lacks office, candidate and votes"):
        oe.parse(b"a,b,c\n1,2,3\n", where=COUNTY)
    buf = io.StringIO()
    buf.write("county,office,district,candidate,votes\n")
    with pytest.raises(InputError, match="no contests"):
        oe.parse(buf.getvalue().encode(), where=COUNTY)


def test_unreadable_csv_is_an_input_error() -> None:
    huge = b'office,candidate,votes\n"' + b"x" * 200_000 + b'",A,1\n'
    with pytest.raises(InputError) as err:
        oe.parse(huge, where=COUNTY)
    assert err.value.where == f"{COUNTY}, line 2"
    assert "field larger than field limit" in err.value.problem


@pytest.mark.parametrize(
    ("name", "kind", "stage", "place"),
    [
        ("20200303__ca__primary__amador__precinct.csv", "primary", "primary", "amador"),
        ("20201103__ca__general__county.csv", "general", "general", ""),
        ("20201103__ca__general__Alameda__precinct.csv", "general", "general", "Alameda"),
        ("20170404__ca__special__primary__los_angeles__precinct.csv", "special", "primary",
         "los_angeles"),
        ("20251007__tn__special__primary__county.csv", "special", "primary", ""),
        # a party before the type, an office and a district after it: not places
        ("20120306__oh__dem__primary__county.csv", "primary", "primary", ""),
        ("20200128__ga__special__state__house__171.csv", "special", "special", ""),
        ("20200929__ga__special__us__house__5.csv", "special", "special", ""),
        ("20200324__ga__primary__president.csv", "primary", "primary", ""),
        ("20200811__ga__primary__general__runoff.csv", "primary", "primary", ""),
        ("20121106__md__general__state_legislative.csv", "general", "general", ""),
    ],
)  # fmt: skip
def test_a_file_name_says_the_election_s_kind_stage_and_place(
    name: str, kind: str, stage: str, place: str
) -> None:
    """OpenElections' names run ``date__state[__party][__special]__type[__place][__office
    [__district]][__level]``. Read as ``date__state__type__place``, Ohio's Democratic primary
    file was a special election in "Primary" County, and Georgia's special election for House
    District 171 a county's file of "State" County: neither could call anything."""
    named = oe.describe_name(name)
    assert named is not None
    assert (named.kind, named.stage, named.place) == (kind, stage, place)


def test_each_party_s_primary_file_is_its_own_election() -> None:
    """Ohio files each party's primary apart (``20120306__oh__dem__primary__county.csv``,
    ``…__rep__primary__…``): one election id for both would make the second file another
    definition of the first's election. The party is in the id and the title."""
    data = b"county,office,district,party,candidate,votes\nAdams,Governor,,DEM,ANN LEE,10\n"
    dem = oe.parse(data, where="20120306__oh__dem__primary__county.csv").election
    rep = oe.parse(data, where="20120306__oh__rep__primary__county.csv").election
    assert (dem.id, rep.id) == (
        "openelections:2012-03-06-oh-democratic-primary",
        "openelections:2012-03-06-oh-republican-primary",
    )
    assert dem.title == "2012-03-06 Democratic primary election, OH"
