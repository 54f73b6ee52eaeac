"""Clarity ENR detail.xml: totals checked against the ``clarify`` package's parse of the same files."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import clarify
import pytest
from lxml import etree

from racedesk.errors import InputError
from racedesk.model import Rule
from racedesk.sources import clarity

SAMPLES = ("county.xml", "precinct.xml")


@pytest.fixture(scope="module")
def clarity_dir(shared_data: Path) -> Path:
    path = shared_data / "formats" / "clarity"
    if not path.is_dir():
        pytest.skip(f"Clarity samples not found at {path}")
    return path


def _clarify(path: Path) -> clarify.Parser:
    parser = clarify.Parser()
    parser.parse(str(path))
    return parser


@pytest.mark.parametrize("name", SAMPLES)
def test_totals_match_clarify(clarity_dir: Path, name: str) -> None:
    path = clarity_dir / name
    ours = clarity.parse(path.read_bytes(), where=str(path))
    theirs = _clarify(path)
    release = ours.releases[0]
    assert [c.id for c in ours.election.contests] == [c.key for c in theirs.contests]
    for contest in theirs.contests:
        count = release.count(contest.key)
        assert count is not None
        mine = ours.election.contest(contest.key)
        assert mine.title == contest.text
        assert [k.id for k in mine.choices] == [k.key for k in contest.choices]
        assert count.votes == {k.key: k.total_votes for k in contest.choices}
        # Vote types: the contest-wide result of each vote type, as clarify reads it.
        by_type: dict[str, dict[str, int]] = {}
        for k in contest.choices:
            for r in k.results:
                if r.jurisdiction is None:
                    by_type.setdefault(r.vote_type, {})[k.key] = r.votes
        assert count.votes_by_type == by_type
        no_choice = {
            r.vote_type: r.votes
            for r in contest.results
            if r.choice is None and r.jurisdiction is None
        }
        assert count.overvotes == no_choice.get("Overvotes")
        assert count.undervotes == no_choice.get("Undervotes")
        assert count.precincts_reporting == contest.precincts_reported
        if contest.precincts_participating is not None:
            assert count.precincts_total == contest.precincts_participating


@pytest.mark.parametrize("name", SAMPLES)
def test_election_and_release_match_clarify(clarity_dir: Path, name: str) -> None:
    path = clarity_dir / name
    ours = clarity.parse(path.read_bytes(), where=str(path))
    theirs = _clarify(path)
    release = ours.releases[0]
    assert ours.election.title == theirs.election_name
    assert ours.election.date == theirs.election_date
    assert ours.election.jurisdiction == theirs.region
    assert ours.election.registration == theirs.total_voters
    assert release.ballots_counted == theirs.ballots_cast
    # clarify drops the zone; racedesk keeps the offset the abbreviation states.
    assert release.feed_time.replace(tzinfo=None) == theirs.timestamp
    assert release.feed_time.utcoffset() is not None


def test_precinct_results_are_summarized_into_the_totals(clarity_dir: Path) -> None:
    """The Greenup County file is precinct level: the totals equal clarify's per-precinct sums,
    and the precincts counted are the file's."""
    path = clarity_dir / "precinct.xml"
    ours = clarity.parse(path.read_bytes(), where=str(path)).releases[0]
    theirs = _clarify(path)
    for contest in theirs.contests:
        count = ours.count(contest.key)
        assert count is not None
        for k in contest.choices:
            per_precinct = sum(r.votes for r in k.results if r.jurisdiction is not None)
            assert count.votes[k.key] == per_precinct
        assert count.precincts_total == len(theirs.result_jurisdictions)
        # Vote for one, under- and overvotes known: the ballots counted in the contest.
        assert count.ballots == sum(count.votes.values()) + count.undervotes + count.overvotes  # type: ignore[operator]


def test_the_state_file_keeps_its_totals_where_vote_types_do_not_add_up(clarity_dir: Path) -> None:
    path = clarity_dir / "county.xml"
    count = clarity.parse(path.read_bytes(), where=str(path)).releases[0].contests[0]
    root = etree.parse(str(path)).getroot()
    choice = root.find("Contest/Choice")
    assert choice is not None
    assert count.votes[choice.get("key")] == int(choice.get("totalVotes"))
    by_type = sum(int(v.get("votes")) for v in choice.findall("VoteType"))
    assert sum(count.votes_by_type[t][choice.get("key")] for t in count.votes_by_type) == by_type
    assert by_type != int(choice.get("totalVotes"))


