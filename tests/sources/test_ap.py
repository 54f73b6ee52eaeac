"""AP Elections API JSON: totals read independently from the payloads, AP's calls in the ledger."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from racedesk.errors import InputError
from racedesk.sources import ap
from racedesk.sources.rules_file import apply_portions

RESULTS = ("20121106_ak_prez.json", "20151103_national.json", "20160201_district_results.json")


@pytest.fixture(scope="module")
def ap_dir(shared_data: Path) -> Path:
    path = shared_data / "formats" / "ap"
    if not path.is_dir():
        pytest.skip(f"AP samples not found at {path}")
    return path


def _load(ap_dir: Path, name: str) -> dict[str, Any]:
    return json.loads((ap_dir / name).read_bytes())


def _state(race: dict[str, Any]) -> str:
    return race.get("statePostal") or race["reportingUnits"][0]["statePostal"]


def _state_unit(race: dict[str, Any]) -> dict[str, Any]:
    (unit,) = [u for u in race["reportingUnits"] if u["level"] == "state"]
    return unit


@pytest.mark.parametrize("name", RESULTS)
def test_state_totals_match_the_payload(ap_dir: Path, name: str) -> None:
    payload = _load(ap_dir, name)
    parsed = ap.parse((ap_dir / name).read_bytes(), where=name)
    (release,) = parsed.releases
    assert len(release.contests) == len(payload["races"])
    for race in payload["races"]:
        cid = f"{_state(race)}-{race['raceID']}"
        unit = _state_unit(race)
        count = release.count(cid)
        assert count is not None
        assert count.votes == {c["candidateID"]: c["voteCount"] for c in unit["candidates"]}
        assert count.precincts_reporting == unit["precinctsReporting"]
        assert count.precincts_total == unit["precinctsTotal"]
    assert release.feed_time == datetime.fromisoformat(payload["timestamp"].replace("Z", "+00:00"))
    assert release.feed_time.tzinfo is not None


def test_subunits_sum_to_the_state_and_can_be_kept(ap_dir: Path) -> None:
    payload = _load(ap_dir, "20151103_national.json")
    data = (ap_dir / "20151103_national.json").read_bytes()
    by_state = ap.parse(data, where="national.json").releases[0]
    kept = ap.parse(data, where="national.json", level="subunit")
    subunits = [
        (r, u) for r in payload["races"] for u in r["reportingUnits"] if u["level"] == "subunit"
    ]
    assert len(kept.election.contests) == len(subunits)
    assert kept.calls == ()  # a subunit's winner flag is the race's, not the subunit's
    for race, unit in subunits:
        count = kept.releases[0].count(f"{_state(race)}-{race['raceID']}-{unit['reportingunitID']}")
        assert count is not None
        assert count.votes == {c["candidateID"]: c["voteCount"] for c in unit["candidates"]}
    # Without state-level units, a contest is the sum of its subunits (in this sample the
    # subunits listed do not cover every county, so that sum is not AP's state total).
    for race in payload["races"]:
        race["reportingUnits"] = [u for u in race["reportingUnits"] if u["level"] == "subunit"]
    summed_parse = ap.parse(json.dumps(payload).encode(), where="national.json")
    summed = summed_parse.releases[0]
    for race in payload["races"]:
        count = summed.count(f"{_state(race)}-{race['raceID']}")
        assert count is not None
        totals: dict[str, int] = {}
        for unit in race["reportingUnits"]:
            for c in unit["candidates"]:
                totals[c["candidateID"]] = totals.get(c["candidateID"], 0) + c["voteCount"]
        assert count.votes == totals
        assert count.precincts_total == sum(u["precinctsTotal"] for u in race["reportingUnits"])
    assert [c.votes for c in summed.contests] != [c.votes for c in by_state.contests]
    # ... and is whole only where the units listed are every county of the state: all 64 of
    # Colorado's and all 120 of Kentucky's; Jefferson County's alone is its part
    parts = {c.id: c.portion for c in summed_parse.election.contests}
    assert parts == {
        "CO-7582": "", "CO-7583": "Jefferson County", "CO-7585": "Jefferson County",
        "CO-7587": "Jefferson County", "KY-18525": "",
    }  # fmt: skip


def test_a_sum_of_some_counties_is_the_race_s_part_never_called(ap_dir: Path) -> None:
    """A payload asked for some reporting units only (no state-level unit): Kentucky's governor
    from 3 of its 120 counties, or Colorado's Proposition BB from one, is the race's part: its
    sum is not the state's, so it is shown and never called; a rules file takes it whole."""
    payload = _load(ap_dir, "20151103_national.json")
    for race in payload["races"]:
        subunits = [u for u in race["reportingUnits"] if u["level"] == "subunit"]
        race["reportingUnits"] = subunits[: 3 if race["officeName"] == "Governor" else 1]
    data = json.dumps(payload).encode()
    parts = {c.id: c.portion for c in ap.parse(data, where="national.json").election.contests}
    assert parts["KY-18525"] == "the 3 reporting units listed"
    assert parts["CO-7582"] == "Adams County"
    contests = ap.parse(data, where="national.json").election.contests
    taken = apply_portions(contests, {"KY-18525": ""}, "rules.toml")
    assert {c.id: c.portion for c in taken}["KY-18525"] == ""


