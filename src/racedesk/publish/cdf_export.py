"""Export an election as of one release to NIST SP 1500-100 v2 (CDF), JSON and XML.

One release becomes one ``ElectionReport`` (``Format`` summary-contest) holding one
``Election``; the whole mapping, and racedesk's documented extension for what the standard
cannot say, is in ``docs/cdf.md``. In short:

- the release → ``Status`` (``pre-election`` before any vote is counted, ``unofficial-partial``
  while ballots are left or unknown, ``unofficial-complete`` when none are left, ``certified``,
  ``correction``, ``recount`` as the release says), ``SequenceStart`` = ``SequenceEnd`` = the
  release's place in the election's history counted from 1 ("release k of the k so far"),
  ``GeneratedDate`` = the feed time unless given;
- county-wide ballots → ``BallotCounts`` of the jurisdiction (``total``: ``BallotsCast``, and
  ``BallotsOutstanding`` from the snapshot's ballots left, rounded; ``absentee-mail``; ``other``
  ``in-person``);
- each contest → ``CandidateContest`` (``VoteVariation``, ``VotesAllowed``, ``NumberElected``,
  ``NumberRunoff``) or ``BallotMeasureContest`` (``Type`` ballot-measure or recall,
  ``PassageThreshold`` in the feed's words), choices → ``Candidate`` + ``CandidateSelection`` or
  ``BallotMeasureSelection`` with a ``total`` ``VoteCounts``; write-ins → a write-in
  ``CandidateSelection`` and ``OtherCounts`` ``WriteIns``; undervotes and overvotes →
  ``OtherCounts``; calls → ``Candidate`` ``PostElectionStatus``;
- everything else (the rule's exact kind and thresholds, the conditional threshold text, the
  ballot counters, the release hash, votes left, hurdles, projections, call statuses and
  sentences) → ``ExternalIdentifier`` entries of type ``other`` named ``racedesk-…``.

The output is a function of its inputs (no clock is read), so that the same release exports to
the same bytes. :mod:`racedesk.sources.cdf` reads it back; :mod:`racedesk.publish.cdf_validate`
checks it against the standard's schemas.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
from lxml import etree

import racedesk
from racedesk.model import Contest, ContestCount, Election, Release, ReleaseEvent
from racedesk.model.answers import Interval, Snapshot
from racedesk.model.release import says_certified
from racedesk.rules import logic_for
from racedesk.sources.cdf import (
    COUNT_TYPES,
    EXTENSION_VERSION,
    IDREFS_FIELDS,
    IN_PERSON,
    NAMESPACE,
    TYPE_PREFIX,
    XSI,
    Ext,
    object_id,
)

Node = dict[str, Any]

#: The ``ObjectId`` of the jurisdiction's ``ReportingUnit``.
SCOPE_ID = "ru.jurisdiction"

_STATUSES = {"correction": "correction", "recount": "recount", "pre-election": "pre-election"}


# --- small builders ------------------------------------------------------------------------------


def _typed(cls: str, **fields: Any) -> Node:
    node: Node = {"@type": TYPE_PREFIX + cls}
    node.update((k, v) for k, v in fields.items() if v is not None and v != [])
    return node


def _itext(text: str) -> Node:
    return _typed(
        "InternationalizedText", Text=[_typed("LanguageString", Content=text, Language="en")]
    )


def _ident(other_type: str, value: str, label: str | None = None) -> Node:
    return _typed(
        "ExternalIdentifier", Type="other", OtherType=other_type, Value=value, Label=label
    )


def _num(value: float) -> str:
    return repr(float(value))


def _interval(key: str, interval: Interval | None) -> list[Node]:
    if interval is None:
        return []
    return [
        _ident(f"{key}-low", _num(interval.low)),
        _ident(f"{key}-mid", _num(interval.mid)),
        _ident(f"{key}-high", _num(interval.high)),
    ]


def _time(moment: datetime) -> str:
    """``DateTimeWithZone``: seconds, no fraction, a numeric offset."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone; CDF times must carry one")
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


