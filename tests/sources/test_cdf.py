"""The NIST SP 1500-100 v2 (CDF) adapter: reports from other issuers, the standard's sample,
unsafe and broken files, and fuzzing (any input gives a Parsed or an InputError).

The round trip of racedesk's own exports on the LA 2024 feeds is in
``tests/publish/test_cdf_export.py``.
"""

from __future__ import annotations

import copy
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from racedesk.errors import InputError, UnknownReferenceError, UnsafeInputError
from racedesk.model import Choice, Contest, ContestCount, Election, Release, Rule, sha256_hex
from racedesk.publish import cdf_export, cdf_validate
from racedesk.rules import california
from racedesk.sources import cdf
from racedesk.sources.base import Parsed

T = "ElectionResults."


def _itext(text: str) -> dict[str, Any]:
    return {
        "@type": T + "InternationalizedText",
        "Text": [{"@type": T + "LanguageString", "Content": text, "Language": "en"}],
    }


def _vc(unit: str, kind: str, count: int) -> dict[str, Any]:
    return {"@type": T + "VoteCounts", "GpUnitId": unit, "Type": kind, "Count": count}


def other_issuer_report() -> dict[str, Any]:
    """A precinct-level report as another issuer might write it (no racedesk extension):
    counts by precinct and vote type for the mayor, at county and precinct level for the
    measure; the mayor's winner marked; ballots outstanding stated."""
    return {
        "@type": T + "ElectionReport",
        "Format": "precinct-level",
        "GeneratedDate": "2024-11-06T01:30:00-08:00",
        "Issuer": "Example County Registrar",
        "IssuerAbbreviation": "EX",
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": "unofficial-partial",
        "VendorApplicationId": "EMS 1.0",
        "GpUnit": [
            {
                "@id": "ru-county",
                "@type": T + "ReportingUnit",
                "Type": "county",
                "Name": _itext("Example County"),
                "ComposingGpUnitIds": ["ru-p1", "ru-p2"],
                "VotersRegistered": 5000,
            },
            {"@id": "ru-p1", "@type": T + "ReportingUnit", "Type": "precinct"},
            {"@id": "ru-p2", "@type": T + "ReportingUnit", "Type": "precinct"},
        ],
        "Party": [{"@id": "par-d", "@type": T + "Party", "Name": _itext("Democratic")}],
        "Election": [
            {
                "@type": T + "Election",
                "ElectionScopeId": "ru-county",
                "Name": _itext("General Election"),
                "StartDate": "2024-11-05",
                "EndDate": "2024-11-05",
                "Type": "general",
                "BallotCounts": [
                    {
                        "@type": T + "BallotCounts",
                        "GpUnitId": "ru-county",
                        "Type": "total",
                        "BallotsCast": 2100,
                        "BallotsOutstanding": 700,
                    }
                ],
                "Candidate": [
                    {
                        "@id": "can-a",
                        "@type": T + "Candidate",
                        "BallotName": _itext("Ada Lovelace"),
                        "PartyId": "par-d",
                        "PostElectionStatus": "projected-winner",
                    },
                    {"@id": "can-b", "@type": T + "Candidate", "BallotName": _itext("Bob Byron")},
                ],
                "Contest": [
                    {
                        "@id": "cc-mayor",
                        "@type": T + "CandidateContest",
                        "ElectionDistrictId": "ru-county",
                        "Name": "Mayor",
                        "VoteVariation": "plurality",
                        "VotesAllowed": 1,
                        "SubUnitsReported": 2,
                        "TotalSubUnits": 2,
                        "ContestSelection": [
                            {
                                "@id": "cs-a",
                                "@type": T + "CandidateSelection",
                                "CandidateIds": ["can-a"],
                                "VoteCounts": [
                                    _vc("ru-p1", "election-day", 300),
                                    _vc("ru-p1", "absentee-mail", 200),
                                    _vc("ru-p2", "election-day", 250),
                                    _vc("ru-p2", "absentee-mail", 150),
                                ],
                            },
                            {
                                "@id": "cs-b",
                                "@type": T + "CandidateSelection",
                                "CandidateIds": ["can-b"],
                                "VoteCounts": [
                                    _vc("ru-p1", "election-day", 100),
                                    _vc("ru-p1", "absentee-mail", 120),
                                    _vc("ru-p2", "election-day", 80),
                                    _vc("ru-p2", "absentee-mail", 90),
                                ],
                            },
                            {
                                "@id": "cs-wi",
                                "@type": T + "CandidateSelection",
                                "IsWriteIn": True,
                                "VoteCounts": [_vc("ru-p1", "total", 7), _vc("ru-p2", "total", 5)],
                            },
                        ],
                        "OtherCounts": [
                            {
                                "@type": T + "OtherCounts",
                                "GpUnitId": "ru-p1",
                                "Undervotes": 40,
                                "Overvotes": 2,
                            },
                            {
                                "@type": T + "OtherCounts",
                                "GpUnitId": "ru-p2",
                                "Undervotes": 35,
                                "Overvotes": 1,
                            },
                        ],
                    },
                    {
                        "@id": "bm-1",
                        "@type": T + "BallotMeasureContest",
                        "ElectionDistrictId": "ru-county",
                        "Name": "Measure B",
                        "PassageThreshold": _itext("Two-thirds of votes cast"),
                        "ContestSelection": [
                            {
                                "@id": "bm-1-yes",
                                "@type": T + "BallotMeasureSelection",
                                "Selection": _itext("Yes"),
                                "VoteCounts": [
                                    _vc("ru-county", "total", 1200),
                                    _vc("ru-p1", "total", 700),
                                    _vc("ru-p2", "total", 500),
                                ],
                            },
                            {
                                "@id": "bm-1-no",
                                "@type": T + "BallotMeasureSelection",
                                "Selection": _itext("No"),
                                "VoteCounts": [
                                    _vc("ru-county", "total", 600),
                                    _vc("ru-p1", "total", 350),
                                    _vc("ru-p2", "total", 250),
                                ],
                            },
                        ],
                    },
                    {
                        "@id": "cc-da",
                        "@type": T + "CandidateContest",
                        "ElectionDistrictId": "ru-county",
                        "Name": "District Attorney",
                        "VoteVariation": "majority",
                        "NumberElected": 1,
                        "NumberRunoff": 2,
                        "VotesAllowed": 1,
                        "ContestSelection": [],
                    },
                ],
            }
        ],
    }


