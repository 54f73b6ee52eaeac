"""The live poller against a local feed that serves the shared 2024 general releases."""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from racedesk.errors import InputError, StoreError
from racedesk.model import Election
from racedesk.sources import lavote
from racedesk.sources.poll import Backoff, Poller, PollEvent, feed_id

from .feed_server import FeedServer, Step, error, release_steps


@dataclass
class Recorder:
    """The poller's callbacks, recording what reached them."""

    releases: list[bytes] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    received: list[datetime] = field(default_factory=list)
    events: list[PollEvent] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)

    def on_release(self, data: bytes, url: str, received_at: datetime) -> None:
        self.releases.append(data)
        self.urls.append(url)
        self.received.append(received_at)

    @property
    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


@pytest.fixture(scope="module")
def feed(general_2024: Path) -> tuple[bytes, list[Step]]:
    return (general_2024 / "election_data.json").read_bytes(), release_steps(general_2024)


def poll(
    server: FeedServer, rec: Recorder, polls: int, *, interval: float = 0.0, **kwargs: object
) -> dict[str, int]:
    with Poller(
        4324,
        base_url=server.base_url,
        interval=interval,
        on_release=rec.on_release,
        on_event=rec.events.append,
        sleep=rec.delays.append,
        **kwargs,  # type: ignore[arg-type]
    ) as poller:
        return poller.run(max_polls=polls)


def with_time(body: bytes, stamp: str) -> bytes:
    payload = json.loads(body)
    payload["TimeStamp"] = stamp
    return json.dumps(payload).encode()


def test_every_shared_release_reaches_the_callback_once_in_order(
    feed: tuple[bytes, list[Step]],
) -> None:
    election_data, steps = feed
    rec = Recorder()
    with FeedServer(election_data, steps) as server:
        seen = poll(server, rec, 1 + len(steps) + 2)
    assert len(steps) == 32
    assert rec.releases == [s.body for s in steps]
    assert rec.kinds == ["election"] + ["release"] * 32 + ["not-modified"] * 2
    assert seen == {"election": 1, "release": 32, "not-modified": 2}
    assert set(rec.urls) == {f"{server.base_url}/GetCounterData?electionID=4324"}
    assert all(t.tzinfo is not None for t in rec.received)
    # feed times as the feed wrote them, Los Angeles time
    released = [e for e in rec.events if e.kind == "release"]
    assert released[1].feed_time == datetime(2024, 11, 5, 20, 36, 34, tzinfo=lavote.LA_TIME)
    assert released[-1].feed_time == datetime(2024, 12, 2, 14, 55, 1, tzinfo=lavote.LA_TIME)


def test_conditional_requests_carry_the_last_response_validators(
    feed: tuple[bytes, list[Step]],
) -> None:
    election_data, steps = feed
    rec = Recorder()
    with FeedServer(election_data, steps[:2]) as server:
        poll(server, rec, 4)
    counters = [r for r in server.requests if r.path.endswith("/GetCounterData")]
    assert "If-None-Match" not in counters[0].headers
    assert counters[1].headers["If-None-Match"] == steps[0].etag
    assert counters[2].headers["If-None-Match"] == steps[1].etag
    assert counters[2].headers["If-Modified-Since"] == "Wed, 06 Nov 2024 04:36:34 GMT"
    assert rec.kinds == ["election", "release", "release", "not-modified"]
    election_requests = [r for r in server.requests if r.path.endswith("/GetElectionData")]
    assert len(election_requests) == 1
    assert election_requests[0].query == {"electionID": ["4324"]}


