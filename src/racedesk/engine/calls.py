"""Race calls: when the count can no longer change a contest's outcome, and the ledger of calls.

A call (``calls-and-hurdles.md``, "Calls") is made on a usable release only, and needs all of:

1. **evidence**: the contest counted in at least ``params.min_releases`` usable releases, with at
   least ``params.min_votes`` votes, and an estimate of its votes left;
2. **the recount guard** (AP's policy): the deciding margin, now and as projected, at least
   ``params.recount_guard`` (0.5 points); California lets any voter request a recount
   (EC §15620), so the guard applies to every contest. A contest tied at the end is too close;
3. **a very high probability**: the projected outcome at least ``params.call_probability``;
4. **a count that rules out a change**: at the high end of the votes-left interval, every
   trailing choice needs more of the votes left than any late swing seen in calibration allows:
   its share of the two-way vote left (the hurdle of ``calls-and-hurdles.md``) must exceed its
   share so far plus ``late_shift_max[f] + late_noise_z · sqrt(q(1 − q) · d / R₂)``, ``f`` the
   stage of the count (the bucket of the share of it done, were the most votes left); for a threshold
   (a measure, a majority) the share needed of all votes left must lie beyond the share so far
   by the same allowance. A choice that cannot catch up even with every ballot left
   (eliminated) passes this test whatever the allowance.

Statuses follow AP's vocabulary: too early, too close, leading, called, runoff (no majority
possible and both runoff places settled, EC §8141), advanced (top-two), passed, failed, winner
not leading (a called winner behind in the count so far), rescinded.

The ledger is append-only: a call is never edited; when the projected probability of a called
outcome falls below ``params.rescind_probability`` on a usable release, a ``rescinded`` event
names the event it undoes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from racedesk.engine.hurdle import two_way_needs
from racedesk.engine.params import ModelParams
from racedesk.engine.projection import fraction, fraction_bucket, top_set_key
from racedesk.model import Contest, Election, Release
from racedesk.model.answers import (
    CallEvent,
    CallStatus,
    ContestCall,
    ContestState,
    Interval,
    Projection,
)

CALL_STATUSES: frozenset[str] = frozenset({"called", "runoff", "advanced", "passed", "failed"})


@dataclass(frozen=True)
class Verdict:
    """What the desk says of one contest after one release, before it enters the ledger."""

    status: CallStatus
    choices: tuple[str, ...]
    reason: str
    probability: float | None = None
    hurdle: Interval | None = None

    @property
    def is_call(self) -> bool:
        return self.status in CALL_STATUSES


@dataclass(frozen=True)
class Count:
    """A contest's count as the call rules read it: named choices' votes and votes left."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    votes: tuple[int, ...]
    counted: int
    left_low: float
    left_mid: float
    left_high: float
    ballots_high: float

    def order(self) -> list[int]:
        """Choice indexes by votes, most first (ballot order among equals)."""
        return sorted(range(len(self.votes)), key=lambda i: (-self.votes[i], i))

    def stage(self, params: ModelParams) -> int:
        """The bucket of the share of the count done (``params.fraction_edges``) were the most
        votes left: ``V / (V + R_high)``, the earliest stage the count could be at."""
        done = self.counted / (self.counted + self.left_high) if self.counted > 0 else 0.0
        return fraction_bucket(done, params)


def read_count(contest: Contest, state: ContestState) -> Count | None:
    """The count the call rules need, or None when the votes left are unknown."""
    left = state.votes_left.votes
    if left is None:
        return None
    ids = tuple(c.id for c in contest.choices)
    votes = tuple(int(state.votes.get(c, 0)) for c in ids)
    counted = sum(votes)
    named = counted / state.total_votes if state.total_votes > 0 else 1.0
    ballots = state.votes_left.ballots
    high = max(0.0, left.high) * named
    return Count(
        ids=ids,
        names=tuple(c.name for c in contest.choices),
        votes=votes,
        counted=counted,
        left_low=max(0.0, left.low) * named,
        left_mid=min(max(left.mid * named, max(0.0, left.low) * named), high),
        left_high=high,
        ballots_high=max(0.0, ballots.high) if ballots is not None else high,
    )


