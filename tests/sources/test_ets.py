"""LA County .ets fixed-width feed: checked against the parsed JSON published beside the sample
and against numbers read from the files' own lines (the registrar's TEST data, not results)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from racedesk.errors import InputError
from racedesk.sources import ets

NOV18 = ("0018nov18-zero.ets", "0018nov18-start.ets", "0018nov18-mid.ets", "0018nov18-end.ets")


def test_mar20_matches_the_published_parse(ets_dir: Path) -> None:
    parsed = ets.parse((ets_dir / "2798mar20.ets").read_bytes(), where="2798mar20.ets")
    published = json.loads((ets_dir / "2798mar20.json").read_bytes())
    release = parsed.releases[0]
    assert [c.id for c in parsed.election.contests] == [p["record_number"] for p in published]
    for item in published:
        contest = parsed.election.contest(item["record_number"])
        count = release.count(contest.id)
        assert count is not None
        assert contest.title == " ".join(item["title"].split())
        # The published parse cuts names at 18 characters; the file holds up to 23.
        for ours, theirs in zip(
            [k.name for k in contest.choices], [r["name"] for r in item["results"]], strict=True
        ):
            assert ours == theirs or (
                len(theirs) == 18 and ours.startswith(theirs) and len(ours) > 18
            )
        assert [count.votes[k.id] for k in contest.choices] == [r["votes"] for r in item["results"]]
        assert count.precincts_total == item["precincts_total"]
        assert count.precincts_reporting is None and item["precincts_reporting"] == ""
        assert contest.kind == ("candidate" if item["record_type"] == "contest" else "measure")


def _stat(path: Path, label: str) -> int:
    for line in path.read_text().splitlines():
        if line[3:9] == "BCSTAT" and label in line:
            return int(re.findall(r"[\d,]+", line[52:82])[-1].replace(",", ""))
    raise AssertionError(label)


@pytest.mark.parametrize("name", [*NOV18, "2798mar20.ets"])
def test_county_ballots_and_time(ets_dir: Path, name: str) -> None:
    path = ets_dir / name
    parsed = ets.parse(path.read_bytes(), where=name)
    release = parsed.releases[0]
    assert release.ballots_counted == _stat(path, "BALLOTS CAST/TURNOUT")
    assert release.ballots_mail == _stat(path, "VOTE BY MAIL")
    assert release.ballots_in_person == _stat(path, "VOTE AT POLL")
    td = next(line for line in path.read_text().splitlines() if line[3:5] == "TD")
    assert release.feed_time.strftime("%H:%M %m/%d/%Y") == td[15:31]
    assert str(release.feed_time.tzinfo) == "America/Los_Angeles"


def test_the_four_nov18_releases_share_one_election(ets_dir: Path) -> None:
    parsed = [ets.parse((ets_dir / n).read_bytes(), where=n) for n in NOV18]
    assert all(p.election == parsed[0].election for p in parsed)
    election = parsed[0].election
    assert election.id == "ets:0018" and election.kind == "general"
    assert election.title == "2018 STATEWIDE GENERAL ELECTION"
    zero, *later = [p.releases[0] for p in parsed]
    assert all(v == 0 for c in zero.contests for v in c.votes.values())
    times = [r.feed_time for r in (zero, *later)]
    assert times == sorted(times)
    # Precincts reporting read from each file's PR lines.
    for name, p in zip(NOV18, parsed, strict=True):
        lines = (ets_dir / name).read_text().splitlines()
        pr = {line[:3]: line for line in lines if line[3:5] == "PR" and line[5:9] != "STAT"}
        for count in p.releases[0].contests:
            m = re.search(
                r"TOTAL PRECINCTS\s+([\d,]+)\s+PRECINCTS REPORTING\s+([\d,]+)", pr[count.contest_id]
            )
            assert m is not None
            assert count.precincts_total == int(m.group(1).replace(",", ""))
            assert count.precincts_reporting == int(m.group(2).replace(",", ""))


def test_rules_follow_the_la_feed(ets_dir: Path) -> None:
    primary = ets.parse((ets_dir / "2798mar20.ets").read_bytes(), where="mar20").election
    by_title = {c.title: c for c in primary.contests}
    assert primary.kind == "primary"
    assert by_title["DISTRICT ATTORNEY"].rule.kind == "majority_or_runoff"
    assert by_title["U.S. REPRESENTATIVE 23RD DISTRICT"].rule.kind == "top_two"
    assert by_title["PRESIDENTIAL PREFERENCE DEM"].rule.kind == "plurality"
    assert by_title["PRESIDENTIAL PREFERENCE DEM"].party == "DEMOCRATIC"
    assert by_title["FIRE PROTECTION SPECIAL MEASURE FD"].rule.threshold == "2/3"
    assert by_title["STATE MEASURE 13"].rule.threshold == "1/2"
    general = ets.parse((ets_dir / "0018nov18-end.ets").read_bytes(), where="end").election
    council = next(
        c for c in general.contests if c.title == "AGOURA HILLS CITY GEN MUNI COUNCILMEMBER"
    )
    assert (council.rule.kind, council.rule.seats, council.rule.votes_allowed) == (
        "plurality",
        3,
        3,
    )
    judge = general.contest("063")
    assert judge.title == "SUPREME COURT JUSTICES: CHIEF JUSTICE CAROL A CORRIGAN"
    assert judge.kind == "retention" and judge.rule.kind == "retention"
    assert judge.rule.threshold == "1/2"  # retained by more than half (Cal. Const. art. VI §16)
    assert [k.id for k in judge.choices] == ["yes", "no"]
    assert general.registration == 5_200_514  # the county-wide contests' DR line


def _lines(ets_dir: Path) -> list[str]:
    return (ets_dir / "2798mar20.ets").read_bytes().decode().split("\r\n")


def test_a_file_cut_short_or_with_a_wrong_count_is_refused(ets_dir: Path) -> None:
    lines = _lines(ets_dir)
    with pytest.raises(InputError) as err:
        ets.parse("\r\n".join(lines[: len(lines) // 2]).encode(), where="mar20.ets")
    assert err.value.where == "mar20.ets" and "cut short" in err.value.problem
    missing = lines[:100] + lines[101:]
    with pytest.raises(InputError) as err:
        ets.parse("\r\n".join(missing).encode(), where="mar20.ets")
    assert "says it has 2,272 lines but has 2,271" in err.value.problem


@pytest.mark.parametrize(
    ("index", "new", "problem"),
    [
        (8, lambda s: s[:3] + "XX" + s[5:], "unknown record type 'XX'"),
        (8, lambda s: s[:70] + "1,1x1".rjust(12) + s[82:], "the votes is '1,1x1'"),
        (8, lambda s: "0x1" + s[3:], "the page '0x1' is not a number"),
        (4, lambda s: s[:15] + "later today", "cannot read the time of the count"),
    ],
)
def test_bad_lines_name_their_line(ets_dir: Path, index: int, new, problem: str) -> None:  # type: ignore[no-untyped-def]
    lines = _lines(ets_dir)
    lines[index] = new(lines[index])
    with pytest.raises(InputError) as err:
        ets.parse("\r\n".join(lines).encode(), where="mar20.ets")
    assert problem in err.value.problem
    if "time of the count" not in problem:
        assert err.value.where == f"mar20.ets, line {index + 1}"


def test_a_candidate_outside_its_contest_is_refused(ets_dir: Path) -> None:
    lines = _lines(ets_dir)
    lines[8] = "002" + lines[8][3:]  # a CN line of page 001 claiming page 002
    with pytest.raises(InputError, match="outside a contest"):
        ets.parse("\r\n".join(lines).encode(), where="mar20.ets")