def _json(tree: dict[str, Any]) -> bytes:
    return msgspec.json.encode(tree)


# --- reports from other issuers ------------------------------------------------------------------


def test_other_issuer_json_counts_sum_over_the_highest_units() -> None:
    parsed = cdf.parse(_json(other_issuer_report()), where="example.json")
    election, release = parsed.election, parsed.releases[0]
    assert election.id == "cdf:ex-2024-11-05"
    assert (election.title, election.date, election.kind) == (
        "General Election",
        date(2024, 11, 5),
        "general",
    )
    assert (election.jurisdiction, election.registration) == ("Example County", 5000)
    mayor = election.contest("cc-mayor")
    assert [(c.id, c.name, c.party) for c in mayor.choices] == [
        ("can-a", "Ada Lovelace", "Democratic"),
        ("can-b", "Bob Byron", ""),
    ]
    assert mayor.rule == Rule(kind="plurality", seats=1, votes_allowed=1, text="most votes wins")
    count = release.count("cc-mayor")
    assert count is not None
    # precincts by vote type: A 300+200+250+150, B 100+120+80+90; write-ins 7+5
    assert count.votes == {"can-a": 900, "can-b": 390}
    assert count.write_ins == 12
    assert count.votes_by_type == {
        "election-day": {"can-a": 550, "can-b": 180},
        "absentee-mail": {"can-a": 350, "can-b": 210},
    }
    assert (count.undervotes, count.overvotes) == (75, 3)
    assert (count.precincts_reporting, count.precincts_total) == (2, 2)
    assert count.ballots is None
    # the county's own total wins over its precincts (no double count)
    measure = release.count("bm-1")
    assert measure is not None and measure.votes == {"bm-1-yes": 1200, "bm-1-no": 600}
    assert election.contest("bm-1").rule.threshold == "2/3"
    # a contest with no selections and no counts has a rule but no count yet
    assert election.contest("cc-da").rule.kind == "majority_or_runoff"
    assert election.contest("cc-da").rule.advance == 2
    assert release.count("cc-da") is None
    assert release.ballots_counted == 2100
    assert release.feed_time == datetime.fromisoformat("2024-11-06T01:30:00-08:00")
    assert release.source == "cdf" and release.status == "unofficial"


