"""A ranked-choice contest's rounds on the contest page, in the API, the CDF export and the
static export (issue 19, item 3), on San Francisco's 2018 mayoral canvass: on election night
(release 2) the last round is Leno 69,078 to Breed 67,932; on the certified count Breed
115,977 to Leno 113,431, 20,965 of the 250,373 first-round votes for candidates exhausted."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from fastapi.testclient import TestClient

from racedesk import load_canvass
from racedesk.desk import Desk
from racedesk.publish import cdf_export, cdf_validate
from racedesk.publish.static_site import export_site
from racedesk.publish.web.app import create_app
from racedesk.sources import cdf
from racedesk.sources.loader import Canvass
from racedesk.store import open_store

from .conftest import TOKEN

E, MAYOR = "sf-rcv:2018-06-05-mayor", "mayor"
BREED, LENO, KIM = "london-breed", "mark-leno", "jane-kim"


@pytest.fixture(scope="module")
def canvass(shared_data: Path) -> Canvass:
    path = shared_data / "sf-rcv" / "2018-06-05-mayor"
    if not path.is_dir():
        pytest.skip(f"San Francisco's 2018 RCV reports not found at {path}")
    return load_canvass(path)


@pytest.fixture(scope="module")
def sf_desk(canvass: Canvass, tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """Every report ingested once, by its path in the archive; do not write to it."""
    desk = Desk(open_store(f"sqlite:///{tmp_path_factory.mktemp('sf') / 'desk.sqlite'}"))
    desk.add_election(canvass.election)
    for payload in canvass.payloads:
        assert payload is not None
        desk.ingest(E, payload.data, origin=payload.origin)
    return desk


@pytest.fixture(scope="module")
def client(sf_desk: Desk) -> TestClient:
    return TestClient(create_app(sf_desk, token=TOKEN))


def test_the_api_carries_the_rounds(client: TestClient) -> None:
    doc = client.get(f"/api/elections/{E}/contests/{MAYOR}").json()
    rounds = doc["contest"]["rounds"]
    assert [(r["round"], r["name"]) for r in rounds] == [
        (1, "first choices"),
        (2, "round of three"),
        (3, "last round"),
    ]
    assert rounds[2]["tally"] == {BREED: 115_977, LENO: 113_431}
    assert sum(rounds[0]["tally"].values()) == 250_373
    assert rounds[2]["exhausted"] == 20_965  # 250,373 first-round votes less 229,408
    votes = {c["id"]: c["votes"] for c in doc["contest"]["choices"]}
    assert (votes[BREED], votes[LENO], votes[KIM]) == (115_977, 113_431, 0)
    night = client.get(f"/api/elections/{E}/contests/{MAYOR}?release=1").json()
    assert night["contest"]["rounds"][2]["tally"] == {BREED: 67_932, LENO: 69_078}
    assert night["contest"]["outcome"] == "Leno leads in the last round"


def test_the_contest_page_shows_the_rounds_and_their_bars(client: TestClient) -> None:
    html = client.get(f"/elections/{E}/contests/{MAYOR}?release=1").text
    assert "Rounds so far" in html and "3. last round" in html
    assert '69,078 <small class="muted">50.4%</small>' in html  # Leno, election night
    assert '67,932 <small class="muted">49.6%</small>' in html
    assert html.count('class="round-bar"') == 3
    assert "exhausted 13,454" in html  # 150,464 first-round votes less 137,010


def test_the_cdf_export_carries_each_round_as_a_round_of_vote_counts(
    sf_desk: Desk, canvass: Canvass
) -> None:
    stored = sf_desk.releases(E)[-1]
    report = cdf_export.report(canvass.election, stored.release, sf_desk.snapshot(E))
    data = msgspec.json.encode(report)
    assert cdf_validate.problems(data, "json") == []
    xml = cdf_export.to_xml(canvass.election, stored.release, sf_desk.snapshot(E))
    assert cdf_validate.problems(xml, "xml") == []
    (contest,) = report["Election"][0]["Contest"]
    counts = {
        s["CandidateIds"][0]: [(v["Round"], v["Count"]) for v in s["VoteCounts"]]
        for s in contest["ContestSelection"]
        if s.get("CandidateIds")
    }
    breed = next(v for k, v in counts.items() if "breed" in k)
    kim = next(v for k, v in counts.items() if "kim" in k)
    assert breed == [(1, 91_918), (2, 102_767), (3, 115_977)]
    assert [r for r, _ in kim] == [1, 2]
    assert contest["VoteVariation"] == "rcv"
    # racedesk reads its own export back: the rule, the first choices and every round's tally.
    back = cdf.parse(data, where="export.json")
    (count,) = back.releases[0].contests
    assert back.election.contests[0].rule.kind == "ranked_choice"
    assert count.votes == stored.release.contests[0].votes
    assert [r.tally for r in count.rounds] == [r.tally for r in stored.release.contests[0].rounds]
    assert [r.name for r in count.rounds] == ["first choices", "round 2", "round 3"]


def test_the_static_export_has_every_release_s_rounds(sf_desk: Desk, tmp_path: Path) -> None:
    export_site(sf_desk, E, tmp_path)
    page = next(tmp_path.glob("elections/*/contests/mayor.html")).read_text()
    records = json.loads(page.split('id="part-records">', 1)[1].split("</script>", 1)[0])
    assert len(records) == 13
    night = records[1]["rounds"][2]["cells"]
    assert [(c["name"], c["votes"]) for c in night if c] == [
        ("London Breed", "67,932"),
        ("Mark Leno", "69,078"),
    ]
    assert "Rounds so far" in page
