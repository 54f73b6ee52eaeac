"""The live loop of an election joined from LA County's feed and the state's feeds.

``racedesk watch lavote:4316+ca-sos:2024-03-05`` polls both, each as its own watch does (the
county's feed with :class:`racedesk.sources.poll.Poller`, the state's with
:class:`racedesk.sources.casos_poll.FeedPoller`: conditional requests, back-off), and whenever
either publishes, hands the desk one joined release (:mod:`racedesk.sources.joint`) of both
sources' latest payloads, so that releases of both interleave by time in one election. The
contests are matched as ``racedesk ingest COUNTY+STATE`` matches them (a rules file's
``record`` overriding). After a restart, both pollers start from the payloads of the latest
stored joined release. A payload neither can read is quarantined, never dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import httpx

from racedesk.desk.ingest import Desk
from racedesk.desk.watch import poll_every
from racedesk.errors import InputError, RacedeskError
from racedesk.model import Election, RawPayload
from racedesk.rules import california_matching
from racedesk.sources import casos, joint, lavote
from racedesk.sources.casos_poll import FeedPoller
from racedesk.sources.poll import FAILURES, Poller, PollEvent, feed_id, local_time


def joined_parts(source: str) -> tuple[str, str]:
    """``("lavote:4316", "ca-sos:2024-03-05")`` of a joined live source, or an InputError."""
    county, plus, state = source.partition("+")
    if not plus or not county.startswith("lavote:") or not state.startswith("ca-sos:"):
        raise InputError(
            "a joined live source is lavote:ELECTION_ID+ca-sos:DATE (the county's feed first)",
            where=source,
        )
    return county, state


@dataclass
class _Latest:
    """Each source's election and latest payload, as the loop knows them."""

    county: Election | None = None
    county_payload: RawPayload | None = None
    state: Election | None = None
    state_payload: RawPayload | None = None
    said: list[str] = field(default_factory=list)