def late_allowance(
    share: float, votes_left: float, params: ModelParams, stage: int, minor: bool = False
) -> float:
    """How far a late share may plausibly stray from the share so far, for ``votes_left`` votes
    at ``stage`` of the count (a bucket of ``params.fraction_edges``).

    The part every contest shares is the largest late swing seen in calibration in contests
    with many votes left at that stage of the count or later (``late_shift_max[stage]``;
    ``late_shift_max_minor`` for the two-way share of two choices that hold less than
    ``minor_pair_share`` of the votes, ``minor``, whose split swings further); the part that
    shrinks with the votes left is
    ``late_noise_z`` standard errors of a share of ``votes_left`` votes counted in batches that
    come from a few places at a time (``late_design_effect``, learned too).
    """
    q = min(max(share, 0.0), 1.0)
    spread = math.sqrt(q * (1 - q) * params.late_design_effect / max(votes_left, 1.0))
    shifts = params.late_shift_max_minor if minor else params.late_shift_max
    shift = shifts[min(max(stage, 0), len(shifts) - 1)]
    return shift + params.late_noise_z * spread


def pair_hurdle(ahead: int, behind: int, counted: int, left: float) -> float:
    """The share of the two-way vote left the trailing choice needs to overtake
    (calls-and-hurdles.md): :func:`racedesk.engine.hurdle.two_way_needs` of the pair."""
    return two_way_needs(ahead - behind, ahead + behind, counted, left)


def pair_safe(count: Count, a: int, b: int, params: ModelParams) -> bool:
    """Whether ``b`` can no longer plausibly overtake ``a`` (rule 4 of the module docstring)."""
    va, vb = count.votes[a], count.votes[b]
    lead = va - vb
    if lead <= 0:
        return False
    if lead > count.ballots_high:
        return True  # eliminated: one ballot gains b at most one vote over a
    two_way = count.left_high * (va + vb) / count.counted if count.counted > 0 else 0.0
    if two_way <= 0:
        return True
    q = vb / (va + vb)
    minor = (va + vb) < params.minor_pair_share * count.counted
    allowance = late_allowance(q, two_way, params, count.stage(params), minor)
    return pair_hurdle(va, vb, count.counted, count.left_high) > q + allowance


def threshold_need(votes: int, counted: int, left: float, threshold: float) -> float:
    """The share of all votes left a choice needs to end at ``threshold`` of the votes:
    ``(q(V + R) − v) / R`` (calls-and-hurdles.md, majority and measures)."""
    if left <= 0:
        return -math.inf if votes >= threshold * counted else math.inf
    return (threshold * (counted + left) - votes) / left


def threshold_safe(
    count: Count, i: int, threshold: float, above: bool, params: ModelParams
) -> bool:
    """Whether choice ``i`` will plausibly end above (``above``) or below ``threshold``."""
    if count.counted <= 0:
        return False
    share = count.votes[i] / count.counted
    need = threshold_need(count.votes[i], count.counted, count.left_high, threshold)
    allowance = late_allowance(share, count.left_high, params, count.stage(params))
    if above:
        return need <= 0 or need < share - allowance
    return need > 1 or need > share + allowance


def _clip(share: float) -> float:
    return min(max(share, 0.0), 1.0)


def hurdle_interval(count: Count, ahead: int, behind: int, clipped: bool = True) -> Interval:
    """The trailing choice's two-way hurdle over the votes-left interval (low at the most votes
    left), within 0–100% unless not ``clipped``."""
    va, vb = count.votes[ahead], count.votes[behind]

    def at(left: float) -> float:
        need = pair_hurdle(va, vb, count.counted, left)
        return _clip(need) if clipped else need

    return Interval(low=at(count.left_high), high=at(count.left_low), mid=at(count.left_mid))


def need_interval(count: Count, i: int, threshold: float, clipped: bool = True) -> Interval:
    """The share of the votes left choice ``i`` needs to reach ``threshold``, within 0–100%
    unless not ``clipped``."""

    def at(left: float) -> float:
        need = threshold_need(count.votes[i], count.counted, left, threshold)
        return _clip(need) if clipped else need

    values = [at(r) for r in (count.left_low, count.left_mid, count.left_high)]
    return Interval(low=min(values), high=max(values), mid=values[1])


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _evidence(count: Count, releases_counted: int, params: ModelParams) -> str:
    """Why a contest lacks the evidence for a call, or "" when it has enough."""
    if releases_counted < params.min_releases:
        return f"counted in {releases_counted} usable release(s) so far; a call needs {params.min_releases}"
    if count.counted < params.min_votes:
        return f"only {count.counted:,} votes counted; a call needs {params.min_votes:,}"
    return ""


