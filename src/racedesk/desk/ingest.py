"""The desk's write path: the one core that the CLI, the web app and the watch loops share.

``Desk.ingest`` is the path of every release: keep the raw bytes (hashed once, the hash carried
to the adapter and the store), read them with the adapter the election's source names, check the
release's identities, compute every contest (``engine.run.advance``) and commit the release, its
snapshot and any calls in one transaction. Nothing else writes releases.

A release is kept only when it is new: the same bytes again are a *duplicate*; a payload whose feed
time is not after the latest release's is *stale* (a CDN serving an older copy), unless the latest
release is not used and this one has its feed time (the genuine copy of a torn or held release: it
is stored as that release's correction); one whose counts equal the latest release's is
*unchanged*. Their bytes are still kept (raw payloads), so nothing that arrived is ever lost.

A release held as a likely mapping error (``engine.checks``, ``held``) is used once an editor
confirms it (:meth:`Desk.confirm_release`) or the next release continues from it (that release
passes its checks against the held one). A confirmation, the registrar's certification
(:meth:`Desk.certify`) and a report of ballots left (:meth:`Desk.add_outstanding`) take effect at
once: the latest release's snapshot is made again, dated when (``docs/feed-quirks.md``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Literal, TypeVar

import msgspec

from racedesk.desk.editorial import Editors
from racedesk.desk.news import DeskNews, Listener, ReleaseNews, tell
from racedesk.engine.calls import active_calls
from racedesk.engine.checks import ReleaseChecks, is_held
from racedesk.engine.editorial import decision_refusal
from racedesk.engine.index import ElectionIndex
from racedesk.engine.params import ModelParams
from racedesk.engine.replay import makes_again, revised_at
from racedesk.engine.run import advance
from racedesk.errors import InputError, NotFound, SequenceConflict, StoreError
from racedesk.model import Election, OutstandingReport, RawPayload, Release, ReleaseEvent
from racedesk.model.answers import CallEvent, ContestState, Problem, Snapshot
from racedesk.model.editorial import EditorialAct
from racedesk.model.release import estimate_event
from racedesk.publish.words import with_sentences
from racedesk.sources.base import Adapter, Parsed, ReadRelease, only_release
from racedesk.sources.registry import (
    WHOLE_FILE_FORMATS,
    adapter_named,
    adapter_of,
    holds_its_election,
)
from racedesk.store import open_store
from racedesk.store.base import Store, StoredRelease, StoreUnavailable

log = logging.getLogger("racedesk.desk")
T = TypeVar("T")

IngestStatus = Literal["stored", "duplicate", "stale", "unchanged"]
#: The problem codes that make a stored release a correction.
_CORRECTIONS = frozenset({"count-went-down", "correction", "choice-removed"})


class IngestResult(msgspec.Struct, frozen=True, kw_only=True):
    """What became of a payload: stored as release ``sequence``, or why it was not."""

    status: IngestStatus
    election_id: str
    content_hash: str
    feed_time: datetime | None = None
    sequence: int | None = None
    usable: bool = True
    problems: tuple[Problem, ...] = ()
    new_events: tuple[CallEvent, ...] = ()
    message: str = ""


class Admission(msgspec.Struct, frozen=True, kw_only=True):
    """An editor's explicit choice to add a payload of another source to an existing election
    (``racedesk ingest --into-existing EDITOR``, issue 17): logged as an ``admitted`` release
    event naming who, when, the payload and its format."""

    by: str
    why: str = ""


class Taken(msgspec.Struct, frozen=True, kw_only=True):
    """What :meth:`Desk.take` made of a payload: the election it added to, each release's
    result, how many outstanding reports and outside calls were new."""

    election: Election
    results: list[IngestResult]
    reports: int = 0
    outside_calls: int = 0


class ForeignSource(InputError):
    """A payload of one source claiming an election another source created (a NIST CDF report
    naming ``lavote:4324``), without an editor's explicit choice to add it."""


@dataclass
class _History:
    """The stored releases of one election, cached in order (sequence = index)."""

    stored: list[StoredRelease] = field(default_factory=list)
    #: The snapshots this desk committed last, by sequence (what the next sentences read).
    snapshots: dict[int, Snapshot] = field(default_factory=dict)
    #: Held releases confirmed since (by an editor or the next release): used from then on.
    confirmed: set[int] = field(default_factory=set)
    #: Whether the registrar certified the count (a ``certified`` release event).
    certified: bool = False
    #: Releases an editor retired from use (a ``retired`` release event): never used again.
    retired: set[int] = field(default_factory=set)

    def used(self, stored: StoredRelease) -> bool:
        """Whether the engine uses a stored release: it passed its checks, or it was held and
        has been confirmed since; and no editor retired it."""
        sequence = stored.release.sequence
        return (stored.usable or sequence in self.confirmed) and sequence not in self.retired

    def flags(self) -> list[bool]:
        return [self.used(s) for s in self.stored]


def load_params(path: str | None = None) -> ModelParams:
    """The model parameters: a file given by the user, else the file shipped with racedesk."""
    from racedesk.data import load_params as read

    return read(path)