def test_repeats_older_copies_errors_and_garbage_are_reported_not_passed_on(
    feed: tuple[bytes, list[Step]],
) -> None:
    election_data, steps = feed
    r0, r1, r2, r3 = steps[1:5]
    script = [
        r0,
        r1,
        r1,  # the same again: 304
        Step(body=r1.body, conditional=False),  # a node that ignores conditional requests
        Step(body=r0.body, conditional=False),  # an older release after a newer one
        error(500),
        Step(body=r2.body[: len(r2.body) // 2]),  # truncated JSON
        Step(body=b"<html>Service temporarily unavailable</html>"),
        r2,
        r3,
    ]
    rec = Recorder()
    with FeedServer(election_data, script) as server:
        poll(server, rec, 1 + len(script))
    assert rec.releases == [r0.body, r1.body, r2.body, r3.body]
    assert rec.kinds == [
        "election",
        "release",
        "release",
        "not-modified",
        "unchanged",
        "stale",
        "error",
        "garbage",
        "garbage",
        "release",
        "release",
    ]
    by_kind = {e.kind: e for e in rec.events}
    assert by_kind["stale"].feed_time == datetime(2024, 11, 5, 20, 36, 34, tzinfo=lavote.LA_TIME)
    assert "older" in by_kind["stale"].message
    assert by_kind["error"].status == 500
    garbage = [e.message for e in rec.events if e.kind == "garbage"]
    assert "cut short" in garbage[0] or "truncated" in garbage[0].lower()
    assert "not a counter release" in garbage[1] or "not a valid" in garbage[1]


def test_a_later_feed_time_with_the_same_counts_is_not_a_release(
    feed: tuple[bytes, list[Step]],
) -> None:
    election_data, steps = feed
    r0 = steps[1]
    shuffled = json.loads(r0.body)
    random.Random(7).shuffle(shuffled["Data"])
    shuffled["TimeStamp"] = "11/5/2024 8:40:00 PM"  # between steps 1 and 2
    script = [r0, Step(body=json.dumps(shuffled).encode()), steps[2]]
    rec = Recorder()
    with FeedServer(election_data, script) as server:
        poll(server, rec, 4)
    assert rec.releases == [r0.body, steps[2].body]
    assert rec.kinds == ["election", "release", "unchanged", "release"]
    assert "same counts" in rec.events[2].message


def test_the_same_feed_time_with_other_counts_is_a_conflict(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    r0, r1 = steps[1], steps[2]
    mixed = with_time(r1.body, json.loads(r0.body)["TimeStamp"])
    rec = Recorder()
    with FeedServer(election_data, [r0, Step(body=mixed), r1]) as server:
        poll(server, rec, 4)
    assert rec.releases == [r0.body, r1.body]
    assert rec.kinds == ["election", "release", "conflict", "release"]


def test_a_release_with_a_negative_count_is_garbage(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    payload = json.loads(steps[1].body)
    payload["Data"].append(
        {"Number": 0, "ReferenceID": 99999999, "ReferenceType": "CAND", "Value": -5}
    )
    rec = Recorder()
    with FeedServer(election_data, [Step(body=json.dumps(payload).encode()), steps[1]]) as server:
        poll(server, rec, 3)
    assert rec.releases == [steps[1].body]
    assert rec.kinds == ["election", "garbage", "release"]
    assert "99999999" in rec.events[1].message


def test_back_off_grows_is_capped_jittered_seeded_and_resets(
    feed: tuple[bytes, list[Step]],
) -> None:
    election_data, steps = feed
    script = [error(500)] * 5 + [steps[1], error(503), steps[2]]
    backoff = Backoff(first=1.0, cap=8.0, jitter=0.5)

    def run(seed: int) -> Recorder:
        rec = Recorder()
        with FeedServer(election_data, script) as server:
            poll(server, rec, 1 + len(script), interval=1.0, backoff=backoff, seed=seed)
        return rec

    rec = run(seed=3)
    assert rec.releases == [steps[1].body, steps[2].body]
    assert rec.kinds == ["election"] + ["error"] * 5 + ["release", "error", "release"]
    delays = rec.delays
    assert len(delays) == len(script)  # no wait after the last poll
    assert delays[0] == 1.0  # after the election definition: the interval
    full = [2.0, 4.0, 8.0, 8.0, 8.0]  # 1 × 2ⁿ, capped at 8
    for delay, ceiling in zip(delays[1:6], full, strict=True):
        assert ceiling * 0.5 <= delay <= ceiling
    assert delays[6] == 1.0  # a good poll resets the back-off
    assert 1.0 <= delays[7] <= 2.0  # first failure again
    assert [e.delay for e in rec.events[:-1]] == delays
    assert run(seed=3).delays == delays  # the same seed gives the same waits
    assert run(seed=4).delays != delays


def test_retry_after_is_honoured_within_the_cap(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    script = [error(503, **{"Retry-After": "120"}), error(429, **{"Retry-After": "5000"}), steps[1]]
    rec = Recorder()
    with FeedServer(election_data, script) as server:
        poll(server, rec, 4, interval=1.0, backoff=Backoff(first=1.0, cap=600.0))
    assert rec.delays[1] == 120.0
    assert rec.delays[2] == 600.0
    assert rec.releases == [steps[1].body]


def test_the_election_definition_is_retried_until_it_is_read(
    feed: tuple[bytes, list[Step]],
) -> None:
    election_data, steps = feed
    rec = Recorder()
    elections: list[Election] = []
    with FeedServer(election_data, steps[1:2], election_failures=2) as server:
        poll(server, rec, 5, on_election=elections.append)
    assert rec.kinds == ["error", "error", "election", "release", "not-modified"]
    assert [e.status for e in rec.events[:2]] == [503, 503]
    assert [e.id for e in elections] == ["lavote:4324"]
    assert len(elections[0].contests) == 373


def test_a_definition_for_another_election_is_garbage(
    feed: tuple[bytes, list[Step]], primary_2024: Path
) -> None:
    other = (primary_2024 / "election_data.json").read_bytes()
    rec = Recorder()
    with FeedServer(other, feed[1][:1]) as server:
        poll(server, rec, 2)
    assert rec.kinds == ["garbage", "garbage"]
    assert "lavote:4316, not lavote:4324" in rec.events[0].message
    assert rec.releases == []


def test_a_release_the_callback_rejects_is_offered_again(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    calls: list[bytes] = []

    def flaky(data: bytes, url: str, received_at: datetime) -> None:
        calls.append(data)
        if len(calls) == 1:
            raise StoreError("database is locked", where="sqlite:///x")

    events: list[PollEvent] = []
    with FeedServer(election_data, [steps[1]]) as server, Poller(
        4324, base_url=server.base_url, interval=0, on_release=flaky, on_event=events.append,
        sleep=lambda _: None,
    ) as poller:  # fmt: skip
        poller.run(max_polls=4)
    assert [e.kind for e in events] == ["election", "rejected", "release", "not-modified"]
    assert "database is locked" in events[1].message
    assert calls == [steps[1].body, steps[1].body]


def test_the_stop_event_ends_the_loop(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    stop = threading.Event()
    rec = Recorder()

    def on_release(data: bytes, url: str, received_at: datetime) -> None:
        rec.on_release(data, url, received_at)
        if len(rec.releases) == 3:
            stop.set()

    with FeedServer(election_data, steps) as server, Poller(
        4324, base_url=server.base_url, interval=0, on_release=on_release, on_event=rec.events.append,
    ) as poller:  # fmt: skip
        poller.run(stop=stop)
    assert rec.releases == [s.body for s in steps[:3]]


@pytest.mark.timeout(30)
def test_setting_stop_interrupts_the_wait(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    stop = threading.Event()
    rec = Recorder()
    with FeedServer(election_data, steps[:1]) as server, Poller(
        4324, base_url=server.base_url, interval=3600, on_release=rec.on_release,
    ) as poller:  # fmt: skip
        timer = threading.Timer(0.2, stop.set)
        timer.start()
        poller.run(stop=stop)  # would wait an hour before its second poll
        timer.join()
    assert rec.releases == []  # only the election definition was fetched before stopping


def test_connection_errors_are_reported() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    events: list[PollEvent] = []
    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with Poller(4324, on_release=lambda *_: None, on_event=events.append, client=client,
                sleep=lambda _: None) as poller:  # fmt: skip
        poller.run(max_polls=2)
    assert [e.kind for e in events] == ["error", "error"]
    assert "ConnectError" in events[0].message
    assert (
        events[0].url
        == "https://results.lavote.gov/ElectionResults/GetElectionData?electionID=4324"
    )
    assert not client.is_closed  # a client passed in is the caller's to close
    client.close()


def test_an_oversized_payload_is_garbage(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    rec = Recorder()
    with FeedServer(election_data, steps[1:2]) as server, Poller(
        4324, base_url=server.base_url, interval=0, on_release=rec.on_release,
        on_event=rec.events.append, max_bytes=len(election_data),
    ) as poller:  # fmt: skip
        poller.poll_once()
        poller.max_bytes = len(steps[1].body) - 1
        poller.poll_once()
    assert rec.kinds == ["election", "garbage"]
    assert f"larger than {len(steps[1].body) - 1:,} bytes" in rec.events[1].message


def test_prime_starts_from_a_release_already_kept(feed: tuple[bytes, list[Step]]) -> None:
    election_data, steps = feed
    rec = Recorder()
    with FeedServer(election_data, [steps[1], steps[0], steps[2]]) as server, Poller(
        4324, base_url=server.base_url, interval=0, on_release=rec.on_release,
        on_event=rec.events.append, sleep=lambda _: None,
    ) as poller:  # fmt: skip
        assert poller.prime(steps[1].body)
        assert not poller.prime(b"{")
        poller.run(max_polls=4)
    assert rec.kinds == ["election", "unchanged", "stale", "release"]
    assert rec.releases == [steps[2].body]


@pytest.mark.parametrize("source", ["clarity:https://example.org", "lavote:", "lavote:abc", "4324"])
def test_watch_names_what_it_cannot_watch(source: str) -> None:
    with pytest.raises(InputError) as err:
        feed_id(source)
    assert err.value.where == source
