"""The read cache of the web app and the static export (:class:`Library`): what pages and the
API read from the desk, as the ``racedesk.*/1`` documents of :mod:`racedesk.publish.documents`.

Everything cached is keyed by a release sequence, and what the desk knew after release *n* never
changes (the store is append-only): the snapshot after release *n*, a contest's document after
release *n*, a page rendered from them. Only the latest release's number and the call ledger can
change, and they are re-read from the store every ``latest_ttl`` seconds.

A release's snapshot made again later (the registrar's estimate of ballots left, an editor's
confirmation: ``Desk.add_outstanding``) is read as of a time by a *cut* (:meth:`Library.cut`):
asked as of a time before it was made again, the release is read as it stood then, and the
cached values are keyed by the cut too.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, get_args

import msgspec

from racedesk.errors import NotFound, StoreError
from racedesk.model import Contest, Election
from racedesk.model.answers import CallEvent, CallStatus, ContestState, Snapshot
from racedesk.publish import documents, search
from racedesk.publish.petitions import (
    PetitionsDoc,
    PetitionStatusDoc,
    petition_status_view,
    petitions_view,
)
from racedesk.publish.published import public_snapshot, published_ledger
from racedesk.store.base import StoredRelease

if TYPE_CHECKING:
    from racedesk.desk import Desk

#: Call statuses in the order the index's filter lists them (``calls-and-hurdles.md``).
STATUSES: tuple[str, ...] = get_args(CallStatus)

_T = TypeVar("_T")


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
    changes only when its snapshot is made again (a report of ballots left, a confirmation, a
    certification: ``store.commit_revision``). The latest release's number, the number of such
    revisions and the call ledger (an editor's approval adds to it without a release) are
    re-read from the store at most every ``latest_ttl`` seconds, and at once after a write
    through this process (:meth:`note_release`, :meth:`note_ledger`); a new revision empties
    the caches (revisions are rare: an editor's or the registrar's act).
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
        self._revisions: dict[str, tuple[int, int]] = {}
        self._ledgers: dict[str, tuple[float, tuple[CallEvent, ...]]] = {}
        self._lock = threading.Lock()
        self._elections: dict[str, Election] = {}
        self._releases: dict[str, list[StoredRelease]] = {}
        self._snapshots = _Lru(max_snapshots)
        self._docs = _Lru(max_docs)
        # by (election, contest): the state after release i at index i (immutable once known)
        self._histories: dict[tuple[str, str], list[ContestState | None]] = {}

    # petitions (read from the store each time: a few small rows) ----------------------------
    def petitions_doc(self, as_of: date | None = None) -> PetitionsDoc:
        """Every petition's verdict as of a date (``racedesk.petitions/1``)."""
        return petitions_view(self.desk.store, as_of)

    def petition_doc(self, petition_id: str, as_of: date | None = None) -> PetitionStatusDoc:
        """One petition as of a date (``racedesk.petition-status/1``); :class:`NotFound`."""
        return petition_status_view(self.desk.store, petition_id, as_of)

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

    def definition(self, election_id: str, sequence: int) -> Election:
        """The election as defined when release ``sequence`` was received
        (:meth:`racedesk.desk.Desk.definition_in_force`): pages and documents as of an earlier
        release show the contests and names of then, not a later correction."""
        self.election(election_id)
        stored = next(
            (s for s in self.releases(election_id, sequence) if s.release.sequence == sequence),
            None,
        )
        if stored is None:
            return self.election(election_id)
        return self._docs.get_or(
            ("definition", election_id, sequence),
            lambda: self.desk.definition_in_force(election_id, stored.release.received_at),
            self._lock,
        )

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
        # an editor's act changes what is published of snapshots already cached, as a
        # revision does
        revisions = (
            self.desk.store.revisions(election_id),
            self.desk.store.editorial_count(election_id),
        )
        with self._lock:
            self._latest[election_id] = (now, latest)
            if self._revisions.setdefault(election_id, revisions) != revisions:
                self._revisions[election_id] = revisions
                self._snapshots.clear()
                self._docs.clear()
                self._histories.clear()
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
        # the last release at or before ``as_of`` by feed time, not by bisection: a release
        # with an implausible feed time (a typo'd 2124) sits out of order among the others
        before = [
            s.release.sequence for s in self.releases(election_id) if s.release.feed_time <= as_of
        ]
        return max((q for q in before if q is not None), default=None)

    def cut(
        self, election_id: str, sequence: int | None, as_of: datetime | None
    ) -> datetime | None:
        """The time a request as of ``as_of`` reads release ``sequence`` at: ``as_of`` when the
        release's snapshot was made again after that time (it is then read as it stood at
        ``as_of``, as ``racedesk status --as-of`` reads it), else None (its latest snapshot)."""
        if as_of is None or sequence is None:
            return None
        times = self._docs.get_or(
            ("revision-times", election_id, sequence),
            lambda: self.desk.store.revision_times(election_id, sequence),
            self._lock,
        )
        return as_of if any(made > as_of for made in times) else None

    def snapshot(self, election_id: str, sequence: int, cut: datetime | None = None) -> Snapshot:
        """The public snapshot after release ``sequence``, as it stood at ``cut`` (:meth:`cut`;
        None: its latest)."""
        return self._snapshot(election_id, sequence, cut)[0]

    def _snapshot(
        self, election_id: str, sequence: int, cut: datetime | None = None
    ) -> tuple[Snapshot, dict[str, ContestState]]:
        def load() -> tuple[Snapshot, dict[str, ContestState]]:
            found = self.desk.snapshot_at(election_id, sequence, cut)
            if found is None:
                raise NotFound(f"election {election_id} has no release {sequence}")
            found = public_snapshot(
                self.desk, self.definition(election_id, sequence), found, as_of=cut
            )
            return found, {s.contest_id: s for s in found.states}

        return self._snapshots.get_or((election_id, sequence, cut), load, self._lock)

    def history(
        self, election_id: str, contest_id: str, upto: int, cut: datetime | None = None
    ) -> list[ContestState]:
        """The contest's state after releases 0…``upto``, from the snapshots (what the desk
        knew after each release: after a release it could not use, the last usable state),
        the last as it stood at ``cut`` (:meth:`cut`)."""
        if cut is not None:
            earlier = self.history(election_id, contest_id, upto - 1) if upto > 0 else []
            state = self._snapshot(election_id, upto, cut)[1].get(contest_id)
            return [*earlier, state] if state is not None else earlier
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

    def ledger(
        self, election_id: str, upto: int | None = None, as_of: datetime | None = None
    ) -> list[CallEvent]:
        """The call ledger as published (its events up to release ``upto`` and, when given,
        dated at or before ``as_of``: a call made when an estimate made a release's snapshot
        again, or an editor's approval, is dated when it was made; only the calls editors
        published, ``publish.published``), re-read at most every ``latest_ttl`` seconds."""
        now = time.monotonic()
        with self._lock:
            cached = self._ledgers.get(election_id)
        if cached is None or now - cached[0] >= self.latest_ttl:
            editors = self.desk.editors
            shown = published_ledger(
                self.desk.ledger(election_id), editors.acts(election_id), editors.mode()
            )
            cached = (now, tuple(shown))
            with self._lock:
                self._ledgers[election_id] = cached
        return [
            e
            for e in cached[1]
            if (upto is None or e.release_sequence <= upto)
            and (as_of is None or e.release_time <= as_of)
        ]

    def cached(self, key: tuple[Any, ...], make: Callable[[], _T]) -> _T:
        """``make()``, kept under ``key``; the key must name everything the value depends on
        (for a page: the releases shown and the ledger's length)."""
        return self._docs.get_or(("cached", *key), make, self._lock)

    def note_ledger(self, election_id: str) -> None:
        """Forget the cached ledger: an event was just appended."""
        with self._lock:
            self._ledgers.pop(election_id, None)

    def note_editorial(self, election_id: str = "") -> None:
        """Forget the cached ledger and what the latest read saw of the election (of every
        election for "": the publishing mode changed): an editor just acted, so the next read
        empties the caches of what is published."""
        with self._lock:
            for cache in (self._ledgers, self._latest):
                if election_id:
                    cache.pop(election_id, None)
                else:
                    cache.clear()

    # documents -----------------------------------------------------------------------------
    def elections_doc(self) -> documents.ElectionsDoc:
        """Every election with its latest release (``racedesk.elections/1``)."""
        rows = []
        for election in self.elections():
            latest = self.latest_sequence(election.id)
            snap = self.snapshot(election.id, latest) if latest is not None else None
            rows.append(documents.election_entry(election, snap))
        return documents.elections_view(rows)

    def election_doc(
        self, election_id: str, sequence: int | None, cut: datetime | None = None
    ) -> documents.StatusDoc:
        """The election and every contest's summary after release ``sequence`` (as it stood
        at ``cut``: :meth:`cut`)."""
        election = self.election(election_id)
        if sequence is None:
            return documents.election_view(election, None)
        return self._docs.get_or(
            ("election", election_id, sequence, cut),
            lambda: documents.election_view(
                self.definition(election_id, sequence), self.snapshot(election_id, sequence, cut)
            ),
            self._lock,
        )

    def contests_doc(
        self,
        election_id: str,
        sequence: int | None,
        *,
        status: str | None = None,
        q: str | None = None,
        cut: datetime | None = None,
    ) -> documents.ContestsDoc:
        """The election's contests, filtered by call status and a search in titles."""
        doc = self.election_doc(election_id, sequence, cut)
        rows = filter_contests(doc.contests, status=status, q=q)
        return documents.contests_view(doc, rows, call_status=status, q=q)

    def contest_doc(
        self, election_id: str, contest_id: str, sequence: int, cut: datetime | None = None
    ) -> documents.StateDoc:
        """One contest after release ``sequence`` (``racedesk.state/1``; as it stood at
        ``cut``: :meth:`cut`), as the election was defined then (:meth:`definition`)."""
        election = self.definition(election_id, sequence)
        self.contest(election, contest_id)

        def make() -> documents.StateDoc:
            snap = self.snapshot(election_id, sequence, cut)
            recent = self.history(election_id, contest_id, sequence, cut)
            return documents.contest_view(election, snap, contest_id, recent)

        return self._docs.get_or(
            ("contest", election_id, contest_id, sequence, cut), make, self._lock
        )

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
                None,
            )
            found = self._docs.get(key)
            if found is not None:
                self._docs.move_to_end(key)
            return found

    def contest_json(
        self, election_id: str, contest_id: str, sequence: int, cut: datetime | None = None
    ) -> bytes:
        """:meth:`contest_doc` encoded, cached: the hottest read of the API."""
        return self._docs.get_or(
            ("contest-json", election_id, contest_id, sequence, cut),
            lambda: msgspec.json.encode(self.contest_doc(election_id, contest_id, sequence, cut)),
            self._lock,
        )

    def history_doc(
        self, election_id: str, contest_id: str, sequence: int | None, cut: datetime | None = None
    ) -> documents.HistoryDoc:
        election = self.election(election_id)
        self.contest(election, contest_id)
        states = [] if sequence is None else self.history(election_id, contest_id, sequence, cut)
        return documents.history_view(election, contest_id, states)

    def ledger_doc(
        self, election_id: str, sequence: int | None, as_of: datetime | None = None
    ) -> documents.LedgerDoc:
        election = self.election(election_id)
        events = [] if sequence is None else self.ledger(election_id, sequence, as_of)
        return documents.ledger_view(election, events)

    def releases_doc(
        self, election_id: str, sequence: int | None, as_of: datetime | None = None
    ) -> documents.ReleasesDoc:
        election = self.election(election_id)
        every = self.releases(election_id)
        stored = [] if sequence is None else every[: sequence + 1]
        # as of release n: the events made before the release after it (and by ``as_of``)
        until = every[len(stored)].release.feed_time if len(stored) < len(every) else None
        events = [
            e
            for e in self.desk.release_events(election_id)
            if (until is None or e.made_at < until) and (as_of is None or e.made_at <= as_of)
        ]
        return documents.release_view(election, stored, events)


def filter_contests(
    rows: Iterable[documents.ContestSummary], *, status: str | None = None, q: str | None = None
) -> list[documents.ContestSummary]:
    """Contest summaries whose call status is ``status`` and that a search for ``q`` finds,
    best first (:mod:`racedesk.publish.search`: title, group and choices' names)."""
    kept = [row for row in rows if not status or row.status == status]
    found = search.search([(r.title, r.group, r.choices) for r in kept], q)
    return [kept[i] for i in found]
