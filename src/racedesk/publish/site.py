"""The desk's pages and JSON documents, rendered for the live app or written as a static site.

One renderer serves both: :class:`Library` reads the desk (caching what an append-only store
can no longer change: the snapshot after release *n*, a contest's view after release *n*) and
builds the ``racedesk.*/1`` documents of :mod:`racedesk.views`; :func:`render_index`,
:func:`render_election` and :func:`render_contest` turn the same documents into HTML (Jinja2,
autoescaped, so a name from a feed is always shown as text). The live app (``publish.app``)
links pages by absolute paths and pushes updates over server-sent events; :func:`export_site`
writes the same pages with relative links, plus every JSON document, so that the folder opens
from ``file://`` or any static host.

A contest page shows the contest *as of* a selected release: results, votes left (with their
source), standings and hurdles, the projection, the call and the ledger up to that release.
Its charts cover every release; the time slider picks the release shown. That part is rendered
from a *part record* (:func:`part_record`: the strings shown, formatted here once). In the live
app the slider asks the server for the page as of that release; a static page carries every
release's record and its script fills the same elements from them, so both show the same text.
"""

from __future__ import annotations

import functools
import shutil
import threading
import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, get_args
from zoneinfo import ZoneInfo

import msgspec
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from racedesk import views
from racedesk.errors import StoreError
from racedesk.model import RULE_NAMES, Contest, Election
from racedesk.model.answers import CallEvent, CallStatus, ContestState, Snapshot, Standing
from racedesk.publish.numbers import count, count_interval, pct, pct_interval
from racedesk.store.base import StoredRelease

if TYPE_CHECKING:
    from racedesk.desk import Desk

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"

#: Call statuses in the order the index's filter lists them (``calls-and-hurdles.md``).
STATUSES: tuple[str, ...] = get_args(CallStatus)

_T = TypeVar("_T")


# --- numbers and times for people ----------------------------------------------------------------


def when(value: datetime | str | None, zone: str = "America/Los_Angeles") -> str:
    """A time in the election's zone: "Nov 5, 2024, 8:36 PM PST"."""
    if value is None:
        return "–"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone))
    text = moment.strftime("%b %-d, %Y, %-I:%M %p")
    return f"{text} {moment.tzname()}" if moment.tzinfo is not None else text


def chance(p: float | None) -> str:
    """A probability for people: "73%", never "100%" or "0%" unless it is certain."""
    if p is None:
        return "–"
    if p >= 1.0 or p <= 0.0:
        return f"{p * 100:.0f}%"
    if p >= 0.995:
        return ">99%"
    if p <= 0.005:
        return "<1%"
    return f"{p * 100:.0f}%"


def status_class(status: str | None) -> str:
    """The CSS class of a call status badge: "winner not leading" → "st-winner-not-leading"."""
    return "st-" + (status or "too early").replace(" ", "-")


def standing_text(
    standing: dict[str, Any] | None, names: dict[str, str], leading: bool = False
) -> str:
    """A choice's standing in words, with the denominator its hurdle is stated on
    (``calls-and-hurdles.md``: never a share outside 0–100%): "clinched win", "eliminated",
    "unknown: no estimate of votes left", or "needs 61.6% (60.2–63.6%) to pass Hochman
    (two-way share of the votes left for …)"."""
    if not standing:
        return "–"
    parts = _standing_parts(standing, names, leading)
    if len(parts) == 1:
        return parts[0]
    need, aim, denominator = parts
    return f"needs {need}" + (f" {aim}" if aim else "") + f" ({denominator})"


def _standing_parts(standing: dict[str, Any], names: dict[str, str], leading: bool) -> list[str]:
    """``[words]`` for a settled standing, else ``[share needed, aim, denominator]``."""
    status = standing["status"]
    goal = standing.get("goal") or ""
    if status == "clinched":
        return [f"clinched {goal.removeprefix('to ')}".strip() if goal else "clinched"]
    if status == "eliminated":
        return ["eliminated"]
    if status == "unknown":
        return ["unknown: no estimate of votes left"]
    needs = standing.get("needs")
    if needs is None:
        return ["contending"]
    rival = standing.get("rival") or ""
    if rival and (goal in ("to win", "") or goal.startswith("to win one")):
        aim = f"to {'stay ahead of' if leading else 'pass'} {names.get(rival, rival)}"
    else:
        aim = goal
    return [pct_interval(needs), aim, standing.get("denominator") or "the votes left"]