def test_calls_are_imported_from_ap(ap_dir: Path) -> None:
    payload = _load(ap_dir, "20151103_national.json")
    parsed = ap.parse((ap_dir / "20151103_national.json").read_bytes(), where="national.json")
    expected = {
        f"{_state(r)}-{r['raceID']}": tuple(
            c["candidateID"] for c in _state_unit(r)["candidates"] if c.get("winner") == "X"
        )
        for r in payload["races"]
    }
    assert {e.contest_id: e.choices for e in parsed.calls} == {
        k: v for k, v in expected.items() if v
    }
    release = parsed.releases[0]
    for event in parsed.calls:
        assert event.approved_by == "outside: AP" and event.outside == "AP"
        assert event.release_hash == release.content_hash
        assert event.release_time == release.feed_time
        contest = parsed.election.contest(event.contest_id)
        if contest.kind == "candidate":
            assert event.status == "called"
        else:
            yes = contest.choices[[k.name for k in contest.choices].index("Yes")].id
            assert event.status == ("passed" if event.choices == (yes,) else "failed")
    assert [e.event_id for e in parsed.calls] == list(range(1, len(parsed.calls) + 1))


def test_measures_recalls_and_candidates(ap_dir: Path) -> None:
    parsed = ap.parse((ap_dir / "20151103_national.json").read_bytes(), where="national.json")
    kinds = {c.id: (c.kind, c.rule.kind, c.rule.threshold) for c in parsed.election.contests}
    # AP states no threshold: anything from a majority to two-thirds, settled where all agree
    assert kinds["CO-7582"] == ("measure", "measure", "2/3")
    assert parsed.election.contest("CO-7582").rule.alt_threshold == "1/2"
    assert kinds["CO-7583"] == ("recall", "recall", "1/2")  # "Question Recall Williams Dist 1"
    assert kinds["KY-18525"] == ("candidate", "plurality", None)
    kentucky = parsed.election.contest("KY-18525")
    assert [k.name for k in kentucky.choices] == [
        "Jack Conway",
        "Matt Bevin",
        "Drew Curtis",
    ]  # ballot order
    assert parsed.election.id == "ap:2015-11-03-co-ky"


def test_a_runoff_is_imported_and_sets_the_rule(ap_dir: Path) -> None:
    payload = _load(ap_dir, "20121106_ak_prez.json")
    for unit in payload["races"][0]["reportingUnits"]:
        for c in unit["candidates"]:
            c.pop("winner", None)
            if c["last"] in ("Romney", "Obama"):
                c["winner"] = "R"
    parsed = ap.parse(json.dumps(payload).encode(), where="runoff.json")
    (event,) = parsed.calls
    assert event.status == "runoff"
    assert set(event.choices) == {"6018", "6017"}
    rule = parsed.election.contests[0].rule
    assert rule.kind == "majority_or_runoff" and rule.advance == 2