def test_zone_abbreviations_become_offsets_and_the_place_zone(clarity_dir: Path) -> None:
    county = clarity.parse((clarity_dir / "county.xml").read_bytes(), where="county.xml")
    precinct = clarity.parse((clarity_dir / "precinct.xml").read_bytes(), where="precinct.xml")
    assert county.releases[0].feed_time.utcoffset() == timedelta(hours=-6)  # CST
    assert county.election.timezone == "America/Chicago"
    assert precinct.releases[0].feed_time.utcoffset() == timedelta(hours=-4)  # EDT
    assert precinct.election.timezone == "America/New_York"


def test_the_zipped_file_reads_the_same(clarity_dir: Path) -> None:
    data = (clarity_dir / "precinct.xml").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("detail.xml", data)
    zipped = clarity.parse(buf.getvalue(), where="detailxml.zip")
    plain = clarity.parse(data, where="detail.xml")
    assert zipped.election == plain.election
    assert zipped.releases[0].contests == plain.releases[0].contests
    assert zipped.releases[0].content_hash != plain.releases[0].content_hash  # the raw bytes'


def test_ids_kinds_and_status(clarity_dir: Path) -> None:
    parsed = clarity.parse((clarity_dir / "precinct.xml").read_bytes(), where="precinct.xml")
    assert parsed.election.id == "clarity:greenup-2014-05-20"
    assert parsed.election.kind == "primary"
    assert parsed.election.source == parsed.releases[0].source == clarity.NAME
    assert parsed.releases[0].election_id == parsed.election.id


# --- small files written here, for what the samples do not show --------------------------------

HEAD = b"""<?xml version="1.0" encoding="utf-8"?>
<ElectionResult>
  <Timestamp>11/8/2022 10:41:12 PM PST</Timestamp>
  <ElectionName>Test General Election</ElectionName>
  <ElectionDate>11/8/2022</ElectionDate>
  <Region>Test County</Region>
  <VoterTurnout totalVoters="1000" ballotsCast="600" voterTurnout="60.00">
    <Precincts>
      <Precinct name="P1" totalVoters="500" ballotsCast="300" />
      <Precinct name="P2" totalVoters="500" ballotsCast="300" />
    </Precincts>
  </VoterTurnout>
"""


def _doc(body: str) -> bytes:
    return HEAD + body.encode() + b"</ElectionResult>\n"


COUNCIL = """
  <Contest key="7" text="CITY COUNCIL" voteFor="2" isQuestion="false" precinctsReported="1" precinctsParticipating="2">
    <VoteType name="Undervotes" votes="30"><Precinct name="P1" votes="10" /><Precinct name="P2" votes="20" /></VoteType>
    <VoteType name="Overvotes" votes="2"><Precinct name="P1" votes="2" /><Precinct name="P2" votes="0" /></VoteType>
    <Choice key="1" text="ANA" party="NP" totalVotes="300">
      <VoteType name="Election Day" votes="100"><Precinct name="P1" votes="60" /><Precinct name="P2" votes="40" /></VoteType>
      <VoteType name="Vote by Mail" votes="200"><Precinct name="P1" votes="150" /><Precinct name="P2" votes="50" /></VoteType>
    </Choice>
    <Choice key="2" text="BEN" totalVotes="250">
      <VoteType name="Election Day" votes="50"><Precinct name="P1" votes="25" /><Precinct name="P2" votes="25" /></VoteType>
      <VoteType name="Vote by Mail" votes="200"><Precinct name="P1" votes="100" /><Precinct name="P2" votes="100" /></VoteType>
    </Choice>
    <Choice key="3" text="Write-in Totals" totalVotes="7">
      <VoteType name="Election Day" votes="7"><Precinct name="P1" votes="3" /><Precinct name="P2" votes="4" /></VoteType>
    </Choice>
  </Contest>
  <Contest key="8" text="MEASURE A" voteFor="1" isQuestion="true" precinctsReported="2" precinctsParticipating="2">
    <Choice key="1" text="Yes" totalVotes="400"><VoteType name="Election Day" votes="400" /></Choice>
    <Choice key="2" text="No" totalVotes="150"><VoteType name="Election Day" votes="150" /></Choice>
  </Contest>
"""


