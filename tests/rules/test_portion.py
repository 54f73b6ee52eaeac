"""A contest LA's feed sees only part of is shown as LA's part, never called (issue: whole
contests). Pinned on the real 2024 canvasses: 38 of the general's 373 contests and 27 of the
primary's 175 are LA's part only."""

from __future__ import annotations

import csv
from pathlib import Path

import msgspec
import pytest

from racedesk.engine.backtest import event_correct, final_outcome
from racedesk.engine.params import default_params
from racedesk.engine.replay import replay
from racedesk.errors import InputError
from racedesk.model import CallEvent, Snapshot
from racedesk.publish import cdf_export, tabular_export
from racedesk.publish.words import with_sentences
from racedesk.rules import CALL_STATUSES, logic_of
from racedesk.rules.california import portion_in_county
from racedesk.rules.california_districts import DISTRICT_COUNTIES
from racedesk.sources import cdf
from racedesk.sources.loader import Canvass, load_canvasses
from racedesk.sources.outstanding import load_reports
from racedesk.sources.rules_file import apply_portions, parse_portions, parse_rules

LA = "Los Angeles County"
PRESIDENT, MEASURE_5, MEASURE_34, HOUSE_45, HOUSE_27, DA = (
    "9857", "9868", "9872", "9546", "9532", "9547",
)  # fmt: skip
#: The 18 districts of the 2021 maps that touch LA County and cross its line.
CROSSING = {
    "us-rep-district-23", "us-rep-district-26", "us-rep-district-28", "us-rep-district-32",
    "us-rep-district-35", "us-rep-district-38", "us-rep-district-45",
    "state-senate-district-23", "state-senate-district-25", "state-senate-district-27",
    "state-assembly-district-34", "state-assembly-district-39", "state-assembly-district-41",
    "state-assembly-district-42", "state-assembly-district-46", "state-assembly-district-53",
    "state-assembly-district-64", "state-assembly-district-67",
}  # fmt: skip


@pytest.fixture(scope="module")
def general(general_2024: Path) -> Canvass:
    return load_canvasses(str(general_2024))[0]


@pytest.fixture(scope="module")
def replayed(general: Canvass, general_2024: Path) -> list[Snapshot]:
    reports = load_reports(general_2024.parent / "outstanding-reports.csv", general.election.date)
    return list(replay(general.election, general.releases, reports, default_params()))


def test_the_district_table_is_the_list_it_was_read_from(shared_data: Path) -> None:
    path = shared_data / "ca-sos" / "districts-2022-2030-counties.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    with path.open(encoding="utf-8") as f:
        listed = {row["district"]: tuple(row["counties"].split()) for row in csv.DictReader(f)}
    assert listed == DISTRICT_COUNTIES
    touching = {d for d, counties in listed.items() if "los-angeles" in counties}
    assert len(touching) == 46
    assert {d for d in touching if len(listed[d]) > 1} == CROSSING


@pytest.mark.parametrize(
    ("title", "portion"),
    [
        ("PRESIDENT AND VICE PRESIDENT", LA),
        ("PRESIDENTIAL PREFERENCE - DEMOCRATIC", LA),
        ("UNITED STATES SENATOR - Full Term", LA),
        ("STATE MEASURE 34", LA),
        ("GOVERNOR", LA),
        ("For Associate Justice of the Supreme Court - GOODWIN LIU", LA),
        ("UNITED STATES REPRESENTATIVE, 45th District", LA),
        ("UNITED STATES REPRESENTATIVE, 27th District", ""),
        ("STATE SENATOR, 25th District", LA),
        ("STATE SENATOR, 35th District", ""),
        ("MEMBER OF THE STATE ASSEMBLY, 67th District", LA),
        ("MEMBER OF THE STATE ASSEMBLY, 40th District", ""),
        ("MEMBER, COUNTY CENTRAL COMMITTEE, 40TH ASSEMBLY DISTRICT - DEMOCRATIC", ""),
        ("DISTRICT ATTORNEY", ""),
        ("CITY OF LOS ANGELES CONTROLLER", ""),
        ("SNOWLINE JOINT UNIFIED SCHOOL DISTRICT SPECIAL ELECTION - MEASURE J", LA),
        ("WRIGHTWOOD COMMUNITY SERVICES DISTRICT Member, Board of Directors", LA),
        ("LOS ANGELES UNIFIED SCHOOL DISTRICT Board Member, District 1", ""),
    ],
)
def test_how_much_of_a_contest_la_s_feed_sees(title: str, portion: str) -> None:
    assert portion_in_county(title, "los-angeles", LA, 2024) == portion


def test_a_district_of_maps_not_yet_known_is_taken_as_a_portion() -> None:
    """The 2021 maps hold until 2030: a district of 2032 may cross the line, so it is a part."""
    title = "UNITED STATES REPRESENTATIVE, 27th District"
    assert portion_in_county(title, "los-angeles", LA, 2032) == LA