def test_v3_fields_are_read_when_present(ap_dir: Path) -> None:
    payload = _load(ap_dir, "20121106_ak_prez.json")
    race = payload["races"][0]
    race["eevp"] = 80.0
    race["raceCallStatus"] = "Called"
    parsed = ap.parse(json.dumps(payload).encode(), where="v3.json")
    (event,) = parsed.calls
    counted = sum(c["voteCount"] for c in _state_unit(race)["candidates"])
    assert event.votes_left is not None
    assert event.votes_left.mid == round(counted * (100 / 80 - 1))
    # No winner yet and AP says too close to call: an event saying so, with no choice.
    for unit in race["reportingUnits"]:
        for c in unit["candidates"]:
            c.pop("winner", None)
    race["raceCallStatus"] = "Too Close to Call"
    (event,) = ap.parse(json.dumps(payload).encode(), where="v3.json").calls
    assert (event.status, event.choices) == ("too close", ())


def test_an_initialization_payload_gives_the_election_only(ap_dir: Path) -> None:
    payload = _load(ap_dir, "20151103_national_initialization.json")
    parsed = ap.parse(
        (ap_dir / "20151103_national_initialization.json").read_bytes(), where="init.json"
    )
    assert parsed.releases == ()
    assert [c.id for c in parsed.election.contests] == [
        f"{r['statePostal']}-{r['raceID']}" for r in payload["races"]
    ]
    for contest, race in zip(parsed.election.contests, payload["races"], strict=True):
        assert {k.id for k in contest.choices} == {c["candidateID"] for c in race["candidates"]}


def test_caucus_results_use_the_state_unit_not_the_districts(ap_dir: Path) -> None:
    parsed = ap.parse((ap_dir / "20160201_district_results.json").read_bytes(), where="iowa.json")
    assert parsed.election.kind == "primary"
    assert [c.title for c in parsed.election.contests] == [
        "IA President (Dem Caucus)",
        "IA President (GOP Caucus)",
    ]


@pytest.mark.parametrize(
    ("name", "words"),
    [("00000000_elections.json", "elections list"), ("20160818_gov_trends.json", "trend report")],
)
def test_payloads_that_are_not_results_say_what_they_are(
    ap_dir: Path, name: str, words: str
) -> None:
    with pytest.raises(InputError) as err:
        ap.parse((ap_dir / name).read_bytes(), where=name)
    assert err.value.where == name and words in err.value.problem


def test_bad_payloads(ap_dir: Path) -> None:
    data = (ap_dir / "20151103_national.json").read_bytes()
    with pytest.raises(InputError, match="cut short"):
        ap.parse(data[: len(data) // 2], where="half.json")
    payload = _load(ap_dir, "20121106_ak_prez.json")
    broken = copy.deepcopy(payload)
    broken["races"][0]["reportingUnits"][0]["candidates"][0]["voteCount"] = -5
    with pytest.raises(InputError, match="negative"):
        ap.parse(json.dumps(broken).encode(), where="neg.json")
    broken = copy.deepcopy(payload)
    broken["races"].append(copy.deepcopy(broken["races"][0]))
    with pytest.raises(InputError, match="appears twice"):
        ap.parse(json.dumps(broken).encode(), where="twice.json")
    broken = copy.deepcopy(payload)
    broken["races"][0]["reportingUnits"][0]["candidates"][0]["voteCount"] = "many"
    with pytest.raises(InputError, match="not an AP Elections API payload"):
        ap.parse(json.dumps(broken).encode(), where="type.json")


def test_received_at_and_hash(ap_dir: Path) -> None:
    data = (ap_dir / "20121106_ak_prez.json").read_bytes()
    when = datetime(2012, 11, 7, tzinfo=UTC)
    release = ap.parse(data, where="ak.json", received_at=when).releases[0]
    import hashlib

    assert release.received_at == when
    assert release.content_hash == hashlib.sha256(data).hexdigest()
