"""Real feeds parsed for the store tests, and snapshots built from a release without the engine.

The snapshots have the shape and size of the engine's (a state, a projection and a call per contest,
a standing per choice) with simple arithmetic numbers, so that the store can be tested and
measured on real releases while the engine is written elsewhere. No test checks these numbers
as answers: only that the store gives back exactly what it was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from racedesk.model import Election, Release
from racedesk.model.answers import (
    BallotsLeft,
    CallEvent,
    ChoiceProjection,
    ContestCall,
    ContestState,
    Interval,
    Problem,
    Projection,
    Snapshot,
    Standing,
    VotesLeft,
)
from racedesk.sources.lavote import load_folder, read_release


@dataclass(frozen=True)
class Feed:
    """A real election's feed, parsed: releases carry their sequence (0, 1, …), and each has
    a snapshot (see :func:`snapshot`)."""

    election: Election
    payloads: list[tuple[str, bytes]]
    releases: list[Release]
    snapshots: list[Snapshot]


def parse_feed(folder: Path) -> Feed:
    election, files = load_folder(folder)
    releases = [
        msgspec.structs.replace(read_release(data, election, where=str(path)), sequence=i)
        for i, (path, data) in enumerate(files)
    ]
    return Feed(
        election=election,
        payloads=[(str(p), d) for p, d in files],
        releases=releases,
        snapshots=[snapshot(election, r) for r in releases],
    )


def contest_states(election: Election, release: Release, usable: bool = True) -> list[ContestState]:
    states = []
    counts = release.counts_by_contest()
    for contest in election.contests:
        count = counts[contest.id]
        total = count.total_votes
        shares = {k: (v / total if total else 0.0) for k, v in count.votes.items()}
        ranked = sorted(count.votes, key=lambda k: -count.votes[k])
        leaders = tuple(ranked[: contest.rule.seats])
        margin = count.votes[ranked[0]] - count.votes[ranked[1]] if len(ranked) > 1 else 0
        states.append(
            ContestState(
                contest_id=contest.id,
                title=contest.title,
                rule=contest.rule.kind,
                release_sequence=release.sequence or 0,
                feed_time=release.feed_time,
                release_hash=release.content_hash,
                votes=dict(count.votes),
                shares=shares,
                total_votes=total,
                write_ins=count.write_ins,
                ballots=count.ballots,
                leaders=leaders,
                margin_votes=margin,
                margin_share=margin / total if total else 0.0,
                votes_left=VotesLeft(
                    ballots=Interval(low=1000.0, high=3000.0, mid=2000.0),
                    votes=Interval(low=800.0, high=2500.0, mid=1600.0),
                    source="model",
                    note="a test figure",
                ),
                standings=tuple(
                    Standing(
                        choice_id=c.id,
                        name=c.name,
                        votes=count.votes[c.id],
                        share=shares[c.id],
                        status="contending",
                        goal="to win",
                        needs=Interval(low=0.4, high=0.6, mid=0.5),
                        denominator="all votes",
                    )
                    for c in contest.choices
                ),
                outcome="too early",
                usable=usable,
            )
        )
    return states


def snapshot(
    election: Election,
    release: Release,
    *,
    usable: bool = True,
    problems: tuple[Problem, ...] = (),
    events: Sequence[CallEvent] = (),
) -> Snapshot:
    """A snapshot after ``release`` (its ``sequence`` set) with a state per contest."""
    states = contest_states(election, release, usable)
    return Snapshot(
        election_id=election.id,
        release_sequence=release.sequence or 0,
        feed_time=release.feed_time,
        release_hash=release.content_hash,
        usable=usable,
        problems=problems,
        ballots_left=BallotsLeft(
            ballots=Interval(low=100_000.0, high=300_000.0, mid=200_000.0),
            source="registration bound",
            as_of=release.feed_time,
            note="a test figure",
        ),
        states=tuple(states),
        projections={
            s.contest_id: Projection(
                contest_id=s.contest_id,
                model_version="test-0",
                seed=0,
                draws=1000,
                level=0.9,
                choices=tuple(
                    ChoiceProjection(
                        choice_id=k,
                        share_mid=v,
                        share_low=max(0.0, v - 0.02),
                        share_high=min(1.0, v + 0.02),
                        probability=1.0 if k in s.leaders else 0.0,
                    )
                    for k, v in s.shares.items()
                ),
                outcomes={"leader wins": 0.5},
            )
            for s in states
        },
        calls={
            s.contest_id: ContestCall(
                contest_id=s.contest_id, status="too early", choices=(), sentence="Too early."
            )
            for s in states
        },
        new_events=tuple(events),
        model_version="test-0",
    )


def call_event(release: Release, event_id: int, contest_id: str, choice: str) -> CallEvent:
    return CallEvent(
        event_id=event_id,
        contest_id=contest_id,
        status="called",
        choices=(choice,),
        release_hash=release.content_hash,
        release_sequence=release.sequence or 0,
        release_time=release.feed_time,
        votes_left=Interval(low=0.0, high=10.0, mid=5.0),
        hurdle=None,
        probability=0.999,
        model_version="test-0",
        reason="a test call",
    )