def test_other_issuer_winner_becomes_an_outside_call_and_outstanding_a_report() -> None:
    data = _json(other_issuer_report())
    parsed = cdf.parse(data, where="example.json")
    assert len(parsed.calls) == 1
    call = parsed.calls[0]
    assert (call.contest_id, call.status, call.choices) == ("cc-mayor", "called", ("can-a",))
    assert call.approved_by == "outside: Example County Registrar"
    assert call.outside == "a NIST CDF report issued by Example County Registrar"
    assert call.release_hash == sha256_hex(data) == parsed.releases[0].content_hash
    assert "projected-winner" in call.reason
    assert len(parsed.reports) == 1
    report = parsed.reports[0]
    assert (report.total, report.counted_so_far) == (700, 2100)
    assert report.as_of == parsed.releases[0].feed_time


def test_advanced_to_runoff_is_a_runoff_call_under_majority_rule() -> None:
    tree = other_issuer_report()
    election = tree["Election"][0]
    election["Candidate"][0]["PostElectionStatus"] = "advanced-to-runoff"
    election["Candidate"][1]["PostElectionStatus"] = "advanced-to-runoff"
    da = election["Contest"][2]
    da["ContestSelection"] = [
        {"@id": "s1", "@type": T + "CandidateSelection", "CandidateIds": ["can-a"]},
        {"@id": "s2", "@type": T + "CandidateSelection", "CandidateIds": ["can-b"]},
    ]
    election["Contest"] = [da]
    parsed = cdf.parse(_json(tree), where="runoff.json")
    assert [(c.status, c.choices) for c in parsed.calls] == [("runoff", ("can-a", "can-b"))]


HAND_WRITTEN_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<ElectionReport xmlns="http://itl.nist.gov/ns/voting/1500-100/v2"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Election>
    <BallotCounts><GpUnitId>gp-state</GpUnitId><Type>total</Type><BallotsCast>1000</BallotsCast></BallotCounts>
    <Candidate ObjectId="c1"><BallotName><Text Language="en">Jane Roe</Text></BallotName></Candidate>
    <Candidate ObjectId="c2"><BallotName><Text Language="en">John Doe</Text></BallotName></Candidate>
    <Contest ObjectId="ct-gov" xsi:type="CandidateContest">
      <ContestSelection ObjectId="cs1" xsi:type="CandidateSelection">
        <VoteCounts><GpUnitId>gp-state</GpUnitId><Type>total</Type><Count>5.1E2</Count></VoteCounts>
        <CandidateIds>c1</CandidateIds>
      </ContestSelection>
      <ContestSelection ObjectId="cs2" xsi:type="CandidateSelection">
        <VoteCounts><GpUnitId>gp-state</GpUnitId><Type>total</Type><Count>470</Count></VoteCounts>
        <CandidateIds>c2</CandidateIds>
      </ContestSelection>
      <ElectionDistrictId>gp-state</ElectionDistrictId>
      <Name>Governor</Name>
      <OtherCounts><GpUnitId>gp-state</GpUnitId><Overvotes>3</Overvotes><Undervotes>17</Undervotes></OtherCounts>
      <VoteVariation>plurality</VoteVariation>
      <NumberElected>1</NumberElected>
      <VotesAllowed>1</VotesAllowed>
    </Contest>
    <Contest ObjectId="ct-recall" xsi:type="BallotMeasureContest">
      <ContestSelection ObjectId="ry" xsi:type="BallotMeasureSelection">
        <VoteCounts><GpUnitId>gp-state</GpUnitId><Type>total</Type><Count>400</Count></VoteCounts>
        <Selection><Text Language="en">Yes</Text></Selection>
      </ContestSelection>
      <ContestSelection ObjectId="rn" xsi:type="BallotMeasureSelection">
        <VoteCounts><GpUnitId>gp-state</GpUnitId><Type>total</Type><Count>590</Count></VoteCounts>
        <Selection><Text Language="en">No</Text></Selection>
      </ContestSelection>
      <ElectionDistrictId>gp-state</ElectionDistrictId>
      <Name>Recall of the Governor</Name>
      <Type>recall</Type>
    </Contest>
    <ElectionScopeId>gp-state</ElectionScopeId>
    <Name><Text Language="en">Statewide Special Election</Text></Name>
    <StartDate>2021-09-14</StartDate>
    <EndDate>2021-09-14</EndDate>
    <Type>special</Type>
  </Election>
  <Format>summary-contest</Format>
  <GeneratedDate>2021-09-15T08:00:00Z</GeneratedDate>
  <GpUnit ObjectId="gp-state" xsi:type="ReportingUnit">
    <Name><Text Language="en">State of Example</Text></Name>
    <Type>state</Type>
  </GpUnit>
  <Issuer>Secretary of State</Issuer>
  <IssuerAbbreviation>SOS</IssuerAbbreviation>
  <SequenceStart>1</SequenceStart>
  <SequenceEnd>1</SequenceEnd>
  <Status>certified</Status>
  <VendorApplicationId>hand-written</VendorApplicationId>