# --- links: live paths or relative files ------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def slug(election_id: str) -> str:
    """An election id as a file or folder name: "lavote:4324" → "lavote-4324"."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in election_id)


class Links(Protocol):
    """Where a page's links point: the live app's paths or a static site's relative files."""

    live: bool

    def home(self) -> str: ...
    def static(self, path: str) -> str: ...
    def election(self, election_id: str) -> str: ...
    def api_elections(self) -> str: ...
    def contest(self, election_id: str, contest_id: str, release: int | None = None) -> str: ...
    def api_election(self, election_id: str) -> str: ...
    def api_contest(self, election_id: str, contest_id: str) -> str: ...
    def api_history(self, election_id: str, contest_id: str) -> str: ...
    def api_ledger(self, election_id: str) -> str: ...
    def api_releases(self, election_id: str) -> str: ...
    def events(self, election_id: str) -> str | None: ...


class LiveLinks:
    """Absolute paths of the live app (``publish.app``)."""

    live = True

    def home(self) -> str:
        return "/"

    def static(self, path: str) -> str:
        return f"/static/{path}"

    def election(self, election_id: str) -> str:
        return f"/elections/{election_id}"

    def contest(self, election_id: str, contest_id: str, release: int | None = None) -> str:
        url = f"/elections/{election_id}/contests/{contest_id}"
        return url if release is None else f"{url}?release={release}"

    def api_elections(self) -> str:
        return "/api/elections"

    def api_election(self, election_id: str) -> str:
        return f"/api/elections/{election_id}"

    def api_contest(self, election_id: str, contest_id: str) -> str:
        return f"/api/elections/{election_id}/contests/{contest_id}"

    def api_history(self, election_id: str, contest_id: str) -> str:
        return f"/api/elections/{election_id}/contests/{contest_id}/history"

    def api_ledger(self, election_id: str) -> str:
        return f"/api/elections/{election_id}/ledger"

    def api_releases(self, election_id: str) -> str:
        return f"/api/elections/{election_id}/releases"

    def events(self, election_id: str) -> str | None:
        return f"/api/elections/{election_id}/events"


class StaticLinks:
    """Relative links between the files of a static export, from a page ``depth`` folders
    below the export's root. File layout::

        index.html                                  elections
        elections/<slug>/index.html                 one election's contests
        elections/<slug>/contests/<id>.html         one contest
        api/elections.json, api/elections/<slug>.json, api/elections/<slug>/…   documents
        static/…                                    CSS, scripts, vendored libraries
    """

    live = False

    def __init__(self, depth: int) -> None:
        self.root = "../" * depth

    def home(self) -> str:
        return f"{self.root}index.html"

    def static(self, path: str) -> str:
        return f"{self.root}static/{path}"

    def election(self, election_id: str) -> str:
        return f"{self.root}elections/{slug(election_id)}/index.html"

    def contest(self, election_id: str, contest_id: str, release: int | None = None) -> str:
        url = f"{self.root}elections/{slug(election_id)}/contests/{slug(contest_id)}.html"
        return url if release is None else f"{url}#release-{release}"

    def api_elections(self) -> str:
        return f"{self.root}api/elections.json"

    def api_election(self, election_id: str) -> str:
        return f"{self.root}api/elections/{slug(election_id)}.json"

    def api_contest(self, election_id: str, contest_id: str) -> str:
        return f"{self.root}api/elections/{slug(election_id)}/contests/{slug(contest_id)}.json"

    def api_history(self, election_id: str, contest_id: str) -> str:
        return (
            f"{self.root}api/elections/{slug(election_id)}/contests/{slug(contest_id)}/history.json"
        )

    def api_ledger(self, election_id: str) -> str:
        return f"{self.root}api/elections/{slug(election_id)}/ledger.json"

    def api_releases(self, election_id: str) -> str:
        return f"{self.root}api/elections/{slug(election_id)}/releases.json"

    def events(self, election_id: str) -> str | None:
        return None


# --- reading the desk ---------------------------------------------------------------------------------


class NotFound(LookupError):
    """An election, contest or release the desk does not have (HTTP 404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Lru(OrderedDict[Any, Any]):
    """A bounded cache of values that never go stale. Concurrent misses of one key compute it
    once: after a release, a thousand open pages asking for the same page render it once."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self._flights: dict[Any, threading.Lock] = {}

    def get_or(self, key: Any, make: Callable[[], _T], lock: threading.Lock) -> _T:
        with lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
            flight = self._flights.setdefault(key, threading.Lock())
        with flight:
            with lock:
                if key in self:
                    self.move_to_end(key)
                    return self[key]
            try:
                value = make()
                with lock:
                    self[key] = value
                    while len(self) > self.size:
                        self.popitem(last=False)
            finally:
                with lock:
                    self._flights.pop(key, None)
        return value


