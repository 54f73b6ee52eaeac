"""San Diego County's results CSV: the 2025 Board of Supervisors District 1 special primary,
each figure read independently from the files with the csv module."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from racedesk.engine.backtest import run_backtest
from racedesk.engine.params import default_params
from racedesk.errors import InputError
from racedesk.sources import registry, sandiego
from racedesk.sources.loader import load_canvasses
from racedesk.sources.outstanding import load_reports

PACIFIC = ZoneInfo("America/Los_Angeles")
CONTEST = "member-board-of-supervisors-district-no-1"
HEADER = (
    "Contest Name,Candidate Name,Party,Mail Ballots Votes,Vote Center Ballots Votes,"
    "Provisional Votes,Total Votes,Number Of Precincts,Precincts Reported,Ballots Cast\n"
)


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    path = shared_data / "sandiego" / "2025-04-08-bos1-special-primary"
    if not path.is_dir():
        pytest.skip(f"San Diego's 2025 canvass not found at {path}")
    return path


def _totals(path: Path) -> dict[str, int]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["Candidate Name"]: int(r["Total Votes"]) for r in csv.DictReader(fh)}


def test_the_archive_folder_is_read_as_the_countys_releases(folder: Path) -> None:
    (canvass,) = load_canvasses(str(folder))
    election = canvass.election
    assert election.id == "sandiego:2025-04-08" and election.kind == "primary"
    assert election.registration == 373_641
    (contest,) = election.contests
    assert contest.title == "MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1"
    assert contest.rule.kind == "majority_or_runoff" and contest.rule.advance == 2
    # one release per feed time: the as-downloaded copy of 22:11:43 is the same release
    assert [r.feed_time.isoformat() for r in canvass.releases] == [
        "2025-04-08T17:00:00-07:00",
        "2025-04-08T20:00:00-07:00",
        "2025-04-08T21:52:35-07:00",
        "2025-04-08T22:11:43-07:00",
        "2025-04-10T16:46:56-07:00",
        "2025-04-11T16:42:25-07:00",
        "2025-04-14T16:49:28-07:00",
        "2025-04-18T14:02:14-07:00",
    ]
    last = canvass.releases[-1]
    expected = _totals(folder / "releases" / "2025-04-18T14-02-14.csv")
    names = {c.id: c.name for c in contest.choices}
    got = {names[k]: v for k, v in last.contests[0].votes.items()}
    assert got == expected and got["JOHN MC CANN"] == 28_087 and got["PALOMA AGUIRRE"] == 21_424
    assert last.ballots_counted == 66_626
    mail = last.contests[0].votes_by_type["Mail"]
    assert mail["john-mc-cann"] == 27_156


def test_the_as_downloaded_file_carries_the_projected_outstanding_ballots(folder: Path) -> None:
    path = folder / "releases" / "2025-04-08T22-11-43_county-export-as-downloaded.csv"
    data = path.read_bytes()
    adapter = registry.adapter_for(str(path), data)
    assert adapter.NAME == "sandiego"
    parsed = adapter.parse(data, where=str(path))
    (report,) = parsed.reports
    assert report.total == 11_000
    assert report.as_of == datetime(2025, 4, 8, 22, 11, 43, tzinfo=PACIFIC)
    plain = sandiego.parse((folder / "releases" / "2025-04-08T22-11-43.csv").read_bytes(),
                           where=str(folder / "releases" / "2025-04-08T22-11-43.csv"))  # fmt: skip
    assert parsed.releases[0].contests == plain.releases[0].contests


def test_the_trackers_metadata_gives_the_estimates_a_zero_before_any_is_not_one(
    folder: Path,
) -> None:
    reports = load_reports(folder / "metadata.json")
    assert [(r.as_of.isoformat(), r.total) for r in reports[:2]] == [
        ("2025-04-08T22:11:43-07:00", 11_000),
        ("2025-04-10T16:46:56-07:00", 4_500),
    ]
    assert all(r.total == 0 for r in reports[2:]) and len(reports) == 5


def test_the_countys_own_file_name_gives_the_release_time() -> None:
    where = "downloads/election_results_20250408_2230.csv"
    assert sandiego.feed_time(where, None) == datetime(2025, 4, 8, 22, 30, tzinfo=PACIFIC)
    with pytest.raises(InputError, match="cannot tell the release's time"):
        sandiego.feed_time("results.csv", None)


def test_bad_files_are_refused_saying_where() -> None:
    row = '"MEASURE A","YES","","10","1","0","1x","5","5","11"\n'
    with pytest.raises(InputError, match="Total Votes '1x' is not a whole number") as err:
        sandiego.parse((HEADER + row).encode(), where="2025-04-08T20-00-00.csv")
    assert "MEASURE A" in str(err.value)
    with pytest.raises(InputError, match="no header"):
        sandiego.parse(b"a,b\n1,2\n", where="2025-04-08T20-00-00.csv")


def test_a_measure_is_a_measure() -> None:
    rows = '"MEASURE A","YES","","10","1","0","11","5","5","20"\n"MEASURE A","NO","","8","1","0","9","5","5","20"\n'
    parsed = sandiego.parse(io.BytesIO((HEADER + rows).encode()).read(),
                            where="sd/2025-11-04-general/releases/2025-11-04T20-00-00.csv")  # fmt: skip
    (contest,) = parsed.election.contests
    assert contest.kind == "measure" and parsed.election.kind == "general"
    assert parsed.election.date.isoformat() == "2025-11-04"


def test_the_runoff_is_called_for_mc_cann_and_aguirre_and_never_wrong(folder: Path) -> None:
    (canvass,) = load_canvasses(str(folder))
    reports = load_reports(folder / "metadata.json", canvass.election.date)
    report = run_backtest(canvass.election, canvass.releases, reports, default_params())
    (row,) = report.contests
    assert row.final_status == "runoff" and row.final_winners == ["JOHN MC CANN", "PALOMA AGUIRRE"]
    assert report.summary.wrong_calls == 0
    assert row.call is not None and row.call.status == "runoff"
    # the first release after the election-night estimate of 11,000 is the Apr 10 one
    assert row.call.release_time == "2025-04-10T16:46:56-07:00"


def test_a_statewide_or_cross_county_contest_is_san_diegos_portion() -> None:
    """Never call what the county's file sees only part of: a state proposition, or a
    congressional district that crosses the county line, is shown as San Diego County's part."""
    rows = (
        '"PROPOSITION 36","YES","","10","1","0","11","5","5","20"\n'
        '"PROPOSITION 36","NO","","8","1","0","9","5","5","20"\n'
        '"UNITED STATES REPRESENTATIVE 48th District","A","","8","1","0","9","5","5","20"\n'
        '"MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1","B","","8","1","0","9","5","5","20"\n'
    )
    parsed = sandiego.parse(
        (HEADER + rows).encode(), where="sd/2024-11-05-general/releases/2024-11-05T20-00-00.csv"
    )
    portions = {c.title: c.portion for c in parsed.election.contests}
    assert portions == {
        "PROPOSITION 36": "San Diego County",
        "UNITED STATES REPRESENTATIVE 48th District": "San Diego County",
        "MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1": "",
    }