</ElectionReport>
"""


def test_hand_written_xml_reads_like_json(shared_data: Path) -> None:
    # the test document is itself valid against the standard's XSD
    assert (
        cdf_validate.xml_problems(HAND_WRITTEN_XML, shared_data / "formats" / "nist-1500-100") == []
    )
    assert cdf.sniff(HAND_WRITTEN_XML, "report.xml")
    parsed = cdf.parse(HAND_WRITTEN_XML, where="report.xml")
    election, release = parsed.election, parsed.releases[0]
    assert (election.id, election.kind, election.jurisdiction) == (
        "cdf:sos-2021-09-14",
        "special",
        "State of Example",
    )
    governor = election.contest("ct-gov")
    assert [c.name for c in governor.choices] == ["Jane Roe", "John Doe"]
    gov = release.count("ct-gov")
    assert gov is not None and gov.votes == {"c1": 510, "c2": 470}
    assert (gov.undervotes, gov.overvotes, gov.write_ins) == (17, 3, 0)
    recall = election.contest("ct-recall")
    assert (
        recall.kind == "recall" and recall.rule.kind == "recall" and recall.rule.threshold == "1/2"
    )
    assert release.count("ct-recall").votes == {"ry": 400, "rn": 590}
    assert release.status == "certified" and release.ballots_counted == 1000
    assert release.feed_time == datetime(2021, 9, 15, 8, 0, tzinfo=UTC)
    assert parsed.calls == () and parsed.reports == ()


@pytest.mark.parametrize(
    ("text", "threshold", "alt", "condition"),
    [
        ("Two-thirds of votes cast", "2/3", None, ""),
        ("55%", "11/20", None, ""),
        ("66.67% vote required", "2/3", None, ""),
        ("Majority", "1/2", None, ""),
        ("3/5", "3/5", None, ""),
        ("2/3 votes, 55% if prop 5 passes", "2/3", "11/20", "prop 5 passes"),
        ("", "2/3", "1/2", "the threshold, which the source does not state, is a majority"),
        ("as the charter says", None, None, ""),
    ],
)
def test_passage_threshold_texts(
    text: str, threshold: str | None, alt: str | None, condition: str
) -> None:
    rule = california.measure_rule(text)
    assert (rule.kind, rule.threshold, rule.alt_threshold, rule.condition) == (
        "measure",
        threshold,
        alt,
        condition,
    )


def test_a_rules_file_overrides_and_must_name_real_contests() -> None:
    data = _json(other_issuer_report())
    rule = Rule(kind="top_two", seats=1, advance=2, text="top two advance")
    parsed = cdf.parse(data, where="x.json", rules={"cc-mayor": rule})
    assert parsed.election.contest("cc-mayor").rule == rule
    with pytest.raises(InputError, match=r"does not have.*nope"):
        cdf.parse(data, where="x.json", rules={"nope": rule})


def test_the_nist_sample_json_is_the_schema_not_a_report(shared_data: Path) -> None:
    path = shared_data / "formats" / "nist-1500-100" / "NIST_V2_election_results_reporting.json"
    data = path.read_bytes()
    assert not cdf.sniff(data, path.name)  # it defines classes; it names no instance
    with pytest.raises(InputError, match="JSON Schema") as err:
        cdf.parse(data, where=str(path))
    assert err.value.where == str(path)


def test_sniff_tells_cdf_from_the_other_formats(shared_data: Path, general_2024: Path) -> None:
    assert cdf.sniff(_json(other_issuer_report()), "x.json")
    assert not cdf.sniff((general_2024 / "election_data.json").read_bytes(), "election_data.json")
    for path in sorted((shared_data / "formats" / "clarity").iterdir())[:3]:
        assert not cdf.sniff(path.read_bytes()[:65536], path.name)


# --- broken and unsafe input -----------------------------------------------------------------------


def test_truncated_files_name_the_file_and_say_cut_short() -> None:
    whole = _json(other_issuer_report())
    with pytest.raises(InputError, match="cut short") as err:
        cdf.parse(whole[: len(whole) // 2], where="half.json")
    assert err.value.where == "half.json"
    xml = HAND_WRITTEN_XML
    with pytest.raises(InputError, match="cut short") as err:
        cdf.parse(xml[: len(xml) // 2], where="half.xml")
    assert err.value.where.startswith("half.xml")


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE ElectionReport [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ElectionReport xmlns="http://itl.nist.gov/ns/voting/1500-100/v2"><Issuer>&secret;</Issuer></ElectionReport>
"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<ElectionReport xmlns="http://itl.nist.gov/ns/voting/1500-100/v2"><Issuer>&d;</Issuer></ElectionReport>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE ElectionReport SYSTEM "http://example.com/evil.dtd">
<ElectionReport xmlns="http://itl.nist.gov/ns/voting/1500-100/v2"/>
"""