class JoinedWatch:
    """Polls the county's feed and the state's feeds of one election (module docstring)."""

    def __init__(
        self,
        desk: Desk,
        source: str,
        *,
        feeds: Sequence[str] | None = None,
        county_url: str | None = None,
        state_url: str | None = None,
        records: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        county, state = joined_parts(source)
        self.desk = desk
        self.records = dict(records or {})
        self.latest = _Latest()
        try:
            day = date.fromisoformat(state.split(":", 1)[1])
        except ValueError:
            raise InputError(
                "expected ca-sos:YYYY-MM-DD (the election's date)", where=state
            ) from None
        self.county = Poller(
            feed_id(county),
            on_release=self._county_release,
            on_event=self._county_event,
            on_election=self._county_election,
            on_garbage=desk.quarantine_payload,
            base_url=county_url or lavote.BASE_URL,
            interval=0,
            client=client,
        )
        stored = self._restart(
            joint.joined_id(
                [f"{lavote.SOURCE}:{feed_id(county)}", f"{casos.SOURCE}:{day.isoformat()}"]
            )
        )
        names = tuple(feeds or sorted(stored))
        if not names:
            raise InputError(
                "no state feeds to poll: the desk holds no release of this joined election",
                where=source,
                hint="name them with --feed (us-senate, ballot-measures, us-rep-district-27 …)",
            )
        self.state = FeedPoller(names, day, base=state_url or casos.BASE_URL)
        for name, body in stored.items():
            self.state.prime(name, body)

    def __enter__(self) -> JoinedWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.county.close()

    def _restart(self, election_id: str) -> dict[str, bytes]:
        """Start from the latest stored joined release: both sources' elections and payloads
        (the county's poller primed with its payload); the state's feeds it held."""
        try:
            data = self.desk.latest_payload(election_id)
        except RacedeskError:
            data = None
        if data is None:
            return {}
        (county, county_data), (state, state_data) = joint.members_of(data, election_id)
        self.latest.county, self.latest.state = county, state
        now = datetime.now().astimezone()
        if county_data is not None:
            self.county.prime(county_data)
            self.latest.county_payload = RawPayload.of(
                county_data, source=lavote.SOURCE, received_at=now, origin="stored"
            )
        if state_data is None:
            return {}
        self.latest.state_payload = RawPayload.of(
            state_data, source=casos.SOURCE, received_at=now, origin="stored"
        )
        return casos.bundled_feeds(state_data)[2]

    # --- the county's poller's callbacks ----------------------------------------------------

    def _county_election(self, election: Election) -> None:
        self.latest.county = election

    def _county_release(self, data: bytes, url: str, received_at: datetime) -> None:
        self.latest.county_payload = RawPayload.of(
            data, source=lavote.SOURCE, received_at=received_at, origin=url
        )
        self.latest.said.append("county")

    def _county_event(self, event: PollEvent) -> None:
        if event.kind in FAILURES:
            self.latest.said.append(f"county {event.kind}: {event.message}")

    # --- one poll of both ---------------------------------------------------------------------

    def step(self, http: httpx.Client) -> str:
        """Poll both sources once and store a joined release when either published: the
        outcome (``stored``, ``unchanged``, ``not-modified``, ``waiting``, ``error``)."""
        self.latest.said.clear()
        event = self.county.poll_once()
        polled = self.state.poll(http)
        changed = [s for s in self.latest.said if s == "county"]
        if polled.kind == "new":
            assert polled.received_at is not None
            origin = f"{casos.BASE_URL} ({', '.join(polled.changed[:3])})"
            try:
                state = casos.read_election(polled.data, origin)
            except InputError as exc:
                self.desk.quarantine_payload(polled.data, origin, polled.received_at, exc.message)
                return "garbage"
            self.latest.state = state
            self.latest.state_payload = RawPayload.of(
                polled.data, source=casos.SOURCE, received_at=polled.received_at, origin=origin
            )
            changed.append("state")
        if not changed:
            failed = event.kind in FAILURES and polled.kind == "error"
            return "error" if failed else "not-modified"
        return self._take(changed)

    def _take(self, changed: list[str]) -> str:
        latest = self.latest
        if latest.county is None or latest.state is None:
            return "waiting"
        elections = [latest.county, latest.state]
        pairs = california_matching.records(latest.county, [latest.state], self.records)
        data = joint.joined_payload(elections, [latest.county_payload, latest.state_payload], pairs)
        received = max(
            p.received_at for p in (latest.county_payload, latest.state_payload) if p is not None
        )
        origin = "joined: " + " and ".join(changed)
        raw = RawPayload.of(data, source=joint.SOURCE, received_at=received, origin=origin)
        try:
            parsed = joint.parse(
                data, where=origin, received_at=received, content_hash=raw.content_hash
            )
            (result,) = self.desk.take(parsed, [raw], origin=origin).results
        except RacedeskError as exc:
            self.desk.quarantine_payload(data, origin, received, exc.message)
            return "error"
        return result.status


def watch_joined(
    watch: JoinedWatch,
    *,
    interval: float = 30.0,
    max_polls: int | None = None,
    say: Callable[[str], object] = print,
    client: httpx.Client | None = None,
    stop: threading.Event | None = None,
    backoff_cap: float = 600.0,
) -> dict[str, int]:
    """Poll both sources of ``watch`` every ``interval`` seconds (backing off while both fail),
    saying in one line what each poll gave; how many polls gave each outcome."""

    def step(http: httpx.Client) -> str:
        outcome = watch.step(http)
        notes = [s for s in watch.latest.said if s != "county"]
        say(
            f"{local_time(datetime.now().astimezone())} {outcome}"
            + "".join(f" · {n}" for n in notes)
        )
        return outcome

    return poll_every(step, interval, max_polls, client, stop, backoff_cap)


__all__ = ["JoinedWatch", "joined_parts", "watch_joined"]