def _uncalled(prob: float, guarded: bool, params: ModelParams, what: str) -> Verdict:
    if guarded:
        return Verdict(
            "too close",
            (),
            f"{what} is within the recount guard of {_pct(params.recount_guard)}",
            prob,
        )
    if prob < params.close_probability:
        return Verdict(
            "too close", (), f"{what} is too close to call ({_pct(prob)} projected)", prob
        )
    return Verdict(
        "leading",
        (),
        f"{what} leads ({_pct(prob)} projected) but the count could still change it",
        prob,
    )


def _top_places(
    contest: Contest, count: Count, projection: Projection, places: int, status: CallStatus,
    params: ModelParams,
) -> Verdict:  # fmt: skip
    """A verdict on which ``places`` choices take the seats or the runoff places."""
    order = count.order()
    top, rest = order[:places], order[places:]
    names = [count.names[i] for i in top]
    what = " and ".join(names)
    if not rest:
        return Verdict(
            status, tuple(count.ids[i] for i in top), f"{what}: no more candidates than places", 1.0
        )
    last, first_out = top[-1], rest[0]
    margin = (count.votes[last] - count.votes[first_out]) / count.counted
    proj = {c.choice_id: c for c in projection.choices}
    mid_margin = proj[count.ids[last]].share_mid - proj[count.ids[first_out]].share_mid
    if places == 1:
        prob = proj[count.ids[top[0]]].probability
    else:
        prob = projection.outcomes.get(top_set_key(names, contest.rule.kind), 0.0)
    guarded = min(margin, mid_margin) < params.recount_guard
    hurdle = hurdle_interval(count, last, first_out)
    safe = all(pair_safe(count, a, b, params) for a in top for b in rest)
    if safe and not guarded and prob >= params.call_probability:
        trailing = count.names[first_out]
        reason = (
            f"{trailing} would need {_pct(hurdle.low)} or more of the two-way vote left, "
            f"beyond any late swing seen; {_pct(prob)} projected"
        )
        return Verdict(status, tuple(count.ids[i] for i in top), reason, prob, hurdle)
    verdict = _uncalled(prob, guarded, params, what)
    return Verdict(verdict.status, (), verdict.reason, prob, hurdle)


def _measure(
    contest: Contest, count: Count, projection: Projection, params: ModelParams
) -> Verdict:
    rule = contest.rule
    threshold = fraction(rule.threshold)
    if threshold is None:
        return Verdict(
            "too early", (), f"the pass rate {rule.text!r} cannot be read as a threshold"
        )
    yes = next((i for i, n in enumerate(count.names) if n.strip().upper().startswith("YES")), 0)
    no = 1 - yes if len(count.ids) == 2 else yes
    thresholds = [float(threshold)]
    alt: Fraction | None = fraction(rule.alt_threshold)
    if alt is not None:
        thresholds.append(float(alt))
    share = count.votes[yes] / count.counted
    p_pass = projection.outcomes.get("passes", 0.0)
    mid = next(c.share_mid for c in projection.choices if c.choice_id == count.ids[yes])
    guarded = any(min(abs(share - q), abs(mid - q)) < params.recount_guard for q in thresholds)
    hurdle = need_interval(count, yes, thresholds[0])
    passes = all(threshold_safe(count, yes, q, True, params) for q in thresholds)
    fails = all(threshold_safe(count, yes, q, False, params) for q in thresholds)
    if not guarded and passes and p_pass >= params.call_probability:
        reason = f"yes needs {_pct(hurdle.high)} or less of the votes left, far below its {_pct(share)} so far"
        return Verdict("passed", (count.ids[yes],), reason, p_pass, hurdle)
    if not guarded and fails and 1 - p_pass >= params.call_probability:
        reason = f"yes would need {_pct(hurdle.low)} or more of the votes left, far above its {_pct(share)} so far"
        return Verdict("failed", (count.ids[no],), reason, 1 - p_pass, hurdle)
    lean = max(p_pass, 1 - p_pass)
    verdict = _uncalled(lean, guarded, params, "yes" if p_pass >= 0.5 else "no")
    return Verdict(verdict.status, (), verdict.reason, lean, hurdle)


