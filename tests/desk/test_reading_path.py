"""One reading path (issue 17, item 3): a release posted over HTTP is read as ``racedesk ingest``
reads it. The review's Clarity release that adds Mark Pryor (900,000 votes) mid-canvass keeps
his votes and is noted; a release that leaves a candidate out is flagged as a correction, not
shown as 0 votes unflagged; and every adapter's real inputs stored through both paths give the
same releases, snapshots and ledger."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from racedesk.cli import app
from racedesk.desk import Desk
from racedesk.publish.web.app import create_app
from racedesk.sources import registry
from racedesk.store import open_store

TOKEN = "reading-path-token"
runner = CliRunner()


def _ingest(source: Path, db: str, fmt: str | None = None) -> str:
    named = ["--format", fmt] if fmt else []
    result = runner.invoke(app, ["ingest", str(source), "--db", db, *named], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[str, TestClient]]:
    """A database (SQLite, then PostgreSQL) and a web app over it that accepts writes."""
    with TestClient(create_app(Desk(open_store(db_url)), token=TOKEN)) as client:
        yield db_url, client


def _post(client: TestClient, election_id: str, data: bytes, origin: str) -> dict:  # type: ignore[type-arg]
    answer = client.post(
        f"/api/elections/{election_id}/releases",
        params={"origin": origin},
        content=data,
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code in (200, 201), answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_candidate_added_over_http_keeps_his_votes(
    shared_data: Path, served: tuple[str, TestClient], tmp_path: Path
) -> None:
    db, client = served
    county = shared_data / "formats" / "clarity" / "county.xml"
    _ingest(county, db)
    data = county.read_bytes().replace(b"2:58:41 PM CST", b"3:30:00 PM CST")
    pryor = (
        b'<Choice key="002" text="Mark Pryor" party="DEM" totalVotes="900000"><VoteType '
        b'name="Election Day" votes="900000"></VoteType></Choice>'
    )
    data = data.replace(b'<Choice key="001"', pryor + b'<Choice key="001"', 1)
    doc = _post(client, "clarity:ar-2014-11-04", data, "new_candidate.xml")
    assert (doc["status"], doc["usable"], doc["sequence"]) == ("stored", True, 1)
    assert [(p["code"], p["blocking"]) for p in doc["problems"]] == [("choice-added", False)]
    assert "Mark Pryor added to the contest" in doc["problems"][0]["message"]
    assert not any(e["status"] == "called" and e["choices"] == ["001"] for e in doc["new_events"])
    contest = client.get("/api/elections/clarity:ar-2014-11-04/contests/100").json()["contest"]
    votes = {c["name"]: c["votes"] for c in contest["choices"]}
    assert votes == {"Mark Pryor": 900_000, "Tom Cotton": 477_734}
    assert [v for v, _ in open_store(db).election_versions("clarity:ar-2014-11-04")] == [1, 2]


def test_a_candidate_left_out_over_http_is_flagged_as_a_correction(
    shared_data: Path, served: tuple[str, TestClient]
) -> None:
    db, client = served
    precinct = shared_data / "formats" / "clarity" / "precinct.xml"
    said = _ingest(precinct, db)
    (election_id,) = re.findall(r"(clarity:\S+) ·", said)
    data = precinct.read_bytes().replace(b"8:19:21 PM EDT", b"9:19:21 PM EDT")
    data = re.sub(rb'<Choice key="4" text="Chris PAYNE".*?</Choice>\s*', b"", data, flags=re.S)
    doc = _post(client, election_id, data, "payne_left_out.xml")
    assert doc["status"] == "stored"
    (note,) = [p for p in doc["problems"] if p["code"] == "choice-removed"]
    assert note["message"] == (
        "US Senator - REPUBLICAN: Chris PAYNE left out of the contest by the source's definition; "
        "a correction, no longer shown"
    )
    latest = open_store(db).releases(election_id)[-1]
    assert latest.correction
    contest = client.get(f"/api/elections/{election_id}/contests/4").json()["contest"]
    names = [c["name"] for c in contest["choices"]]
    assert "Chris PAYNE" not in names and len(names) == 4


# --- every adapter's inputs through both paths ----------------------------------------------

#: Each adapter's real inputs, in the order a desk receives them (one election each).
INPUTS: dict[str, tuple[str, ...]] = {
    "clarity county": ("formats/clarity/county.xml",),
    "clarity precinct": ("formats/clarity/precinct.xml",),
    "cdf json": ("cdf/report.json",),
    "cdf xml": ("cdf/report.xml",),
    "ap 2012": ("formats/ap/20121106_ak_prez.json",),
    "ap 2015": ("formats/ap/20151103_national.json",),
    "ap 2016": ("formats/ap/20160201_district_results.json",),
    "openelections": ("formats/openelections/20201103__ca__general__county.csv",),
    "ets": tuple(
        f"formats/la-ets/0018nov18-{stage}.ets" for stage in ("zero", "start", "mid", "end")
    ),
}


def _stored(db: str) -> dict[str, object]:
    """Everything the store says of its elections that a reading path decides: definitions,
    releases (counts, problems, flags), each release's snapshot, and the ledger."""
    store = open_store(db)
    seen: dict[str, object] = {}
    for election in store.elections():
        releases = store.releases(election.id)
        seen[election.id] = msgspec.to_builtins(
            {
                "definition": election,
                "versions": len(store.election_versions(election.id)),
                "releases": [
                    (
                        msgspec.structs.replace(s.release, received_at=None),
                        s.problems,
                        s.usable,
                        s.correction,
                    )
                    for s in releases
                ],
                "snapshots": [
                    store.snapshot_at(election.id, s.release.sequence or 0) for s in releases
                ],
                "ledger": store.ledger(election.id),
            }
        )
    return seen