class Desk:
    """Releases in, answers out, over one store."""

    def __init__(
        self,
        store: Store,
        params: ModelParams | None = None,
        seed: int = 0,
        patience: float = 0.0,
        *,
        project: bool = True,
    ) -> None:
        self.store = store
        self.params = params if params is not None else load_params()
        self.seed = seed
        #: Seconds :meth:`ingest` keeps trying while the database is unavailable (a server
        #: restarting or failing over); 0 gives up at once.
        self.patience = patience
        #: False keeps releases and every contest's standing without projections or calls
        #: (``engine.run.advance``'s ``project``): the foundation of issue 2.
        self.project = project
        self._elections: dict[str, Election] = {}
        self._histories: dict[str, _History] = {}
        self._checks = ReleaseChecks()
        #: Each election's contests' rule logic and what the engine reads again at every
        #: release (``engine.index.ElectionIndex``), made once per election.
        self._indexes: dict[str, ElectionIndex] = {}
        #: Each election's release reader (what its adapter works out per election, once).
        self._readers: dict[str, ReadRelease] = {}
        #: Told of every committed release and call event (:mod:`racedesk.desk.news`).
        self._listeners: list[Listener] = []
        #: Editors' acts on the desk's calls and what is published (``docs/editors.md``).
        self.editors = Editors(store, on_act=self._act_stored)

    def listen(self, listener: Listener) -> None:
        """Tell ``listener`` of every release and call event this desk commits from now on
        (the outgoing webhooks); it must return at once."""
        self._listeners.append(listener)

    # elections ----------------------------------------------------------------------------
    def add_election(self, election: Election) -> None:
        self._patiently(lambda: self.store.put_election(election))
        self._elections[election.id] = election
        self._readers.pop(election.id, None)

    def take_election(
        self, election: Election, *, origin: str, admitted: Admission | None = None
    ) -> tuple[Election, tuple[Problem, ...]]:
        """The election a payload's releases are added to, and the notes its first release is
        stored with (issue 17, identity of sources).

        A payload may only add to an election its own source created: when the election is new,
        or stored with the same ``source``, the payload's definition is stored (a new version
        when it changed; a choice it adds or leaves out is noted, ``choice-added`` and
        ``choice-removed``, the same whether the payload came by the CLI or over HTTP). A
        payload of another source is refused (:class:`ForeignSource`, naming the election, its
        source and the payload's format) unless ``admitted``: an editor chose to add it, and the
        stored definition is kept (the choice is logged by :meth:`note_admission`)."""
        try:
            existing: Election | None = self.election(election.id)
        except StoreError:
            existing = None
        if existing is not None and existing.source != election.source:
            if admitted is None:
                raise ForeignSource(
                    f"election {election.id} belongs to the {existing.source} source; this "
                    f"{election.source} payload may not add to it",
                    where=origin,
                    hint="to add it anyway, say who chooses to: racedesk ingest --into-existing "
                    "EDITOR (the choice is logged)",
                )
            return existing, ()
        self.add_election(election)
        return election, _choice_changes(existing, election) if existing is not None else ()

    def note_admission(
        self,
        election: Election,
        admitted: Admission,
        *,
        source: str,
        origin: str,
        result: IngestResult | None,
        at: datetime | None = None,
    ) -> ReleaseEvent:
        """Log an editor's choice to add a ``source`` payload (``origin``) to ``election``, another
        source's: an ``admitted`` release event, dated ``at`` (now by default), on the release
        it was stored as (else the latest)."""
        latest = self.store.latest_release(election.id)
        stored = result is not None and result.sequence is not None
        sequence = result.sequence if stored and result else None
        if sequence is None:
            sequence = latest.release.sequence or 0 if latest is not None else 0
        fate = "stored as this release" if stored else "no release stored"
        note = (
            f"a {source} payload ({origin}) added to the {election.source} election by choice"
            f" ({fate})" + (f": {admitted.why}" if admitted.why else "")
        )
        event = ReleaseEvent(
            kind="admitted",
            sequence=sequence,
            made_at=at or datetime.now(tz=UTC),
            made_by=admitted.by,
            note=note,
        )
        return self.store.add_release_event(election.id, event)

    def election(self, election_id: str) -> Election:
        found = self._elections.get(election_id)
        if found is None:
            found = self.store.election(election_id)
            self._elections[election_id] = found
        return found

    def elections(self) -> list[Election]:
        return self.store.elections()

    def definition_in_force(self, election_id: str, received_at: datetime) -> Election:
        """The election's definition in force when a release was received: the newest version
        stored by then (the first when none was: a canvass loaded at once stores its definition
        just after reading its releases). A definition changed mid-canvass (a contest added or
        withdrawn, a name corrected) is a new version; releases received before it are read,
        and shown as of their time, with the one before."""
        versions = self.store.election_versions(election_id)
        if len(versions) <= 1:
            return self.election(election_id)
        before = [v for v, stored in versions if stored <= received_at]
        if before and before[-1] == versions[-1][0]:
            return self.election(election_id)
        return self.store.election(election_id, version=before[-1] if before else versions[0][0])

    # ingest --------------------------------------------------------------------------------
    def ingest(
        self,
        election_id: str,
        data: bytes,
        *,
        origin: str = "",
        received_at: datetime | None = None,
        fmt: str | None = None,
        admitted: Admission | None = None,
    ) -> IngestResult:
        """Keep ``data`` (a release payload of a known election), read it with the adapter
        its source names (or the format ``fmt`` names) and, when it is new, commit it with every
        contest recomputed. A payload of another format than the election's source is refused
        (:class:`ForeignSource`) unless ``admitted`` (:meth:`take_election`).

        Bad bytes raise :class:`InputError` after a quarantined copy is kept; nothing else of
        them is stored. While the database is unavailable the whole ingest is tried again for
        up to ``patience`` seconds: it is idempotent (the bytes are kept once, a committed
        release is found as a duplicate), so a commit cut off by a restart is neither lost nor
        doubled.
        """
        return self._patiently(
            lambda: self._ingest(
                election_id,
                data,
                origin=origin,
                received_at=received_at,
                adapter=adapter_named(fmt) if fmt else None,
                admitted=admitted,
            )
        )

    def _ingest(
        self,
        election_id: str,
        data: bytes,
        *,
        origin: str,
        received_at: datetime | None,
        adapter: Adapter | None = None,
        admitted: Admission | None = None,
    ) -> IngestResult:
        election = self.election(election_id)
        adapter = adapter or adapter_of(election)
        if election.source != adapter.NAME and not holds_its_election(adapter):
            raise InputError(
                f"a {adapter.NAME} payload holds no definition of its own: it is read only into "
                f"its own source's elections, and {election_id} is {election.source}'s",
                where=origin or "payload",
            )
        received = received_at or datetime.now(tz=UTC)
        raw = RawPayload.of(data, source=adapter.NAME, received_at=received, origin=origin)
        digest = raw.content_hash
        # Bytes kept before were perhaps stored as a release; new bytes cannot have been (and
        # if another writer beat us to them, the commit finds it).
        if not self.store.put_raw(raw) and self.store.has_release(election_id, digest):
            return IngestResult(
                status="duplicate",
                election_id=election_id,
                content_hash=digest,
                message="the same payload is already stored",
            )
        where = origin or "payload"
        try:
            if holds_its_election(adapter):
                parsed = adapter.parse(data, where=where, received_at=received, content_hash=digest)
                only_release(parsed, election, where)
            else:
                release = self._reader(election)(
                    data, where=where, received_at=received, content_hash=digest
                )
        except InputError as exc:
            self.store.quarantine(raw, exc.message)
            raise
        except (ArithmeticError, RecursionError, ValueError, LookupError, TypeError) as exc:
            # an adapter's bug, not the payload's: still a typed error, and a reason kept
            log.exception("the %s adapter failed on %s", election.source, origin or "a payload")
            error = InputError(
                f"the payload could not be read ({type(exc).__name__}: {exc})",
                where=origin or "payload",
            )
            self.store.quarantine(raw, error.message)
            raise error from exc
        if not holds_its_election(adapter):
            return self.ingest_release(release)
        try:
            return self.take(parsed, [None], origin=where, admitted=admitted).results[0]
        except ForeignSource as exc:
            self.store.quarantine(raw, exc.message)
            raise

    def take(
        self,
        parsed: Parsed,
        payloads: Sequence[RawPayload | None],
        *,
        origin: str,
        admitted: Admission | None = None,
        each: Callable[[IngestResult], None] | None = None,
    ) -> Taken:
        """Take what a payload (or a source's file) holds, the one way for the CLI and HTTP
        alike (issue 17, one reading path): its election (:meth:`take_election`: refused when
        another source created it, a new definition version when it changed, the choices it
        added or left out noted on its first release stored), the registrar's reports it states
        (one published soon after a release and before the next, taken when it came, as
        the live desk took it: the backtest's ``engine.replay`` with ``estimates``), its releases
        in order (``payloads[i]``: the raw bytes of release i, kept first; ``None``
        when kept already or when many releases share one payload), then its outside calls.
        ``each`` is told every release's result. An editor's ``admitted`` choice is logged."""
        before = len(self.store.election_versions(parsed.election.id))
        election, notes = self.take_election(parsed.election, origin=origin, admitted=admitted)
        releases = list(parsed.releases)
        renewed = len(self.store.election_versions(election.id)) > max(before, 1)
        if renewed and parsed.election.source in WHOLE_FILE_FORMATS:
            # a payload's own definition is in force for its own release (definition_in_force
            # goes by when a release was received): it is taken in from now; an archive's
            # releases keep the times the archive gives
            now = datetime.now(tz=UTC)
            releases = [
                msgspec.structs.replace(r, received_at=max(r.received_at, now)) for r in releases
            ]
        times = [r.feed_time for r in releases]
        after = [(t, times[i + 1] if i + 1 < len(times) else None) for i, t in enumerate(times)]
        # an estimate published soon after a release and before the next is taken when it
        # came (the release's snapshot made again then), as the live desk took it; the others
        # are kept first and known to every release at or after them
        timely = sorted(
            (r for r in parsed.reports if any(makes_again(r, t, n) for t, n in after)),
            key=lambda r: r.as_of,
        )
        reports = self.add_outstanding_reports(
            election.id, [r for r in parsed.reports if r not in timely]
        )
        results: list[IngestResult] = []
        for (released, following), release, raw in zip(after, releases, payloads, strict=True):
            result = self.ingest_parsed(release, raw, notes)
            if result.status == "stored":
                notes = ()
            results.append(result)
            if each is not None:
                each(result)
            for report in timely:
                if makes_again(report, released, following):
                    reports += self.add_outstanding(election.id, report, at=report.as_of)
        calls = self.add_outside_calls(election.id, parsed.calls, origin)
        if admitted is not None and election.source != parsed.election.source:
            self.note_admission(
                election,
                admitted,
                source=parsed.election.source,
                origin=origin,
                result=results[0] if len(results) == 1 else None,
            )
        return Taken(election=election, results=results, reports=reports, outside_calls=calls)

    def ingest_parsed(
        self, release: Release, raw: RawPayload | None, notes: tuple[Problem, ...] = ()
    ) -> IngestResult:
        """Commit a release an adapter already read, keeping the raw payload it came from (when
        there is one) first; tried again while the database is unavailable, as :meth:`ingest`.
        ``notes``: see :meth:`ingest_release`."""

        def attempt() -> IngestResult:
            if raw is not None:
                self.store.put_raw(raw)
            return self.ingest_release(release, notes=notes)

        return self._patiently(attempt)

    def _reader(self, election: Election) -> ReadRelease:
        """The release reader of ``election``, made once by the adapter its source names."""
        read = self._readers.get(election.id)
        if read is None:
            read = self._readers[election.id] = adapter_of(election).release_reader(election)
        return read

    def ingest_release(
        self, release: Release, *, notes: tuple[Problem, ...] = (), attempts: int = 8
    ) -> IngestResult:
        """Commit a parsed release (see :meth:`ingest`); retries when another writer committed
        the same sequence first. ``notes`` are problems it is stored with besides its checks'
        (the choices its definition added or left out: :meth:`take_election`)."""
        election = self.election(release.election_id)
        for _ in range(attempts):
            kept = self._kept(election.id)
            self._note_events(election.id, kept)
            history = kept.stored
            refused = _refusal(kept, release)
            if refused is not None:
                return refused
            sequence = len(history)
            release = msgspec.structs.replace(release, sequence=sequence)
            judged = self._checks.judge(
                election,
                release,
                [s.release for s in history],
                kept.flags(),
                history[-1].problems if history else (),
            )
            problems, usable = (*judged.problems, *notes), judged.usable
            flags = kept.flags()
            if judged.confirms is not None:
                flags[judged.confirms] = True
            snapshot = self._advance(election, history, release, [*flags, usable], problems)
            if self.project:  # what is said of each contest after the release, stored with it
                snapshot = with_sentences(
                    election,
                    snapshot,
                    self._earlier(election.id, sequence),
                    self._index(election).logics,
                )
            just_before = history[-1].release if history else None
            noted = self._checks.with_correction_note(problems, release, just_before)
            stored = StoredRelease(
                release=release,
                problems=noted,
                usable=usable,
                correction=any(p.code in _CORRECTIONS for p in noted),
            )
            try:
                committed = self.store.commit_release(stored, snapshot)
            except SequenceConflict:
                self._histories.pop(election.id, None)
                continue
            if committed is None:
                self._histories.pop(election.id, None)
                return _not_stored(release, "duplicate", "the same payload is already stored")
            if judged.confirms is not None:
                self._confirm(election.id, judged.confirms, release, kept)
            kept.stored.append(committed)
            kept.snapshots = {q: v for q, v in kept.snapshots.items() if q >= sequence - 1}
            kept.snapshots[sequence] = snapshot
            news = ReleaseNews(sequence, release.feed_time, release.content_hash, usable, noted)
            tell(self._listeners, self._news(election, news, snapshot.new_events))
            self._estimate_of_its_day(election.id, release)
            return IngestResult(
                status="stored",
                election_id=election.id,
                content_hash=release.content_hash,
                feed_time=release.feed_time,
                sequence=sequence,
                usable=usable,
                problems=problems,
                new_events=snapshot.new_events,
            )
        raise StoreError(
            f"could not commit release {release.content_hash[:12]}: other writers kept taking its place",
            where=release.election_id,
        )

    def _act_stored(self, election_id: str, act: EditorialAct) -> None:
        """Tell the listeners of an editor's act on an election's calls (not of a change of the
        desk-wide publishing mode)."""
        if election_id:
            tell(self._listeners, DeskNews(self.election(election_id), None, (), acts=(act,)))

    def _news(
        self, election: Election, release: ReleaseNews | None, events: Sequence[CallEvent]
    ) -> DeskNews:
        """What the listeners hear of a committed write, with the publishing mode in force."""
        recommended = bool(events) and self.editors.mode() == "recommend"
        return DeskNews(election, release, tuple(events), recommended=recommended)

    def _estimate_of_its_day(self, election_id: str, release: Release) -> None:
        """A registrar's estimate kept before ``release`` came in, published soon after it (the
        estimate that goes with the day's update, taken before the desk held the update),
        makes its snapshot again at once, dated when it was published (the desk's history goes
        by feed times): the release's own snapshot cannot know it."""
        waiting = [
            r
            for r in self.store.outstanding(election_id)
            if makes_again(r, release.feed_time, None)
        ]
        if waiting:
            self._estimate_in_effect(election_id, waiting, max(r.as_of for r in waiting))

    def _confirm(
        self, election_id: str, sequence: int, by_release: Release, kept: _History
    ) -> None:
        """Note that the next release (``by_release``) confirmed held release ``sequence``."""
        self.store.add_release_event(
            election_id,
            ReleaseEvent(
                kind="confirmed",
                sequence=sequence,
                made_at=by_release.feed_time,
                made_by=f"the next release (#{by_release.sequence})",
                note="it continues from the held release's counts",
            ),
        )
        kept.confirmed.add(sequence)

    def _patiently(self, attempt: Callable[[], T]) -> T:
        """``attempt()``, tried again while the store is unavailable, waiting 0.1 s, 0.2 s, …
        (at most 5 s) between tries, until ``patience`` seconds have passed."""
        deadline = time.monotonic() + self.patience
        wait = 0.1
        while True:
            try:
                return attempt()
            except StoreUnavailable as exc:
                if time.monotonic() + wait > deadline:
                    raise
                log.warning("%s; trying again in %.1f s", exc.message, wait)
                time.sleep(wait)
                wait = min(wait * 2, 5.0)

    def _advance(
        self,
        election: Election,
        history: Sequence[StoredRelease],
        release: Release,
        flags: list[bool],
        problems: tuple[Problem, ...],
        as_of: datetime | None = None,
    ) -> Snapshot:
        """The snapshot after ``release`` (the last of ``history`` when it is already stored),
        with ``flags`` saying which releases are used, the reports known at ``as_of`` (default:
        its feed time) and the whole ledger. Of the reports published after the release, only
        those soon after it count (``engine.replay.makes_again``): a later one speaks of a count
        the desk may not hold yet."""
        known = self.store.outstanding(election.id, as_of=as_of or release.feed_time)
        reports = [r for r in known if _takes(r, release.feed_time)]
        ledger = self.store.ledger(election.id) if self.project else []
        releases = [s.release for s in history]
        if not releases or releases[-1] is not release:
            releases.append(release)
        return advance(
            election,
            releases,
            flags,
            reports,
            ledger,
            self.params,
            self.seed,
            problems,
            project=self.project,
            index=self._index(election),
            certified=self._kept(election.id).certified,
        )

    def _earlier(self, election_id: str, sequence: int) -> list[Snapshot | None]:
        """The snapshots of the two releases before ``sequence``, oldest first: those this
        desk committed, else the store's."""
        kept = self._histories.get(election_id)
        mine = kept.snapshots if kept is not None else {}
        return [
            mine.get(q) or self.store.snapshot_at(election_id, q)
            for q in range(max(0, sequence - 2), sequence)
        ]

    def _index(self, election: Election) -> ElectionIndex:
        index = self._indexes.get(election.id)
        if index is None or index.election is not election:
            index = self._indexes[election.id] = ElectionIndex(election)
        return index

    def _history(self, election_id: str) -> list[StoredRelease]:
        """The election's stored releases: read once, then those this desk committed. Another
        writer's releases are found when the commit meets their sequence (SequenceConflict):
        the history is read again and the release recomputed."""
        return self._kept(election_id).stored

    def _kept(self, election_id: str) -> _History:
        """What this desk keeps of an election: its releases and what its release events say
        (the held releases confirmed, the certification), read once."""
        cached = self._histories.get(election_id)
        if cached is not None:
            return cached
        kept = _History(stored=list(self.store.releases(election_id)))
        # a release noted ``confirms`` confirmed the held one just before it, whether or not
        # its release event was written (it is written after the release's commit)
        kept.confirmed.update(
            s.release.sequence - 1
            for s in kept.stored
            if s.release.sequence and any(p.code == "confirms" for p in s.problems)
        )
        self._note_events(election_id, kept)
        self._histories[election_id] = kept
        return kept

    def _note_events(self, election_id: str, kept: _History) -> None:
        """What the election's release events say, read again (another process, a CLI command
        or the web app, may have confirmed a release or recorded the certification)."""
        for event in self.store.release_events(election_id):
            if event.kind == "confirmed":
                kept.confirmed.add(event.sequence)
            elif event.kind == "certified":
                kept.certified = True
            elif event.kind == "retired":
                kept.retired.add(event.sequence)

    def _fresh(self, election_id: str) -> _History:
        """What this desk keeps of an election, read again from the store: an editor's or the
        registrar's act must be made on the releases stored by every process."""
        self._histories.pop(election_id, None)
        return self._kept(election_id)

    # outstanding reports and calls ---------------------------------------------------------------
    def add_outstanding_reports(
        self,
        election_id: str,
        reports: Sequence[OutstandingReport],
        *,
        at: datetime | None = None,
    ) -> int:
        """Keep a list of the registrar's estimates, all of them or none (one transaction), and
        when any is new, make the latest release's snapshot again with them at once (as
        :meth:`add_outstanding`); returns how many were new."""
        self.election(election_id)
        new = self.store.put_outstanding_reports(election_id, reports)
        if new:
            self._estimate_in_effect(election_id, reports, at)
        return new

    def add_outstanding(
        self, election_id: str, report: OutstandingReport, *, at: datetime | None = None
    ) -> bool:
        """Keep a registrar's estimate of ballots left and, when it is new and a release is
        stored, make the latest release's snapshot again with it at once (an ``estimate``
        release event, dated ``at``: now by default). Returns whether it was new."""
        self.election(election_id)
        if not self.store.put_outstanding(election_id, report):
            return False
        self._estimate_in_effect(election_id, [report], at)
        return True

    def _estimate_in_effect(
        self, election_id: str, reports: Sequence[OutstandingReport], at: datetime | None
    ) -> None:
        """The latest release's snapshot made again with the newest of ``reports`` it takes (an
        ``estimate`` release event dated ``at``, now by default, never before the estimate).
        An estimate published longer after the latest release (``engine.replay.ESTIMATE_HOURS``)
        waits for the next release instead (``engine.replay.makes_again``): it speaks of the
        ballots left after a count the desk may not hold yet (the registrar's update of its
        day)."""
        history = self._fresh(election_id).stored
        if not history:
            return
        latest = history[-1].release
        taken = [r for r in reports if _takes(r, latest.feed_time)]
        if not taken:
            return  # each published long after the latest release: they wait for the next
        report = max(taken, key=lambda r: r.as_of)
        when = max(at or datetime.now(tz=UTC), report.as_of)
        self._revise(election_id, estimate_event(report, latest.sequence or 0, when))

    def confirm_release(
        self, election_id: str, sequence: int, editor: str, *, at: datetime | None = None
    ) -> ReleaseEvent:
        """An editor confirms release ``sequence``, held as a likely mapping error: it is used
        from now on, and the latest release's snapshot is made again at once (dated ``at``:
        now by default). ``NotFound`` for no such release; ``StoreError`` when it is not held
        or was confirmed already."""
        election = self.election(election_id)
        kept = self._fresh(election.id)
        if not 0 <= sequence < len(kept.stored):
            raise NotFound(f"election {election_id} has no release #{sequence}")
        stored = kept.stored[sequence]
        if sequence in kept.confirmed:
            raise StoreError(f"release #{sequence} is confirmed already", where=election_id)
        if stored.usable or not is_held(stored.problems):
            raise StoreError(
                f"release #{sequence} is not held for confirmation: "
                + ("it is used" if stored.usable else "it failed its checks (a torn release?)"),
                where=election_id,
            )
        event = ReleaseEvent(
            kind="confirmed",
            sequence=sequence,
            made_at=self._made_at(kept, at),
            made_by=editor,
            note="confirmed by an editor",
        )
        kept.confirmed.add(sequence)
        return self._revise(election_id, event)

    def retire_release(
        self, election_id: str, sequence: int, editor: str, why: str, *, at: datetime | None = None
    ) -> ReleaseEvent:
        """An editor retires release ``sequence`` from use (a release the checks could not see
        was wrong, or one with a feed time that cannot be): its bytes and rows stay, the engine
        no longer uses it, and the latest release's snapshot is made again at once (dated
        ``at``: now by default). ``NotFound`` for no such release; ``StoreError`` when it is
        retired already."""
        election = self.election(election_id)
        kept = self._fresh(election.id)
        if not 0 <= sequence < len(kept.stored):
            raise NotFound(f"election {election_id} has no release #{sequence}")
        if sequence in kept.retired:
            raise StoreError(f"release #{sequence} is retired already", where=election_id)
        event = ReleaseEvent(
            kind="retired",
            sequence=sequence,
            made_at=self._made_at(kept, at),
            made_by=editor,
            note=f"retired by an editor: {why}" if why else "retired by an editor",
        )
        kept.retired.add(sequence)
        return self._revise(election_id, event)

    def certify(
        self, election_id: str, certifier: str, issuer: str, *, at: datetime | None = None
    ) -> ReleaseEvent:
        """The registrar certified the count (``certifier`` says who entered it, ``issuer`` is
        the name the results are published under): nothing is left to count and every contest
        takes its final outcome, at once (dated ``at``: now by default). ``StoreError`` before
        any release, or when the count is certified already."""
        election = self.election(election_id)
        kept = self._fresh(election.id)
        if not kept.stored:
            raise StoreError("no release to certify", where=election_id)
        if kept.certified:
            raise StoreError("the count is certified already", where=election_id)
        latest = kept.stored[-1].release
        event = ReleaseEvent(
            kind="certified",
            sequence=latest.sequence or 0,
            made_at=self._made_at(kept, at),
            made_by=certifier,
            issuer=issuer,
            note=f"the registrar certified the count of release #{latest.sequence}",
        )
        kept.certified = True
        return self._revise(election_id, event)

    def release_events(self, election_id: str, as_of: datetime | None = None) -> list[ReleaseEvent]:
        return self.store.release_events(election_id, as_of)

    @staticmethod
    def _made_at(kept: _History, at: datetime | None) -> datetime:
        """When an action is dated: ``at`` (now by default), never before the latest release."""
        when = at or datetime.now(tz=UTC)
        latest = kept.stored[-1].release.feed_time if kept.stored else when
        return max(when, latest)

    def _revise(self, election_id: str, event: ReleaseEvent, *, attempts: int = 8) -> ReleaseEvent:
        """Store ``event`` and make the latest release's snapshot again after it, dated when the
        event was made: its calls and rescinds enter the ledger at that time. Made again on the
        releases read afresh when another process stored a release meanwhile."""
        event = self.store.add_release_event(election_id, event)
        kept = self._kept(election_id)
        for _ in range(attempts):
            try:
                self._commit_revision(election_id, kept, event)
                return event
            except SequenceConflict:
                kept = self._fresh(election_id)
        raise StoreError(
            f"could not make the snapshot again after {event.kind}: other writers kept storing "
            "releases",
            where=election_id,
        )

    def _commit_revision(self, election_id: str, kept: _History, event: ReleaseEvent) -> None:
        """The latest release's snapshot after ``event``, committed as a revision."""
        election = self.election(election_id)
        last = kept.stored[-1]
        feed_time = last.release.feed_time
        when = max(event.made_at, feed_time).astimezone(feed_time.tzinfo)
        problems = (
            tuple(_confirmed(p, event) for p in last.problems)
            if event.kind == "confirmed"
            else last.problems
        )
        snapshot = self._advance(
            election, kept.stored, last.release, kept.flags(), problems, as_of=when
        )
        snapshot = revised_at(snapshot, when, event.said)
        sequence = last.release.sequence or 0
        if self.project:
            snapshot = with_sentences(
                election,
                snapshot,
                self._earlier(election_id, sequence),
                self._index(election).logics,
            )
        self.store.commit_revision(snapshot, when, event.event_id)
        kept.snapshots[sequence] = snapshot
        tell(self._listeners, self._news(election, None, snapshot.new_events))

    def quarantine_payload(
        self, data: bytes, origin: str, received_at: datetime, reason: str
    ) -> None:
        """Keep a payload that could not be read (raw bytes and the reason), storing nothing
        else of it."""
        raw = RawPayload.of(data, source="unreadable", received_at=received_at, origin=origin)
        self.store.put_raw(raw)
        self.store.quarantine(raw, reason)

    def add_outside_calls(
        self, election_id: str, events: Sequence[CallEvent], origin: str = ""
    ) -> int:
        """Record calls made by an outside source (AP's ``winner``, a CDF file's
        ``PostElectionStatus``) in the ledger, numbered after its last event and tied to the latest
        stored release. Each is marked outside (issue 17): ``outside`` says who made it and where
        it came from (``origin``), ``approved_by`` is never the desk's, and it never becomes the
        desk's standing call. A call the ledger already holds from the same source is not added
        again. Returns how many were added."""
        ledger = self.store.ledger(election_id)
        known = {(e.contest_id, e.status, e.choices, e.approved_by) for e in ledger}
        latest = self.store.latest_release(election_id)
        next_id = max((e.event_id for e in ledger), default=-1) + 1
        added: list[CallEvent] = []
        for event in map(partial(_marked_outside, origin=origin), events):
            key = (event.contest_id, event.status, event.choices, event.approved_by)
            if key in known:
                continue
            known.add(key)
            changes: dict[str, object] = {"event_id": next_id}
            if latest is not None:
                changes.update(
                    release_sequence=latest.release.sequence,
                    release_hash=latest.release.content_hash,
                )
            added.append(msgspec.structs.replace(event, **changes))
            next_id += 1
        if added:
            self.store.append_calls(election_id, added)
            tell(self._listeners, DeskNews(self.election(election_id), None, tuple(added)))
        return len(added)

    def approve_call(
        self, election_id: str, event_id: int, approver: str, *, made_at: datetime | None = None
    ) -> CallEvent:
        """Record an editor's approval of a call as a new ledger event (calls are never edited),
        dated when it is made (``made_at``, the wall clock by default), so that the ledger as of
        an earlier time never changes after the fact (issue 17, item 4).

        Only the contest's standing call can be approved: a rescind, a call rescinded or
        superseded since, and an approval are refused with a :class:`StoreError`. Approving a
        call already approved returns the standing approval and adds nothing."""
        ledger = self.store.ledger(election_id)
        target = next((e for e in ledger if e.event_id == event_id), None)
        if target is None:
            raise NotFound(f"no call event {event_id}", where=election_id)
        standing = active_calls(ledger).get(target.contest_id)
        if standing is not None and standing.approves == event_id:
            return standing
        refusal = decision_refusal(target, standing)
        if refusal:
            raise StoreError(f"event {event_id} {refusal}", where=election_id)
        when = max(made_at or datetime.now(UTC), target.release_time)
        event = msgspec.structs.replace(
            target,
            event_id=max(e.event_id for e in ledger) + 1,
            approved_by=approver,
            approves=event_id,
            release_time=when.astimezone(target.release_time.tzinfo),
            reason=f"Approved by {approver}: {target.reason}",
        )
        self.store.append_calls(election_id, [event])
        tell(self._listeners, DeskNews(self.election(election_id), None, (event,)))
        return event

    # reads ---------------------------------------------------------------------------------------
    def snapshot(self, election_id: str, as_of: datetime | None = None) -> Snapshot | None:
        return self.store.snapshot(election_id, as_of)

    def snapshot_at(
        self, election_id: str, sequence: int, as_of: datetime | None = None
    ) -> Snapshot | None:
        return self.store.snapshot_at(election_id, sequence, as_of)

    def releases(self, election_id: str, as_of: datetime | None = None) -> list[StoredRelease]:
        return self.store.releases(election_id, as_of)

    def contest_history(self, election_id: str, contest_id: str) -> list[ContestState]:
        return self.store.contest_history(election_id, contest_id)

    def ledger(self, election_id: str, as_of: datetime | None = None) -> list[CallEvent]:
        return self.store.ledger(election_id, as_of)

    def latest_payload(self, election_id: str) -> bytes | None:
        """The raw payload of the election's latest stored release, if any (a watch loop starts
        from it after a restart)."""
        latest = self.store.latest_release(election_id)
        if latest is None:
            return None
        raw = self.store.raw(latest.release.content_hash)
        return raw.data if raw is not None else None


