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
   expected late share ``q`` plus ``late_shift_max[f] + late_noise_z · sqrt(q(1 − q) · d / R₂)``,
   ``f`` the stage of the count (the bucket of the share of it done as the projection reckons
   it, the stage the envelope was calibrated at), ``d`` ``late_design_effect`` (its ``_minor``
   figure for two choices holding less than ``minor_pair_share`` of the votes).
   ``q`` is the two-way share of the late shares' centre (the share so far leaning toward the
   contest's recent batches by the trend weight, ``projection.late_centre``), and the envelope
   is calibrated on the late swings that centre left unexplained (``calibrate.late_swings``).
   For a threshold (a measure, a majority) the share needed of all votes left must lie beyond
   the choice's centre by the same allowance. The allowance is never more than the largest
   swing seen where about as many votes were left (``late_cap``: the envelope's noise term
   grows without end as the votes left shrink, the swings seen do not), and the test holds at
   every count of the votes left from the high end of the interval down to its low end
   (:func:`counts_to_check`), not at the high end alone. A choice that cannot catch up even
   with every ballot left (eliminated) passes this test whatever the allowance.

A contest with no named choice ("No Candidates Filed") is "write-ins only": the feed counts its
write-ins together and never names them, so the desk never calls it.

Statuses follow AP's vocabulary: too early, too close, leading, called, runoff (no majority
possible and both runoff places settled, EC §8141), advanced (top-two), passed, failed, winner
not leading (a called winner behind in the count so far), rescinded.

The ledger is append-only: a call is never edited; when the projected probability of a called
outcome falls below ``params.rescind_probability`` on a usable release, a ``rescinded`` event
names the event it undoes.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import cast

from racedesk.engine import joined
from racedesk.engine.index import ElectionIndex
from racedesk.engine.params import ModelParams
from racedesk.engine.projection import fraction_bucket, late_centre
from racedesk.model import Contest, ContestCount, Election, Release
from racedesk.model.answers import CallEvent, CallStatus, ContestCall, ContestState, Projection
from racedesk.rules import CALL_STATUSES, Condition, Count, RuleLogic, Verdict, logic_of
from racedesk.rules.base import chance
from racedesk.rules.hurdle import pair_hurdle, threshold_needs


def read_count(
    contest: Contest,
    state: ContestState,
    earlier: dict[str, int] | None = None,
    params: ModelParams | None = None,
) -> Count | None:
    """The count the call rules need, or None when the votes left are unknown; with
    ``params``, the late shares' centre too (:func:`~racedesk.engine.projection.late_centre`,
    ``earlier`` the contest's votes at the start of its recent batches)."""
    left = state.votes_left.votes
    if left is None:
        return None
    ids = tuple(c.id for c in contest.choices)
    votes = tuple(int(state.votes.get(c, 0)) for c in ids)
    counted = sum(votes)
    named = counted / state.total_votes if state.total_votes > 0 else 1.0
    ballots = state.votes_left.ballots
    high = max(0.0, left.high) * named
    mid = min(max(left.mid * named, max(0.0, left.low) * named), high)
    centre: tuple[float, ...] = ()
    if params is not None and counted > 0:
        bucket = fraction_bucket(counted / (counted + mid), params)
        centre = tuple(late_centre(votes, earlier, ids, bucket, params))
    return Count(
        ids=ids,
        names=tuple(c.name for c in contest.choices),
        votes=votes,
        counted=counted,
        left_low=max(0.0, left.low) * named,
        left_mid=mid,
        left_high=high,
        ballots_high=max(0.0, ballots.high) if ballots is not None else high,
        rounds=state.rounds,
        centre=centre,
        pace=state.votes_left.source == "count pace",
    )


def late_allowance(
    share: float,
    votes_left: float,
    params: ModelParams,
    stage: int,
    minor: bool = False,
    pace: bool = False,
) -> float:
    """How far a late share may plausibly stray from its expected value ``share`` (the late
    shares' centre), for ``votes_left`` votes at ``stage`` of the count (a bucket of
    ``params.fraction_edges``).

    The part every contest shares is the largest late swing from that centre seen in
    calibration in contests
    with many votes left at that stage of the count or later (``late_shift_max[stage]``;
    ``late_shift_max_minor`` for the two-way share of two choices that hold less than
    ``minor_pair_share`` of the votes, ``minor``, whose split swings further); the part that
    shrinks with the votes left is
    ``late_noise_z`` standard errors of a share of ``votes_left`` votes counted in batches that
    come from a few places at a time (``late_design_effect``, learned too;
    ``late_design_effect_minor`` for a minor pair). Where the votes
    left come from the count's pace alone (``pace``), both parts are those learned on such
    counts (``late_shift_max_pace``, ``late_design_effect_pace``).
    """
    q = min(max(share, 0.0), 1.0)
    if pace:
        design = params.late_design_effect_pace
    else:
        design = params.late_design_effect_minor if minor else params.late_design_effect
    spread = math.sqrt(q * (1 - q) * design / max(votes_left, 1.0))
    if pace:
        shifts = params.late_shift_max_pace
    else:
        shifts = params.late_shift_max_minor if minor else params.late_shift_max
    shift = shifts[min(max(stage, 0), len(shifts) - 1)]
    envelope = shift + params.late_noise_z * spread
    if pace:
        return envelope
    return min(envelope, late_cap(votes_left, stage, minor, params))