VoteTypes = dict[str, tuple[str, str | None]]


def vote_types(release: Release) -> VoteTypes:
    """Each vote-type name of the release as a ``CountItemType`` and, for ``other``, an
    ``OtherType``: standard types where the name is a known one ("Election Day" →
    ``election-day``), one name per standard type, every other name as ``other``."""
    names = sorted({name for c in release.contests for name in c.votes_by_type})
    out: VoteTypes = {}
    taken: set[str] = set()
    for name in names:
        standard = COUNT_TYPES.get(name.strip().lower())
        if standard and standard not in taken:
            taken.add(standard)
            out[name] = (standard, None)
        else:
            out[name] = ("other", name)
    return out


# --- the report ----------------------------------------------------------------------------------


def certification_of(events: Sequence[ReleaseEvent]) -> ReleaseEvent | None:
    """The registrar's certification among an election's release events (None before it)."""
    return next((e for e in reversed(events) if e.kind == "certified"), None)


def results_status(release: Release, snapshot: Snapshot | None) -> str:
    """The report's ``Status`` (``ResultsStatus``) for a release.

    ``certified``/``correction``/``recount`` follow the release's own status; a release with no
    vote and no ballot counted is ``pre-election``; otherwise the count is ``unofficial-complete``
    when the snapshot says no ballot is left (high bound 0), else ``unofficial-partial``.
    """
    status = release.status.strip().lower()
    if says_certified(status):
        return "certified"
    if status in _STATUSES:
        return _STATUSES[status]
    if not release.ballots_counted and all(c.total_votes == 0 for c in release.contests):
        return "pre-election"
    left = snapshot.ballots_left.ballots if snapshot is not None else None
    if left is not None and left.high <= 0:
        return "unofficial-complete"
    return "unofficial-partial"


def report(
    election: Election,
    release: Release,
    snapshot: Snapshot | None = None,
    *,
    generated: datetime | None = None,
    issuer: str = "racedesk",
    issuer_abbreviation: str = "racedesk",
    certification: ReleaseEvent | None = None,
) -> Node:
    """The ``ElectionReport`` for ``election`` as of ``release`` (the JSON form of the standard).

    ``snapshot`` (the desk's state after that release) adds calls, votes left, hurdles and
    projections; without it the report holds the count alone. ``generated`` is the report's
    ``GeneratedDate`` (default: the release's feed time, so that exports are reproducible).
    ``certification`` (the registrar's, a ``certified`` release event known by then) makes the
    report ``certified``, issued under the name it gives.
    """
    _check_pairing(election, release, snapshot)
    if certification is not None:
        release = msgspec.structs.replace(release, status="certified")
        issuer = certification.issuer or issuer
        issuer_abbreviation = certification.issuer or issuer_abbreviation
    status = results_status(release, snapshot)
    sequence = release.sequence
    if sequence is None and snapshot is not None:
        sequence = snapshot.release_sequence
    parties = _Parties()
    types = vote_types(release)
    counts = release.counts_by_contest()
    contests: list[Node] = []
    candidates: list[Node] = []
    for order, contest in enumerate(election.contests, start=1):
        node, people = _contest(
            contest, counts.get(contest.id), snapshot, parties, order, status, types
        )
        contests.append(node)
        candidates.extend(people)
    election_node = _election_node(
        election, _ballot_counts(release, snapshot), candidates, contests
    )
    return _typed(
        "ElectionReport",
        Election=[election_node],
        ExternalIdentifier=_report_extension(release, snapshot, sequence, types),
        Format="summary-contest",
        GeneratedDate=_time(generated or release.feed_time),
        GpUnit=[_scope(election), *(_district(c) for c in election.contests if c.portion)],
        Issuer=issuer,
        IssuerAbbreviation=issuer_abbreviation,
        Notes=(
            f"Results of {election.title} as of the release of {_time(release.feed_time)} "
            f"(source {release.source}); ExternalIdentifier entries of type other named "
            "racedesk-… are racedesk's documented extension (docs/cdf.md)."
        ),
        Party=parties.nodes(),
        SequenceStart=(sequence or 0) + 1,
        SequenceEnd=(sequence or 0) + 1,
        Status=status,
        VendorApplicationId=f"racedesk {racedesk.__version__}",
    )


