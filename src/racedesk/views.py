"""The versioned JSON shapes that the CLI's ``--json`` and the HTTP API share.

Every document carries ``"schema": "racedesk.<kind>/1"``; ``docs/json-schema.md`` describes each
field. A field is never removed or changes meaning within a version; new fields may be added.
Shares are fractions in [0, 1]; times are ISO 8601 with their zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec

from racedesk.model import RULE_NAMES, Contest, Election
from racedesk.model.answers import CallEvent, ContestState, Snapshot
from racedesk.store.base import StoredRelease

SCHEMA_VERSION = 1


def _schema(kind: str) -> str:
    return f"racedesk.{kind}/{SCHEMA_VERSION}"


def _plain(value: Any) -> Any:
    return msgspec.to_builtins(value)


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def election_info(election: Election) -> dict[str, Any]:
    return {
        "id": election.id,
        "title": election.title,
        "date": election.date.isoformat(),
        "jurisdiction": election.jurisdiction,
        "kind": election.kind,
        "registration": election.registration,
        "contests": len(election.contests),
    }


def rule_info(contest: Contest) -> dict[str, Any]:
    rule = contest.rule
    return {
        "kind": rule.kind,
        "name": RULE_NAMES[rule.kind],
        "seats": rule.seats,
        "votes_allowed": rule.votes_allowed,
        "advance": rule.advance,
        "threshold": rule.threshold,
        "alt_threshold": rule.alt_threshold,
        "condition": rule.condition,
        "text": rule.text,
    }


def release_info(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "sequence": snapshot.release_sequence,
        "feed_time": _time(snapshot.feed_time),
        "hash": snapshot.release_hash,
        "usable": snapshot.usable,
        "problems": _plain(snapshot.problems),
        "model_version": snapshot.model_version,
    }


def contest_summary(election: Election, snapshot: Snapshot, contest_id: str) -> dict[str, Any]:
    """One contest in a line: leaders, shares, votes left and call status."""
    contest = election.contest(contest_id)
    state = snapshot.state(contest_id)
    call = snapshot.calls.get(contest_id)
    names = {c.id: c.name for c in contest.choices}
    return {
        "id": contest.id,
        "title": contest.title,
        "group": contest.group,
        "kind": contest.kind,
        "rule": contest.rule.kind,
        "leaders": [names.get(c, c) for c in state.leaders] if state else [],
        "shares": {names.get(k, k): v for k, v in state.shares.items()} if state else {},
        "total_votes": state.total_votes if state else 0,
        "outcome": state.outcome if state else "",
        "status": call.status if call else "too early",
        "called_for": [names.get(c, c) for c in call.choices] if call else [],
    }


def election_view(election: Election, snapshot: Snapshot | None) -> dict[str, Any]:
    """The election and every contest's summary after the latest release (``racedesk.status/1``)."""
    doc: dict[str, Any] = {"schema": _schema("status"), "election": election_info(election)}
    if snapshot is None:
        doc.update(release=None, ballots_left=None, contests=[])
        return doc
    doc["release"] = release_info(snapshot)
    doc["ballots_left"] = _plain(snapshot.ballots_left)
    doc["contests"] = [contest_summary(election, snapshot, c.id) for c in election.contests]
    return doc


