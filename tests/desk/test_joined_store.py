"""A joined election in the store (issue 15, item 4), on SQLite and PostgreSQL: LA County's feed
and the state's feed of the March 2024 primary (election night, a few feeds of the state's),
stored through ``racedesk ingest COUNTY+STATE`` as one election whose releases interleave by
time; as-of, the history of a contest, the ledger and the static export work across them, and
the stored answers are the replay's."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

import msgspec
import pytest
from typer.testing import CliRunner

from builders import state_feeds
from racedesk.cli import app
from racedesk.data import load_params
from racedesk.desk import Desk
from racedesk.engine.checks import ReleaseChecks
from racedesk.engine.replay import replay
from racedesk.sources import joint
from racedesk.sources.loader import load_canvasses
from racedesk.store import open_store

runner = CliRunner()
#: The state's feeds kept: Prop 1 and its LA slice, the Senate and its counties, District 27
#: (wholly in LA) and District 26 (Ventura and LA) with its LA slice.
STATE_FEEDS = (
    "ballot-measures",
    "ballot-measures-county-los-angeles",
    "us-senate",
    "us-senate-counties",
    "us-rep-district-27",
    "us-rep-district-26",
    "us-rep-district-26-county-los-angeles",
)
UNTIL = "2024-03-06T02:00"  # election night, Pacific time


def _la_night(source: Path, into: Path) -> Path:
    (into / "releases").mkdir(parents=True)
    (into / "election_data.json").symlink_to(source / "election_data.json")
    for path in sorted((source / "releases").glob("*.json")):
        if path.stem.replace("-", ":")[: len(UNTIL)] <= UNTIL.replace("-", ":"):
            (into / "releases" / path.name).symlink_to(path)
    return into


def _state_night(source: Path, into: Path) -> Path:
    return state_feeds(source, into, STATE_FEEDS, until=UNTIL)


@pytest.fixture(scope="module")
def spec(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    state = shared_data / "ca-sos" / "2024-primary"
    la = shared_data / "lavote" / "4316-2024-primary"
    if not state.is_dir() or not la.is_dir():
        pytest.skip("the 2024 primary feeds (LA's and the state's) are not in the shared data")
    base = tmp_path_factory.mktemp("joined")
    return f"{_la_night(la, base / 'la')}+{_state_night(state, base / 'state')}"


def test_a_joined_election_is_stored_and_read_as_one(
    spec: str, db_url: str, tmp_path: Path
) -> None:
    (canvass,) = load_canvasses(spec)
    election = canvass.election
    assert len(canvass.releases) > 10
    result = runner.invoke(app, ["ingest", spec, "--db", db_url, "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    store = open_store(db_url)
    desk = Desk(store)
    assert desk.store.election(election.id) == election
    stored = store.releases(election.id)
    made = {r.content_hash: r for r in canvass.releases}
    # one joined release unchanged in counts from the one before (the state's feed republished
    # the same counts) is kept as bytes only, as for either source alone
    assert (
        f"{len(stored)} releases stored, {len(canvass.releases) - len(stored)} already known"
        in said
    )
    assert len(canvass.releases) - len(stored) <= 2
    assert all(s.release.parts == made[s.release.content_hash].parts for s in stored)
    assert [s.release.feed_time for s in stored] == sorted(s.release.feed_time for s in stored)
    # the stored answers are the replay's of the stored releases
    params = load_params()
    replayed = list(replay(election, [s.release for s in stored], [], params))
    last = store.snapshot(election.id)
    assert last is not None
    assert msgspec.json.encode(last.states) == msgspec.json.encode(replayed[-1].states)
    assert [(e.contest_id, e.status) for e in store.ledger(election.id)] == [
        (e.contest_id, e.status) for s in replayed for e in s.new_events
    ]
    # whole contests are called from their own source, parts never
    ledger = store.ledger(election.id)
    by_id = {c.id: c for c in election.contests}
    assert ledger and all(not by_id[e.contest_id].record for e in ledger)
    # the state's contests go at the pace of the state's feed; LA's rest on LA's counters
    states = {s.contest_id: s for s in last.states}
    assert states["us-senate"].votes_left.source == "count pace"
    assert states["9006"].votes_left.source != "count pace"
    # as-of across both sources: each source's latest by then
    middle = stored[len(stored) // 2].release
    as_of = store.snapshot(election.id, as_of=middle.feed_time)
    assert as_of is not None and as_of.release_sequence == middle.sequence
    assert [p.source for p in middle.parts] == ["lavote", "ca-sos"]
    history = store.contest_history(election.id, "prop-1")
    assert history and history[-1].votes == states["prop-1"].votes
    # the static export writes the joined election's pages
    site = tmp_path / "site"
    exported = runner.invoke(
        app, ["export-site", str(site), "--db", db_url, "--election", election.id, "--quiet"],
        catch_exceptions=False,
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    pages = list(site.rglob("*.html"))
    assert any("prop-1" in str(p) for p in pages) and any("9413" in str(p) for p in pages)


def test_a_part_that_disagrees_with_the_state_feeds_copy_is_noted(spec: str) -> None:
    """LA's count of its part of Prop 1 and the state feed's LA slice agree at every release of
    election night (no notice); with the slice's YES and NO swapped, the release is noted
    ``parts-disagree`` and still used."""
    (canvass,) = load_canvasses(spec)
    election = canvass.election
    checks = ReleaseChecks()
    both = [r for r in canvass.releases if len(r.parts) == 2]
    assert both
    for release in both:
        assert not [p for p in checks.check(election, release, None) if p.code == "parts-disagree"]
    agreeing = [
        r for r in both
        if (a := r.count("9413")) and (b := r.count("prop-1@los-angeles"))
        and a.choice_votes == b.choice_votes > 0
    ]  # fmt: skip
    assert agreeing  # the state's slice caught up with LA's own count on election night
    last = agreeing[-1]
    slice_ = last.count("prop-1@los-angeles")
    assert slice_ is not None
    swapped = msgspec.structs.replace(
        slice_, votes={"YES": slice_.votes["NO"], "NO": slice_.votes["YES"]}
    )
    forged = msgspec.structs.replace(
        last,
        contests=tuple(swapped if c.contest_id == slice_.contest_id else c for c in last.contests),
    )
    noted = [p for p in checks.check(election, forged, None) if p.code == "parts-disagree"]
    assert [(p.contest_id, p.blocking) for p in noted] == [("9413", False)]
    assert "STATE MEASURE 1 (9413)" in noted[0].message


def test_the_joined_payload_holds_each_sources_bytes(spec: str) -> None:
    (canvass,) = load_canvasses(spec)
    payload = canvass.payloads[-1]
    assert payload is not None and joint.sniff(payload.data, "")
    assert joint.parse(payload.data, where="x").releases[0].parts == canvass.releases[-1].parts
    assert isinstance(canvass.releases[-1].feed_time, datetime)


def test_matches_are_reviewed_and_changed_with_a_rules_file(spec: str, tmp_path: Path) -> None:
    """``racedesk matches`` lists the matches of the 2024 primary's two feeds (here: those of
    the feeds kept) and writes them as a rules file; undoing one there (``record = ""``) makes
    the state's copy of District 27 a whole contest of its own again."""
    rules = tmp_path / "matches.toml"
    shown = runner.invoke(
        app, ["matches", spec, "--rules-out", str(rules)], catch_exceptions=False,
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert "4 matches" in shown.output  # Prop 1, the Senate, District 26 and District 27
    text = rules.read_text()
    assert '[contests."9413"]\nrecord = "prop-1"' in text
    assert '[contests."us-rep-district-27"]\nrecord = "9006"' in text
    rules.write_text(
        text.replace('[contests."us-rep-district-27"]\nrecord = "9006"', '[contests."us-rep-district-27"]\nrecord = ""')
    )  # fmt: skip
    (canvass,) = load_canvasses(spec, rules_path=str(rules))
    contests = {c.id: c for c in canvass.election.contests}
    assert contests["us-rep-district-27"].record == ""
    assert contests["9413"].record == "prop-1"
    payload = canvass.payloads[-1]
    assert payload is not None
    assert joint.read_election(payload.data).contest("us-rep-district-27").record == ""


def test_a_broken_joined_payload_is_refused_saying_which_source(spec: str, tmp_path: Path) -> None:
    """A joined payload whose county release is cut short, or whose state election is not one,
    is refused (exit 2) naming the payload and the source inside it; nothing stored is lost."""
    db = f"sqlite:///{tmp_path / 'joined.sqlite'}"
    stored = runner.invoke(app, ["ingest", spec, "--db", db, "--quiet"], catch_exceptions=False)
    assert stored.exit_code == 0, stored.output
    (canvass,) = load_canvasses(spec)
    before = len(open_store(db).releases(canvass.election.id))
    payload = canvass.payloads[-1]
    assert payload is not None
    cut = msgspec.json.decode(payload.data)
    cut["members"][0]["release_base64"] = base64.b64encode(b'{"TimeStamp": "03/05').decode()
    wrong = msgspec.json.decode(payload.data)
    wrong["members"][1]["election"] = {"id": "ca-sos:2024-03-05"}
    for doc, said in ((cut, "› lavote ("), (wrong, "source 2's election")):
        path = tmp_path / "broken.json"
        path.write_bytes(msgspec.json.encode(doc))
        refused = runner.invoke(app, ["ingest", str(path), "--db", db, "--quiet"])
        assert refused.exit_code == 2, refused.output
        flat = " ".join(refused.output.split())
        assert "broken.json" in flat.replace(" ", "")
        assert said in flat
    assert len(open_store(db).releases(canvass.election.id)) == before
