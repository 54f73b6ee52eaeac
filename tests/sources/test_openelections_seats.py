"""OpenElections files state no contest's seats nor, for a special election, its stage: a
contest of several seats is not called for its leader alone, one whose seats nothing states is
never called, and a special primary is a primary (``rules/seats.py``, ``rules/state_law.py``).

The files here are made in the shape of OpenElections' own (Arizona's 2020 general by
precinct; California's and Tennessee's special primaries), with counts of our own."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.engine.backtest import BacktestContest, run_backtest
from racedesk.engine.params import default_params
from racedesk.model.answers import ContestCall
from racedesk.publish.words import call_words
from racedesk.sources import openelections

ARIZONA = """county,precinct,office,district,party,candidate,votes,early,election_day
Greenlee,001 EAGLE,State Representative Dist. 14,,REP,"GRIFFIN, GAIL",2100,1500,600
Greenlee,001 EAGLE,State Representative Dist. 14,,REP,"NUTT, BECKY",2200,1600,600
Greenlee,001 EAGLE,State Representative Dist. 14,,DEM,"MOSCHETTI, KIM",1000,800,200
Cochise,002 BISBEE,State Representative Dist. 14,,DEM,"CONDOS, RONNIE",1100,900,200
Greenlee,001 EAGLE,Corporation Commissioner,,REP,"PETERSON, LEA",1900,1400,500
Greenlee,001 EAGLE,Corporation Commissioner,,REP,"OCONNOR, JIM",1950,1450,500
Cochise,002 BISBEE,Corporation Commissioner,,REP,"SLOAN, ERIC",1850,1350,500
Cochise,002 BISBEE,Corporation Commissioner,,DEM,"TOVAR, ANNA",1200,1000,200
Greenlee,001 EAGLE,County Sheriff,,REP,"SUMNER, TIM",1500,1000,500
Greenlee,001 EAGLE,County Sheriff,,DEM,"AVILA, LARRY",800,600,200
Cochise,002 BISBEE,Clifton Town Council,,,"ADAMS, ANA",300,200,100
Cochise,002 BISBEE,Clifton Town Council,,,"BAKER, BEN",250,150,100
Cochise,002 BISBEE,Clifton Town Council,,,"CRUZ, CARL",200,100,100
"""


def _final(data: str, name: str) -> dict[str, BacktestContest]:
    parsed = openelections.parse(data.encode(), where=name)
    report = run_backtest(parsed.election, parsed.releases, [], default_params())
    return {c.title: c for c in report.contests}


def test_arizona_s_two_representatives_a_district_are_both_called_winners() -> None:
    """Arizona's house district elects two (Ariz. Const. art. IV pt. 2 §1). Taken for one seat,
    Griffin, elected in 2020, would have been called defeated."""
    parsed = openelections.parse(ARIZONA.encode(), where="20201103__az__general__precinct.csv")
    rules = {c.title: c.rule for c in parsed.election.contests}
    house = rules["State Representative Dist. 14"]
    assert (house.kind, house.seats, house.votes_allowed) == ("plurality", 2, 2)
    assert house.text == "the 2 with the most votes win (the file states no rule)"
    assert (rules["County Sheriff"].kind, rules["County Sheriff"].seats) == ("plurality", 1)
    final = _final(ARIZONA, "20201103__az__general__precinct.csv")
    rep = final["State Representative Dist. 14"]
    assert rep.call is not None and rep.final_status == "called"
    assert sorted(rep.call.choices) == ["GRIFFIN, GAIL", "NUTT, BECKY"]
    assert final["County Sheriff"].call is not None
    assert final["County Sheriff"].call.choices == ["SUMNER, TIM"]


def test_a_contest_whose_seats_nothing_states_is_shown_and_never_called() -> None:
    """Arizona elected three corporation commissioners in 2020; the file does not say so, nor
    how many sit on Clifton's council. Their counts are kept, their rule is unknown, and the
    words say what settles it."""
    parsed = openelections.parse(ARIZONA.encode(), where="20201103__az__general__precinct.csv")
    contests = {c.title: c for c in parsed.election.contests}
    for title in ("Corporation Commissioner", "Clifton Town Council"):
        contest = contests[title]
        assert contest.rule.kind == "unknown"
        assert contest.rule.text == f"{title} (the file does not state how many it elects)"
    final = _final(ARIZONA, "20201103__az__general__precinct.csv")
    commission = final["Corporation Commissioner"]
    assert commission.call is None and commission.call_events == 0
    assert commission.final_status == "too early"
    (release,) = parsed.releases
    council = contests["Clifton Town Council"]
    (kept,) = [c for c in release.contests if c.contest_id == council.id]
    assert sum(kept.votes.values()) == 750
    too_early = ContestCall(contest_id=council.id, status="too early", choices=(), sentence="")
    words = call_words(council, too_early)
    assert words.startswith(
        "Not called: the rule of Clifton Town Council (the file does not state how many it "
        "elects) is unknown, so it is never projected or called"
    )
    assert "seats = N for a contest electing N" in words


def _california_special(leader: int) -> str:
    rows = [("GOMEZ, ROBERT LEE", leader), ("AHN, YUNG", 220), ("MERCADO, MARIA", 150)]
    rows += [("BARRERA, ARTURO", 90), ("ROSS, KENNETH", 40)]
    return "county,precinct,office,district,party,candidate,votes\n" + "".join(
        f'Los Angeles,9001,U.S. House,34,DEM,"{name}",{votes}\n' for name, votes in rows
    )


def test_a_california_special_primary_is_won_by_a_majority_else_the_top_two_go_on() -> None:
    """A special primary for a vacancy (EC §10704(d)): the file's name states the stage
    ("…__special__primary__los_angeles__…"). 40% is a runoff of the top two; 55% elects. Read
    before as an election of kind "special" in the county of "primary", its contest was a
    plurality one and called for the leader at 40%."""
    name = "20170404__ca__special__primary__los_angeles__precinct.csv"
    parsed = openelections.parse(_california_special(333).encode(), where=name)
    election = parsed.election
    assert (election.kind, election.jurisdiction) == ("special", "Los Angeles, CA")
    (contest,) = election.contests
    assert (contest.rule.kind, contest.rule.advance) == ("majority_or_runoff", 2)
    assert contest.portion == ""  # the 34th district of 2011 lies in Los Angeles County
    runoff = _final(_california_special(333), name)["U.S. House District 34"]
    assert runoff.final_status == "runoff"
    assert runoff.call is not None
    assert sorted(runoff.call.choices) == ["AHN, YUNG", "GOMEZ, ROBERT LEE"]
    elected = _final(_california_special(600), name)["U.S. House District 34"]
    assert elected.call is not None and elected.final_status == "called"
    assert elected.call.choices == ["GOMEZ, ROBERT LEE"]


def test_a_state_s_special_primary_file_is_the_state_s_not_a_county_s() -> None:
    """``20251007__tn__special__primary__county.csv`` is Tennessee's file of a special primary
    by county: its word "primary" is the stage, not a county, so its contests are seen whole;
    the parties' primaries are kept apart."""
    data = (
        "county,office,district,party,candidate,votes\n"
        "Davidson,U.S. House,7,REP,MATT VAN EPPS,30000\n"
        "Davidson,U.S. House,7,REP,JODY BARRETT,20000\n"
        "Davidson,U.S. House,7,REP,Total Votes Cast,50000\n"
        "Davidson,U.S. House,7,DEM,AFTYN BEHN,26000\n"
        "Davidson,U.S. House,7,DEM,DARDEN COPELAND,12000\n"
        "Davidson,U.S. House,7,DEM,Total Votes Cast,38000\n"
        "Montgomery,U.S. House,7,REP,MATT VAN EPPS,9000\n"
        "Montgomery,U.S. House,7,REP,JODY BARRETT,4000\n"
        "Montgomery,U.S. House,7,REP,Total Votes Cast,13000\n"
    )
    parsed = openelections.parse(data.encode(), where="20251007__tn__special__primary__county.csv")
    assert parsed.election.kind == "special"
    assert parsed.election.jurisdiction == "TN"
    contests = {c.title: c for c in parsed.election.contests}
    assert set(contests) == {"U.S. House District 7 (REP)", "U.S. House District 7 (DEM)"}
    assert all(c.portion == "" and c.rule.kind == "plurality" for c in contests.values())