def late_cap(votes_left: float, stage: int, minor: bool, params: ModelParams) -> float:
    """The most a late share has strayed from its centre where about as many votes were left
    (``params.late_cap``, learned by ``calibrate.swing_caps``): the cap of the largest point of
    ``params.late_cap_votes`` below ``votes_left`` at ``stage`` (``late_cap_minor`` for a minor
    pair); 1, no cap, below the first point or with no caps calibrated."""
    caps = params.late_cap_minor if minor else params.late_cap
    if not caps:
        return 1.0
    row = caps[min(max(stage, 0), len(caps) - 1)]
    k = bisect.bisect_left(params.late_cap_votes, votes_left) - 1
    return row[k] if k >= 0 else 1.0


def counts_to_check(high: float, low: float, params: ModelParams) -> list[float]:
    """The votes left at which a call must hold (rule 4): the high end of the interval, each
    point of ``params.late_cap_votes`` between the low end and it (just below one, the cap is
    the next point down's: the allowance steps up there), and the high end halved again and
    again down to the low end. A trailing choice's need grows as the votes left shrink (its
    deficit spread over fewer votes) and so does the allowance; the need outgrows it below
    the high end almost always, but not always, and a call is about every count of the votes
    left the desk reckons possible."""
    floor = max(low, 1.0)
    points = [high]
    points += [g for g in params.late_cap_votes if floor < g < high]
    half = high / 2
    while half > floor:
        points.append(half)
        half /= 2
    return sorted(set(points), reverse=True)


def stage(count: Count, params: ModelParams) -> int:
    """The bucket of the share of the count done (``params.fraction_edges``) as the projection
    reckons it, ``V / (V + R_mid)``: the bucket each late swing was measured in when the
    envelope was calibrated (:attr:`racedesk.engine.projection.Prepared.bucket`), so the rule
    reads the envelope at the stage it was learned for. The high end of the votes left still
    sets the trailing choice's need."""
    done = count.counted / (count.counted + count.left_mid) if count.counted > 0 else 0.0
    return fraction_bucket(done, params)


def pair_safe(count: Count, a: int, b: int, params: ModelParams) -> bool:
    """Whether ``b`` can no longer plausibly overtake ``a`` (rule 4 of the module docstring):
    its hurdle beyond its expected two-way late share (:meth:`Count.late_share`) plus the
    allowance."""
    va, vb = count.votes[a], count.votes[b]
    lead = va - vb
    if lead <= 0:
        return False
    if lead > count.ballots_high:
        return True  # eliminated: one ballot gains b at most one vote over a
    two_way = count.left_high * (va + vb) / count.counted if count.counted > 0 else 0.0
    if two_way <= 0:
        return True
    ca, cb = count.late_share(a), count.late_share(b)
    q = cb / (ca + cb) if ca + cb > 0 else vb / (va + vb)
    minor = (va + vb) < params.minor_pair_share * count.counted
    at = stage(count, params)
    pair = (va + vb) / count.counted
    for left in counts_to_check(two_way, count.left_low * pair, params):
        allowance = late_allowance(q, left, params, at, minor, count.pace)
        if pair_hurdle(va, vb, count.counted, left / pair) <= q + allowance:
            return False
    return True


def threshold_safe(
    count: Count, i: int, threshold: Fraction, above: bool, params: ModelParams
) -> bool:
    """Whether choice ``i`` will plausibly end above (``above``) or below ``threshold`` of the
    named choices' votes: its need of all votes left
    (:func:`~racedesk.rules.hurdle.threshold_needs`) beyond its expected late share
    (:meth:`Count.late_share`) by the late allowance."""
    if count.counted <= 0:
        return False
    share = count.late_share(i)
    at = stage(count, params)
    for left in counts_to_check(count.left_high, count.left_low, params):
        need = threshold_needs(
            count.votes[i], count.counted, left, threshold.numerator, threshold.denominator
        )
        allowance = late_allowance(share, left, params, at, pace=count.pace)
        held = (
            (need <= 0 or need < share - allowance)
            if above
            else (need > 1 or need > share + allowance)
        )
        if not held:
            return False
    return True