def _check_pairing(election: Election, release: Release, snapshot: Snapshot | None) -> None:
    """That the release is the election's and the snapshot the one after that release."""
    if release.election_id != election.id:
        raise ValueError(f"release of {release.election_id} given for election {election.id}")
    if snapshot is not None and (
        snapshot.election_id != election.id or snapshot.release_hash != release.content_hash
    ):
        raise ValueError(
            "the snapshot is not the one after this release "
            f"(snapshot {snapshot.election_id} {snapshot.release_hash[:12]}, "
            f"release {release.election_id} {release.content_hash[:12]})"
        )


def _election_node(
    election: Election, ballot_counts: list[Node], candidates: list[Node], contests: list[Node]
) -> Node:
    return _typed(
        "Election",
        BallotCounts=ballot_counts,
        Candidate=candidates,
        Contest=contests,
        ElectionScopeId=SCOPE_ID,
        ExternalIdentifier=[
            _ident(Ext.ELECTION_ID, election.id),
            _ident(Ext.ELECTION_SOURCE, election.source),
            _ident(Ext.TIMEZONE, election.timezone),
        ],
        Name=_itext(election.title),
        StartDate=election.date.isoformat(),
        EndDate=election.date.isoformat(),
        Type=election.kind,
    )


def _scope(election: Election) -> Node:
    """The reporting unit of the whole report: the county, or the jurisdiction named."""
    jurisdiction = election.jurisdiction
    county = "county" in jurisdiction.lower()
    return _typed(
        "ReportingUnit",
        **{"@id": SCOPE_ID},
        Name=_itext(jurisdiction),
        Type="county" if county else "other",
        OtherType=None if county else "jurisdiction",
        VotersRegistered=election.registration,
    )


def district_id(contest: Contest) -> str:
    """The GpUnit of a contest's electoral district: the report's own scope, except for a
    contest whose counts cover only the scope's part of it (``contest.portion``), whose district
    is a unit of its own (:func:`_district`)."""
    return object_id("gpu", contest.id) if contest.portion else SCOPE_ID


def _district(contest: Contest) -> Node:
    """The district of a contest the report sees only part of: larger than the report's scope,
    which its counts (``GpUnitId`` the scope) cover."""
    return _typed(
        "ReportingUnit",
        **{"@id": district_id(contest)},
        Name=_itext(f"{contest.title} (the whole contest; counts here are {contest.portion}'s)"),
        Type="other",
        OtherType="contest-district",
    )


def _report_extension(
    release: Release, snapshot: Snapshot | None, sequence: int | None, types: VoteTypes
) -> list[Node]:
    out = [
        _ident(Ext.VERSION, EXTENSION_VERSION),
        _ident(Ext.RELEASE_HASH, release.content_hash),
        _ident(Ext.RELEASE_STATUS, release.status),
        _ident(Ext.RELEASE_SOURCE, release.source),
        _ident(Ext.FEED_TIME, release.feed_time.isoformat()),
    ]
    for name, (kind, other) in types.items():
        if (other or kind) != name:
            out.append(_ident(Ext.VOTE_TYPE, name, other or kind))
    if sequence is not None:
        out.append(_ident(Ext.RELEASE_SEQUENCE, str(sequence)))
    if snapshot is None:
        return out
    out.append(_ident(Ext.USABLE, "true" if snapshot.usable else "false"))
    out.extend(_ident(Ext.PROBLEM, p.message, p.code) for p in snapshot.problems)
    if snapshot.model_version:
        out.append(_ident(Ext.MODEL_VERSION, snapshot.model_version))
    left = snapshot.ballots_left
    out.extend(_interval(Ext.BALLOTS_LEFT, left.ballots))
    out.append(_ident(Ext.BALLOTS_LEFT_SOURCE, left.source))
    if left.as_of is not None:
        out.append(_ident(Ext.BALLOTS_LEFT_AS_OF, left.as_of.isoformat()))
    if left.note:
        out.append(_ident(Ext.BALLOTS_LEFT_NOTE, left.note))
    return out


