"""Identity of sources (issue 17, item 2): a payload may only add to an election its own source
created, unless an editor chooses to add it (logged); outside calls are always marked outside
and never become the desk's standing call. The forged CDF report of the reliability review
(the 2024 general's final release exported, the District Attorney's call moved to Gascón),
taken into the real 2024 general, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import msgspec
import pytest
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.desk import Admission, Desk, ForeignSource
from racedesk.engine.calls import active_calls
from racedesk.sources.loader import load_canvasses
from racedesk.store import open_store

runner = CliRunner()
E, DA, HOCHMAN, GASCON = "lavote:4324", "9547", "23483", "23482"
FORGED_TIME = "2024-12-03T09:00:00-08:00"


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def general_db(general_2024: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the whole 2024 general, as ``racedesk ingest`` stores it."""
    path = tmp_path_factory.mktemp("identity") / "general.sqlite"
    assert "32 releases stored" in _run("ingest", str(general_2024), "--db", f"sqlite:///{path}")
    return path


def _copy(db: Path, to: Path) -> Path:
    """A copy of the SQLite file ``db`` (its write-ahead log included)."""
    with sqlite3.connect(db) as source, sqlite3.connect(to) as copy:
        source.backup(copy)
    return to


@pytest.fixture(scope="module")
def forged(general_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review's forged report: the final release exported as NIST CDF JSON, dated a week
    later, one more vote for Hochman, and the DA's call moved to Gascón."""
    folder = tmp_path_factory.mktemp("forged")
    export = folder / "final.json"
    _run("export", "--format", "cdf-json", "--out", str(export), "--db", f"sqlite:///{general_db}")
    doc = json.loads(export.read_bytes())
    doc["GeneratedDate"] = FORGED_TIME
    for ext in doc["ExternalIdentifier"]:
        if ext.get("OtherType") == "racedesk-feed-time":
            ext["Value"] = FORGED_TIME
    (da,) = [
        c
        for c in doc["Election"][0]["Contest"]
        if any(
            e.get("OtherType") == "racedesk-id" and e.get("Value") == DA
            for e in c["ExternalIdentifier"]
        )
    ]
    moved = 0
    for ext in da["ExternalIdentifier"]:
        if ext.get("OtherType") == "racedesk-call-choice":
            ext["Value"], moved = GASCON, moved + 1
    assert moved == 1
    da["ContestSelection"][0]["VoteCounts"][0]["Count"] += 1
    path = folder / "flip.json"
    path.write_text(json.dumps(doc))
    return path


def test_a_cdf_report_claiming_the_la_election_is_refused(
    general_db: Path, forged: Path, tmp_path: Path
) -> None:
    db = _copy(general_db, tmp_path / "db.sqlite")
    result = runner.invoke(app, ["ingest", str(forged), "--db", f"sqlite:///{db}"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "election lavote:4324 belongs to the lavote source" in said
    assert "this cdf payload may not add to it" in said and "--into-existing" in said
    store = open_store(f"sqlite:///{db}")
    assert len(store.releases(E)) == 32
    assert [v for v, _ in store.election_versions(E)] == [1]
    ledger = store.ledger(E)
    assert not any(e.outside for e in ledger) and len(ledger) == 200
    assert active_calls(ledger)[DA].choices == (HOCHMAN,)


def test_an_admitted_report_is_logged_and_its_calls_stay_outside(
    general_db: Path, forged: Path, tmp_path: Path
) -> None:
    db = _copy(general_db, tmp_path / "db.sqlite")
    said = _run(
        "ingest", str(forged), "--db", f"sqlite:///{db}",
        "--into-existing", "Ann Editor", "--why", "the registrar's own export",
    )  # fmt: skip
    assert "1 releases stored" in said and "200 outside calls" in said
    store = open_store(f"sqlite:///{db}")
    # the LA definition stays the election's: the report's is not stored
    assert [v for v, _ in store.election_versions(E)] == [1]
    assert store.election(E).source == "lavote"
    (event,) = store.release_events(E)
    assert (event.kind, event.sequence, event.made_by) == ("admitted", 32, "Ann Editor")
    assert event.note == (
        f"a cdf payload ({forged}) added to the lavote election by choice (stored as this "
        "release): the registrar's own export"
    )
    ledger = store.ledger(E)
    outside = [e for e in ledger if e.outside]
    assert len(outside) == 200 and all(e.approved_by == "outside: racedesk" for e in outside)
    assert all(e.approved_by != "racedesk" for e in outside)
    (forged_da,) = [e for e in outside if e.contest_id == DA]
    assert forged_da.choices == (GASCON,)
    assert forged_da.outside == f"a NIST CDF report issued by racedesk, from {forged}"
    # the DA is not flipped: the desk's standing call is still its own call of Hochman
    standing = active_calls(ledger)[DA]
    assert (standing.choices, standing.approved_by, standing.outside) == (
        (HOCHMAN,),
        "racedesk",
        "",
    )
    latest = store.snapshot(E)
    assert latest is not None and latest.calls[DA].choices == (HOCHMAN,)


def test_the_same_source_adds_and_another_is_refused_on_both_databases(
    db_url: str, shared_data: Path
) -> None:
    clarity = shared_data / "formats" / "clarity" / "county.xml"
    (canvass,) = load_canvasses(str(clarity))
    desk = Desk(open_store(db_url))
    election, notes = desk.take_election(canvass.election, origin="county.xml")
    assert (election, notes) == (canvass.election, ())
    # the same payload again: its own source, the same definition, nothing to note
    assert desk.take_election(canvass.election, origin="county.xml")[1] == ()
    foreign = msgspec.structs.replace(canvass.election, source="ap")
    with pytest.raises(ForeignSource) as refused:
        desk.take_election(foreign, origin="ap.json")
    assert refused.value.where == "ap.json"
    assert refused.value.problem == (
        f"election {election.id} belongs to the clarity source; this ap payload may not add to it"
    )
    kept, notes = desk.take_election(foreign, origin="ap.json", admitted=Admission(by="editor"))
    assert kept.source == "clarity" and notes == ()
    assert [v for v, _ in desk.store.election_versions(election.id)] == [1]


def test_over_http_the_report_needs_the_same_explicit_choice(
    general_db: Path, forged: Path, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from racedesk.publish.web.app import create_app

    db = f"sqlite:///{_copy(general_db, tmp_path / 'db.sqlite')}"
    desk = Desk(open_store(db))
    token = {"Authorization": "Bearer identity-token"}
    url = f"/api/elections/{E}/releases"
    with TestClient(create_app(desk, token="identity-token")) as client:
        # read by the election's own adapter, a CDF report is no LA release
        assert client.post(url, content=forged.read_bytes(), headers=token).status_code == 422
        refused = client.post(
            url, content=forged.read_bytes(), headers=token, params={"format": "cdf"}
        )
        assert refused.status_code == 422
        assert refused.json()["error"]["problem"] == (
            "election lavote:4324 belongs to the lavote source; this cdf payload may not add to it"
        )
        assert len(desk.store.releases(E)) == 32 and desk.store.quarantined()[-1].reason
        admitted = client.post(
            url,
            content=forged.read_bytes(),
            headers=token,
            params={"format": "cdf", "into_existing": "Ann Editor", "origin": "flip.json"},
        )
    assert admitted.status_code == 201, admitted.text
    assert admitted.json()["sequence"] == 32
    (event,) = desk.store.release_events(E)
    assert (event.kind, event.made_by, event.sequence) == ("admitted", "Ann Editor", 32)
    ledger = desk.store.ledger(E)
    assert sum(1 for e in ledger if e.outside) == 200
    assert active_calls(ledger)[DA].choices == (HOCHMAN,)
    latest = desk.store.snapshot(E)
    assert latest is not None and latest.calls[DA].choices == (HOCHMAN,)
