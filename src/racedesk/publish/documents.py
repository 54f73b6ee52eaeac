"""The versioned JSON documents that the CLI's ``--json`` and the HTTP API share, as typed
structs: a reader writes ``doc.contest.sentence``, and the JSON encoder writes the fields in the
order they are declared here.

Every document carries ``"schema": "racedesk.<kind>/1"``; ``docs/json-schema.md`` describes each
field. A field is never removed or changes meaning within a version; new fields may be added.
Shares are fractions in [0, 1]; times are ISO 8601 with their zone. The engine's own answers
(a standing, a projection of a choice, votes left, a call, a problem) appear as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction

import msgspec

from racedesk.model import (
    CallStatus,
    ContestKind,
    Election,
    ElectionKind,
    ReleaseEvent,
    RuleKind,
)
from racedesk.model.answers import (
    BallotsLeft,
    CallEvent,
    ChoiceProjection,
    ContestCall,
    ContestState,
    Interval,
    Problem,
    Snapshot,
    Standing,
    VotesLeft,
)
from racedesk.model.election import Contest
from racedesk.publish import numbers
from racedesk.publish.words import contest_sentence
from racedesk.rules import petition, rule_name
from racedesk.store.base import StoredRelease

SCHEMA_VERSION = 1


def _schema(kind: str) -> str:
    return f"racedesk.{kind}/{SCHEMA_VERSION}"


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- the shared parts ---------------------------------------------------------------------------


class ElectionInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    date: str
    jurisdiction: str
    kind: ElectionKind
    registration: int | None
    contests: int


class RuleInfo(msgspec.Struct, frozen=True, kw_only=True):
    kind: RuleKind
    name: str
    seats: int
    votes_allowed: int
    advance: int
    threshold: str | None
    alt_threshold: str | None
    condition: str
    text: str


class ReleaseInfo(msgspec.Struct, frozen=True, kw_only=True):
    sequence: int
    feed_time: str | None
    hash: str
    usable: bool
    problems: tuple[Problem, ...]
    model_version: str
    #: when the desk's answers after this release were made again (a report of ballots left,
    #: a confirmation, the certification), and why, in words (who, what): null and "" if never
    revised_at: str | None = None
    revised_because: str = ""


def election_info(election: Election) -> ElectionInfo:
    """What every document says of its election: ids, title, date and how many contests."""
    return ElectionInfo(
        id=election.id,
        title=election.title,
        date=election.date.isoformat(),
        jurisdiction=election.jurisdiction,
        kind=election.kind,
        registration=election.registration,
        contests=len(election.contests),
    )


def rule_info(contest: Contest) -> RuleInfo:
    """A contest's rule as the feed gave it, with its name in words."""
    rule = contest.rule
    return RuleInfo(
        kind=rule.kind,
        name=rule_name(rule),
        seats=rule.seats,
        votes_allowed=rule.votes_allowed,
        advance=rule.advance,
        threshold=rule.threshold,
        alt_threshold=rule.alt_threshold,
        condition=rule.condition,
        text=rule.text,
    )


def release_info(snapshot: Snapshot) -> ReleaseInfo:
    """The release a document is after: its place, time, hash, problems and model version."""
    return ReleaseInfo(
        sequence=snapshot.release_sequence,
        feed_time=_time(snapshot.feed_time),
        hash=snapshot.release_hash,
        usable=snapshot.usable,
        problems=snapshot.problems,
        model_version=snapshot.model_version,
        revised_at=_time(snapshot.revised_at) if snapshot.revised_at else None,
        revised_because=snapshot.revised_because,
    )


# --- racedesk.status/1 and racedesk.elections/1 -------------------------------------------------


class ContestSummary(msgspec.Struct, frozen=True, kw_only=True):
    """One contest in a line (an element of ``racedesk.status/1``'s ``contests``)."""

    id: str
    title: str
    group: str
    kind: ContestKind
    rule: RuleKind
    leaders: list[str]
    shares: dict[str, float]
    total_votes: int
    outcome: str
    status: CallStatus
    called_for: list[str]
    #: The part of the contest the source sees ("Los Angeles County"), or "" for the whole
    #: contest: a portion is shown, never called.
    portion: str = ""
    #: In an election joined from several sources: the source that counts this contest, and
    #: the contest of record when it is another (this one is then shown, never called).
    source: str = ""
    record: str = ""
    #: The choices' names, in ballot order (what a search finds a contest by, besides its title).
    choices: list[str] = []
    #: The contest's votes, by choice name, and its votes left (None: unknown), from which a page
    #: says the margin ("Hochman +19.8, 655,092 votes") and how much of the expected vote is
    #: counted.
    votes: dict[str, int] = {}
    votes_left: Interval | None = None


class StatusDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.status/1``: the election and every contest's summary after one release."""

    schema: str = _schema("status")
    election: ElectionInfo
    release: ReleaseInfo | None
    ballots_left: BallotsLeft | None
    contests: list[ContestSummary]


class ElectionEntry(ElectionInfo, frozen=True, kw_only=True):
    """An election with its latest release (an element of ``racedesk.elections/1``)."""

    release: ReleaseInfo | None


class ElectionsDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.elections/1``: every election with its latest release."""

    schema: str = _schema("elections")
    elections: list[ElectionEntry]


def contest_summary(election: Election, snapshot: Snapshot, contest_id: str) -> ContestSummary:
    """One contest in a line: leaders, shares, votes left and call status."""
    contest = election.contest(contest_id)
    state = snapshot.state(contest_id)
    call = snapshot.calls.get(contest_id)
    names = {c.id: c.name for c in contest.choices}
    return ContestSummary(
        id=contest.id,
        title=contest.title,
        group=contest.group,
        kind=contest.kind,
        rule=contest.rule.kind,
        leaders=[names.get(c, c) for c in state.leaders] if state else [],
        shares={names.get(k, k): v for k, v in state.shares.items()} if state else {},
        total_votes=state.total_votes if state else 0,
        outcome=state.outcome if state else "",
        status=call.status if call else "too early",
        called_for=[names.get(c, c) for c in call.choices] if call else [],
        portion=contest.portion,
        source=contest.source,
        record=contest.record,
        choices=[c.name for c in contest.choices],
        votes={names.get(k, k): v for k, v in state.votes.items()} if state else {},
        votes_left=state.votes_left.votes if state else None,
    )


def election_view(election: Election, snapshot: Snapshot | None) -> StatusDoc:
    """The election and every contest's summary after the latest release (``racedesk.status/1``)."""
    if snapshot is None:
        return StatusDoc(
            election=election_info(election), release=None, ballots_left=None, contests=[]
        )
    return StatusDoc(
        election=election_info(election),
        release=release_info(snapshot),
        ballots_left=snapshot.ballots_left,
        contests=[contest_summary(election, snapshot, c.id) for c in election.contests],
    )


def election_entry(election: Election, latest: Snapshot | None) -> ElectionEntry:
    """An election with the release of its snapshot ``latest`` (None before any release)."""
    return ElectionEntry(
        **msgspec.structs.asdict(election_info(election)),
        release=release_info(latest) if latest is not None else None,
    )


def elections_view(entries: Sequence[ElectionEntry]) -> ElectionsDoc:
    """Every election with its latest release (``racedesk.elections/1``)."""
    return ElectionsDoc(elections=list(entries))


class ContestFilter(msgspec.Struct, frozen=True, kw_only=True):
    status: str | None
    q: str | None


class ContestsDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.contests/1`` as the API answers it: an election's contest summaries after one
    release, those a filter keeps."""

    schema: str = _schema("contests")
    election: ElectionInfo
    release: ReleaseInfo | None
    filter: ContestFilter
    contests: list[ContestSummary]


def contests_view(
    status: StatusDoc, kept: Sequence[ContestSummary], *, call_status: str | None, q: str | None
) -> ContestsDoc:
    """The summaries ``kept`` of ``status`` by a filter on the call status and the title."""
    return ContestsDoc(
        election=status.election,
        release=status.release,
        filter=ContestFilter(status=call_status, q=q),
        contests=list(kept),
    )


# --- racedesk.state/1 ---------------------------------------------------------------------------


class ChoiceView(msgspec.Struct, frozen=True, kw_only=True):
    """A choice after a release: its votes and share, its standing and its projection."""

    id: str
    name: str
    party: str
    votes: int
    share: float
    standing: Standing | None
    projection: ChoiceProjection | None


class Margin(msgspec.Struct, frozen=True, kw_only=True):
    votes: int
    share: float


class ProjectionInfo(msgspec.Struct, frozen=True, kw_only=True):
    """How the contest is projected to end, per outcome the rule allows."""

    model_version: str
    level: float
    draws: int
    seed: int
    outcomes: dict[str, float]


class RoundDoc(msgspec.Struct, frozen=True, kw_only=True):
    """One round of a ranked-choice count as published with the release: its number from 1,
    its name in the county's words, the votes of each candidate still in it (choice id →
    votes), and the ballots of the first round no longer counting for anyone (exhausted or
    overvoted: ``exhausted``)."""

    round: int
    name: str
    tally: dict[str, int]
    exhausted: int


def round_docs(state: ContestState | None) -> list[RoundDoc]:
    """A ranked-choice contest's rounds so far (``ContestState.rounds``), numbered, each
    with the first round's ballots it no longer counts."""
    if state is None or not state.rounds:
        return []
    first = sum(state.rounds[0].tally.values())
    return [
        RoundDoc(
            round=n,
            name=r.name,
            tally=dict(r.tally),
            exhausted=max(0, first - sum(r.tally.values())),
        )
        for n, r in enumerate(state.rounds, start=1)
    ]


class ContestDetail(msgspec.Struct, frozen=True, kw_only=True):
    """Everything about one contest after a release (``racedesk.state/1``'s ``contest``)."""

    id: str
    title: str
    group: str
    kind: ContestKind
    rule: RuleInfo
    choices: list[ChoiceView]
    total_votes: int
    write_ins: int
    ballots: int | None
    leaders: list[str]
    margin: Margin
    outcome: str
    votes_left: VotesLeft | None
    projection: ProjectionInfo | None
    call: ContestCall | None
    sentence: str
    problems: tuple[Problem, ...]
    #: The part of the contest the source sees ("Los Angeles County"), or "" for the whole
    #: contest: a portion is shown, never called.
    portion: str = ""
    #: In an election joined from several sources: the source that counts this contest, and
    #: the contest of record when it is another (this one is then shown, never called).
    source: str = ""
    record: str = ""
    #: A ranked-choice contest's rounds as published so far (empty for any other contest):
    #: ``choices`` then hold the last round's votes.
    rounds: list[RoundDoc] = []


class StateDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.state/1``: one contest after one release."""

    schema: str = _schema("state")
    election: ElectionInfo
    release: ReleaseInfo
    contest: ContestDetail


def _choice_views(contest: Contest, snapshot: Snapshot) -> list[ChoiceView]:
    state = snapshot.state(contest.id)
    projection = snapshot.projections.get(contest.id)
    standings = {s.choice_id: s for s in state.standings} if state else {}
    projected = {p.choice_id: p for p in projection.choices} if projection else {}
    return [
        ChoiceView(
            id=choice.id,
            name=choice.name,
            party=choice.party,
            votes=state.votes.get(choice.id, 0) if state else 0,
            share=state.shares.get(choice.id, 0.0) if state else 0.0,
            standing=standings.get(choice.id),
            projection=projected.get(choice.id),
        )
        for choice in contest.choices
    ]


def contest_view(
    election: Election,
    snapshot: Snapshot,
    contest_id: str,
    recent: Sequence[ContestState] = (),
) -> StateDoc:
    """Everything about one contest after a release (``racedesk.state/1``): tallies, votes left,
    each choice's standing and projection, the call and a plain sentence.

    The sentence is the one stored with the snapshot when the desk advanced the release; for a
    snapshot without one, it is said now, ``recent`` (the contest's states up to this release)
    giving its batch share."""
    contest = election.contest(contest_id)
    state = snapshot.state(contest_id)
    projection = snapshot.projections.get(contest_id)
    call = snapshot.calls.get(contest_id)
    detail = ContestDetail(
        id=contest.id,
        title=contest.title,
        group=contest.group,
        kind=contest.kind,
        rule=rule_info(contest),
        choices=_choice_views(contest, snapshot),
        total_votes=state.total_votes if state else 0,
        write_ins=state.write_ins if state else 0,
        ballots=state.ballots if state else None,
        leaders=list(state.leaders) if state else [],
        margin=Margin(
            votes=state.margin_votes if state else 0,
            share=state.margin_share if state else 0.0,
        ),
        outcome=state.outcome if state else "",
        votes_left=state.votes_left if state else None,
        projection=(
            ProjectionInfo(
                model_version=projection.model_version,
                level=projection.level,
                draws=projection.draws,
                seed=projection.seed,
                outcomes=projection.outcomes,
            )
            if projection
            else None
        ),
        call=call,
        sentence=_sentence(contest, snapshot, recent),
        problems=contest_problems(snapshot, state, contest.id),
        portion=contest.portion,
        source=contest.source,
        record=contest.record,
        rounds=round_docs(state),
    )
    return StateDoc(
        election=election_info(election), release=release_info(snapshot), contest=detail
    )


def contest_problems(
    snapshot: Snapshot, state: ContestState | None, contest_id: str
) -> tuple[Problem, ...]:
    """A contest's problems after a release: its state's, and, when the release is not used
    (torn, or held as a likely mapping error), the release's own problems about the contest,
    so that a contest says why its numbers did not move."""
    own = state.problems if state else ()
    if snapshot.usable:
        return own
    return own + tuple(p for p in snapshot.problems if p.contest_id == contest_id)


def _sentence(contest: Contest, snapshot: Snapshot, recent: Sequence[ContestState]) -> str:
    """The contest's sentence as it was stored with the snapshot, or (for a snapshot stored
    before sentences were, or one never stored) as it is said now."""
    stored = snapshot.sentences.get(contest.id)
    if stored is not None:
        return stored
    state = snapshot.state(contest.id)
    if state is None:
        return ""
    return contest_sentence(
        contest,
        state,
        snapshot.projections.get(contest.id),
        snapshot.calls.get(contest.id),
        recent,
    )


# --- racedesk.history/1 -------------------------------------------------------------------------


class HistoryRow(msgspec.Struct, frozen=True, kw_only=True):
    """A contest after one release (an element of ``racedesk.history/1``'s ``releases``)."""

    sequence: int
    feed_time: str | None
    hash: str
    votes: dict[str, int]
    shares: dict[str, float]
    total_votes: int
    votes_left: VotesLeft
    standings: tuple[Standing, ...]
    outcome: str
    usable: bool


class ContestHeading(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    rule: RuleInfo


class HistoryDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.history/1``: one contest release by release."""

    schema: str = _schema("history")
    election: ElectionInfo
    contest: ContestHeading
    releases: list[HistoryRow]


def history_view(election: Election, contest_id: str, states: Sequence[ContestState]) -> HistoryDoc:
    """One contest release by release (``racedesk.history/1``)."""
    contest = election.contest(contest_id)
    names = {c.id: c.name for c in contest.choices}
    rows = [
        HistoryRow(
            sequence=s.release_sequence,
            feed_time=_time(s.feed_time),
            hash=s.release_hash,
            votes={names.get(k, k): v for k, v in s.votes.items()},
            shares={names.get(k, k): v for k, v in s.shares.items()},
            total_votes=s.total_votes,
            votes_left=s.votes_left,
            standings=s.standings,
            outcome=s.outcome,
            usable=s.usable,
        )
        for s in states
    ]
    return HistoryDoc(
        election=election_info(election),
        contest=ContestHeading(id=contest.id, title=contest.title, rule=rule_info(contest)),
        releases=rows,
    )


# --- racedesk.ledger/1 --------------------------------------------------------------------------


class LedgerEntry(CallEvent, frozen=True, kw_only=True):
    """A call event with its contest's title and its choices' names, as in the source."""

    contest_title: str = ""
    choice_names: tuple[str, ...] = ()


class LedgerDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.ledger/1``: the call ledger, events in order."""

    schema: str = _schema("ledger")
    election: ElectionInfo
    events: list[LedgerEntry]


def ledger_entry(election: Election, event: CallEvent) -> LedgerEntry:
    """``event`` with the names its contest and choices have in the source (the ids themselves
    when the election no longer has the contest)."""
    try:
        contest = election.contest(event.contest_id)
    except KeyError:
        title, names = "", event.choices
    else:
        by_id = {c.id: c.name for c in contest.choices}
        title, names = contest.title, tuple(by_id.get(c, c) for c in event.choices)
    return LedgerEntry(**msgspec.structs.asdict(event), contest_title=title, choice_names=names)


def ledger_view(election: Election, events: Sequence[CallEvent]) -> LedgerDoc:
    """The call ledger (``racedesk.ledger/1``), choices named as in the source."""
    return LedgerDoc(
        election=election_info(election), events=[ledger_entry(election, e) for e in events]
    )


# --- racedesk.releases/1 ------------------------------------------------------------------------


class ReleaseRow(msgspec.Struct, frozen=True, kw_only=True):
    """A stored release (an element of ``racedesk.releases/1``'s ``releases``)."""

    sequence: int | None
    feed_time: str | None
    received_at: str | None
    hash: str
    source: str
    ballots_counted: int | None
    usable: bool
    correction: bool
    problems: tuple[Problem, ...]
    #: what the desk noted of the release since (``docs/feed-quirks.md``): a held release
    #: confirmed (by whom, when), the certification, a report of ballots left in effect
    events: tuple[ReleaseEvent, ...] = ()


class ReleasesDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.releases/1``: releases with their hashes and problems."""

    schema: str = _schema("releases")
    election: ElectionInfo
    releases: list[ReleaseRow]


def release_view(
    election: Election,
    stored: Sequence[StoredRelease],
    events: Sequence[ReleaseEvent] = (),
) -> ReleasesDoc:
    """Releases with their hashes and problems (``racedesk.releases/1``), each with the release
    events (``events``, the election's) about it."""
    return ReleasesDoc(
        election=election_info(election),
        releases=[
            ReleaseRow(
                sequence=s.release.sequence,
                feed_time=_time(s.release.feed_time),
                received_at=_time(s.release.received_at),
                hash=s.release.content_hash,
                source=s.release.source,
                ballots_counted=s.release.ballots_counted,
                usable=s.usable,
                correction=s.correction,
                problems=s.problems,
                events=tuple(e for e in events if e.sequence == s.release.sequence),
            )
            for s in stored
        ],
    )


# --- the CLI's own: racedesk.replay/1, racedesk.states/1, racedesk.contests/1 of `contests` ------


class ReplayedContest(msgspec.Struct, frozen=True, kw_only=True):
    """A contest chosen in a replay, with its ``racedesk.state/1`` document after each release."""

    id: str
    title: str
    releases: list[StateDoc]


class ReplayedElection(msgspec.Struct, frozen=True, kw_only=True):
    """One election of a replay: how many releases, the contests chosen, and (when none was
    chosen) the ``racedesk.status/1`` document after the last release."""

    election: ElectionInfo
    releases: int
    contests: list[ReplayedContest]
    final: StatusDoc | None


class ReplayDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.replay/1``: ``racedesk replay --json``."""

    schema: str = _schema("replay")
    elections: list[ReplayedElection]


class StatesDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.states/1``: the contests ``racedesk status --contest`` chose, after one release."""

    schema: str = _schema("states")
    contests: list[StateDoc]


class ContestListing(msgspec.Struct, frozen=True, kw_only=True):
    """A contest as ``racedesk contests`` lists it: its election, rule and choices' names."""

    election: str
    id: str
    title: str
    group: str
    kind: ContestKind
    rule: RuleInfo
    choices: list[str]
    #: The part of the contest the source sees ("Los Angeles County"), or "" for the whole
    #: contest: a portion is shown, never called.
    portion: str = ""
    #: In an election joined from several sources: the source that counts this contest, and
    #: the contest of record when it is another (this one is then shown, never called).
    source: str = ""
    record: str = ""


class ContestListingDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk contests --json`` (named ``racedesk.contests/1`` like the API's contest
    summaries, :class:`ContestsDoc`, though its contests are listings)."""

    schema: str = _schema("contests")
    contests: list[ContestListing]


def contest_listing(election: Election, contest: Contest) -> ContestListing:
    """``contest`` of ``election`` with its rule and its choices' names."""
    return ContestListing(
        election=election.id,
        id=contest.id,
        title=contest.title,
        group=contest.group,
        kind=contest.kind,
        rule=rule_info(contest),
        choices=[c.name for c in contest.choices],
        portion=contest.portion,
        source=contest.source,
        record=contest.record,
    )


# --- petitions (issue 20) -----------------------------------------------------------------------


class PetitionSteps(msgspec.Struct, frozen=True, kw_only=True):
    """The steps of 2 CCR §§20530–20532 as the regulation rounds them (``validity`` a share to
    two decimal places of a percentage; ``signature_value`` to four decimal places)."""

    validity: float
    uncorrected: int
    signature_value: float
    duplicate_weight: float
    estimated_duplicates: int
    projected_valid: int


class PetitionDecision(msgspec.Struct, frozen=True, kw_only=True):
    """What the sample decides and what happens next (``by_when`` null where unknown)."""

    outcome: petition.SampleOutcome
    share_of_required: float
    next_step: str
    by_when: str | None
    law: str


class PetitionInterval(msgspec.Struct, frozen=True, kw_only=True):
    """The model's interval around the projected valid signatures, and the duplicates' share of
    its variance."""

    low: int
    mid: int
    high: int
    level: float
    sd: float
    duplicates_share: float


class DuplicatesChange(msgspec.Struct, frozen=True, kw_only=True):
    """The fewest duplicates in the sample that would have put the projection in ``outcome``."""

    outcome: petition.SampleOutcome
    duplicates: int


class DuplicateScenarioRow(msgspec.Struct, frozen=True, kw_only=True):
    """What a share ``rate`` of surplus duplicates among the raw signatures would have done."""

    rate: float
    duplicates: int
    projected_valid: int
    share_of_required: float
    outcome: petition.SampleOutcome
    interval: PetitionInterval
    probability_sufficient: float


class PetitionDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.petition/1``: ``racedesk recall project --json``, a petition's random sample
    projected by the law and by the model."""

    schema: str = _schema("petition")
    kind: str
    raw: int
    sample: int
    valid: int
    duplicates: int | None
    duplicates_published: bool
    required: int
    minimum_sample: int
    steps: PetitionSteps
    decision: PetitionDecision
    interval: PetitionInterval
    probability_sufficient: float
    duplicates_to_change: list[DuplicatesChange]
    scenarios: list[DuplicateScenarioRow]
    notes: list[str]
    sentence: str


def _petition_interval(interval: petition.ValidInterval) -> PetitionInterval:
    return PetitionInterval(
        low=interval.low,
        mid=interval.mid,
        high=interval.high,
        level=interval.level,
        sd=round(interval.sd, 1),
        duplicates_share=round(interval.duplicates_share, 4),
    )


def _petition_chance(probability: float, interval: petition.ValidInterval) -> str:
    """The probability for people: never "0%" or "100%" unless the sample is the petition."""
    if interval.sd > 0:
        probability = min(max(probability, 1e-9), 1 - 1e-9)
    return numbers.chance(probability)


def _duplicates_notes(
    projection: petition.SampleProjection,
    interval: petition.ValidInterval,
    changes: Sequence[DuplicatesChange],
) -> list[str]:
    """What the duplicates do to the uncertainty, in words; what is missing when they are not
    published."""
    found = projection.duplicates
    weight = f"{float(projection.duplicate_weight):,.1f}"
    tipping = "; ".join(
        f"{c.duplicates:,} would make it {'a full count' if c.outcome == 'full count' else c.outcome}"
        for c in changes
    )
    if found is None:
        notes = [
            "The registrar has not published the duplicates found in the sample: the projection "
            "counts none, and the interval is the uncertainty of the sample's validity alone.",
            f"Each duplicate found in the sample would take {weight} signatures off the projection"
            + (f" ({tipping})" if tipping else "")
            + "; the scenarios show what a share of duplicates among the raw signatures would do.",
        ]
        return notes
    if found == 0:
        return [
            "No duplicate was found in the sample: the interval is the uncertainty of the sample's "
            f"validity alone, though each duplicate found would have taken {weight} signatures off."
        ]
    share = numbers.pct(interval.duplicates_share, 0)
    which = "The one duplicate" if found == 1 else f"The {found:,} duplicates"
    weighs, make = ("weighing", "makes") if found == 1 else ("each weighing", "make")
    return [
        f"{which} found in the sample, {weighs} {weight} signatures, {make} {share} of the "
        "uncertainty (variance); the sample's validity makes the rest."
    ]


def _scenario_rows(
    raw: int, sample: int, valid: int, required: int, kind: str
) -> list[DuplicateScenarioRow]:
    """The duplicate scenarios (:func:`racedesk.rules.petition.duplicate_scenarios`) as rows."""
    return [
        DuplicateScenarioRow(
            rate=s.rate,
            duplicates=s.duplicates,
            projected_valid=s.projection.projected_valid,
            share_of_required=float(Fraction(s.projection.projected_valid, required)),
            outcome=s.outcome,
            interval=_petition_interval(s.interval),
            probability_sufficient=s.probability_sufficient,
        )
        for s in petition.duplicate_scenarios(raw, sample, valid, required, kind)
    ]


def petition_view(
    raw: int,
    sample: int,
    valid: int,
    duplicates: int | None,
    required: int,
    kind: str = "local-recall",
) -> PetitionDoc:
    """A petition's sample projected by the law (:func:`racedesk.rules.petition.project_sample`,
    its band and next step) and by the model (interval, probability of sufficiency, what
    duplicates would do)."""
    projection = petition.project_sample(raw, sample, valid, duplicates)
    decision = petition.sample_decision(projection.projected_valid, required, kind)
    interval = petition.projection_interval(projection)
    probability = petition.probability_sufficient(interval, required)
    changes = [
        DuplicatesChange(outcome=o, duplicates=d)
        for o, d in petition.duplicates_to_change(projection, required, kind)
    ]
    scenarios = [] if duplicates is not None else _scenario_rows(raw, sample, valid, required, kind)
    least = petition.minimum_sample(raw, kind)
    notes = _duplicates_notes(projection, interval, changes)
    if sample < least:
        notes.append(
            f"The sample of {sample:,} is smaller than the law's least of {least:,} "
            f"({petition.bands_of(kind).law}); it is projected as drawn."
        )
    share = numbers.pct(float(decision.share_of_required), 2)
    sentence = (
        f"Projected {projection.projected_valid:,} valid signatures, {share} of the "
        f"{required:,} required: {decision.outcome} ({decision.law}). "
        f"The model puts the valid signatures at {interval.low:,}–{interval.high:,} "
        f"({interval.level:.0%}), a {_petition_chance(probability, interval)} chance that every "
        "signature checked would be enough."
    )
    return PetitionDoc(
        kind=kind,
        raw=raw,
        sample=sample,
        valid=valid,
        duplicates=duplicates,
        duplicates_published=duplicates is not None,
        required=required,
        minimum_sample=least,
        steps=PetitionSteps(
            validity=float(projection.validity),
            uncorrected=projection.uncorrected,
            signature_value=float(projection.signature_value),
            duplicate_weight=float(projection.duplicate_weight),
            estimated_duplicates=projection.estimated_duplicates,
            projected_valid=projection.projected_valid,
        ),
        decision=PetitionDecision(
            outcome=decision.outcome,
            share_of_required=float(decision.share_of_required),
            next_step=decision.next_step,
            by_when=decision.by_when,
            law=decision.law,
        ),
        interval=_petition_interval(interval),
        probability_sufficient=probability,
        duplicates_to_change=changes,
        scenarios=scenarios,
        notes=notes,
        sentence=sentence,
    )


__all__ = [
    "ChoiceView",
    "ContestDetail",
    "ContestFilter",
    "ContestHeading",
    "ContestListing",
    "ContestListingDoc",
    "ContestSummary",
    "ContestsDoc",
    "ElectionEntry",
    "ElectionInfo",
    "ElectionsDoc",
    "HistoryDoc",
    "HistoryRow",
    "LedgerDoc",
    "LedgerEntry",
    "Margin",
    "PetitionDoc",
    "ProjectionInfo",
    "ReleaseInfo",
    "ReleaseRow",
    "ReleasesDoc",
    "ReplayDoc",
    "ReplayedContest",
    "ReplayedElection",
    "RuleInfo",
    "StateDoc",
    "StatesDoc",
    "StatusDoc",
    "contest_listing",
    "contest_summary",
    "contest_view",
    "contests_view",
    "election_entry",
    "election_info",
    "election_view",
    "elections_view",
    "history_view",
    "ledger_entry",
    "ledger_view",
    "petition_view",
    "release_info",
    "release_view",
    "rule_info",
]