class Library:
    """The desk as documents: ``racedesk.*/1`` dicts and the data pages need.

    Every cached item is keyed by a release sequence, and what the desk knew after release *n*
    never changes (the store is append-only), so nothing cached goes stale. Only the latest
    release's number and the call ledger (an editor's approval adds to it without a release) can
    change: they are re-read from the store at most every ``latest_ttl`` seconds, and at once
    after a write through this process (:meth:`note_release`, :meth:`note_ledger`).
    """

    def __init__(
        self,
        desk: Desk,
        *,
        max_snapshots: int = 128,
        max_docs: int = 4096,
        latest_ttl: float = 0.1,
    ) -> None:
        self.desk = desk
        self.latest_ttl = latest_ttl
        self._latest: dict[str, tuple[float, int | None]] = {}
        self._ledgers: dict[str, tuple[float, tuple[CallEvent, ...]]] = {}
        self._lock = threading.Lock()
        self._elections: dict[str, Election] = {}
        self._releases: dict[str, list[StoredRelease]] = {}
        self._snapshots = _Lru(max_snapshots)
        self._docs = _Lru(max_docs)
        # by (election, contest): the state after release i at index i (immutable once known)
        self._histories: dict[tuple[str, str], list[ContestState | None]] = {}

    # elections and releases ---------------------------------------------------------------
    def election(self, election_id: str) -> Election:
        found = self._elections.get(election_id)
        if found is None:
            try:
                found = self.desk.election(election_id)
            except (StoreError, KeyError):
                raise NotFound(f"no election {election_id!r}") from None
            self._elections[election_id] = found
        return found

    def elections(self) -> list[Election]:
        return sorted(self.desk.elections(), key=lambda e: (e.date, e.id), reverse=True)

    def contest(self, election: Election, contest_id: str) -> Contest:
        try:
            return election.contest(contest_id)
        except KeyError:
            raise NotFound(f"election {election.id} has no contest {contest_id!r}") from None

    def latest_sequence(self, election_id: str) -> int | None:
        """The election's latest release, read from the store at most every
        ``latest_ttl`` seconds (a release committed by another process shows up within that
        time; :meth:`note_release` makes one committed through this process show at once)."""
        now = time.monotonic()
        with self._lock:
            cached = self._latest.get(election_id)
        if cached is not None and now - cached[0] < self.latest_ttl:
            return cached[1]
        latest = self.desk.store.latest_sequence(election_id)
        with self._lock:
            self._latest[election_id] = (now, latest)
        return latest

    def note_release(self, election_id: str) -> None:
        """Forget the cached latest release and ledger: a release was just committed."""
        with self._lock:
            self._latest.pop(election_id, None)
            self._ledgers.pop(election_id, None)

    def releases(self, election_id: str, latest: int | None = None) -> list[StoredRelease]:
        """Every stored release up to ``latest`` (default: the latest), in sequence order.
        Releases never change once stored, so only new ones are read."""
        if latest is None:
            latest = self.latest_sequence(election_id)
        if latest is None:
            return []
        with self._lock:
            known = list(self._releases.get(election_id, []))
        if len(known) <= latest:
            if not known:
                known = list(self.desk.releases(election_id))
            else:
                known += [
                    self.desk.store.release(election_id, seq)
                    for seq in range(len(known), latest + 1)
                ]
            with self._lock:
                if len(known) > len(self._releases.get(election_id, [])):
                    self._releases[election_id] = known
        return known[: latest + 1]

    def sequence(
        self, election_id: str, *, as_of: datetime | None = None, release: int | None = None
    ) -> int | None:
        """The release a request is about: ``release`` if given, else the last one whose feed
        time is at or before ``as_of``, else the latest. None when there is none yet."""
        self.election(election_id)
        latest = self.latest_sequence(election_id)
        if release is not None:
            if latest is None or not 0 <= release <= latest:
                raise NotFound(f"election {election_id} has no release {release}")
            return release
        if as_of is None:
            return latest
        stored = self.releases(election_id)
        times = [s.release.feed_time for s in stored]
        index = bisect_right(times, as_of)
        return stored[index - 1].release.sequence if index else None

    def snapshot(self, election_id: str, sequence: int) -> Snapshot:
        return self._snapshot(election_id, sequence)[0]

    def _snapshot(
        self, election_id: str, sequence: int
    ) -> tuple[Snapshot, dict[str, ContestState]]:
        def load() -> tuple[Snapshot, dict[str, ContestState]]:
            found = self.desk.snapshot_at(election_id, sequence)
            if found is None:
                raise NotFound(f"election {election_id} has no release {sequence}")
            return found, {s.contest_id: s for s in found.states}

        return self._snapshots.get_or((election_id, sequence), load, self._lock)

    def history(self, election_id: str, contest_id: str, upto: int) -> list[ContestState]:
        """The contest's state after releases 0…``upto``, from the snapshots (what the desk
        knew after each release: after a release it could not use, the last usable state)."""
        key = (election_id, contest_id)
        with self._lock:
            known = self._histories.setdefault(key, [])
            start = len(known)
        if start <= upto:
            more = [
                self._snapshot(election_id, seq)[1].get(contest_id)
                for seq in range(start, upto + 1)
            ]
            with self._lock:
                if len(known) == start:
                    known.extend(more)
        return [state for state in known[: upto + 1] if state is not None]

    def ledger(self, election_id: str, upto: int | None = None) -> list[CallEvent]:
        """The call ledger (its events up to release ``upto``), re-read at most every
        ``latest_ttl`` seconds."""
        now = time.monotonic()
        with self._lock:
            cached = self._ledgers.get(election_id)
        if cached is None or now - cached[0] >= self.latest_ttl:
            cached = (now, tuple(self.desk.ledger(election_id)))
            with self._lock:
                self._ledgers[election_id] = cached
        if upto is None:
            return list(cached[1])
        return [e for e in cached[1] if e.release_sequence <= upto]

    def cached(self, key: tuple[Any, ...], make: Callable[[], _T]) -> _T:
        """``make()``, kept under ``key``; the key must name everything the value depends on
        (for a page: the releases shown and the ledger's length)."""
        return self._docs.get_or(("cached", *key), make, self._lock)

    def note_ledger(self, election_id: str) -> None:
        """Forget the cached ledger: an event was just appended."""
        with self._lock:
            self._ledgers.pop(election_id, None)

    # documents -----------------------------------------------------------------------------
    def elections_doc(self) -> dict[str, Any]:
        """Every election with its latest release (``racedesk.elections/1``)."""
        rows = []
        for election in self.elections():
            latest = self.latest_sequence(election.id)
            info = views.election_info(election)
            if latest is not None:
                snap = self.snapshot(election.id, latest)
                info["release"] = views.release_info(snap)
            else:
                info["release"] = None
            rows.append(info)
        return {"schema": "racedesk.elections/1", "elections": rows}

    def election_doc(self, election_id: str, sequence: int | None) -> dict[str, Any]:
        """The election and every contest's summary after release ``sequence``."""
        election = self.election(election_id)
        if sequence is None:
            return views.election_view(election, None)
        return self._docs.get_or(
            ("election", election_id, sequence),
            lambda: views.election_view(election, self.snapshot(election_id, sequence)),
            self._lock,
        )

    def contests_doc(
        self,
        election_id: str,
        sequence: int | None,
        *,
        status: str | None = None,
        q: str | None = None,
    ) -> dict[str, Any]:
        """The election's contests, filtered by call status and a search in titles."""
        doc = self.election_doc(election_id, sequence)
        rows = filter_contests(doc["contests"], status=status, q=q)
        return {
            "schema": "racedesk.contests/1",
            "election": doc["election"],
            "release": doc["release"],
            "filter": {"status": status, "q": q},
            "contests": rows,
        }

    def contest_doc(self, election_id: str, contest_id: str, sequence: int) -> dict[str, Any]:
        """One contest after release ``sequence`` (``racedesk.state/1``)."""
        election = self.election(election_id)
        self.contest(election, contest_id)

        def make() -> dict[str, Any]:
            snap = self.snapshot(election_id, sequence)
            recent = self.history(election_id, contest_id, sequence)
            return views.contest_view(election, snap, contest_id, recent)

        return self._docs.get_or(("contest", election_id, contest_id, sequence), make, self._lock)

    def peek_contest_json(
        self, election_id: str, contest_id: str, release: int | None = None
    ) -> bytes | None:
        """:meth:`contest_json` of the latest release (or of ``release``) when it can be
        answered from memory alone, without waiting on the store; else None."""
        now = time.monotonic()
        with self._lock:
            latest = self._latest.get(election_id)
            if latest is None or now - latest[0] >= self.latest_ttl or latest[1] is None:
                return None
            if release is not None and not 0 <= release <= latest[1]:
                return None
            key = (
                "contest-json",
                election_id,
                contest_id,
                latest[1] if release is None else release,
            )
            found = self._docs.get(key)
            if found is not None:
                self._docs.move_to_end(key)
            return found

    def contest_json(self, election_id: str, contest_id: str, sequence: int) -> bytes:
        """:meth:`contest_doc` encoded, cached: the hottest read of the API."""
        return self._docs.get_or(
            ("contest-json", election_id, contest_id, sequence),
            lambda: msgspec.json.encode(self.contest_doc(election_id, contest_id, sequence)),
            self._lock,
        )

    def history_doc(
        self, election_id: str, contest_id: str, sequence: int | None
    ) -> dict[str, Any]:
        election = self.election(election_id)
        self.contest(election, contest_id)
        states = [] if sequence is None else self.history(election_id, contest_id, sequence)
        return views.history_view(election, contest_id, states)

    def ledger_doc(self, election_id: str, sequence: int | None) -> dict[str, Any]:
        election = self.election(election_id)
        events = [] if sequence is None else self.ledger(election_id, sequence)
        return views.ledger_view(election, events)

    def releases_doc(self, election_id: str, sequence: int | None) -> dict[str, Any]:
        election = self.election(election_id)
        stored = [] if sequence is None else self.releases(election_id)[: sequence + 1]
        return views.release_view(election, stored)