def _ballot_counts(release: Release, snapshot: Snapshot | None) -> list[Node]:
    left = snapshot.ballots_left.ballots if snapshot is not None else None
    outstanding = max(0, round(left.mid)) if left is not None else None
    out = []
    if release.ballots_counted is not None or outstanding is not None:
        out.append(
            _typed(
                "BallotCounts",
                GpUnitId=SCOPE_ID,
                Type="total",
                BallotsCast=release.ballots_counted,
                BallotsOutstanding=outstanding,
            )
        )
    if release.ballots_mail is not None:
        out.append(
            _typed(
                "BallotCounts",
                GpUnitId=SCOPE_ID,
                Type="absentee-mail",
                BallotsCast=release.ballots_mail,
            )
        )
    if release.ballots_in_person is not None:
        out.append(
            _typed(
                "BallotCounts",
                GpUnitId=SCOPE_ID,
                Type="other",
                OtherType=IN_PERSON,
                BallotsCast=release.ballots_in_person,
            )
        )
    return out


class _Parties:
    """The report's ``Party`` objects, one per distinct party name, in first-seen order."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def id(self, name: str) -> str | None:
        if not name:
            return None
        if name not in self.ids:
            self.ids[name] = object_id("party", str(len(self.ids) + 1))
        return self.ids[name]

    def nodes(self) -> list[Node]:
        return [
            _typed("Party", **{"@id": pid}, Name=_itext(name)) for name, pid in self.ids.items()
        ]


# --- contests ------------------------------------------------------------------------------------


def _rule_extension(contest: Contest) -> list[Node]:
    rule = contest.rule
    out = [_ident(Ext.RULE, rule.kind)]
    if contest.kind != "candidate":
        # The standard's VotesAllowed/NumberElected/NumberRunoff belong to candidate contests.
        defaults = {
            Ext.SEATS: (rule.seats, 1),
            Ext.VOTES_ALLOWED: (rule.votes_allowed, 1),
            Ext.ADVANCE: (rule.advance, 0),
        }
        out.extend(_ident(k, str(v)) for k, (v, d) in defaults.items() if v != d)
    if rule.threshold is not None:
        out.append(_ident(Ext.THRESHOLD, rule.threshold))
    if rule.alt_threshold is not None:
        out.append(_ident(Ext.ALT_THRESHOLD, rule.alt_threshold))
    if rule.condition:
        out.append(_ident(Ext.CONDITION, rule.condition))
    if rule.text and contest.kind == "candidate":
        out.append(_ident(Ext.RULE_TEXT, rule.text))
    if contest.group:
        out.append(_ident(Ext.GROUP, contest.group))
    if contest.portion:
        out.append(_ident(Ext.PORTION, contest.portion))
    return out


def _variation(contest: Contest) -> tuple[str, str | None]:
    return logic_for(contest.rule).vote_variation()


def _count_extension(count: ContestCount | None) -> list[Node]:
    if count is None:
        return []
    out = []
    for key, value in (
        (Ext.BALLOTS, count.ballots),
        (Ext.FULL, count.full),
        (Ext.PARTIAL, count.partial),
    ):
        if value is not None:
            out.append(_ident(key, str(value)))
    if count.unused:
        out.append(_ident(Ext.UNUSED, " ".join(str(v) for v in count.unused)))
    return out


def _state_extension(contest: Contest, snapshot: Snapshot | None) -> list[Node]:
    if snapshot is None:
        return []
    out: list[Node] = []
    state = snapshot.state(contest.id)
    if state is not None:
        out.extend(_interval(Ext.VOTES_LEFT, state.votes_left.votes))
        out.append(_ident(Ext.VOTES_LEFT_SOURCE, state.votes_left.source))
        if state.outcome:
            out.append(_ident(Ext.OUTCOME, state.outcome))
    call = snapshot.calls.get(contest.id)
    if call is not None:
        out.append(_ident(Ext.CALL_STATUS, call.status))
        out.extend(_ident(Ext.CALL_CHOICE, c) for c in call.choices)
        if call.sentence:
            out.append(_ident(Ext.CALL_SENTENCE, call.sentence))
        if call.event_id is not None:
            out.append(_ident(Ext.CALL_EVENT, str(call.event_id)))
    projection = snapshot.projections.get(contest.id)
    if projection is not None:
        out.append(_ident(Ext.PROJECTION_MODEL, projection.model_version))
        out.append(_ident(Ext.PROJECTION_LEVEL, _num(projection.level)))
        out.append(_ident(Ext.PROJECTION_DRAWS, str(projection.draws)))
        out.append(_ident(Ext.PROJECTION_SEED, str(projection.seed)))
        out.extend(
            _ident(Ext.OUTCOME_PROBABILITY, _num(p), label)
            for label, p in projection.outcomes.items()
        )
    return out


def _choice_extension(contest: Contest, choice_id: str, snapshot: Snapshot | None) -> list[Node]:
    out = [_ident(Ext.ID, choice_id)]
    if snapshot is None:
        return out
    state = snapshot.state(contest.id)
    standing = (
        next((s for s in state.standings if s.choice_id == choice_id), None) if state else None
    )
    if standing is not None:
        out.append(_ident(Ext.STANDING, standing.status))
        if standing.goal:
            out.append(_ident(Ext.GOAL, standing.goal))
        out.extend(_interval(Ext.NEEDS, standing.needs))
        if standing.denominator:
            out.append(_ident(Ext.NEEDS_DENOMINATOR, standing.denominator))
        if standing.rival:
            out.append(_ident(Ext.RIVAL, standing.rival))
    projection = snapshot.projections.get(contest.id)
    if projection is not None:
        cp = next((c for c in projection.choices if c.choice_id == choice_id), None)
        if cp is not None:
            out.extend(
                _interval(
                    Ext.FINAL_SHARE,
                    Interval(low=cp.share_low, mid=cp.share_mid, high=cp.share_high),
                )
            )
            out.append(_ident(Ext.PROBABILITY, _num(cp.probability)))
            if cp.probability_alt is not None:
                out.append(_ident(Ext.PROBABILITY_ALT, _num(cp.probability_alt)))
    return out


def post_election_status(
    contest: Contest, snapshot: Snapshot | None, status: str
) -> dict[str, str]:
    """Each candidate's ``PostElectionStatus`` from the contest's call after the release.

    ``called`` and ``winner not leading`` make the called choices ``projected-winner``
    (``winner`` once the results are certified) and, when every seat is called, the others
    ``defeated``; ``runoff`` and ``advanced`` make the named choices ``advanced-to-runoff`` and
    the others ``defeated``. Other statuses (too early, too close, leading, rescinded, and the
    measures' passed/failed) set none: they travel in ``racedesk-call-status``.
    """
    call = snapshot.calls.get(contest.id) if snapshot is not None else None
    if call is None or not call.choices:
        return {}
    chosen = set(call.choices)
    if call.status in ("called", "winner not leading"):
        mark = "winner" if status == "certified" else "projected-winner"
        complete = len(chosen) >= contest.rule.seats
    elif call.status in ("runoff", "advanced"):
        mark, complete = "advanced-to-runoff", True
    else:
        return {}
    out = {c: mark for c in call.choices}
    if complete:
        out.update({c.id: "defeated" for c in contest.choices if c.id not in chosen})
    return out


def _vote_counts(choice_id: str, count: ContestCount | None, types: VoteTypes) -> list[Node]:
    """A choice's ``VoteCounts``: its ``total`` and one a vote type; in a ranked-choice contest
    one ``total`` a published round instead, ``Round`` the round's place from 1 (the first
    choices are round 1), none once the choice is out."""
    if count is None:
        return []
    if count.rounds:
        return [
            _typed(
                "VoteCounts",
                GpUnitId=SCOPE_ID,
                Type="total",
                Round=number,
                Count=published.tally[choice_id],
            )
            for number, published in enumerate(count.rounds, start=1)
            if choice_id in published.tally
        ]
    out = [
        _typed("VoteCounts", GpUnitId=SCOPE_ID, Type="total", Count=count.votes.get(choice_id, 0))
    ]
    for name, per_choice in sorted(count.votes_by_type.items()):
        if choice_id in per_choice:
            kind, other = types[name]
            out.append(
                _typed(
                    "VoteCounts",
                    GpUnitId=SCOPE_ID,
                    Type=kind,
                    OtherType=other,
                    Count=per_choice[choice_id],
                )
            )
    return out


def _contest(
    contest: Contest,
    count: ContestCount | None,
    snapshot: Snapshot | None,
    parties: _Parties,
    order: int,
    status: str,
    types: VoteTypes,
) -> tuple[Node, list[Node]]:
    """A contest's ``CandidateContest`` or ``BallotMeasureContest``, and its candidates."""
    selections, people = _selections(contest, count, snapshot, parties, status, types)
    variation, other_variation = _variation(contest)
    fields: Node = {
        "@id": object_id("con", contest.id),
        "ContestSelection": selections,
        "ElectionDistrictId": district_id(contest),
        "ExternalIdentifier": [
            _ident(Ext.ID, contest.id),
            *_rule_extension(contest),
            *_count_extension(count),
            *_state_extension(contest, snapshot),
        ],
        "Name": contest.title,
        "OtherCounts": _other_counts(count),
        "SequenceOrder": order,
        "SubUnitsReported": count.precincts_reporting if count is not None else None,
        "TotalSubUnits": count.precincts_total if count is not None else None,
        "VoteVariation": variation,
        "OtherVoteVariation": other_variation,
    }
    rule = contest.rule
    if contest.kind == "candidate":
        node = _typed(
            "CandidateContest",
            **fields,
            NumberElected=rule.seats,
            NumberRunoff=rule.advance or None,
            PrimaryPartyIds=[pid] if (pid := parties.id(contest.party)) else None,
            VotesAllowed=rule.votes_allowed,
        )
    elif contest.kind == "retention":
        judge = object_id("can", contest.id) + "._retained"
        people.append(_typed("Candidate", **{"@id": judge}, BallotName=_itext(retained(contest))))
        node = _typed(
            "RetentionContest",
            **fields,
            FullText=_itext(contest.question) if contest.question else None,
            PassageThreshold=_itext(rule.text) if rule.text else None,
            Type="ballot-measure",
            CandidateId=judge,
        )
    else:
        node = _typed(
            "BallotMeasureContest",
            **fields,
            FullText=_itext(contest.question) if contest.question else None,
            PassageThreshold=_itext(rule.text) if rule.text else None,
            Type="recall" if contest.kind == "recall" else "ballot-measure",
        )
    return node, people