def test_a_folder_of_the_countys_own_files_is_read_as_its_archive(
    folder: Path, tmp_path: Path
) -> None:
    """The tracker keeps the county's files under the names it fetched them by
    (``election_results_20250408_2230.csv``), beside its ``metadata.json``: read as one canvass,
    on the election's day, with the county's own release times and the same runoff call."""
    raw = tmp_path / "primary_results"
    raw.mkdir()
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            (raw / Path(row["source_path"]).name).write_bytes((folder / row["file"]).read_bytes())
    (raw / "metadata.json").write_bytes((folder / "metadata.json").read_bytes())
    assert registry.feed_layout(raw) == "sandiego"
    (canvass,) = load_canvasses(str(raw))
    (archived,) = load_canvasses(str(folder))
    assert canvass.election.id == "sandiego:2025-04-08" and canvass.election.kind == "primary"
    assert canvass.election.registration == 373_641
    # the file fetched at 22:30 is the county's release of 22:11:43 (the tracker's metadata)
    assert [r.feed_time for r in canvass.releases] == [r.feed_time for r in archived.releases]
    reports = load_reports(raw / "metadata.json", canvass.election.date)
    report = run_backtest(canvass.election, canvass.releases, reports, default_params())
    (row,) = report.contests
    assert row.call is not None and (row.call.status, row.call.release_time) == (
        "runoff",
        "2025-04-10T16:46:56-07:00",
    )


