"""The typed documents (``racedesk.publish.documents``) and the sentences stored with a release."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import msgspec
import pytest

from racedesk.desk import Desk
from racedesk.model.answers import BallotsLeft, Snapshot
from racedesk.publish import documents, words

from .conftest import DA, Feed, ingest, new_desk


@pytest.fixture(scope="module")
def four_releases(general_feed: Feed, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """A desk holding the first four releases of the 2024 general."""
    desk = new_desk(tmp_path_factory.mktemp("four"), general_feed.election)
    ingest(desk, general_feed, upto=4)
    return desk


def test_a_release_is_stored_with_every_contest_s_sentence_as_the_read_path_says_it(
    four_releases: Desk,
) -> None:
    desk = four_releases
    election = desk.election("lavote:4324")
    for sequence in range(4):
        snap = desk.snapshot_at(election.id, sequence)
        assert snap is not None
        assert set(snap.sentences) == {s.contest_id for s in snap.states}
        unstored = msgspec.structs.replace(snap, sentences={})
        for contest in election.contests:
            history = desk.contest_history(election.id, contest.id)[: sequence + 1]
            said_now = documents.contest_view(election, unstored, contest.id, history)
            assert snap.sentences[contest.id] == said_now.contest.sentence, (sequence, contest.id)
    assert "Gascón" in desk.snapshot_at(election.id, 3).sentences[DA]


def test_a_page_as_of_a_release_says_what_was_said_then(
    four_releases: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = four_releases
    election = desk.election("lavote:4324")
    snap = desk.snapshot_at(election.id, 2)
    stored = snap.sentences[DA]
    monkeypatch.setattr(documents, "contest_sentence", lambda *args: "Worded another way today.")
    doc = documents.contest_view(election, snap, DA)
    assert doc.contest.sentence == stored
    # a snapshot stored before sentences were is said as the words code says it now
    older = msgspec.structs.replace(snap, sentences={})
    assert documents.contest_view(election, older, DA).contest.sentence == (
        "Worded another way today."
    )


def test_the_api_shows_the_stored_sentence(
    four_releases: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from racedesk.publish.web.app import create_app

    desk = four_releases
    stored = desk.snapshot_at("lavote:4324", 1).sentences[DA]
    monkeypatch.setattr(documents, "contest_sentence", lambda *args: "Worded another way today.")
    client = TestClient(create_app(desk, token=None))
    got = client.get(f"/api/elections/lavote:4324/contests/{DA}", params={"release": 1})
    assert got.status_code == 200
    assert got.json()["contest"]["sentence"] == stored


def test_a_snapshot_stored_before_sentences_reads_back_with_none() -> None:
    snapshot = Snapshot(
        election_id="e",
        release_sequence=0,
        feed_time=datetime(2024, 11, 5, 20, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
        release_hash="h",
        usable=True,
        problems=(),
        ballots_left=BallotsLeft(ballots=None, source="none"),
        states=(),
        projections={},
        calls={},
        new_events=(),
    )
    fields = msgspec.to_builtins(snapshot)
    del fields["sentences"]
    old_row = msgspec.msgpack.encode(fields)
    assert msgspec.msgpack.decode(old_row, type=Snapshot).sentences == {}


def test_documents_encode_as_the_json_the_cli_prints(four_releases: Desk) -> None:
    """The API encodes a document with msgspec, the CLI through ``to_builtins`` and ``json``: one
    JSON either way, fields in the order the documents declare them."""
    desk = four_releases
    election = desk.election("lavote:4324")
    snap = desk.snapshot_at(election.id, 3)
    for doc in (
        documents.election_view(election, snap),
        documents.contest_view(election, snap, DA),
        documents.history_view(election, DA, desk.contest_history(election.id, DA)),
        documents.ledger_view(election, desk.ledger(election.id)),
        documents.release_view(election, desk.releases(election.id)),
        documents.elections_view([documents.election_entry(election, snap)]),
    ):
        api = json.loads(msgspec.json.encode(doc))
        assert api == json.loads(json.dumps(msgspec.to_builtins(doc), ensure_ascii=False))
        assert api["schema"] == doc.schema
        assert list(api) == list(msgspec.structs.asdict(doc))


def test_words_computes_the_sentences_of_every_contest(four_releases: Desk) -> None:
    desk = four_releases
    election = desk.election("lavote:4324")
    earlier = [desk.snapshot_at(election.id, q) for q in (1, 2)]
    snap = desk.snapshot_at(election.id, 3)
    said = words.contest_sentences(election, snap, [s.states for s in earlier if s])
    assert said == snap.sentences