def retained(contest: Contest) -> str:
    """Who a retention contest is about: the name after the title's last dash ("For Associate
    Justice of the Supreme Court - GOODWIN LIU" → "GOODWIN LIU"), else the title."""
    head, dash, name = contest.title.rpartition(" - ")
    return name.strip() if dash and head and name.strip() else contest.title


def _other_counts(count: ContestCount | None) -> list[Node]:
    if count is None:
        return []
    return [
        _typed(
            "OtherCounts",
            GpUnitId=SCOPE_ID,
            Overvotes=count.overvotes,
            Undervotes=count.undervotes,
            WriteIns=count.write_ins,
        )
    ]


def _selections(
    contest: Contest,
    count: ContestCount | None,
    snapshot: Snapshot | None,
    parties: _Parties,
    status: str,
    types: VoteTypes,
) -> tuple[list[Node], list[Node]]:
    """A contest's selections (a candidate contest's write-ins last) and its candidates."""
    marks = post_election_status(contest, snapshot, status)
    selections: list[Node] = []
    people: list[Node] = []
    for position, choice in enumerate(contest.choices, start=1):
        extension = _choice_extension(contest, choice.id, snapshot)
        sel_id = object_id("sel", contest.id, choice.id)
        counts = _vote_counts(choice.id, count, types)
        if contest.kind != "candidate":
            if choice.party:
                extension.insert(1, _ident(Ext.PARTY, choice.party))
            selections.append(
                _typed(
                    "BallotMeasureSelection", **{"@id": sel_id}, SequenceOrder=position,
                    VoteCounts=counts, ExternalIdentifier=extension,
                    Selection=_itext(choice.name),
                )
            )  # fmt: skip
            continue
        person_id = object_id("can", contest.id, choice.id)
        people.append(
            _typed(
                "Candidate", **{"@id": person_id}, BallotName=_itext(choice.name),
                ExternalIdentifier=extension, PartyId=parties.id(choice.party),
                PostElectionStatus=marks.get(choice.id),
            )
        )  # fmt: skip
        selections.append(
            _typed(
                "CandidateSelection", **{"@id": sel_id}, SequenceOrder=position,
                VoteCounts=counts, CandidateIds=[person_id],
            )
        )  # fmt: skip
    if contest.kind == "candidate":
        write_ins = (
            [_typed("VoteCounts", GpUnitId=SCOPE_ID, Type="total", Count=count.write_ins)]
            if count is not None
            else []
        )
        selections.append(
            _typed(
                "CandidateSelection",
                **{"@id": object_id("sel", contest.id) + "._write-ins"},
                SequenceOrder=len(contest.choices) + 1,
                VoteCounts=write_ins,
                IsWriteIn=True,
            )
        )
    return selections, people