def test_vote_for_n_questions_and_write_ins() -> None:
    parsed = clarity.parse(_doc(COUNCIL), where="detail.xml")
    council, measure = parsed.election.contests
    assert council.rule == Rule(
        kind="plurality", seats=2, votes_allowed=2, text="the 2 with the most votes win"
    )
    assert [k.name for k in council.choices] == ["ANA", "BEN"]
    assert council.choices[0].party == "NP"
    # the file states no threshold: a majority to two-thirds, settled only where both agree
    assert (measure.kind, measure.rule.threshold, measure.rule.alt_threshold) == (
        "measure",
        "2/3",
        "1/2",
    )
    count = parsed.releases[0].count("7")
    assert count is not None
    assert count.votes == {"1": 300, "2": 250}
    assert count.write_ins == 7
    assert count.votes_by_type == {
        "Election Day": {"1": 100, "2": 50},
        "Vote by Mail": {"1": 200, "2": 200},
    }
    assert (count.undervotes, count.overvotes) == (30, 2)
    assert count.ballots is None  # vote for two: Clarity's under/overvotes are votes, not ballots
    assert (count.precincts_reporting, count.precincts_total) == (1, 2)
    assert parsed.election.registration == 1000 and parsed.releases[0].ballots_counted == 600


def test_a_rules_file_overrides_the_derived_rule() -> None:
    rules = {"measure a": Rule(kind="measure", threshold="2/3", text="two-thirds")}
    parsed = clarity.parse(_doc(COUNCIL), where="detail.xml", rules=rules)
    assert parsed.election.contest("8").rule.threshold == "2/3"
    with pytest.raises(InputError, match="does not have"):
        clarity.parse(_doc(COUNCIL), where="detail.xml", rules={"MEASURE Z": rules["measure a"]})


def test_vote_types_without_totals_are_summed_from_their_precincts() -> None:
    body = COUNCIL.replace(
        '<VoteType name="Election Day" votes="100">', '<VoteType name="Election Day">'
    )
    count = clarity.parse(_doc(body), where="detail.xml").releases[0].count("7")
    assert count is not None and count.votes_by_type["Election Day"]["1"] == 60 + 40


def test_precincts_participating_falls_back_to_the_listed_precincts() -> None:
    body = COUNCIL.replace(
        ' precinctsReported="1" precinctsParticipating="2"', ' precinctsReporting="1"'
    )
    count = clarity.parse(_doc(body), where="detail.xml").releases[0].count("7")
    assert count is not None and (count.precincts_reporting, count.precincts_total) == (1, 2)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('totalVotes="300"', 'totalVotes="3x0"'), "totalVotes of <Choice> is '3x0'"),
        (('totalVotes="300"', 'totalVotes="' + "9" * 5000 + '"'), "not a whole number"),
        (('key="2" text="BEN"', 'key="1" text="BEN"'), "two choices have this key"),
        (('key="8"', 'key="7"'), "two contests have this key"),
        (
            ('<VoteType name="Undervotes" votes="30">', '<VoteType name="Blank" votes="30">'),
            "contest-level vote type",
        ),
    ],
)
def test_bad_values_name_the_contest(change: tuple[str, str], problem: str) -> None:
    with pytest.raises(InputError) as err:
        clarity.parse(_doc(COUNCIL.replace(*change, 1)), where="detail.xml")
    assert err.value.where.startswith("detail.xml, contest ")
    assert problem in err.value.problem


def test_malformed_precinct_content_names_its_line() -> None:
    body = COUNCIL.replace('<Precinct name="P2" votes="50" />', '<Precinct name="P2" votes="50" >')
    data = _doc(body)
    line = data[: data.index(b'<Precinct name="P2" votes="50" >')].count(b"\n") + 1
    with pytest.raises(InputError) as err:
        clarity.parse(data, where="detail.xml")
    assert err.value.where == f"detail.xml, line {line}"
    assert "not well-formed" in err.value.problem


def test_errors_in_the_skeleton_name_the_files_line() -> None:
    # Lines of per-precinct content come before the error; its line is the file's, not the
    # skeleton's.
    body = COUNCIL.replace(
        '<Choice key="1" text="Yes" totalVotes="400">',
        '<Choice key="1" text="Yes" totalVotes="400"',
    )
    data = _doc(body)
    line = data[: data.index(b'<Choice key="1" text="Yes" totalVotes="400"')].count(b"\n") + 1
    with pytest.raises(InputError) as err:
        clarity.parse(data, where="detail.xml")
    assert err.value.where == f"detail.xml, line {line}"