@pytest.mark.parametrize(
    "payload", [XXE, BOMB, EXTERNAL_DTD], ids=["xxe", "entity-bomb", "external-dtd"]
)
def test_unsafe_xml_is_refused(payload: bytes) -> None:
    with pytest.raises(UnsafeInputError) as err:
        cdf.parse(payload, where="evil.xml")
    assert err.value.where.startswith("evil.xml")


def test_oversize_reports_are_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cdf, "MAX_BYTES", 1000)
    with pytest.raises(UnsafeInputError, match="over the limit"):
        cdf.parse(HAND_WRITTEN_XML, where="big.xml")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t["Election"].append(copy.deepcopy(t["Election"][0])), "2 elections"),
        (lambda t: t.pop("Election"), "no Election"),
        (
            lambda t: t["Election"][0]["Contest"][0]["ContestSelection"][0]["VoteCounts"][0].update(
                Count=-5
            ),
            "negative",
        ),
        (
            lambda t: t["Election"][0]["Contest"][0]["ContestSelection"][0]["VoteCounts"][0].update(
                Count=2.5
            ),
            "whole",
        ),
        (
            lambda t: t["Election"][0]["Contest"][0]["ContestSelection"][0]["VoteCounts"][0].update(
                Count="many"
            ),
            "not a number",
        ),
        (
            lambda t: t["Election"][0]["Contest"][0]["ContestSelection"][1].pop("VoteCounts"),
            "no VoteCounts for can-b",
        ),
        (lambda t: t.update(GeneratedDate="2024-11-06T01:30:00"), "no time zone"),
        (lambda t: t["Election"][0].update(StartDate="soon"), "not a date"),
        (
            lambda t: t["Election"][0]["Contest"].append(
                copy.deepcopy(t["Election"][0]["Contest"][1])
            ),
            "appears twice",
        ),
    ],
)
def test_bad_reports_say_what_is_wrong(mutate: Any, message: str) -> None:
    tree = other_issuer_report()
    mutate(tree)
    with pytest.raises(InputError, match=message) as err:
        cdf.parse(_json(tree), where="bad.json")
    assert err.value.where.startswith("bad.json")