# --- bytes -----------------------------------------------------------------------------------------


def to_json(
    election: Election,
    release: Release,
    snapshot: Snapshot | None = None,
    *,
    generated: datetime | None = None,
    issuer: str = "racedesk",
    certification: ReleaseEvent | None = None,
) -> bytes:
    """The report as NIST CDF JSON (UTF-8, indented)."""
    node = report(
        election, release, snapshot, generated=generated, issuer=issuer, certification=certification
    )
    return msgspec.json.format(msgspec.json.encode(node), indent=1) + b"\n"


def to_xml(
    election: Election,
    release: Release,
    snapshot: Snapshot | None = None,
    *,
    generated: datetime | None = None,
    issuer: str = "racedesk",
    certification: ReleaseEvent | None = None,
) -> bytes:
    """The report as NIST CDF XML (UTF-8, in the v2 namespace, indented)."""
    node = report(
        election, release, snapshot, generated=generated, issuer=issuer, certification=certification
    )
    return tree_to_xml(node)


# --- the JSON form → XML -------------------------------------------------------------------------

#: Child elements of each class, in the order the XSD's sequences require (base class first).
_CONTEST = (
    "Abbreviation BallotSubTitle BallotTitle ContestSelection CountStatus ElectionDistrictId "
    "ExternalIdentifier HasRotation Name OtherCounts SequenceOrder SubUnitsReported TotalSubUnits "
    "VoteVariation OtherVoteVariation"
)
_COUNTS = "DeviceClass GpUnitId IsSuppressedForPrivacy Round Type OtherType"
_GPUNIT = "ComposingGpUnitIds ExternalIdentifier Name"
XML_ORDER: dict[str, tuple[str, ...]] = {
    cls: tuple(fields.split())
    for cls, fields in {
        "ElectionReport": "Election ExternalIdentifier Format GeneratedDate GpUnit Header Issuer "
        "IssuerAbbreviation IsTest Notes Office OfficeGroup Party Person SequenceStart SequenceEnd "
        "Status TestType VendorApplicationId",
        "Election": "BallotCounts BallotStyle Candidate ContactInformation Contest CountStatus "
        "ElectionScopeId ExternalIdentifier Name StartDate EndDate Type OtherType",
        "CandidateContest": _CONTEST
        + " NumberElected NumberRunoff OfficeIds PrimaryPartyIds VotesAllowed",
        "BallotMeasureContest": _CONTEST + " ConStatement EffectOfAbstain FullText InfoUri "
        "PassageThreshold ProStatement SummaryText Type OtherType",
        "RetentionContest": _CONTEST + " ConStatement EffectOfAbstain FullText InfoUri "
        "PassageThreshold ProStatement SummaryText Type OtherType CandidateId OfficeId",
        "CandidateSelection": "SequenceOrder VoteCounts CandidateIds EndorsementPartyIds IsWriteIn",
        "BallotMeasureSelection": "SequenceOrder VoteCounts ExternalIdentifier Selection",
        "Candidate": "BallotName CampaignSlogan ContactInformation ExternalIdentifier FileDate "
        "IsIncumbent IsTopTicket PartyId PersonId PostElectionStatus PreElectionStatus",
        "VoteCounts": _COUNTS + " Count",
        "BallotCounts": _COUNTS + " BallotsCast BallotsOutstanding BallotsRejected",
        "OtherCounts": "DeviceClass GpUnitId Overvotes Undervotes WriteIns",
        "ReportingUnit": _GPUNIT + " AuthorityIds ContactInformation CountStatus "
        "ElectionAdministration IsDistricted IsMailOnly Number PartyRegistration SpatialDimension "
        "SubUnitsReported TotalSubUnits Type OtherType VotersParticipated VotersRegistered",
        "Party": "Abbreviation Color ContactInformation ExternalIdentifier IsRecognizedParty "
        "LeaderPersonIds LogoUri Name PartyScopeGpUnitIds Slogan",
        "ExternalIdentifier": "Type OtherType Value",
        "InternationalizedText": "Text",
        "CountStatus": "Status Type OtherType",
    }.items()
}
#: Properties written as XML attributes (``@id`` is the ``ObjectId``).
_ATTRIBUTES = {
    "@id": "ObjectId",
    "Label": "Label",
    "Language": "Language",
    "Annotation": "Annotation",
}
#: Classes whose text is their content (``Content`` in JSON).
_SIMPLE = {"LanguageString", "AnnotatedString", "AnnotatedUri"}
#: Elements declared with an abstract type: they name their class with ``xsi:type``.
_ABSTRACT = {"Contest", "ContestSelection", "GpUnit"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: etree._Element, name: str, value: Any) -> None:
    if name in IDREFS_FIELDS:
        etree.SubElement(parent, f"{{{NAMESPACE}}}{name}").text = " ".join(value)
        return
    if isinstance(value, list):
        for item in value:
            _append(parent, name, item)
        return
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if isinstance(value, dict):
        _fill(element, name, value)
    else:
        element.text = _scalar(value)