def test_truncated_files_are_cut_short(clarity_dir: Path) -> None:
    data = (clarity_dir / "precinct.xml").read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 20):
        with pytest.raises(InputError) as err:
            clarity.parse(data[:cut], where="precinct.xml")
        assert "cut short" in err.value.problem


def test_other_xml_is_not_clarity() -> None:
    with pytest.raises(InputError, match=r"root is <ElectionReport>"):
        clarity.parse(b"<ElectionReport><Contest/></ElectionReport>", where="x.xml")


@pytest.mark.parametrize(
    ("text", "offset", "zone"),
    [
        ("11/13/2014 2:58:41 PM CST", -6, "America/Chicago"),
        ("5/20/2014 8:19:21 PM EDT", -4, "America/New_York"),
        ("11/8/2022 10:41:12 PM PST", -8, "America/Los_Angeles"),
        ("3/3/2020 9:00:00 AM AKST", -9, "America/Anchorage"),
    ],
)
def test_parse_timestamp(text: str, offset: int, zone: str) -> None:
    when, iana = clarity.parse_timestamp(text, "t")
    assert when.utcoffset() == timedelta(hours=offset) and iana == zone


@pytest.mark.parametrize(
    "text", ["11/13/2014 2:58:41 PM", "11/13/2014 2:58:41 PM XYZ", "yesterday CST"]
)
def test_timestamps_without_a_known_zone_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        clarity.parse_timestamp(text, "t")


# --- polling ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://results.enr.clarityelections.com/KY/Adair/15263/27401/Web01/en/summary.html",
         "https://results.enr.clarityelections.com/KY/Adair/15263/"),
        ("https://results.enr.clarityelections.com/KY/Adair/15263/current_ver.txt",
         "https://results.enr.clarityelections.com/KY/Adair/15263/"),
        ("https://results.enr.clarityelections.com//GA/105369/web.264614/#/summary",
         "https://results.enr.clarityelections.com/GA/105369/"),
        ("https://results.enr.clarityelections.com/GA/105369/271927/reports/detailxml.zip",
         "https://results.enr.clarityelections.com/GA/105369/"),
    ],
)  # fmt: skip
def test_election_base_from_any_address_of_the_site(url: str, base: str) -> None:
    assert clarity.election_base(url) == base
    assert clarity.current_version_url(url) == base + "current_ver.txt"
    assert clarity.detail_url(url, "27401") == base + "27401/reports/detailxml.zip"


def test_versions_and_bad_addresses() -> None:
    assert clarity.read_version(b"271927\r\n", "current_ver.txt") == "271927"
    with pytest.raises(InputError):
        clarity.read_version(b"<html>", "current_ver.txt")
    with pytest.raises(InputError):
        clarity.election_base("ftp://example.com/KY/1/")
    with pytest.raises(InputError):
        clarity.election_base("https://example.com/KY/Adair/")
    with pytest.raises(InputError):
        clarity.detail_url("https://results.enr.clarityelections.com/KY/Adair/15263/", "../x")


RECALL = """
  <Contest key="9" text="RECALL OF COUNCIL MEMBER ANA" voteFor="1" isQuestion="true" precinctsReported="2" precinctsParticipating="2">
    <Choice key="1" text="Yes" totalVotes="310"><VoteType name="Election Day" votes="310" /></Choice>
    <Choice key="2" text="No" totalVotes="240"><VoteType name="Election Day" votes="240" /></Choice>
  </Contest>
"""


def test_a_recall_question_is_decided_by_a_majority() -> None:
    """A question whose words say recall is the recall's (more than half, Cal. Const. art. II
    §15(a)), not a measure whose threshold the file does not state: at 56.4% yes, that could
    never be settled."""
    parsed = clarity.parse(_doc(COUNCIL + RECALL), where="detail.xml")
    kinds = {c.title: (c.kind, c.rule.kind, c.rule.threshold) for c in parsed.election.contests}
    assert kinds["RECALL OF COUNCIL MEMBER ANA"] == ("recall", "recall", "1/2")
    assert kinds["MEASURE A"] == ("measure", "measure", "2/3")