def test_unknown_references_are_their_own_error() -> None:
    tree = other_issuer_report()
    tree["Election"][0]["Contest"][0]["ContestSelection"][0]["CandidateIds"] = ["ghost"]
    with pytest.raises(UnknownReferenceError, match="ghost"):
        cdf.parse(_json(tree), where="bad.json")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        ("{}".encode("utf-16"), "UTF-16"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b"[1, 2]", "not an object"),
        (b'{"@type": "ElectionResults.Contest"}', "not a NIST CDF ElectionReport"),
        (b"<Results/>", "not a NIST CDF <ElectionReport>"),
        (b'<ElectionReport xmlns="urn:other"/>', "namespace"),
        (b"hello", "neither JSON nor XML"),
        (b"[" * 100_000, "not an object|nested too deeply|cut short"),
        (b'{"x":' * 10_000 + b"1" + b"}" * 10_000, "nested too deeply"),
    ],
)
def test_files_that_are_not_reports(payload: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        cdf.parse(payload, where="odd")


# --- our own extension read back -------------------------------------------------------------------


def small_election() -> tuple[Election, Release]:
    """Every field of the model that the CDF carries, in a few contests."""
    council = Contest(
        id="c:1",
        title="City Council",
        kind="candidate",
        rule=Rule(kind="plurality", seats=2, votes_allowed=2, text="the 2 with the most votes win"),
        choices=(
            Choice(id="1", name="Ann", party="Green"),
            Choice(id="2", name="Bo & Co", party="Libertarian"),
            Choice(id="3", name="Cy"),
        ),
        group="Cities",
    )
    tax = Contest(
        id="m 2",
        title="Measure T",
        kind="measure",
        rule=Rule(
            kind="measure",
            threshold="2/3",
            alt_threshold="11/20",
            condition="prop 5 passes",
            text="2/3 votes, 55% if prop 5 passes",
        ),
        choices=(
            Choice(id="y", name="YES", party="Non Partisan"),
            Choice(id="n", name="NO", party="Non Partisan"),
        ),
    )
    sheriff = Contest(
        id="3",
        title="Sheriff",
        kind="candidate",
        rule=Rule(
            kind="majority_or_runoff", seats=1, votes_allowed=1, advance=2, text="majority elects"
        ),
        choices=(Choice(id="a", name="Al"), Choice(id="b", name="Bea"), Choice(id="c", name="Cal")),
        party="Nonpartisan",
    )
    recall = Contest(
        id="4",
        title="Recall",
        kind="recall",
        rule=Rule(kind="recall", threshold="1/2", text="Majority of votes cast"),
        choices=(Choice(id="ry", name="YES"), Choice(id="rn", name="NO")),
    )
    election = Election(
        id="test:1",
        title="Small Election",
        date=date(2026, 6, 2),
        jurisdiction="Small City",
        kind="primary",
        contests=(council, tax, sheriff, recall),
        registration=9000,
        source="test",
        timezone="America/Denver",
    )
    when = datetime.fromisoformat("2026-06-02T21:15:07-06:00")
    release = Release(
        election_id="test:1",
        source="test",
        feed_time=when,
        received_at=when,
        content_hash="ab" * 32,
        contests=(
            ContestCount(
                contest_id="c:1",
                votes={"1": 1200, "2": 950, "3": 700},
                write_ins=31,
                ballots=2000,
                full=900,
                partial=800,
                undervotes=290,
                overvotes=10,
                unused=(1100, 300),
                votes_by_type={
                    "Election Day": {"1": 500, "2": 450, "3": 300},
                    "Mail": {"1": 700, "2": 500, "3": 400},
                },
                precincts_reporting=12,
                precincts_total=40,
            ),
            ContestCount(
                contest_id="m 2", votes={"y": 1300, "n": 600}, undervotes=100, overvotes=0
            ),
            ContestCount(contest_id="3", votes={"a": 900, "b": 800, "c": 250}, write_ins=0),
        ),
        ballots_counted=2000,
        ballots_mail=1200,
        ballots_in_person=800,
        status="unofficial",
        sequence=3,
    )
    return election, release


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_field_survives_our_own_export(fmt: str) -> None:
    election, release = small_election()
    blob = (
        cdf_export.to_json(election, release)
        if fmt == "json"
        else cdf_export.to_xml(election, release)
    )
    assert cdf_validate.problems(blob, fmt) == []
    parsed = cdf.parse(blob, where=f"small.{fmt}", received_at=release.received_at)
    assert parsed.election == msgspec.structs.replace(election, source="cdf")
    back = parsed.releases[0]
    assert back.contests == release.contests  # the recall had no count and still has none
    assert (back.ballots_counted, back.ballots_mail, back.ballots_in_person) == (2000, 1200, 800)
    assert (back.feed_time, back.status, back.received_at) == (
        release.feed_time,
        "unofficial",
        release.received_at,
    )
    assert back.feed_time.utcoffset() == release.feed_time.utcoffset()
    assert back.content_hash == sha256_hex(blob) != release.content_hash
    assert back.sequence is None  # the store gives the sequence
    assert parsed.calls == () and parsed.reports == ()


# --- fuzzing -----------------------------------------------------------------------------------------


def _outcome(data: bytes) -> None:
    try:
        result = cdf.parse(data, where="fuzz")
    except InputError:
        return
    assert isinstance(result, Parsed)
    assert len(result.releases) == 1


#: Examples per fuzz test; raise with RACEDESK_FUZZ_EXAMPLES for a longer run.
FUZZ = settings(
    max_examples=int(os.environ.get("RACEDESK_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(
    st.binary(max_size=400),
    st.sampled_from(
        [b"", b"{", b"<", b'{"@type": "ElectionResults.ElectionReport",', b"<ElectionReport>"]
    ),
)
def test_fuzz_any_bytes(data: bytes, prefix: bytes) -> None:
    _outcome(prefix + data)


_KEYS = [
    "@type", "@id", "Election", "Contest", "ContestSelection", "VoteCounts", "Count", "GpUnitId",
    "Type", "OtherType", "Candidate", "CandidateIds", "BallotName", "Text", "Content", "Name",
    "StartDate", "GeneratedDate", "ExternalIdentifier", "Value", "OtherCounts", "BallotCounts",
    "GpUnit", "ComposingGpUnitIds", "Selection", "VotesAllowed", "NumberRunoff", "Round",
]  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            T + "ElectionReport",
            T + "CandidateContest",
            T + "BallotMeasureContest",
            "total",
            "other",
            "racedesk-id",
            "2024-11-05",
            "2024-11-05T20:00:00Z",
        ]
    ),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5)
    ),
    max_leaves=30,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=8))