def _fill(element: etree._Element, name: str, node: Node) -> None:
    cls = str(node["@type"]).removeprefix(TYPE_PREFIX)
    if name in _ABSTRACT:
        element.set(f"{{{XSI}}}type", cls)
    for key, attribute in _ATTRIBUTES.items():
        if key in node:
            element.set(attribute, _scalar(node[key]))
    if cls in _SIMPLE:
        element.text = node["Content"]
        return
    order = XML_ORDER[cls]
    unknown = set(node) - set(order) - set(_ATTRIBUTES) - {"@type"}
    if unknown:
        raise ValueError(f"{cls} has no XML place for {sorted(unknown)}")
    for field in order:
        if field in node:
            _append(element, field, node[field])


def tree_to_xml(node: Node) -> bytes:
    """Write a CDF tree (the JSON form, as :func:`report` returns) as XML in the v2 namespace."""
    root = etree.Element(f"{{{NAMESPACE}}}ElectionReport", nsmap={None: NAMESPACE, "xsi": XSI})
    _fill(root, "ElectionReport", node)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


__all__ = [
    "SCOPE_ID",
    "XML_ORDER",
    "post_election_status",
    "report",
    "results_status",
    "to_json",
    "to_xml",
    "tree_to_xml",
    "vote_types",
]