def _takes(report: OutstandingReport, released: datetime) -> bool:
    """Whether the snapshot of a release published at ``released`` takes ``report``: one
    published by then, or soon after (``engine.replay.makes_again``)."""
    return report.as_of <= released or makes_again(report, released, None)


def _refusal(kept: _History, release: Release) -> IngestResult | None:
    """Why ``release`` is not stored (a duplicate, an older copy, unchanged counts), or None.
    A copy with the feed time of the latest release is stored when that release is not used
    (torn or held): the genuine copy must not be lost behind a flagged one."""
    history = kept.stored
    if any(s.release.content_hash == release.content_hash for s in history):
        return _not_stored(release, "duplicate", "the same payload is already stored")
    # a release whose feed time cannot be (a typo'd year) never makes later ones stale
    history = [s for s in history if not any(p.code == "implausible-time" for p in s.problems)]
    if not history:
        return None
    last = history[-1]
    latest = last.release
    replaces = release.feed_time == latest.feed_time and not kept.used(last)
    if release.parts and _has_newer_part(release, latest):
        pass  # a joined release: one source published after the other's later feed time
    elif release.feed_time <= latest.feed_time and not replaces:
        return _not_stored(
            release,
            "stale",
            f"feed time {release.feed_time.isoformat()} is not after the latest release's "
            f"{latest.feed_time.isoformat()}: an older copy, kept as raw bytes only",
        )
    if _same_counts(latest, release):
        return _not_stored(release, "unchanged", "the counts did not change")
    return None