class CallJudge:
    """How sure the count must be before a call, with the model's parameters (the
    :class:`racedesk.rules.base.Judge` the rule families ask)."""

    def __init__(self, params: ModelParams) -> None:
        self.params = params

    def pair_safe(self, count: Count, a: int, b: int) -> bool:
        return pair_safe(count, a, b, self.params)

    def threshold_safe(self, count: Count, i: int, threshold: Fraction, above: bool) -> bool:
        return threshold_safe(count, i, threshold, above, self.params)

    def guarded(self, margin: float) -> bool:
        return margin < self.params.recount_guard

    def sure(self, probability: float) -> bool:
        return probability >= self.params.call_probability

    def uncalled(self, probability: float, guarded: bool, what: str, many: bool = False) -> Verdict:
        return _uncalled(probability, guarded, self.params, what, many)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _evidence(count: Count, releases_counted: int, params: ModelParams) -> str:
    """Why a contest lacks the evidence for a call, or "" when it has enough."""
    if releases_counted < params.min_releases:
        return f"counted in {releases_counted} usable release(s) so far; a call needs {params.min_releases}"
    if count.counted < params.min_votes:
        return f"only {count.counted:,} votes counted; a call needs {params.min_votes:,}"
    return ""


def _uncalled(
    prob: float, guarded: bool, params: ModelParams, what: str, many: bool = False
) -> Verdict:
    is_, leads = ("are", "lead") if many else ("is", "leads")
    if guarded:
        return Verdict(
            "too close",
            (),
            f"{what} {is_} within the recount guard of {_pct(params.recount_guard)}",
            prob,
        )
    if prob < params.close_probability:
        return Verdict(
            "too close", (), f"{what} {is_} too close to call ({chance(prob)} projected)", prob
        )
    return Verdict(
        "leading",
        (),
        f"{what} {leads} ({chance(prob)} projected) but the count could still change it",
        prob,
    )


def decide(
    contest: Contest,
    state: ContestState,
    projection: Projection | None,
    releases_counted: int,
    params: ModelParams,
    logic: RuleLogic | None = None,
    judge: CallJudge | None = None,
    earlier: dict[str, int] | None = None,
) -> Verdict:
    """The desk's verdict on one contest after a usable release (module docstring): too early
    without the evidence, else the rule family's (:meth:`RuleLogic.verdict`)."""
    if not contest.choices:
        return Verdict(
            "write-ins only",
            (),
            f"no candidate filed: {state.write_ins:,} write-in votes, which the feed does not "
            "name; the registrar names a write-in winner when it certifies the count",
        )
    logic = logic or logic_of(contest)
    never = logic.uncallable(contest)
    if never:
        return Verdict(logic.never_status, (), never)
    count = read_count(contest, state, earlier, params)
    if count is None:
        return Verdict("too early", (), "no estimate of the votes left")
    if projection is None or count.counted <= 0:
        return Verdict("too early", (), "no votes counted yet")
    lacking = _evidence(count, releases_counted, params)
    if lacking:
        return Verdict("too early", (), lacking)
    return logic.verdict(contest, count, projection, judge or CallJudge(params))


def active_calls(ledger: Sequence[CallEvent]) -> dict[str, CallEvent]:
    """Each contest's standing call: its last call event, unless a later event rescinded it.
    A call from an outside source (``CallEvent.outside``: AP, a CDF report) is never the desk's
    standing call: it is shown in the ledger and nothing else (issue 17, identity of sources)."""
    active: dict[str, CallEvent] = {}
    for event in ledger:
        if event.outside:
            continue
        if event.status == "rescinded":
            current = active.get(event.contest_id)
            if current is not None and current.event_id == event.rescinds:
                del active[event.contest_id]
        elif event.status in CALL_STATUSES:
            active[event.contest_id] = event
    return active