def filter_contests(
    rows: Iterable[dict[str, Any]], *, status: str | None = None, q: str | None = None
) -> list[dict[str, Any]]:
    """Contest summaries whose call status is ``status`` and whose title or group contains
    every word of ``q`` (case-insensitive)."""
    words = (q or "").lower().split()
    out = []
    for row in rows:
        if status and row["status"] != status:
            continue
        text = f"{row['title']} {row.get('group', '')}".lower()
        if all(w in text for w in words):
            out.append(row)
    return out


# --- charts -------------------------------------------------------------------------------------------

#: At most this many choices get a line in the shares chart (the leaders at the latest release).
CHART_CHOICES = 8


def batch_share(
    contest: Contest,
    before: ContestState,
    after: ContestState,
    choice_id: str,
    standing: Standing,
) -> float | None:
    """The share of the votes counted between two releases (a *batch*) that went to
    ``choice_id``, on the denominator its hurdle is stated on (``Standing.denominator``;
    ``calls-and-hurdles.md``: a hurdle and the batch shares beside it share one denominator):

    - "two-way share of the votes left for A and B": Δchoice / (Δchoice + Δrival);
    - "share of all votes left going to others than L": (Δall − ΔL) / Δall, write-ins included;
    - any other "share of all votes left …": Δchoice / Δall, write-ins included;
    - otherwise ("share of the yes+no votes left", or none stated): Δchoice / Δ(every choice's
      votes).

    None when either release was not usable, or the batch added no votes on that denominator,
    or a count went down (a batch share across a torn or corrected release would be garbage).
    """
    if not (before.usable and after.usable):
        return None
    added = {c.id: after.votes.get(c.id, 0) - before.votes.get(c.id, 0) for c in contest.choices}
    if any(v < 0 for v in added.values()):
        return None
    all_votes = after.total_votes - before.total_votes
    text = standing.denominator
    if text.startswith("two-way") and standing.rival:
        part, total = (
            added.get(choice_id, 0),
            added.get(choice_id, 0) + added.get(standing.rival, 0),
        )
    elif text.startswith("share of all votes left going to others than") and standing.rival:
        part, total = all_votes - added.get(standing.rival, 0), all_votes
    elif text.startswith("share of all votes left"):
        part, total = added.get(choice_id, 0), all_votes
    else:
        part, total = added.get(choice_id, 0), sum(added.values())
    if total <= 0 or not 0 <= part <= total:
        return None
    return part / total