def test_la_feed_portions_of_the_2024_canvasses(general: Canvass, primary_2024: Path) -> None:
    parts = [c for c in general.election.contests if c.portion]
    assert len(general.election.contests) == 373 and len(parts) == 38
    assert {c.portion for c in parts} == {LA}
    assert sum(c.title.startswith("STATE MEASURE") for c in parts) == 10
    primary = load_canvasses(str(primary_2024))[0].election
    assert len(primary.contests) == 175
    assert sum(1 for c in primary.contests if c.portion) == 27
    assert not primary.contest("9054").portion  # the District Attorney: the county's own


def test_no_portion_is_ever_called_clinched_or_given_an_outcome(
    general: Canvass, replayed: list[Snapshot]
) -> None:
    parts = {c.id for c in general.election.contests if c.portion}
    for snapshot in replayed:
        assert not any(e.contest_id in parts for e in snapshot.new_events)
        assert parts.isdisjoint(snapshot.projections)
        for state in snapshot.states:
            if state.contest_id in parts:
                assert snapshot.calls[state.contest_id].status == "portion only"
                assert {s.status for s in state.standings} <= {"portion"}
                assert all(s.needs is None for s in state.standings)
                assert "its part of the contest only" in state.outcome or state.total_votes == 0


def test_each_portion_says_it_is_la_s_part(general: Canvass, replayed: list[Snapshot]) -> None:
    """The wrong answers of the issue, as LA's part: Measure 5 "passed", 34 "failed", President
    "called: Kamala D. Harris", House 45 "called, clinched" for Tran."""
    last = with_sentences(general.election, replayed[-1], replayed[-3:-1])
    said = {cid: last.sentences[cid] for cid in (PRESIDENT, MEASURE_5, MEASURE_34, HOUSE_45)}
    tail = " Not called: racedesk sees only Los Angeles County's part of this contest."
    assert said == {
        PRESIDENT: "Harris leads in Los Angeles County with 64.8%, its part of the contest only."
        + tail,
        MEASURE_5: "Yes leads in Los Angeles County with 51.1%, its part of the contest only."
        + tail,
        MEASURE_34: "No leads in Los Angeles County with 52.9%, its part of the contest only."
        + tail,
        HOUSE_45: "Tran leads in Los Angeles County with 56.2%, its part of the contest only."
        + tail,
    }
    # a district wholly in the county is still called
    assert last.calls[HOUSE_27].status == "called"
    assert last.calls[DA].status == "called"


def test_a_call_on_a_portion_is_a_wrong_call(general: Canvass) -> None:
    contest = general.election.contest(MEASURE_5)
    count = general.releases[-1].count(MEASURE_5)
    assert final_outcome(contest, count) == ("portion only", [])
    yes = contest.choices[0].id
    event = CallEvent(
        event_id=1, contest_id=MEASURE_5, status="passed", choices=(yes,), release_hash="h",
        release_sequence=31, release_time=general.releases[-1].feed_time, votes_left=None,
        hurdle=None, probability=1.0, model_version="m", reason="",
    )  # fmt: skip
    assert event.status in CALL_STATUSES and not event_correct(event, "portion only", [])
    whole = msgspec.structs.replace(contest, portion="")
    assert logic_of(whole).final_outcome(whole, count)[0] == "passed"


def test_a_rules_file_says_what_a_feed_sees(general: Canvass) -> None:
    text = b"""
[contests."9532"]
portion = "Los Angeles County"

[contests."STATE MEASURE 34"]
portion = ""

[contests."9547"]
rule = "plurality"
"""
    portions = parse_portions(text, "rules.toml")
    assert portions == {"9532": LA, "STATE MEASURE 34": ""}
    assert set(parse_rules(text, "rules.toml")) == {"9547"}
    contests = apply_portions(general.election.contests, portions, "rules.toml")
    by_id = {c.id: c for c in contests}
    assert by_id[HOUSE_27].portion == LA and by_id[MEASURE_34].portion == ""
    assert by_id[MEASURE_5].portion == LA
    with pytest.raises(InputError, match="does not have"):
        apply_portions(general.election.contests, {"NO SUCH CONTEST": ""}, "rules.toml")


def test_exports_say_the_part(general: Canvass, replayed: list[Snapshot]) -> None:
    release, snapshot = general.releases[-1], replayed[-1]
    rows = [
        r for r in tabular_export.rows(general.election, release, snapshot)
        if r["contest_id"] == MEASURE_5
    ]  # fmt: skip
    assert {(r["portion"], r["standing"], r["call_status"]) for r in rows} == {
        (LA, "portion", "portion only")
    }
    doc = cdf_export.report(general.election, release, snapshot)
    election = cdf.read_election(msgspec.json.encode(doc), "report.json")
    assert election.contest(MEASURE_5).portion == LA
    assert not election.contest(DA).portion
    units = {u["@id"]: u for u in doc["GpUnit"]}
    assert len(units) == 1 + 38
    (node,) = [
        c for c in doc["Election"][0]["Contest"]
        if any(i.get("Value") == MEASURE_5 for i in c["ExternalIdentifier"])
    ]  # fmt: skip
    assert node["ElectionDistrictId"] in units and node["ElectionDistrictId"] != cdf_export.SCOPE_ID