class _Entries:
    """The ledger events a release adds, numbered after the ledger's."""

    def __init__(
        self, ledger: Sequence[CallEvent], basis: Release, sequence: int, params: ModelParams
    ) -> None:
        self.next_id = max((e.event_id for e in ledger), default=0) + 1
        self.basis, self.sequence, self.params = basis, sequence, params
        self.events: list[CallEvent] = []

    def record(
        self, contest: Contest, state: ContestState, verdict: Verdict, rescinds: int | None = None
    ) -> ContestCall:
        """Enter ``verdict`` in the ledger; the contest's call status that says so."""
        event = CallEvent(
            event_id=self.next_id,
            contest_id=contest.id,
            status=verdict.status,
            choices=verdict.choices,
            release_hash=self.basis.content_hash,
            release_sequence=self.sequence,
            release_time=self.basis.feed_time,
            votes_left=state.votes_left.votes,
            hurdle=verdict.hurdle,
            probability=verdict.probability,
            model_version=self.params.version,
            reason=verdict.reason,
            rescinds=rescinds,
        )
        self.next_id += 1
        self.events.append(event)
        return ContestCall(
            contest_id=contest.id, status=verdict.status, choices=verdict.choices,
            sentence=verdict.reason, event_id=event.event_id,
        )  # fmt: skip


def _standing_call(
    contest: Contest,
    state: ContestState,
    standing: CallEvent,
    projection: Projection | None,
    logic: RuleLogic,
    usable: bool,
    entries: _Entries,
) -> ContestCall:
    """A called contest's status: rescinded (a new ledger event) when its called outcome is now
    projected below ``rescind_probability`` on a usable release; else the call, or "winner not
    leading" while its choices trail in the count."""
    params = entries.params
    if usable and projection is not None:
        prob = logic.called_probability(contest, standing, projection)
        if prob < params.rescind_probability:
            reason = f"the called outcome is now projected at {chance(prob)}: call {standing.event_id} is rescinded"
            rescind = Verdict("rescinded", standing.choices, reason, prob)
            return entries.record(contest, state, rescind, standing.event_id)
    status: CallStatus = (
        standing.status if logic.leading_now(contest, standing, state) else "winner not leading"
    )
    return ContestCall(
        contest_id=contest.id, status=status, choices=standing.choices,
        sentence=standing.reason, event_id=standing.event_id,
    )  # fmt: skip


def final_call(
    contest: Contest,
    state: ContestState,
    basis: Release,
    standing: CallEvent | None,
    logic: RuleLogic,
    entries: _Entries,
) -> ContestCall:
    """A contest's status once the count is certified: the rule's final outcome
    (:meth:`RuleLogic.final_outcome`), entered in the ledger unless the standing call already
    says it (a standing call that says otherwise is rescinded first); ``too close`` stays
    where the final count cannot decide (a tie for the last place, decided by lot). A contest
    its rule never calls (a portion, a rule unknown, a recall's successor) stays uncalled and
    says why."""
    count = basis.count(contest.id)
    if count is None or count.choice_votes == 0:
        return ContestCall(
            contest_id=contest.id, status="too early", choices=(),
            sentence="the certified count has no vote in this contest",
        )  # fmt: skip
    never = logic.uncallable(contest)
    if never:
        return ContestCall(
            contest_id=contest.id, status=logic.never_status, choices=(), sentence=never
        )
    outcome, winners = logic.final_outcome(contest, count)
    status = cast(CallStatus, outcome)  # a rule family's final outcome is a call status
    choices = tuple(winners)
    if standing is not None and standing.status == status and set(standing.choices) == set(choices):
        return ContestCall(
            contest_id=contest.id, status=standing.status, choices=standing.choices,
            sentence=standing.reason, event_id=standing.event_id,
        )  # fmt: skip
    if standing is not None:
        reason = f"the certified count does not confirm call {standing.event_id}: it is rescinded"
        entries.record(
            contest, state, Verdict("rescinded", standing.choices, reason, 0.0), standing.event_id
        )
    reason = "the certified count"
    verdict = Verdict(status, choices, reason, 1.0 if choices else None)
    if not verdict.is_call:
        return ContestCall(
            contest_id=contest.id, status=status, choices=choices,
            sentence=f"{reason} cannot decide it: {logic.undecided_words(contest)}",
        )  # fmt: skip
    return entries.record(contest, state, verdict)