def test_fuzz_json_trees(tree: dict[str, Any]) -> None:
    tree["@type"] = T + "ElectionReport"
    _outcome(msgspec.json.encode(tree))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*prefix, i)))
    return out


_SMALL = msgspec.json.decode(cdf_export.to_json(*small_election()))
_SMALL_PATHS = _paths(_SMALL)[1:]


@FUZZ
@given(
    st.lists(
        st.tuples(st.sampled_from(_SMALL_PATHS), st.one_of(st.just("<delete>"), _JSON)),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_mutated_exports(edits: list[tuple[tuple[Any, ...], Any]]) -> None:
    tree = copy.deepcopy(_SMALL)
    for path, value in edits:
        parent = tree
        try:
            for step in path[:-1]:
                parent = parent[step]
            if value == "<delete>":
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    _outcome(msgspec.json.encode(tree))


_SMALL_XML = cdf_export.to_xml(*small_election())


@FUZZ
@given(
    st.integers(min_value=0, max_value=len(_SMALL_XML)),
    st.binary(max_size=20),
    st.integers(min_value=0, max_value=40),
)
def test_fuzz_damaged_xml(at: int, insert: bytes, cut: int) -> None:
    _outcome(_SMALL_XML[:at] + insert + _SMALL_XML[at + cut :])


def _with_state_contest(portion_ext: str | None) -> dict[str, Any]:
    """The other issuer's county report with a U.S. Senate contest of the state's district."""
    tree = other_issuer_report()
    tree["GpUnit"].append(
        {"@id": "ru-state", "@type": T + "ReportingUnit", "Type": "state", "Name": _itext("CA")}
    )
    senate: dict[str, Any] = {
        "@id": "cc-senate",
        "@type": T + "CandidateContest",
        "ElectionDistrictId": "ru-state",
        "Name": "U.S. Senate",
        "VoteVariation": "plurality",
        "VotesAllowed": 1,
        "ContestSelection": [],
    }
    if portion_ext is not None:
        senate["ExternalIdentifier"] = [
            {
                "@type": T + "ExternalIdentifier",
                "Type": "other",
                "OtherType": "racedesk-portion",
                "Value": portion_ext,
            }
        ]
    tree["Election"][0]["Contest"].append(senate)
    return tree


def test_a_county_s_cdf_report_sees_a_state_s_contest_as_its_part() -> None:
    parsed = cdf.parse(_json(_with_state_contest(None)), where="example.json")
    portions = {c.id: c.portion for c in parsed.election.contests}
    assert portions == {"cc-mayor": "", "bm-1": "", "cc-da": "", "cc-senate": "Example County"}
    # racedesk's extension, where the report states it, wins
    stated = cdf.parse(_json(_with_state_contest("Example County part")), where="example.json")
    assert stated.election.contest("cc-senate").portion == "Example County part"


def test_another_issuer_s_ranked_choice_contest_is_read_and_not_called_on_first_choices() -> None:
    """A ranked-choice contest from an issuer that gives no racedesk rule (Maine's, Alaska's,
    a city's) was refused with the whole report; it is now read as ranked choice: its first
    choices shown, never called on them alone (``rules/ranked_choice.py``), and the rest of the
    report read as before. A ranked count of several seats is kept with its rule unknown."""
    tree = other_issuer_report()
    mayor = tree["Election"][0]["Contest"][0]
    mayor.update(VoteVariation="rcv", VotesAllowed=3)
    parsed = cdf.parse(_json(tree), where="rcv.json")
    contests = {c.id: c for c in parsed.election.contests}
    rule = contests["cc-mayor"].rule
    assert (rule.kind, rule.votes_allowed, rule.text) == (
        "ranked_choice",
        3,
        "ranked choice (VoteVariation rcv)",
    )
    assert len(contests) == len(tree["Election"][0]["Contest"])
    mayor.update(NumberElected=2)
    parsed = cdf.parse(_json(tree), where="rcv.json")
    rule = next(c.rule for c in parsed.election.contests if c.id == "cc-mayor")
    assert rule.kind == "unknown"


def test_a_majority_contest_without_its_runoff_number_is_majority_or_runoff() -> None:
    """``VoteVariation`` majority with no ``NumberRunoff`` was read as plurality: a leader under
    half would have been called elected. A majority elects; otherwise the top two, as the
    rule's words say the report does not state it."""
    tree = other_issuer_report()
    tree["Election"][0]["Contest"][0].update(VoteVariation="majority")
    parsed = cdf.parse(_json(tree), where="majority.json")
    rule = next(c.rule for c in parsed.election.contests if c.id == "cc-mayor")
    assert (rule.kind, rule.advance) == ("majority_or_runoff", 2)
    assert rule.text == (
        "majority of votes cast elects; otherwise the top two (the report does not say) go to "
        "a runoff"
    )
