"""NIST SP 1500-100 v2 export: LA 2024 → CDF JSON and XML → the standard's schemas → import.

The reference figures are the county's, as ``../shared/data/README.md`` and
``../shared/domain/california-canvass.md`` quote them (2024 District Attorney, contest 9547:
Hochman 1,983,802, Gascón 1,328,710, 8,614 write-ins; 3,793,106 ballots; 5,736,803 registered).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import msgspec
import pytest
from lxml import etree

from racedesk.engine.params import ModelParams
from racedesk.engine.run import advance
from racedesk.model import Election, Release
from racedesk.model.answers import BallotsLeft, ContestCall, Interval, Snapshot
from racedesk.publish import cdf_export, cdf_validate
from racedesk.settings import REPO_ROOT
from racedesk.sources import cdf, lavote

NS = {"c": cdf.NAMESPACE}
DA_2024 = "9547"
HOCHMAN, GASCON = "23483", "23482"


def _history(folder: Path) -> tuple[Election, list[Release]]:
    election, files = lavote.load_folder(folder)
    releases = [
        msgspec.structs.replace(lavote.read_release(data, election, where=str(path)), sequence=i)
        for i, (path, data) in enumerate(files)
    ]
    return election, releases


@pytest.fixture(scope="module")
def general(general_2024: Path) -> tuple[Election, list[Release]]:
    return _history(general_2024)


@pytest.fixture(scope="module")
def primary(primary_2024: Path) -> tuple[Election, list[Release]]:
    return _history(primary_2024)


@pytest.fixture(scope="module")
def schemas(shared_data: Path) -> Path:
    return shared_data / "formats" / "nist-1500-100"


def _export(
    fmt: str, election: Election, release: Release, snapshot: Snapshot | None = None
) -> bytes:
    return (cdf_export.to_json if fmt == "json" else cdf_export.to_xml)(election, release, snapshot)


def _ext(element: etree._Element, key: str) -> list[str]:
    return element.xpath(f"c:ExternalIdentifier[c:OtherType='{key}']/c:Value/text()", namespaces=NS)


def _contest_xml(root: etree._Element, contest_id: str) -> etree._Element:
    (node,) = root.xpath(
        f"//c:Contest[c:ExternalIdentifier[c:OtherType='racedesk-id' and c:Value='{contest_id}']]",
        namespaces=NS,
    )
    return node


# --- the round trip on real data -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("index", [0, 1, -1], ids=["pre-election", "election-night", "final"])
def test_general_2024_round_trip(general, schemas: Path, fmt: str, index: int) -> None:
    election, releases = general
    release = releases[index]
    blob = _export(fmt, election, release)
    assert cdf_validate.problems(blob, fmt, schemas) == []
    parsed = cdf.parse(blob, where=f"export.{fmt}")
    assert parsed.election == msgspec.structs.replace(
        election, source="cdf"
    )  # every contest, choice and rule
    back = parsed.releases[0]
    assert back.contests == release.contests  # every tally, write-ins and ballot counter
    assert (back.ballots_counted, back.ballots_mail, back.ballots_in_person) == (
        release.ballots_counted,
        release.ballots_mail,
        release.ballots_in_person,
    )
    assert back.feed_time == release.feed_time
    assert back.election_id == "lavote:4324" and back.source == "cdf"


def test_general_2024_final_figures_after_the_round_trip(general) -> None:
    election, releases = general
    parsed = cdf.parse(_export("xml", election, releases[-1]), where="final.xml")
    da = parsed.releases[0].count(DA_2024)
    assert da is not None
    assert da.votes == {HOCHMAN: 1_983_802, GASCON: 1_328_710}
    assert da.write_ins == 8_614
    assert da.full == 3_321_126 == 1_983_802 + 1_328_710 + 8_614
    assert parsed.releases[0].ballots_counted == 3_793_106
    assert parsed.election.registration == 5_736_803


def test_primary_2024_round_trip_keeps_runoff_and_top_two_rules(primary, schemas: Path) -> None:
    election, releases = primary
    release = releases[-1]
    for fmt in ("json", "xml"):
        blob = _export(fmt, election, release)
        assert cdf_validate.problems(blob, fmt, schemas) == []
        parsed = cdf.parse(blob, where=f"primary.{fmt}")
        assert parsed.election == msgspec.structs.replace(election, source="cdf")
        assert parsed.releases[0].contests == release.contests
    da = parsed.releases[0].count("9054")
    assert da is not None and (da.votes["22668"], da.votes["22797"]) == (370_654, 234_509)
    root = etree.fromstring(_export("xml", election, release))
    da_xml = _contest_xml(root, "9054")
    assert da_xml.findtext("c:VoteVariation", namespaces=NS) == "majority"
    assert da_xml.findtext("c:NumberRunoff", namespaces=NS) == "2"
    assert _ext(da_xml, "racedesk-rule") == ["majority_or_runoff"]
    senate = _contest_xml(root, "9021")
    assert senate.findtext("c:VoteVariation", namespaces=NS) == "other"
    assert senate.findtext("c:OtherVoteVariation", namespaces=NS) == "top-two"
    assert _ext(senate, "racedesk-rule") == ["top_two"]


def test_rules_in_the_standards_words(general) -> None:
    election, releases = general
    root = etree.fromstring(_export("xml", election, releases[-1]))
    pasadena = _contest_xml(root, "9938")  # "2/3 votes, 55% if prop 5 passes"
    assert pasadena.get(f"{{{cdf.XSI}}}type") == "BallotMeasureContest"
    assert pasadena.findtext("c:VoteVariation", namespaces=NS) == "super-majority"
    assert (
        pasadena.findtext("c:PassageThreshold/c:Text", namespaces=NS)
        == "2/3 votes, 55% if prop 5 passes"
    )
    assert _ext(pasadena, "racedesk-threshold") == ["2/3"]
    assert _ext(pasadena, "racedesk-alt-threshold") == ["11/20"]
    assert _ext(pasadena, "racedesk-condition") == ["prop 5 passes"]
    recall = _contest_xml(root, "9911")  # CITY OF MONTEBELLO RECALL ELECTION
    assert recall.findtext("c:Type", namespaces=NS) == "recall"
    assert recall.findtext("c:VoteVariation", namespaces=NS) == "majority"
    for contest in election.contests:
        if contest.kind == "candidate" and contest.rule.votes_allowed > 1:
            node = _contest_xml(root, contest.id)
            assert node.findtext("c:VoteVariation", namespaces=NS) == "n-of-m"
            assert node.findtext("c:VotesAllowed", namespaces=NS) == str(contest.rule.votes_allowed)
            assert node.findtext("c:NumberElected", namespaces=NS) == str(contest.rule.seats)
            break
    else:
        pytest.fail("the 2024 general has vote-for-N contests")
    da = _contest_xml(root, DA_2024)
    write_in = da.xpath(
        "c:ContestSelection[c:IsWriteIn='true']/c:VoteCounts/c:Count/text()", namespaces=NS
    )
    assert write_in == ["8614"]
    assert da.findtext("c:OtherCounts/c:WriteIns", namespaces=NS) == "8614"
    assert _ext(da, "racedesk-ballots") == [str(releases[-1].count(DA_2024).ballots)]
    totals = root.xpath("//c:BallotCounts[c:Type='total']/c:BallotsCast/text()", namespaces=NS)
    assert totals == ["3793106"]
    assert root.findtext("c:GpUnit/c:VotersRegistered", namespaces=NS) == "5736803"
    assert _ext(root, "racedesk-release-hash") == [releases[-1].content_hash]


def test_status_sequence_and_generated_date(general) -> None:
    election, releases = general
    first = cdf_export.report(election, releases[0])
    assert (first["Status"], first["SequenceStart"], first["SequenceEnd"]) == ("pre-election", 1, 1)
    night = cdf_export.report(election, releases[5])
    assert (night["Status"], night["SequenceStart"], night["SequenceEnd"]) == (
        "unofficial-partial",
        6,
        6,
    )
    assert datetime.fromisoformat(night["GeneratedDate"]) == releases[5].feed_time.replace(
        microsecond=0
    )
    done = _snapshot(releases[-1], left=Interval.exact(0))
    assert cdf_export.report(election, releases[-1], done)["Status"] == "unofficial-complete"
    certified = msgspec.structs.replace(releases[-1], status="certified")
    assert cdf_export.report(election, certified)["Status"] == "certified"
    later = datetime.fromisoformat("2024-12-05T09:00:00-08:00")
    assert (
        cdf_export.report(election, releases[-1], generated=later)["GeneratedDate"]
        == "2024-12-05T09:00:00-08:00"
    )


def test_exports_are_reproducible(general) -> None:
    election, releases = general
    assert _export("json", election, releases[3]) == _export("json", election, releases[3])
    assert _export("xml", election, releases[3]) == _export("xml", election, releases[3])


# --- calls, votes left and the extension -------------------------------------------------------------


def _snapshot(release: Release, *, left: Interval | None, calls: dict[str, ContestCall] | None = None,
              source: str = "registrar") -> Snapshot:  # fmt: skip
    return Snapshot(
        election_id=release.election_id,
        release_sequence=release.sequence or 0,
        feed_time=release.feed_time,
        release_hash=release.content_hash,
        usable=True,
        problems=(),
        ballots_left=BallotsLeft(ballots=left, source=source, as_of=release.feed_time),
        states=(),
        projections={},
        calls=calls or {},
        new_events=(),
    )


def test_calls_become_post_election_status_and_come_back_as_calls(general, primary) -> None:
    election, releases = general
    release = releases[-1]
    calls = {
        DA_2024: ContestCall(
            contest_id=DA_2024, status="called", choices=(HOCHMAN,), sentence="Hochman wins."
        ),
        "9911": ContestCall(
            contest_id="9911", status="passed", choices=(), sentence="The recall passes."
        ),
    }
    snap = _snapshot(release, left=Interval(low=40_000, mid=52_400.4, high=60_000), calls=calls)
    tree = cdf_export.report(election, release, snap)
    people = {p["@id"]: p for p in tree["Election"][0]["Candidate"]}
    assert (
        people[cdf.object_id("can", DA_2024, HOCHMAN)]["PostElectionStatus"] == "projected-winner"
    )
    assert people[cdf.object_id("can", DA_2024, GASCON)]["PostElectionStatus"] == "defeated"
    (total,) = [b for b in tree["Election"][0]["BallotCounts"] if b["Type"] == "total"]
    assert (total["BallotsCast"], total["BallotsOutstanding"]) == (3_793_106, 52_400)
    parsed = cdf.parse(cdf_export.to_xml(election, release, snap), where="called.xml")
    got = {(c.contest_id, c.status, c.choices) for c in parsed.calls}
    assert got == {(DA_2024, "called", (HOCHMAN,)), ("9911", "passed", ())}
    assert {c.reason for c in parsed.calls} == {"Hochman wins.", "The recall passes."}
    assert all(c.release_sequence == release.sequence for c in parsed.calls)
    (report,) = parsed.reports  # the registrar's own estimate travels as BallotsOutstanding
    assert (report.total, report.counted_so_far) == (52_400, 3_793_106)

    p_election, p_releases = primary
    runoff = {
        "9054": ContestCall(
            contest_id="9054", status="runoff", choices=("22668", "22797"), sentence=""
        )
    }
    p_snap = _snapshot(p_releases[-1], left=None, calls=runoff)
    p_tree = cdf_export.report(p_election, p_releases[-1], p_snap)
    marks = {
        p["@id"]: p.get("PostElectionStatus")
        for p in p_tree["Election"][0]["Candidate"]
        if p["@id"].startswith("can.9054.")
    }
    assert marks.pop(cdf.object_id("can", "9054", "22668")) == "advanced-to-runoff"
    assert marks.pop(cdf.object_id("can", "9054", "22797")) == "advanced-to-runoff"
    assert len(marks) == 10 and set(marks.values()) == {"defeated"}
    back = cdf.parse(cdf_export.to_json(p_election, p_releases[-1], p_snap), where="runoff.json")
    assert [(c.status, c.choices) for c in back.calls] == [("runoff", ("22668", "22797"))]
    assert back.reports == ()  # no estimate of ballots left, so no BallotsOutstanding


def test_the_engines_snapshot_travels_in_the_extension(general, schemas: Path) -> None:
    election, releases = general
    snap = advance(election, releases, [True] * len(releases), [], [], ModelParams(), seed=0)
    release = releases[-1]
    for fmt in ("json", "xml"):
        assert cdf_validate.problems(_export(fmt, election, release, snap), fmt, schemas) == []
    root = etree.fromstring(_export("xml", election, release, snap))
    left = snap.ballots_left.ballots
    assert left is not None
    assert root.xpath(
        "//c:BallotCounts[c:Type='total']/c:BallotsOutstanding/text()", namespaces=NS
    ) == [str(round(left.mid))]
    assert [float(v) for v in _ext(root, "racedesk-ballots-left-mid")] == [left.mid]
    assert _ext(root, "racedesk-ballots-left-source") == [snap.ballots_left.source]
    state = snap.state(DA_2024)
    assert state is not None and state.votes_left.votes is not None
    da = _contest_xml(root, DA_2024)
    assert [float(v) for v in _ext(da, "racedesk-votes-left-high")] == [state.votes_left.votes.high]
    candidates = {c.get("ObjectId"): c for c in root.xpath("//c:Candidate", namespaces=NS)}
    for standing in state.standings:
        node = candidates[cdf.object_id("can", DA_2024, standing.choice_id)]
        assert _ext(node, "racedesk-standing") == [standing.status]
        if standing.needs is not None:
            assert [float(v) for v in _ext(node, "racedesk-needs-low")] == [standing.needs.low]
    projection = snap.projections[DA_2024]
    outcomes = dict(
        zip(
            da.xpath(
                "c:ExternalIdentifier[c:OtherType='racedesk-outcome-probability']/@Label",
                namespaces=NS,
            ),
            (float(v) for v in _ext(da, "racedesk-outcome-probability")),
            strict=True,
        )
    )
    assert outcomes == projection.outcomes
    called = [cid for cid, call in snap.calls.items() if call.status == "called"]
    assert called, "the engine calls contests on the final release"
    parsed = cdf.parse(_export("json", election, release, snap), where="engine.json")
    by_contest = {c.contest_id: c for c in parsed.calls}
    for cid in called:
        assert by_contest[cid].choices == snap.calls[cid].choices
        contest = election.contest(cid)
        if contest.kind == "candidate":
            for choice in snap.calls[cid].choices:
                node = candidates[cdf.object_id("can", cid, choice)]
                assert node.findtext("c:PostElectionStatus", namespaces=NS) == "projected-winner"
    # a model's estimate is not the registrar's: it is not imported as an outstanding report
    assert (parsed.reports == ()) == (snap.ballots_left.source != "registrar")


def test_a_snapshot_of_another_release_is_refused(general) -> None:
    election, releases = general
    snap = _snapshot(releases[-2], left=None)
    with pytest.raises(ValueError, match="not the one after this release"):
        cdf_export.to_json(election, releases[-1], snap)


# --- the schemas ---------------------------------------------------------------------------------------


def test_packaged_schemas_are_nists_unchanged(schemas: Path) -> None:
    for name in (cdf_validate.XSD_NAME, cdf_validate.JSON_SCHEMA_NAME):
        assert (cdf_validate.PACKAGED / name).read_bytes() == (schemas / name).read_bytes()
    assert cdf_validate.schema_dir() == cdf_validate.PACKAGED


def test_the_validators_reject_a_broken_report(general, schemas: Path) -> None:
    election, releases = general
    tree = cdf_export.report(election, releases[-1])
    tree["Status"] = "final-ish"
    found = cdf_validate.json_problems(msgspec.json.encode(tree), schemas)
    assert len(found) == 1 and found[0].startswith("data.Status")
    tree = cdf_export.report(election, releases[-1])
    del tree["Election"][0]["Contest"][0]["VotesAllowed"]
    xml = cdf_export.tree_to_xml(tree)
    found = cdf_validate.xml_problems(xml, schemas)
    assert found and "VotesAllowed" in found[0] and found[0].startswith("line ")
    with pytest.raises(cdf_validate.InvalidReport, match="VotesAllowed"):
        cdf_validate.validate(xml, "xml", schemas)
    with pytest.raises(Exception, match="not there"):
        cdf_validate.schema_dir(schemas / "nowhere")


# --- the documentation ---------------------------------------------------------------------------------


def test_the_example_in_docs_cdf_runs(
    general_2024: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (REPO_ROOT / "docs" / "cdf.md").read_text(encoding="utf-8")
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example, "docs/cdf.md", "exec"), {})
    assert capsys.readouterr().out.split() == ["1983802", "1328710", "8614"]
