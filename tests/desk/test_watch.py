"""The live loop over the LA County feed (``racedesk watch lavote:4324``): each new release the
poller hands on is ingested by the desk, a restart starts from the latest stored release, and a
payload that cannot be read is quarantined."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from racedesk.desk.watch import watch_source
from racedesk.model import Election, sha256_hex
from racedesk.sources.poll import Backoff
from sources.feed_server import FeedServer, Step, error, release_steps


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> tuple[bytes, list[Step]]:
    return (general_2024 / "election_data.json").read_bytes(), release_steps(general_2024)


@dataclass
class _Result:
    status: str
    message: str = ""
    sequence: int | None = None


class _Desk:
    """Records what ``watch_source`` asks of the desk, answering like ``Desk.ingest``."""

    def __init__(self) -> None:
        self.elections: list[Election] = []
        self.ingested: list[tuple[str, bytes, str]] = []
        self.quarantined: list[tuple[bytes, str]] = []

    def add_election(self, election: Election) -> None:
        self.elections.append(election)

    def ingest(self, election_id: str, data: bytes, *, origin: str = "",
               received_at: datetime | None = None) -> _Result:  # fmt: skip
        self.ingested.append((election_id, data, origin))
        return _Result("stored", sequence=len(self.ingested) - 1)

    def quarantine_payload(
        self, data: bytes, origin: str, received_at: datetime, reason: str
    ) -> None:
        self.quarantined.append((data, reason))

    def latest_payload(self, election_id: str) -> bytes | None:
        return None


def test_watch_source_ingests_each_new_release(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    desk = _Desk()
    lines: list[str] = []
    with FeedServer(election_data, [steps[1], error(500), steps[2]]) as server:
        seen = watch_source(
            desk,
            "lavote:4324",
            interval=0,
            max_polls=4,
            base_url=server.base_url,
            say=lines.append,
            backoff=Backoff(first=0.01, cap=0.05),
        )
    assert seen == {"election": 1, "release": 2, "error": 1}
    assert [e.id for e in desk.elections] == ["lavote:4324"]
    assert [(i, d) for i, d, _ in desk.ingested] == [
        ("lavote:4324", steps[1].body),
        ("lavote:4324", steps[2].body),
    ]
    assert desk.ingested[0][2].endswith("/GetCounterData?electionID=4324")
    assert [line.split(" ", 3)[3] for line in lines] == [
        "election: General Election (2024-11-05): 373 contests",
        "release: new release 2024-11-05 20:36:34 PST · stored as release 0",
        "error: HTTP 500 Internal Server Error · next poll in 0.0 s",
        "release: new release 2024-11-05 20:56:08 PST · stored as release 1",
    ]


def test_watch_stores_into_a_desk_and_resumes_after_a_restart(
    feed: tuple[bytes, list[Step]], tmp_path: Path
) -> None:
    from racedesk.desk import open_desk

    election_data, steps = feed
    url = f"sqlite:///{tmp_path / 'watch.sqlite'}"
    script = [steps[0], steps[1], Step(body=steps[0].body, conditional=False)]
    with FeedServer(election_data, script) as server:
        first = watch_source(
            open_desk(url), "lavote:4324", interval=0, max_polls=4, base_url=server.base_url,
            say=lambda _: None,
        )  # fmt: skip
    assert first == {"election": 1, "release": 2, "stale": 1}
    lines: list[str] = []
    desk = open_desk(url)  # a new process: the poller starts from the stored latest release
    with FeedServer(election_data, [steps[1], steps[2]]) as server:
        again = watch_source(
            desk, "lavote:4324", interval=0, max_polls=3, base_url=server.base_url, say=lines.append
        )
    assert again == {"election": 1, "unchanged": 1, "release": 1}
    stored = desk.releases("lavote:4324")
    assert [s.release.content_hash for s in stored] == [sha256_hex(s.body) for s in steps[:3]]
    assert lines[-1].endswith("stored as release 2")


def test_watch_quarantines_a_garbage_payload(
    feed: tuple[bytes, list[Step]], tmp_path: Path
) -> None:
    """Issue 6: a payload that cannot be read is never lost: its bytes are quarantined."""
    from racedesk.desk import open_desk

    election_data, steps = feed
    cut = steps[2].body[: len(steps[2].body) // 2]
    desk = open_desk(f"sqlite:///{tmp_path / 'garbage.sqlite'}")
    with FeedServer(election_data, [steps[1], Step(body=cut)]) as server:
        seen = watch_source(
            desk, "lavote:4324", interval=0, max_polls=3, base_url=server.base_url,
            say=lambda _: None, backoff=Backoff(first=0.01, cap=0.05),
        )  # fmt: skip
    assert seen == {"election": 1, "release": 1, "garbage": 1}
    (kept,) = desk.store.quarantined()
    assert kept.content_hash == sha256_hex(cut)
    assert "truncated" in kept.reason
    raw = desk.store.raw(kept.content_hash)
    assert raw is not None and raw.data == cut
    assert len(desk.releases("lavote:4324")) == 1