def _has_newer_part(release: Release, latest: Release) -> bool:
    """Whether a release of a joined election holds a source's payload newer than the one the
    latest stored release holds (a source's first, or one with a later feed time): its feed
    time, the latest of its sources', may then equal the latest release's and it is no older
    copy."""
    before = {p.source: p for p in latest.parts}
    for part in release.parts:
        old = before.get(part.source)
        if old is None or (
            part.content_hash != old.content_hash and part.feed_time > old.feed_time
        ):
            return True
    return False


def _confirmed(problem: Problem, event: ReleaseEvent) -> Problem:
    """A ``held`` problem once its release is confirmed: a note saying by whom and when."""
    if problem.code != "held":
        return problem
    return msgspec.structs.replace(
        problem,
        blocking=False,
        message=f"{problem.message} — confirmed by {event.made_by} at "
        f"{event.made_at:%Y-%m-%d %H:%M:%S %Z}",
    )


def _marked_outside(event: CallEvent, origin: str) -> CallEvent:
    """``event``, a call from an outside source, marked so: who made it (the adapter's
    ``outside``, else its approver) and where it came from; approved by "outside: …", never
    by the desk."""
    who = event.outside or event.approved_by
    approver = event.approved_by
    if not approver.startswith("outside: "):
        approver = f"outside: {who}"
    return msgspec.structs.replace(
        event, outside=f"{who}, from {origin}" if origin else who, approved_by=approver
    )