def contest_view(
    election: Election,
    snapshot: Snapshot,
    contest_id: str,
    recent: Sequence[ContestState] = (),
) -> dict[str, Any]:
    """Everything about one contest after a release (``racedesk.state/1``): tallies, votes left,
    each choice's standing and projection, the call and a plain sentence."""
    from racedesk.publish.words import contest_sentence

    contest = election.contest(contest_id)
    state = snapshot.state(contest_id)
    projection = snapshot.projections.get(contest_id)
    call = snapshot.calls.get(contest_id)
    standings = {s.choice_id: s for s in state.standings} if state else {}
    projected = {p.choice_id: p for p in projection.choices} if projection else {}
    choices = []
    for choice in contest.choices:
        standing = standings.get(choice.id)
        proj = projected.get(choice.id)
        choices.append(
            {
                "id": choice.id,
                "name": choice.name,
                "party": choice.party,
                "votes": state.votes.get(choice.id, 0) if state else 0,
                "share": state.shares.get(choice.id, 0.0) if state else 0.0,
                "standing": _plain(standing) if standing else None,
                "projection": _plain(proj) if proj else None,
            }
        )
    return {
        "schema": _schema("state"),
        "election": election_info(election),
        "release": release_info(snapshot),
        "contest": {
            "id": contest.id,
            "title": contest.title,
            "group": contest.group,
            "kind": contest.kind,
            "rule": rule_info(contest),
            "choices": choices,
            "total_votes": state.total_votes if state else 0,
            "write_ins": state.write_ins if state else 0,
            "ballots": state.ballots if state else None,
            "leaders": list(state.leaders) if state else [],
            "margin": {
                "votes": state.margin_votes if state else 0,
                "share": state.margin_share if state else 0.0,
            },
            "outcome": state.outcome if state else "",
            "votes_left": _plain(state.votes_left) if state else None,
            "projection": (
                {
                    "model_version": projection.model_version,
                    "level": projection.level,
                    "draws": projection.draws,
                    "seed": projection.seed,
                    "outcomes": projection.outcomes,
                }
                if projection
                else None
            ),
            "call": _plain(call) if call else None,
            "sentence": (
                contest_sentence(contest, state, projection, call, recent) if state else ""
            ),
            "problems": _plain(state.problems) if state else [],
        },
    }


def history_view(
    election: Election, contest_id: str, states: Sequence[ContestState]
) -> dict[str, Any]:
    """One contest release by release (``racedesk.history/1``)."""
    contest = election.contest(contest_id)
    names = {c.id: c.name for c in contest.choices}
    rows = []
    for s in states:
        rows.append(
            {
                "sequence": s.release_sequence,
                "feed_time": _time(s.feed_time),
                "hash": s.release_hash,
                "votes": {names.get(k, k): v for k, v in s.votes.items()},
                "shares": {names.get(k, k): v for k, v in s.shares.items()},
                "total_votes": s.total_votes,
                "votes_left": _plain(s.votes_left),
                "standings": _plain(s.standings),
                "outcome": s.outcome,
                "usable": s.usable,
            }
        )
    return {
        "schema": _schema("history"),
        "election": election_info(election),
        "contest": {"id": contest.id, "title": contest.title, "rule": rule_info(contest)},
        "releases": rows,
    }


def ledger_view(election: Election, events: Sequence[CallEvent]) -> dict[str, Any]:
    """The call ledger (``racedesk.ledger/1``), choices named as in the source."""
    out = []
    for e in events:
        row = _plain(e)
        try:
            contest = election.contest(e.contest_id)
            names = {c.id: c.name for c in contest.choices}
            row["contest_title"] = contest.title
            row["choice_names"] = [names.get(c, c) for c in e.choices]
        except KeyError:
            row["contest_title"] = ""
            row["choice_names"] = list(e.choices)
        out.append(row)
    return {"schema": _schema("ledger"), "election": election_info(election), "events": out}


def release_view(election: Election, stored: Sequence[StoredRelease]) -> dict[str, Any]:
    """Releases with their hashes and problems (``racedesk.releases/1``)."""
    return {
        "schema": _schema("releases"),
        "election": election_info(election),
        "releases": [
            {
                "sequence": s.release.sequence,
                "feed_time": _time(s.release.feed_time),
                "received_at": _time(s.release.received_at),
                "hash": s.release.content_hash,
                "source": s.release.source,
                "ballots_counted": s.release.ballots_counted,
                "usable": s.usable,
                "correction": s.correction,
                "problems": _plain(s.problems),
            }
            for s in stored
        ],
    }