def test_the_election_s_kind_is_told_from_its_contests_where_no_folder_says_it() -> None:
    """A county office with more than two candidates is a primary's (a general's is the runoff
    of the top two): a majority elects, else the top two advance. Taken for a general's, five
    candidates' contest would be won by the most votes."""
    five = "".join(
        f'"MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1","{name}","","{v}","1","0","{v}","5","5","99"\n'
        for name, v in (("A", 40), ("B", 30), ("C", 10), ("D", 9), ("WRITE-IN", 1))
    )
    two = (
        '"MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1","A","","40","1","0","40","5","5","99"\n'
        '"MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1","B","","30","1","0","30","5","5","99"\n'
        '"MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1","WRITE-IN","","1","0","0","1","5","5","99"\n'
    )
    where = "downloads/election_results_20250408_2200.csv"
    primary = sandiego.parse((HEADER + five).encode(), where=where).election
    assert primary.kind == "primary" and primary.contests[0].rule.kind == "majority_or_runoff"
    assert primary.date.isoformat() == "2025-04-08"
    general = sandiego.parse((HEADER + two).encode(), where=where).election
    assert general.kind == "general" and general.contests[0].rule.kind == "plurality"
    # a folder's name that says it wins
    said = sandiego.parse(
        (HEADER + five).encode(), where="2025-07-01-general/2025-07-01T20-00-00.csv"
    ).election
    assert said.kind == "general"


def test_a_desk_watching_the_countys_address_keeps_one_election_for_weeks(
    folder: Path, tmp_path: Path
) -> None:
    """The county's file states no date: fetched from its address on Apr 10, it is a release of
    the Apr 8 election the desk follows. Before, it was read as an election of Apr 10 and
    refused, and the desk stopped taking the count after election night."""
    from racedesk.desk import Desk
    from racedesk.store import open_store

    url = "https://www.sandiego.gov/results/election_results.csv"
    night = folder / "releases" / "2025-04-08T22-11-43.csv"
    election = sandiego.read_election(night.read_bytes(), str(night))
    desk = Desk(open_store(f"sqlite:///{tmp_path / 'desk.sqlite'}"))
    desk.add_election(election)
    for name, fetched in (
        ("2025-04-08T22-11-43.csv", datetime(2025, 4, 8, 22, 15, tzinfo=PACIFIC)),
        ("2025-04-10T16-46-56.csv", datetime(2025, 4, 10, 16, 50, tzinfo=PACIFIC)),
    ):
        data = (folder / "releases" / name).read_bytes()
        desk.ingest(election.id, data, origin=url, received_at=fetched)
    latest = desk.store.latest_release(election.id)
    assert latest is not None
    assert latest.release.feed_time == datetime(2025, 4, 10, 16, 50, tzinfo=PACIFIC)
    assert latest.release.ballots_counted == 62_568


def _rows(title: str, votes: tuple[int, ...]) -> str:
    return "".join(
        f'"{title}","CANDIDATE {chr(65 + i)}","","{v}","0","0","{v}","5","5","2000"\n'
        for i, v in enumerate(votes)
    )