def _trailer(states: Sequence[ContestState]) -> Standing | None:
    """The choice whose hurdle the batch chart follows: at the latest release where some
    choice was still contending with a stated hurdle, the best-placed such choice that is not
    leading (the trailing candidate, or the side of a measure that is behind), else the
    leading one (a leader's majority, a measure's yes)."""
    for state in reversed(states):
        open_ = [s for s in state.standings if s.status == "contending" and s.needs is not None]
        if not open_:
            continue
        behind = [s for s in open_ if s.choice_id not in state.leaders]
        return max(behind, key=lambda s: s.votes) if behind else open_[0]
    return None


def chart_data(
    contest: Contest,
    states: Sequence[ContestState],
    snapshots: Callable[[int], Snapshot],
    labels: Sequence[str],
) -> dict[str, Any]:
    """What the contest page's two charts draw, for releases 0…n (``states[i]`` after release
    ``i``):

    - ``shares``: each leading choice's share after every release, with the projection's
      central interval of its final share (``Projection.level``, 90%);
    - ``batch``: the trailing choice's share of each batch against the share it needed of the
      votes left after that batch (low–high), on the hurdle's own denominator.
    """
    names = {c.id: c.name for c in contest.choices}
    last = states[-1] if states else None
    order = sorted(
        contest.choices,
        key=lambda c: (-(last.votes.get(c.id, 0) if last else 0), contest.choices.index(c)),
    )[:CHART_CHOICES]
    series = []
    level = None
    for choice in order:
        shares: list[float | None] = []
        low: list[float | None] = []
        high: list[float | None] = []
        for state in states:
            counted = state.total_votes > 0
            shares.append(round(state.shares.get(choice.id, 0.0), 6) if counted else None)
            proj = snapshots(state.release_sequence).projections.get(contest.id)
            cp = next((p for p in proj.choices if p.choice_id == choice.id), None) if proj else None
            if proj is not None:
                level = proj.level
            low.append(round(cp.share_low, 6) if cp and counted else None)
            high.append(round(cp.share_high, 6) if cp and counted else None)
        series.append(
            {"id": choice.id, "name": choice.name, "shares": shares, "low": low, "high": high}
        )
    batch = None
    trailer = _trailer(states)
    if trailer is not None:
        shares_b: list[float | None] = [None]
        need_low: list[float | None] = []
        need_mid: list[float | None] = []
        need_high: list[float | None] = []
        for i, state in enumerate(states):
            standing = next((s for s in state.standings if s.choice_id == trailer.choice_id), None)
            if i > 0 and standing is not None:
                share = batch_share(contest, states[i - 1], state, trailer.choice_id, standing)
                shares_b.append(round(share, 6) if share is not None else None)
            elif i > 0:
                shares_b.append(None)
            iv = standing.needs if standing and standing.status == "contending" else None
            need_low.append(round(iv.low, 6) if iv else None)
            need_mid.append(round(iv.mid, 6) if iv else None)
            need_high.append(round(iv.high, 6) if iv else None)
        batch = {
            "id": trailer.choice_id,
            "name": names.get(trailer.choice_id, trailer.choice_id),
            "rival": names.get(trailer.rival, trailer.rival) if trailer.rival else "",
            "goal": trailer.goal,
            "denominator": trailer.denominator,
            "shares": shares_b,
            "need_low": need_low,
            "need_mid": need_mid,
            "need_high": need_high,
        }
    return {
        "labels": list(labels),
        "level": level,
        "series": series,
        "batch": batch,
    }