def test_rows_that_name_no_candidate_are_set_aside_and_said_not_fatal() -> None:
    """Arizona's 2020 Greenlee County file by precinct shifts its retention questions' and
    propositions' columns: "Supr Ct Retn/BRUTINEL" in the office, "ROBERT" in the district, no
    candidate, no yes or no. Such rows cannot be counted for anyone; they are set aside and
    said on the release, and the rest of the file is read (before, the whole file was refused
    at the first such row)."""
    shifted = (
        "Greenlee,001 EAGLE,Supr Ct Retn/BRUTINEL,ROBERT,,,10,9,1\n"
        "Greenlee,002 BLUE,Supr Ct Retn/BRUTINEL,ROBERT,,,20,14,6\n"
        "Greenlee,001 EAGLE,PROPOSITION 207,,,,4,4,0\n"
        "Greenlee,001 EAGLE,Board of Supervisors Dist. 2,,,Total Votes Cast,90,80,10\n"
    )
    parsed = openelections.parse(
        (ARIZONA + shifted).encode(), where="20201103__az__general__precinct.csv"
    )
    titles = {c.title for c in parsed.election.contests}
    assert "County Sheriff" in titles and not any("Retn" in t or "207" in t for t in titles)
    (release,) = parsed.releases
    assert release.set_aside == (
        "2 rows of 'Supr Ct Retn/BRUTINEL ROBERT' (lines 15 to 16) name no candidate: 30 votes "
        "not counted (the file's columns may be shifted)",
        "1 row of 'PROPOSITION 207' (line 17) names no candidate: 4 votes not counted (the "
        "file's columns may be shifted)",
        "'Board of Supervisors Dist. 2' lists only totals, no candidate: left out",
    )


def test_ingest_says_what_it_set_aside(tmp_path: Path) -> None:
    """``racedesk ingest`` says each set-aside note once, after its summary line."""
    path = tmp_path / "20201103__az__general__precinct.csv"
    path.write_text(ARIZONA + "Greenlee,001 EAGLE,Supr Ct Retn/BRUTINEL,ROBERT,,,10,9,1\n")
    result = CliRunner().invoke(
        app,
        ["ingest", str(path), "--db", f"sqlite:///{tmp_path / 'desk.sqlite'}", "--quiet"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert said.endswith(
        "contests set aside: 1 row of 'Supr Ct Retn/BRUTINEL ROBERT' (line 15) names no "
        "candidate: 10 votes not counted (the file's columns may be shifted)"
    )