def _majority(
    contest: Contest, count: Count, projection: Projection, params: ModelParams
) -> Verdict:
    order = count.order()
    leader = order[0]
    name = count.names[leader]
    seats = max(1, contest.rule.seats)
    q = 0.5 / seats
    share = count.votes[leader] / count.counted
    mid = next(c.share_mid for c in projection.choices if c.choice_id == count.ids[leader])
    guarded = min(abs(share - q), abs(mid - q)) < params.recount_guard
    p_majority = projection.outcomes.get(f"{name} wins a majority", 0.0)
    p_runoff = projection.outcomes.get("runoff", 0.0)
    need = need_interval(count, leader, q)
    if (
        not guarded
        and threshold_safe(count, leader, q, True, params)
        and p_majority >= params.call_probability
    ):
        reason = f"{name} has {_pct(share)} and needs at most {_pct(need.high)} of the votes left to keep a majority"
        return Verdict("called", (count.ids[leader],), reason, p_majority, need)
    no_majority = all(threshold_safe(count, i, q, False, params) for i in range(len(count.ids)))
    if not guarded and no_majority and p_runoff >= params.call_probability:
        places = _top_places(
            contest, count, projection, max(1, contest.rule.advance or 2), "runoff", params
        )
        if places.is_call:
            reason = f"no majority is possible ({name} would need {_pct(need.low)} of the votes left); {places.reason}"
            return Verdict(
                "runoff",
                places.choices,
                reason,
                min(p_runoff, places.probability or 0.0),
                places.hurdle,
            )
        return Verdict(
            places.status, (), f"a runoff is certain; {places.reason}", p_runoff, places.hurdle
        )
    lean = max(p_majority, p_runoff)
    verdict = _uncalled(
        lean, guarded, params, f"{name}'s majority" if p_majority >= p_runoff else "a runoff"
    )
    return Verdict(verdict.status, (), verdict.reason, lean, need)


def decide(
    contest: Contest,
    state: ContestState,
    projection: Projection | None,
    releases_counted: int,
    params: ModelParams,
) -> Verdict:
    """The desk's verdict on one contest after a usable release (module docstring)."""
    count = read_count(contest, state)
    if count is None:
        return Verdict("too early", (), "no estimate of the votes left")
    if projection is None or count.counted <= 0:
        return Verdict("too early", (), "no votes counted yet")
    lacking = _evidence(count, releases_counted, params)
    if lacking:
        return Verdict("too early", (), lacking)
    kind = contest.rule.kind
    if kind in ("measure", "recall"):
        return _measure(contest, count, projection, params)
    if kind == "majority_or_runoff":
        return _majority(contest, count, projection, params)
    if kind == "top_two":
        return _top_places(
            contest, count, projection, max(1, contest.rule.advance or 2), "advanced", params
        )
    return _top_places(contest, count, projection, max(1, contest.rule.seats), "called", params)


def called_probability(contest: Contest, event: CallEvent, projection: Projection) -> float:
    """The projected probability, now, of the outcome a call named."""
    probs = {c.choice_id: c.probability for c in projection.choices}
    if event.status == "passed":
        return projection.outcomes.get("passes", 0.0)
    if event.status == "failed":
        return projection.outcomes.get("fails", 0.0)
    if event.status == "called" and contest.rule.kind == "majority_or_runoff":
        name = contest.choice(event.choices[0]).name
        return projection.outcomes.get(f"{name} wins a majority", 0.0)
    places = min((probs.get(c, 0.0) for c in event.choices), default=0.0)
    if event.status == "runoff":
        return min(places, projection.outcomes.get("runoff", 0.0))
    return places


def leading_now(contest: Contest, event: CallEvent, state: ContestState) -> bool:
    """Whether a call's choice(s) lead in the count so far (else: "winner not leading")."""
    rule = contest.rule
    ids = [c.id for c in contest.choices]
    votes = {c: state.votes.get(c, 0) for c in ids}
    if event.status in ("passed", "failed"):
        threshold = fraction(rule.threshold)
        yes = next(
            (c.id for c in contest.choices if c.name.strip().upper().startswith("YES")), ids[0]
        )
        total = sum(votes.values())
        if threshold is None or total == 0:
            return True
        share = Fraction(votes[yes], total)
        passing = share > threshold if rule.strict else share >= threshold
        return passing == (event.status == "passed")
    n = len(event.choices)
    order = sorted(ids, key=lambda c: (-votes[c], ids.index(c)))
    return set(event.choices) <= set(order[:n])


def active_calls(ledger: Sequence[CallEvent]) -> dict[str, CallEvent]:
    """Each contest's standing call: its last call event, unless a later event rescinded it."""
    active: dict[str, CallEvent] = {}
    for event in ledger:
        if event.status == "rescinded":
            current = active.get(event.contest_id)
            if current is not None and current.event_id == event.rescinds:
                del active[event.contest_id]
        elif event.status in CALL_STATUSES:
            active[event.contest_id] = event
    return active