# --- rendering ----------------------------------------------------------------------------------------


def tojson(value: Any) -> Markup:
    """JSON safe to embed in HTML (in a ``<script>`` element or an attribute): ``<``, ``>``,
    ``&`` and ``'`` escaped, as Jinja's own ``tojson`` does, but encoded by msgspec."""
    text = msgspec.json.encode(value).decode()
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text.replace("'", "\\u0027"))


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("racedesk.publish", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        tojson=tojson,
        count=count,
        pct=pct,
        pct_interval=pct_interval,
        count_interval=count_interval,
        chance=chance,
        status_class=status_class,
    )
    env.globals.update(when=when, statuses=STATUSES)
    return env


ENV = _environment()


@dataclass(frozen=True)
class ReleaseMark:
    """One stop of the time slider."""

    sequence: int
    label: str
    short: str
    usable: bool


def release_marks(election: Election, stored: Sequence[StoredRelease]) -> list[ReleaseMark]:
    return [
        ReleaseMark(
            sequence=s.release.sequence if s.release.sequence is not None else i,
            label=when(s.release.feed_time, election.timezone),
            short=_short_time(s.release.feed_time, election.timezone),
            usable=s.usable,
        )
        for i, s in enumerate(stored)
    ]


def _short_time(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%b %-d %-I:%M %p")


def render_index(library: Library, links: Links) -> str:
    """The list of elections."""
    doc = library.elections_doc()
    return ENV.get_template("index.html").render(links=links, doc=doc, events_url=None)


def render_election(
    library: Library,
    links: Links,
    election_id: str,
    sequence: int | None,
    *,
    status: str | None = None,
    q: str | None = None,
) -> str:
    """One election's contests with their status badges, a search and a status filter."""
    election = library.election(election_id)
    doc = library.election_doc(election_id, sequence)
    counts: dict[str, int] = {}
    for row in doc["contests"]:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return ENV.get_template("election.html").render(
        links=links,
        election=election,
        doc=doc,
        counts=counts,
        status=status or "",
        q=q or "",
        visible={r["id"] for r in filter_contests(doc["contests"], status=status, q=q)},
        events_url=links.events(election_id),
        live_url=links.election(election_id),
    )


def _model_line(projection: dict[str, Any] | None) -> str:
    """How the projection was made, in one line; with nothing left to draw, only the model."""
    if not projection:
        return ""
    if projection["draws"] <= 1:
        return f"Nothing left to project; model {projection['model_version']}."
    return (
        f"{round(projection['level'] * 100)}% intervals; model {projection['model_version']}, "
        f"{count(projection['draws'])} draws, seed {projection['seed']}."
    )


def part_record(
    election: Election, doc: dict[str, Any], marks: Sequence[ReleaseMark]
) -> dict[str, Any]:
    """What the release-dependent part of a contest page shows, as text ready to display,
    from a ``racedesk.state/1`` document: the server renders it (``_contest_part.html``) and
    a static page's time slider fills the same elements from it (``racedesk.js``), so both
    show the same strings."""
    contest = doc["contest"]
    release = doc["release"]
    order = [c["id"] for c in contest["choices"]]
    names = {c["id"]: c["name"] for c in contest["choices"]}
    leaders = set(contest["leaders"])
    call = contest["call"]
    status = call["status"] if call else "too early"
    rows = []
    for c in sorted(contest["choices"], key=lambda c: (-c["votes"], order.index(c["id"]))):
        standing = c["standing"]
        proj = c["projection"]
        rows.append(
            {
                "id": c["id"],
                "leader": c["id"] in leaders,
                "votes": count(c["votes"]),
                "share": pct(c["share"]),
                "proj": pct_interval(
                    {"low": proj["share_low"], "mid": proj["share_mid"], "high": proj["share_high"]}
                )
                if proj
                else "–",
                "chance": chance(proj["probability"]) if proj else "–",
                "goal": f"chance {standing['goal']}" if standing and standing.get("goal") else "",
                "standing": _standing_parts(standing, names, c["id"] in leaders)
                if standing
                else ["–"],
                "standing_class": f"sd-{standing['status']}" if standing else "",
            }
        )
    note = "votes"
    if contest["write_ins"]:
        note += f", of which {count(contest['write_ins'])} write-ins"
    if contest["ballots"] is not None:
        note += f"; {count(contest['ballots'])} ballots counted in the contest"
    left = contest["votes_left"] or {}
    projection = contest["projection"]
    sequence = release["sequence"]
    return {
        "contest_id": contest["id"],
        "release": sequence,
        "last": len(marks) - 1,
        "number": sequence + 1,  # as people count releases: the first is release 1
        "count": len(marks),
        "time": marks[sequence].label
        if sequence < len(marks)
        else when(release["feed_time"], election.timezone),
        "feed_time": release["feed_time"],
        "hash": release["hash"][:12],
        "flagged": not release["usable"],
        "status": status,
        "status_class": status_class(status),
        "called_for": ", ".join(names.get(c, c) for c in call["choices"]) if call else "",
        "sentence": contest["sentence"],
        "call_sentence": call["sentence"]
        if call and call["sentence"] != contest["sentence"]
        else "",
        "rows": rows,
        "total": count(contest["total_votes"]),
        "total_note": note,
        "left_known": bool(left.get("votes")),
        "left": count_interval(left.get("votes")),
        "left_ballots": count_interval(left["ballots"]) if left.get("ballots") else "",
        "left_source": left.get("source", "none"),
        "left_note": left.get("note", ""),
        "outcomes": [
            [outcome, chance(p)]
            for outcome, p in sorted(
                (projection or {}).get("outcomes", {}).items(), key=lambda kv: -kv[1]
            )
        ],
        "model": _model_line(projection),
        "problems": [[p["code"], p["message"]] for p in contest["problems"]],
    }


def _contest_part(
    links: Links,
    election: Election,
    record: dict[str, Any],
    ledger: Sequence[dict[str, Any]],
) -> Markup:
    """The part of a contest page that depends on the release shown: ``record`` (see
    :func:`part_record`) and the contest's ledger rows, those after the release hidden."""
    choices = {c.id: c for c in election.contest(record["contest_id"]).choices}
    html = ENV.get_template("_contest_part.html").render(
        links=links, election=election, r=record, ledger=ledger, choices=choices
    )
    return Markup(html)


def render_contest(
    library: Library,
    links: Links,
    election_id: str,
    contest_id: str,
    sequence: int | None,
    *,
    latest: int | None = None,
    embed_all: bool = False,
    ledger: Sequence[CallEvent] | None = None,
) -> str:
    """A contest page as of release ``sequence`` (the slider can move to any release up to
    ``latest``). ``embed_all`` embeds every release's part record, for a static export's
    slider; ``ledger`` is the election's call ledger when the caller has read it already."""
    election = library.election(election_id)
    contest = library.contest(election, contest_id)
    if latest is None:
        latest = library.latest_sequence(election_id)
    stored = library.releases(election_id, latest) if latest is not None else []
    marks = release_marks(election, stored)
    if ledger is None:
        ledger = library.ledger(election_id, latest)
    rows = views.ledger_view(election, [e for e in ledger if e.contest_id == contest_id])["events"]
    part = None
    chart = None
    records: list[dict[str, Any]] = []
    if sequence is not None and latest is not None:
        record = part_record(
            election, library.contest_doc(election_id, contest_id, sequence), marks
        )
        part = _contest_part(links, election, record, rows)
        states = library.history(election_id, contest_id, latest)
        chart = chart_data(
            contest,
            states,
            lambda seq: library.snapshot(election_id, seq),
            [m.short for m in marks],
        )
        if embed_all:
            records = [
                part_record(
                    election, library.contest_doc(election_id, contest_id, m.sequence), marks
                )
                for m in marks
            ]
    return ENV.get_template("contest.html").render(
        links=links,
        election=election,
        contest=contest,
        part=part,
        records=records,
        chart=chart,
        marks=[
            {"sequence": m.sequence, "label": m.label, "short": m.short, "usable": m.usable}
            for m in marks
        ],
        rule_name=RULE_NAMES[contest.rule.kind],
        sequence=sequence,
        latest=latest,
        events_url=links.events(election_id),
        live_url=links.contest(election_id, contest_id),
    )


# --- static export ------------------------------------------------------------------------------------


class ExportResult(msgspec.Struct, frozen=True, kw_only=True):
    """What :func:`export_site` wrote."""

    out_dir: str
    election_id: str
    release_sequence: int | None
    pages: int
    documents: int
    bytes: int


def _write(path: Path, text: str | bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    return len(data)


def _json(doc: Any) -> bytes:
    return msgspec.json.encode(doc)


def export_site(
    desk: Desk,
    election_id: str,
    out_dir: Path | str,
    *,
    as_of: datetime | None = None,
    library: Library | None = None,
) -> ExportResult:
    """Write the election's pages and JSON documents as static files under ``out_dir``, the
    same pages the live app serves (see :class:`StaticLinks` for the layout), as of the latest
    release (or the last release at or before ``as_of``). The pages open from ``file://``: they
    load nothing but their own folder's files, and each contest page carries every release's
    part for its time slider."""
    out = Path(out_dir)
    lib = library or Library(desk)
    election = lib.election(election_id)
    sequence = lib.sequence(election_id, as_of=as_of)
    written = 0
    pages = 0
    documents = 0
    shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True)
    name = slug(election_id)

    written += _write(out / "index.html", _render_index_for(lib, election_id, sequence))
    pages += 1
    written += _write(
        out / "elections" / name / "index.html",
        render_election(lib, StaticLinks(2), election_id, sequence),
    )
    pages += 1
    api = out / "api" / "elections"
    docs: list[tuple[Path, Any]] = [
        (out / "api" / "elections.json", _elections_doc_for(lib, election_id, sequence)),
        (api / f"{name}.json", lib.election_doc(election_id, sequence)),
        (api / name / "contests.json", lib.contests_doc(election_id, sequence)),
        (api / name / "ledger.json", lib.ledger_doc(election_id, sequence)),
        (api / name / "releases.json", lib.releases_doc(election_id, sequence)),
    ]
    ledger = lib.ledger(election_id, sequence) if sequence is not None else []
    for contest in election.contests:
        cid = slug(contest.id)
        written += _write(
            out / "elections" / name / "contests" / f"{cid}.html",
            render_contest(
                lib, StaticLinks(3), election_id, contest.id, sequence, latest=sequence,
                embed_all=True, ledger=ledger,
            ),
        )  # fmt: skip
        pages += 1
        if sequence is not None:
            docs.append((api / name / "contests" / f"{cid}.json", lib.contest_doc(election_id, contest.id, sequence)))  # fmt: skip
        docs.append((api / name / "contests" / cid / "history.json", lib.history_doc(election_id, contest.id, sequence)))  # fmt: skip
    for path, doc in docs:
        written += _write(path, _json(doc))
        documents += 1
    return ExportResult(
        out_dir=str(out),
        election_id=election_id,
        release_sequence=sequence,
        pages=pages,
        documents=documents,
        bytes=written,
    )


def _elections_doc_for(lib: Library, election_id: str, sequence: int | None) -> dict[str, Any]:
    election = lib.election(election_id)
    info = views.election_info(election)
    info["release"] = (
        views.release_info(lib.snapshot(election_id, sequence)) if sequence is not None else None
    )
    return {"schema": "racedesk.elections/1", "elections": [info]}


def _render_index_for(lib: Library, election_id: str, sequence: int | None) -> str:
    doc = _elections_doc_for(lib, election_id, sequence)
    return ENV.get_template("index.html").render(links=StaticLinks(0), doc=doc, events_url=None)


__all__ = [
    "STATUSES",
    "ExportResult",
    "Library",
    "LiveLinks",
    "NotFound",
    "StaticLinks",
    "batch_share",
    "chart_data",
    "export_site",
    "filter_contests",
    "render_contest",
    "render_election",
    "render_index",
    "slug",
]