@pytest.fixture(scope="module")
def inputs(shared_data: Path, general_2024: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the formats' real inputs, and NIST CDF reports (JSON and XML) of the 2024
    general's first three releases as racedesk exports them (the shared CDF file is a schema)."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "formats").symlink_to(shared_data / "formats")
    first3 = _la_folder(general_2024, folder / "first3", 3)
    db = f"sqlite:///{folder / 'first3.sqlite'}"
    _ingest(first3, db)
    (folder / "cdf").mkdir()
    for fmt, name in (("cdf-json", "report.json"), ("cdf-xml", "report.xml")):
        result = runner.invoke(
            app, ["export", "--format", fmt, "--out", str(folder / "cdf" / name), "--db", db]
        )
        assert result.exit_code == 0, result.output
    return folder


def _la_folder(general: Path, folder: Path, releases: int) -> Path:
    """A feed folder of the first ``releases`` releases of the 2024 general."""
    (folder / "releases").mkdir(parents=True)
    shutil.copy(general / "election_data.json", folder)
    for path in sorted((general / "releases").glob("*.json"))[:releases]:
        shutil.copy(path, folder / "releases")
    return folder


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_every_adapter_stores_the_same_by_cli_and_http(
    name: str, inputs: Path, tmp_path: Path
) -> None:
    paths = [inputs / p for p in INPUTS[name]]
    by_cli = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    for path in paths:
        _ingest(path, by_cli)
    by_http = f"sqlite:///{tmp_path / 'http.sqlite'}"
    desk = Desk(open_store(by_http))
    first = paths[0].read_bytes()
    adapter = registry.adapter_for(str(paths[0]), first, None)
    election = adapter.read_election(first, str(paths[0]))
    desk.add_election(election)  # its definition first, as an operator stores it
    with TestClient(create_app(desk, token=TOKEN)) as client:
        for path in paths:
            _post(client, election.id, path.read_bytes(), str(path))
    cli, http = _stored(by_cli), _stored(by_http)
    assert list(cli) == list(http) == [election.id]
    assert cli == http


def test_la_releases_are_stored_the_same_by_cli_and_http(
    general_2024: Path, tmp_path: Path
) -> None:
    folder = _la_folder(general_2024, tmp_path / "first6", 6)
    by_cli = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert "6 releases stored" in _ingest(folder, by_cli)
    by_http = f"sqlite:///{tmp_path / 'http.sqlite'}"
    desk = Desk(open_store(by_http))
    election, _ = registry.read_folder(registry.adapter_for(str(folder), None, None), folder)
    desk.add_election(election)
    with TestClient(create_app(desk, token=TOKEN)) as client:
        for path in sorted((folder / "releases").glob("*.json")):
            assert _post(client, election.id, path.read_bytes(), str(path))["status"] == "stored"
    assert _stored(by_cli) == _stored(by_http)