def test_a_primary_s_house_district_in_the_county_sends_its_top_two_on() -> None:
    """The 50th district of the 2021 maps lies in San Diego County, so it is seen whole; in a
    primary it is top-two (Prop 14), not won by the most votes: its second place advances and
    must never be called defeated. Read before as a county office of plurality, it was."""
    rows = _rows("UNITED STATES REPRESENTATIVE 50th District", (500, 300, 120, 80))
    rows += _rows("MEMBER OF THE STATE ASSEMBLY 77th District", (600, 400))
    where = "sd/2024-03-05-primary/releases/2024-03-05T20-00-00.csv"
    parsed = sandiego.parse((HEADER + rows).encode(), where=where)
    rules = {c.title: (c.rule.kind, c.portion) for c in parsed.election.contests}
    assert rules == {
        "UNITED STATES REPRESENTATIVE 50th District": ("top_two", ""),
        "MEMBER OF THE STATE ASSEMBLY 77th District": ("top_two", ""),
    }
    final = {
        c.title: c
        for c in run_backtest(parsed.election, parsed.releases, [], default_params()).contests
    }
    house = final["UNITED STATES REPRESENTATIVE 50th District"]
    assert (house.final_status, house.final_winners) == ("advanced", ["CANDIDATE A", "CANDIDATE B"])


def test_a_contest_of_many_seats_the_file_does_not_count_is_never_called() -> None:
    """San Diego's file states no contest's seats. A party's central committee or a school
    board at large elects several: taken for one seat, all but the leader would be called
    defeated. Such a contest is kept with its rule unknown; a district's seat is one."""
    rows = _rows("MEMBER, COUNTY CENTRAL COMMITTEE, REPUBLICAN PARTY, 75TH ASSEMBLY DISTRICT",
                 (900, 800, 700, 600, 500, 400, 300))  # fmt: skip
    rows += _rows("GOVERNING BOARD MEMBER, GROSSMONT UNION HIGH SCHOOL DISTRICT", (500, 400, 300))
    rows += _rows("CITY COUNCIL MEMBER, CITY OF SAN DIEGO DISTRICT 1", (500, 400))
    where = "sd/2024-11-05-general/releases/2024-11-05T20-00-00.csv"
    parsed = sandiego.parse((HEADER + rows).encode(), where=where)
    rules = {c.title: (c.rule.kind, c.rule.seats) for c in parsed.election.contests}
    assert rules == {
        "MEMBER, COUNTY CENTRAL COMMITTEE, REPUBLICAN PARTY, 75TH ASSEMBLY DISTRICT": (
            "unknown",
            1,
        ),
        "GOVERNING BOARD MEMBER, GROSSMONT UNION HIGH SCHOOL DISTRICT": ("unknown", 1),
        "CITY COUNCIL MEMBER, CITY OF SAN DIEGO DISTRICT 1": ("plurality", 1),
    }
    report = run_backtest(parsed.election, parsed.releases, [], default_params())
    assert {c.title: c.final_winners for c in report.contests if c.rule == "unknown"} == {
        "MEMBER, COUNTY CENTRAL COMMITTEE, REPUBLICAN PARTY, 75TH ASSEMBLY DISTRICT": [],
        "GOVERNING BOARD MEMBER, GROSSMONT UNION HIGH SCHOOL DISTRICT": [],
    }


def test_a_special_primary_for_the_assembly_is_won_by_a_majority() -> None:
    """A special primary for a vacancy (the folder's name says "special"): a majority elects
    outright, else the top two meet in the special general election (EC §10704(d))."""
    rows = _rows("MEMBER OF THE STATE ASSEMBLY 79th District", (500, 300, 120, 80))
    where = "sd/2025-06-03-ad79-special-primary/releases/2025-06-03T20-00-00.csv"
    (contest,) = sandiego.parse((HEADER + rows).encode(), where=where).election.contests
    assert (contest.rule.kind, contest.rule.advance) == ("majority_or_runoff", 2)
    regular = where.replace("ad79-special-primary", "primary")
    (contest,) = sandiego.parse((HEADER + rows).encode(), where=regular).election.contests
    assert contest.rule.kind == "top_two"


