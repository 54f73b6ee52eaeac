"""The desk's step: from the releases so far to every contest's state, projection and call.

``advance`` is the one function the store, the CLI, the web app and the backtest call after each
release. It is pure: a function of (election, releases so far, outstanding reports, the ledger
so far, parameters, seed), so that replaying the same releases gives the same answers.

Steps, each in its own module:

1. ``checks``: the release's identities; a release with a blocking problem is kept but not used
   (every contest keeps the state of the last usable release).
2. ``votes_left``: the county's ballots left (registrar's estimate, else the model, else the
   bound from registration) and each contest's votes left.
3. ``standing``: shares, leaders, margin and each choice's standing (clinched, eliminated, or
   the share it needs of the votes left).
4. ``projection``: the distribution of each final share and each outcome's probability.
5. ``calls``: new ledger events (calls, rescinds) and each contest's call status.
"""

from __future__ import annotations

from collections.abc import Sequence

from racedesk.engine import calls as calls_mod
from racedesk.engine import projection as projection_mod
from racedesk.engine.index import ElectionIndex
from racedesk.engine.params import ModelParams
from racedesk.engine.standing import contest_state
from racedesk.engine.votes_left import (
    contests_votes_left,
    county_ballots_left,
    joined_votes_left,
)
from racedesk.model import Election, OutstandingReport, Release
from racedesk.model.answers import (
    BallotsLeft,
    CallEvent,
    ContestCall,
    ContestState,
    Interval,
    Problem,
    Projection,
    Snapshot,
    VotesLeft,
)
from racedesk.model.release import says_certified


def advance(
    election: Election,
    history: Sequence[Release],
    usable: Sequence[bool],
    reports: Sequence[OutstandingReport],
    ledger: Sequence[CallEvent],
    params: ModelParams,
    seed: int = 0,
    problems: tuple[Problem, ...] = (),
    *,
    project: bool = True,
    index: ElectionIndex | None = None,
    certified: bool = False,
) -> Snapshot:
    """The desk's answers after the last release of ``history``.

    ``usable[i]`` says whether ``history[i]`` passed its identities (see ``engine.checks``);
    ``problems`` are the last release's problems. ``reports`` are the outstanding reports known
    at the last release's feed time; ``ledger`` is every call event before this release.
    With ``project=False`` the snapshot has every contest's state (steps 1–3) but no
    projections, calls or ledger events. ``index`` is the election's
    (:class:`~racedesk.engine.index.ElectionIndex`), kept by the caller from one release to the
    next; without one, it is worked out for this call. ``certified`` says the registrar
    certified the count (a ``certified`` release event, or a feed that says so): nothing is
    left to count and each contest gets its final outcome (``calls.decide_all``'s ``final``).
    """
    if not history:
        raise ValueError("advance needs at least one release")
    if index is None:
        index = ElectionIndex(election)
    latest = history[-1]
    good = [r for r, ok in zip(history, usable, strict=True) if ok]
    basis = good[-1] if good else latest
    certified = certified or is_certified(latest)
    # The states rest on the latest release only when it is usable; its problems then belong
    # to them. An unusable release's problems stay on the snapshot alone.
    own = problems if basis is latest else ()
    if election.members and not certified:
        ballots_left, lefts = joined_votes_left(election, good, reports, params)
    else:
        ballots_left = (
            NOTHING_LEFT if certified else county_ballots_left(election, good, reports, params)
        )
        lefts = contests_votes_left(election, good, ballots_left, params, index)
    states = contest_states(index, basis, lefts, own)
    projections: dict[str, Projection] = {}
    new_events: list[CallEvent] = []
    contest_calls: dict[str, ContestCall] = {}
    if project:
        projections = projection_mod.project_all(
            election, good, states, ballots_left, params, seed, index
        )
        new_events, contest_calls = calls_mod.decide_all(
            election,
            basis,
            states,
            projections,
            ledger,
            params,
            usable=bool(good) and usable[-1],
            good=good,
            index=index,
            final=certified,
        )
    return Snapshot(
        election_id=election.id,
        release_sequence=latest.sequence if latest.sequence is not None else len(history) - 1,
        feed_time=latest.feed_time,
        release_hash=latest.content_hash,
        usable=usable[-1],
        problems=problems,
        ballots_left=ballots_left,
        states=tuple(states),
        projections=projections,
        calls=contest_calls,
        new_events=tuple(new_events),
        model_version=params.version,
        ballots_counted=basis.ballots_counted,
    )


#: The ballots left once the registrar certified the count.
NOTHING_LEFT = BallotsLeft(
    ballots=Interval.exact(0),
    source="registrar",
    note="the registrar certified the count: nothing is left to count",
)


def is_certified(release: Release) -> bool:
    """Whether a release says of itself that the registrar certified its count (its status
    is one of :data:`racedesk.model.release.CERTIFIED_STATUSES`)."""
    return says_certified(release.status)


def contest_states(
    index: ElectionIndex,
    basis: Release,
    lefts: Sequence[VotesLeft],
    problems: Sequence[Problem],
) -> list[ContestState]:
    """Every contest's state (step 3) on ``basis``, with its votes left (``lefts``, in the
    election's order) and, of ``problems``, its own and the release-wide ones."""
    counts = index.counts(basis)
    by_contest: dict[str, list[Problem]] = {}
    for problem in problems:
        by_contest.setdefault(problem.contest_id, []).append(problem)
    everywhere = by_contest.get("", [])
    states: list[ContestState] = []
    for contest, left, logic, facts in zip(
        index.election.contests, lefts, index.logics, index.facts, strict=True
    ):
        mine = by_contest.get(contest.id)
        states.append(
            contest_state(
                contest,
                counts.get(contest.id),
                basis,
                left,
                problems=mine + everywhere if mine else everywhere,
                logic=logic,
                facts=facts,
            )
        )
    return states