def _choice_changes(before: Election, after: Election) -> tuple[Problem, ...]:
    """Notes (not blocking) of the choices a payload's definition adds to or leaves out of the
    stored one's contests: a candidate added mid-canvass is counted from then on, one left out
    is no longer shown, and both are said, never silently."""
    was = {c.id: c for c in before.contests}
    notes: list[Problem] = []
    for contest in after.contests:
        old = was.get(contest.id)
        if old is None:
            continue
        now = {c.id for c in contest.choices}
        then = {c.id for c in old.choices}
        added = [c.name for c in contest.choices if c.id not in then]
        removed = [c.name for c in old.choices if c.id not in now]
        if added:
            notes.append(
                Problem(
                    code="choice-added",
                    message=f"{contest.title}: {', '.join(added)} added to the contest by the "
                    "source's definition; counted from this release on",
                    blocking=False,
                )
            )
        if removed:
            notes.append(
                Problem(
                    code="choice-removed",
                    message=f"{contest.title}: {', '.join(removed)} left out of the contest by "
                    "the source's definition; a correction, no longer shown",
                    blocking=False,
                )
            )
    return tuple(notes)


def _same_counts(a: Release, b: Release) -> bool:
    return (
        a.contests == b.contests
        and a.ballots_counted == b.ballots_counted
        and a.ballots_mail == b.ballots_mail
        and a.ballots_in_person == b.ballots_in_person
    )


def _not_stored(release: Release, status: IngestStatus, message: str) -> IngestResult:
    return IngestResult(
        status=status,
        election_id=release.election_id,
        content_hash=release.content_hash,
        feed_time=release.feed_time,
        message=message,
    )


def open_desk(
    db_url: str | None = None, params_path: str | None = None, seed: int = 0, patience: float = 0.0
) -> Desk:
    """A desk over the store at ``db_url`` (default: ``RACEDESK_DB`` or the local SQLite file);
    ``patience``: see :class:`Desk`."""
    return Desk(open_store(db_url), load_params(params_path), seed, patience)