def releases_counted(
    good: Sequence[Release], contest_ids: Sequence[str], cap: int
) -> dict[str, int]:
    """For each contest, in how many of the last ``cap`` usable releases it had votes counted."""
    result = dict.fromkeys(contest_ids, 0)
    for release in good[-cap:] if cap > 0 else ():
        for count in release.contests:
            if count.contest_id in result and count.total_votes > 0:
                result[count.contest_id] += 1
    return result


def decide_all(
    election: Election,
    basis: Release,
    states: Sequence[ContestState],
    projections: Mapping[str, Projection],
    ledger: Sequence[CallEvent],
    params: ModelParams,
    usable: bool,
    good: Sequence[Release] = (),
) -> tuple[list[CallEvent], dict[str, ContestCall]]:
    """New ledger events (calls and rescinds, numbered after the ledger's) and every contest's
    call status after ``basis``, the last usable release.

    ``good`` are the usable releases so far (for the evidence rule; without them no call is
    made). On a release that is not usable nothing enters the ledger: standing calls keep their
    status and other contests are reported as they stood.
    """
    active = active_calls(ledger)
    next_id = max((e.event_id for e in ledger), default=0) + 1
    by_id = {c.id: c for c in election.contests}
    counted = releases_counted(good, list(by_id), max(params.min_releases, 1))
    sequence = (
        basis.sequence
        if basis.sequence is not None
        else (states[0].release_sequence if states else 0)
    )
    events: list[CallEvent] = []
    calls: dict[str, ContestCall] = {}

    def record(
        contest: Contest, state: ContestState, verdict: Verdict, rescinds: int | None = None
    ) -> CallEvent:
        nonlocal next_id
        event = CallEvent(
            event_id=next_id,
            contest_id=contest.id,
            status=verdict.status,
            choices=verdict.choices,
            release_hash=basis.content_hash,
            release_sequence=sequence,
            release_time=basis.feed_time,
            votes_left=state.votes_left.votes,
            hurdle=verdict.hurdle,
            probability=verdict.probability,
            model_version=params.version,
            reason=verdict.reason,
            rescinds=rescinds,
        )
        next_id += 1
        events.append(event)
        return event

    for state in states:
        contest = by_id.get(state.contest_id)
        if contest is None:
            continue
        projection = projections.get(contest.id)
        standing = active.get(contest.id)
        if standing is not None:
            if usable and projection is not None:
                prob = called_probability(contest, standing, projection)
                if prob < params.rescind_probability:
                    reason = f"the called outcome is now projected at {_pct(prob)}: call {standing.event_id} is rescinded"
                    event = record(
                        contest,
                        state,
                        Verdict("rescinded", standing.choices, reason, prob),
                        standing.event_id,
                    )
                    calls[contest.id] = ContestCall(
                        contest_id=contest.id, status="rescinded", choices=standing.choices,
                        sentence=reason, event_id=event.event_id,
                    )  # fmt: skip
                    continue
            status: CallStatus = (
                standing.status if leading_now(contest, standing, state) else "winner not leading"
            )
            calls[contest.id] = ContestCall(
                contest_id=contest.id, status=status, choices=standing.choices,
                sentence=standing.reason, event_id=standing.event_id,
            )  # fmt: skip
            continue
        verdict = decide(contest, state, projection, counted.get(contest.id, 0), params)
        if verdict.is_call and not usable:
            reason = (
                f"{verdict.reason}, but the latest release failed its checks: no call is made on it"
            )
            verdict = Verdict("leading", (), reason, verdict.probability, verdict.hurdle)
        if verdict.is_call and usable:
            event = record(contest, state, verdict)
            calls[contest.id] = ContestCall(
                contest_id=contest.id, status=verdict.status, choices=verdict.choices,
                sentence=verdict.reason, event_id=event.event_id,
            )  # fmt: skip
        else:
            calls[contest.id] = ContestCall(
                contest_id=contest.id, status=verdict.status, choices=(), sentence=verdict.reason
            )
    return events, calls


__all__ = [
    "CALL_STATUSES",
    "Count",
    "Verdict",
    "active_calls",
    "called_probability",
    "decide",
    "decide_all",
    "late_allowance",
    "leading_now",
    "pair_hurdle",
    "pair_safe",
    "read_count",
    "releases_counted",
    "threshold_need",
    "threshold_safe",
    "top_set_key",
]