def decide_all(
    election: Election,
    basis: Release,
    states: Sequence[ContestState],
    projections: Mapping[str, Projection],
    ledger: Sequence[CallEvent],
    params: ModelParams,
    usable: bool,
    good: Sequence[Release] = (),
    index: ElectionIndex | None = None,
    final: bool = False,
) -> tuple[list[CallEvent], dict[str, ContestCall]]:
    """New ledger events (calls and rescinds, numbered after the ledger's) and every contest's
    call status after ``basis``, the last usable release.

    ``good`` are the usable releases so far (for the evidence rule; without them no call is
    made). On a release that is not usable nothing enters the ledger: standing calls keep their
    status and other contests are reported as they stood. ``final`` (a certified count): every
    contest takes its final outcome (:func:`final_call`). A contest whose outcome waits on
    another contest's call (:attr:`RuleLogic.condition`: a recall's successor) is decided after
    the others, on the calls standing then.
    """
    index = index or ElectionIndex(election)
    by_id = {c.id: c for c in election.contests}
    counted = joined.releases_counted(election, good, list(by_id), max(params.min_releases, 1))
    sequence = (
        basis.sequence
        if basis.sequence is not None
        else (states[0].release_sequence if states else 0)
    )
    entries = _Entries(ledger, basis, sequence, params)
    deciding = _Deciding(
        entries, projections, active_calls(ledger), counted,
        joined.earlier_counts(election, good, params.recent_batches), usable, final,
    )  # fmt: skip
    calls: dict[str, ContestCall] = {}
    waiting: list[tuple[Contest, ContestState, RuleLogic, Condition]] = []
    for state in states:
        contest = by_id.get(state.contest_id)
        if contest is None:
            continue
        logic = index.logic(contest.id)
        if logic.condition is not None:
            waiting.append((contest, state, logic, logic.condition))
            continue
        calls[contest.id] = deciding.call(contest, state, logic, True)
    if waiting:
        now = active_calls([*ledger, *entries.events])
        for contest, state, logic, condition in waiting:
            standing = now.get(condition.question)
            held = None if standing is None else standing.status == condition.needs
            calls[contest.id] = deciding.call(contest, state, logic, held)
    return entries.events, {
        s.contest_id: calls[s.contest_id] for s in states if s.contest_id in calls
    }


class _Deciding:
    """What :func:`decide_all` reads for each contest of one release."""

    def __init__(
        self,
        entries: _Entries,
        projections: Mapping[str, Projection],
        active: Mapping[str, CallEvent],
        counted: Mapping[str, int],
        earlier_counts: Mapping[str, ContestCount],
        usable: bool,
        final: bool,
    ) -> None:
        self.entries, self.projections, self.active = entries, projections, active
        self.counted, self.earlier_counts = counted, earlier_counts
        self.usable, self.final = usable, final
        self.judge = CallJudge(entries.params)

    def call(
        self, contest: Contest, state: ContestState, logic: RuleLogic, held: bool | None
    ) -> ContestCall:
        """``contest``'s call status after the release; ``held`` says whether the call its
        outcome waits on stands as it needs (True; also for a contest that waits on none),
        stands otherwise (False) or is not made (None)."""
        entries, projection = self.entries, self.projections.get(contest.id)
        standing = self.active.get(contest.id)
        condition = logic.condition
        if condition is not None and held is not True:
            unmet = condition.unmet if held is False else condition.waiting
            if standing is not None and self.usable:
                reason = f"{unmet}: call {standing.event_id} is rescinded"
                rescind = Verdict("rescinded", standing.choices, reason, 0.0)
                return entries.record(contest, state, rescind, standing.event_id)
            if standing is None and (held is False or (self.final and self.usable)):
                return ContestCall(
                    contest_id=contest.id, status=logic.never_status, choices=(), sentence=unmet
                )
        if self.final and self.usable and contest.choices:
            return final_call(contest, state, entries.basis, standing, logic, entries)
        if standing is not None:
            return _standing_call(contest, state, standing, projection, logic, self.usable, entries)
        earlier = self.earlier_counts.get(contest.id)
        verdict = decide(
            contest, state, projection, self.counted.get(contest.id, 0), entries.params, logic,
            self.judge, earlier.votes if earlier is not None else None,
        )  # fmt: skip
        if verdict.is_call and held is None and condition is not None:
            reason = f"{verdict.reason}, but {condition.waiting}"
            verdict = Verdict("leading", (), reason, verdict.probability, verdict.hurdle)
        if verdict.is_call and not self.usable:
            reason = (
                f"{verdict.reason}, but the latest release failed its checks: no call is made on it"
            )
            verdict = Verdict("leading", (), reason, verdict.probability, verdict.hurdle)
        if verdict.is_call:
            return entries.record(contest, state, verdict)
        return ContestCall(
            contest_id=contest.id, status=verdict.status, choices=(), sentence=verdict.reason
        )


__all__ = [
    "CallJudge",
    "active_calls",
    "decide",
    "decide_all",
    "late_allowance",
    "pair_safe",
    "read_count",
    "stage",
    "threshold_safe",
]
