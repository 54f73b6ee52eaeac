"""``racedesk watch lavote:4316+ca-sos:2024-03-05`` against local stand-ins for LA County's feed and
the state's feeds, serving the real files of the 2024 primary: each source's new payload is
stored as one joined release of both sources' latest, releases of both interleave, and a restart
starts both pollers from the latest stored joined release."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.test_watch_casos import _State
from racedesk.desk import open_desk
from racedesk.desk.watch_joined import JoinedWatch, joined_parts, watch_joined
from racedesk.errors import InputError
from sources.feed_server import FeedServer, Step

ELECTION = "joint:lavote:4316+ca-sos:2024-03-05"


@pytest.fixture
def state() -> Iterator[_State]:
    s = _State()
    yield s
    s.server.shutdown()


def test_both_sources_are_stored_as_one_election(
    shared_data: Path, state: _State, tmp_path: Path
) -> None:
    la = shared_data / "lavote" / "4316-2024-primary"
    sos = shared_data / "ca-sos" / "2024-primary"
    if not la.is_dir() or not sos.is_dir():
        pytest.skip("the 2024 primary feeds (LA's and the state's) are not in the shared data")
    night = [la / "releases" / n for n in ("2024-03-05T20-19-04.json", "2024-03-05T20-35-08.json")]
    steps = [Step(body=p.read_bytes(), name=p.name) for p in night]
    state.serving = {
        "ballot-measures": (sos / "ballot-measures" / "2024-03-05T21-09-00.json").read_bytes()
    }
    desk = open_desk(f"sqlite:///{tmp_path / 'joined.sqlite'}")
    lines: list[str] = []
    with FeedServer((la / "election_data.json").read_bytes(), steps) as county:
        watch = JoinedWatch(
            desk, "lavote:4316+ca-sos:2024-03-05", feeds=["ballot-measures"],
            county_url=county.base_url, state_url=state.url,
        )  # fmt: skip
        # poll 1: LA's definition and the state's first bundle (LA has no release yet: stored
        # with the state's counts); poll 2: LA's 8:19 pm release; poll 3: LA's 8:35 pm release
        assert watch_joined(watch, interval=0, max_polls=3, say=lines.append) == {"stored": 3}
        releases = [s.release for s in desk.releases(ELECTION)]
        assert [[p.source for p in r.parts] for r in releases] == [
            ["ca-sos"],
            ["lavote", "ca-sos"],
            ["lavote", "ca-sos"],
        ]
        assert releases[2].count("9413") is not None and releases[2].count("prop-1") is not None
        assert desk.election(ELECTION).contest("9413").record == "prop-1"
        # the state publishes again: stored, LA's count carried
        state.serving["ballot-measures"] = (
            sos / "ballot-measures" / "2024-04-04T16-21-00.json"
        ).read_bytes()
        assert watch_joined(watch, interval=0, max_polls=1, say=lines.append) == {"stored": 1}
        last = desk.releases(ELECTION)[-1].release
        assert last.count("prop-1").votes["YES"] == 3_636_678  # type: ignore[union-attr]
        assert last.count("9413") == releases[2].count("9413")
        # a restart starts from the stored joined release: nothing new, nothing stored again
        again = JoinedWatch(desk, "lavote:4316+ca-sos:2024-03-05", county_url=county.base_url,
                            state_url=state.url)  # fmt: skip
        assert again.state.feeds == ("ballot-measures",)
        outcome = watch_joined(again, interval=0, max_polls=2, say=lines.append)
        assert "stored" not in outcome, outcome
        assert len(desk.releases(ELECTION)) == 4


def test_a_joined_live_source_names_the_county_first() -> None:
    assert joined_parts("lavote:4316+ca-sos:2024-03-05") == ("lavote:4316", "ca-sos:2024-03-05")
    with pytest.raises(InputError, match="county's feed first"):
        joined_parts("ca-sos:2024-03-05+lavote:4316")