def test_a_recall_question_is_decided_by_a_majority() -> None:
    """A yes/no question whose words say recall is the recall's (more than half), and the
    successor contest on the same ballot waits on it (``rules/successor.py``)."""
    rows = (
        '"RECALL OF MEMBER, BOARD OF DIRECTORS, DIVISION 2","YES","","10","1","0","11","5","5","20"\n'
        '"RECALL OF MEMBER, BOARD OF DIRECTORS, DIVISION 2","NO","","8","1","0","9","5","5","20"\n'
        '"MEASURE A","YES","","10","1","0","11","5","5","20"\n'
        '"MEASURE A","NO","","8","1","0","9","5","5","20"\n'
    )
    parsed = sandiego.parse((HEADER + rows).encode(),
                            where="sd/2025-11-04-general/releases/2025-11-04T20-00-00.csv")  # fmt: skip
    kinds = {c.title: (c.kind, c.rule.kind, c.rule.threshold) for c in parsed.election.contests}
    assert kinds == {
        "RECALL OF MEMBER, BOARD OF DIRECTORS, DIVISION 2": ("recall", "recall", "1/2"),
        "MEASURE A": ("measure", "measure", "2/3"),
    }


@pytest.mark.parametrize(
    ("title", "rule"),
    [
        # nonpartisan offices a primary elects by a majority (Cal. Const. art. II §6(a); EC §8140)
        ("JUDGE OF THE SUPERIOR COURT OFFICE NO. 17", "majority_or_runoff"),
        ("COUNTY SUPERINTENDENT OF SCHOOLS", "majority_or_runoff"),
        ("TREASURER-TAX COLLECTOR", "majority_or_runoff"),
        ("MEMBER, BOARD OF SUPERVISORS DISTRICT NO. 1", "majority_or_runoff"),
        # the City of San Diego's primary sends the top two on (Measure K of 2016)
        ("CITY OF SAN DIEGO COUNCIL DISTRICT 1", "top_two"),
        ("CITY OF SAN DIEGO MAYOR", "top_two"),
        ("CITY OF SAN DIEGO CITY ATTORNEY", "top_two"),
        # another city's or a district's: the file does not say which election it is
        ("CITY OF CHULA VISTA MAYOR", "unknown"),
        ("SAN DIEGO UNIFIED SCHOOL DISTRICT, DISTRICT A", "unknown"),
    ],
)
def test_a_primary_s_local_offices_take_the_rule_the_law_gives_them(title: str, rule: str) -> None:
    """Every one of these was "most votes wins" in a primary: a judge or a council member
    leading at 45% would have been called elected in March."""
    rows = _rows(title, (450, 300, 250))
    where = "sd/2024-03-05-primary/releases/2024-03-05T20-00-00.csv"
    (contest,) = sandiego.parse((HEADER + rows).encode(), where=where).election.contests
    assert contest.rule.kind == rule
    general = "sd/2024-11-05-general/releases/2024-11-05T20-00-00.csv"
    (contest,) = sandiego.parse((HEADER + rows).encode(), where=general).election.contests
    assert contest.rule.kind == "plurality"


def test_a_judge_leading_a_primary_under_half_is_never_called_elected() -> None:
    rows = _rows("JUDGE OF THE SUPERIOR COURT OFFICE NO. 17", (450, 300, 250))
    rows += _rows("CITY OF SAN DIEGO COUNCIL DISTRICT 1", (600, 300, 100))
    where = "sd/2024-03-05-primary/releases/2024-03-05T20-00-00.csv"
    parsed = sandiego.parse((HEADER + rows).encode(), where=where)
    final = {
        c.title: c
        for c in run_backtest(parsed.election, parsed.releases, [], default_params()).contests
    }
    judge = final["JUDGE OF THE SUPERIOR COURT OFFICE NO. 17"]
    assert (judge.final_status, judge.final_winners) == ("runoff", ["CANDIDATE A", "CANDIDATE B"])
    council = final["CITY OF SAN DIEGO COUNCIL DISTRICT 1"]
    assert (council.final_status, council.final_winners) == (
        "advanced",
        ["CANDIDATE A", "CANDIDATE B"],
    )
