"""Plain-language sentences about a contest: what the trailing side needs, how the recent batches
went, how the contest is projected to end and whether it is called.

For example: "Gascón would need 61.6% (60.2–63.6%) of about 2,210,000 votes left; Gascón has had
38% of the last three batches. Hochman is projected at 60.4% (59.0–61.9%). Called for Hochman."

The hurdle is the one of ``calls-and-hurdles.md`` on the denominator the batch share beside it
uses: the two-way vote of the two choices when a contest has more than two, all votes
otherwise. Shares are shown as percentages here only, for people; the engine keeps fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import msgspec

from racedesk.engine.calls import read_count
from racedesk.engine.crossval import CrossValSummary, Fold
from racedesk.engine.references import BacktestReference
from racedesk.engine.votes_left import KIND_COUNTERS
from racedesk.model import Contest, Election
from racedesk.model.answers import (
    BallotsLeftByType,
    ContestCall,
    ContestState,
    Interval,
    Projection,
    Snapshot,
)
from racedesk.rules import Count, RuleLogic, logic_of
from racedesk.rules.base import Focus
from racedesk.rules.california import UNSTATED_THRESHOLD
from racedesk.rules.names import short_name
from racedesk.rules.places import hurdle_interval
from racedesk.rules.threshold import need_interval, thresholds

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def rounded(value: float) -> float:
    """An estimate rounded as it is said, here and in every table: to the thousand from 10,000
    (2,213,456 → 2,213,000), to the hundred from 1,000, to the unit below."""
    if value < 1000:
        return round(value)
    return round(value, -3) if value >= 10_000 else round(value, -2)


def about(value: float) -> str:
    """An estimate of a count in words: 721,344 → "about 721,000"; none is "no"."""
    if value <= 0:
        return "no"
    return f"about {int(rounded(value)):,}"


def pct(x: float, places: int = 1) -> str:
    return f"{100 * x:.{places}f}%"


def pct_range(interval: Interval) -> str:
    """ "64.7% (63.9–65.6%)", or one figure when the interval is a point."""
    if abs(interval.high - interval.low) < 5e-4:
        return pct(interval.mid)
    low, high = max(0.0, interval.low), min(1.0, interval.high)
    return f"{pct(interval.mid)} ({100 * low:.1f}–{pct(high)})"


def batch_share(
    state: ContestState, earlier: ContestState | None, choice: str, rival: str | None
) -> float | None:
    """``choice``'s share of the votes added since ``earlier`` (two-way with ``rival`` if given)."""
    if earlier is None:
        return None
    ids = [choice, rival] if rival is not None else list(state.votes)
    added = {c: state.votes.get(c, 0) - earlier.votes.get(c, 0) for c in ids}
    total = sum(added.values())
    if total <= 0 or any(v < 0 for v in added.values()):
        return None
    return added[choice] / total


def call_words(contest: Contest, call: ContestCall | None, logic: RuleLogic | None = None) -> str:
    """The words that end a contest's sentence for its call ("Called for Hochman."); ``logic``
    is the contest's rule family (worked out when not given, and only for a decided question or
    one too early to call, which may be one never called: its rule unknown). A contest whose
    call waits on another's (a recall's successor, given the logic that knows it) says so."""
    if call is None:
        return ""
    status = call.status
    if status in ("passed", "failed"):
        return (logic or logic_of(contest)).decided_words(contest, status)
    if status == "portion only":
        return _not_called_part(contest)
    condition = logic.condition if logic is not None else None
    if condition is not None and status == "leading" and call.sentence.endswith(condition.waiting):
        return f"Not called yet: {condition.waiting}."
    if status == "too early":
        logic = logic or logic_of(contest)
        never = logic.uncallable(contest)
        if never:
            return f"Not called: {never}."
        if logic.condition is not None and call.sentence == logic.condition.unmet:
            return f"Not called: {call.sentence}."
    names = [short_name(contest.choice(c).name) for c in call.choices if _has(contest, c)]
    joined = " and ".join(names)
    return {
        "called": f"Called for {joined}.",
        "runoff": f"Runoff: {joined} advance.",
        "advanced": f"{joined} advance.",
        "winner not leading": f"Called for {joined}, who is not leading the count now.",
        "rescinded": "The call was rescinded.",
        "too close": "Not called." if contest.rule.alt_threshold else "Too close to call.",
        "leading": "Not called yet.",
        "too early": "Too early to call.",
        "write-ins only": "Not called: write-ins only.",
    }[status]


def _not_called_part(contest: Contest) -> str:
    """Why a portion, or a copy of a contest another source counts whole, is not called."""
    if not contest.portion:
        return (
            f"Not called here: the same contest is counted whole in contest {contest.record}, "
            "which is the one racedesk calls."
        )
    whole = f" The whole contest is called from contest {contest.record}." if contest.record else ""
    return f"Not called: racedesk sees only {contest.portion}'s part of this contest.{whole}"


def _has(contest: Contest, choice_id: str) -> bool:
    return any(c.id == choice_id for c in contest.choices)


def _need_clause(
    who: str, need: Interval, count: Count, denominator: str, goal: tuple[str, str] = ("it", "")
) -> str:
    """What ``who`` needs of the votes left, never shown outside 0–100% (calls-and-hurdles.md):
    beyond all of them at every estimate is "cannot catch up", at or below 0% "clinched".
    ``goal`` names what is sought, as clinched ("a majority") and as needed for (" for a
    majority")."""
    clinched, sought = goal
    if need.low > 1:
        return (
            f"{who} cannot catch up: even every one of the votes left would not be enough{sought}"
        )
    if need.high <= 0:
        return f"{who} has clinched {clinched} whatever the votes left do"
    most = f"{about(count.left_high)} votes left"
    if need.mid > 1:
        return (
            f"{who} would need more than all of {denominator}{about(count.left_mid)} votes left"
            f"{sought}, or {pct(need.low)} if as many as {most}"
        )
    if need.high > 1:
        return (
            f"{who} would need {pct(need.mid)} of {denominator}{about(count.left_mid)} votes left"
            f"{sought} ({pct(need.low)} if as many as {most}; not enough even with all of them "
            f"if as few as {about(count.left_low)} are)"
        )
    return (
        f"{who} would need {pct_range(need)} of {denominator}{about(count.left_mid)} votes left"
        f"{sought}"
    )


def _batches(recent: Sequence[ContestState]) -> tuple[ContestState | None, str]:
    """The state the batch share is read from (three states back, or the first) and the batches
    in words ("the last three batches")."""
    earlier = recent[-3] if len(recent) >= 3 else (recent[0] if recent else None)
    batches = min(3, len(recent))
    batch_words = (
        f"the last {_NUMBER_WORDS.get(batches, str(batches))} batches"
        if batches > 1
        else "the last batch"
    )
    return earlier, batch_words


def _projected_words(count: Count, focus: Focus, projection: Projection) -> list[str]:
    """How the choice the rule puts first (the leader, a measure's yes) is projected to end, as
    a sentence (none when the projection does not name it)."""
    proj = {c.choice_id: c for c in projection.choices}
    cp = proj.get(count.ids[focus.projected])
    if cp is None:
        return []
    who = short_name(count.names[focus.projected])
    interval = Interval(low=cp.share_low, high=cp.share_high, mid=cp.share_mid)
    return [f"{who} is projected at {pct_range(interval)}."]


def _need_words(
    contest: Contest,
    state: ContestState,
    count: Count,
    focus: Focus,
    earlier: ContestState | None,
    batch_words: str,
) -> list[str]:
    """What the choice in focus needs of the votes left (:class:`~racedesk.rules.base.Focus`),
    and its share of the recent batches."""
    i = focus.choice
    if focus.mode == "question":
        share = count.votes[i] / count.counted
        if focus.threshold is None:
            return [
                f"Yes has {pct(share)}; the pass rate {contest.rule.text!r} cannot be read as a threshold."
            ]
        split = _split_words(contest, state, count.votes[i], count.counted)
        if split:
            return [f"Yes has {pct(share)}: {split}."]
        need = need_interval(count, i, focus.threshold, clipped=False)
        at = pct(float(focus.threshold), 0)
        goal = (f"passage at {at}", f" to pass at {at}")
        text = f"Yes has {pct(share)}; " + _need_clause("it", need, count, "", goal).replace(
            "it would need", "it needs"
        )
        b = batch_share(state, earlier, count.ids[i], None)
        if b is not None:
            text += f"; it has had {pct(b, 0)} of {batch_words}"
        return [text + "."]
    who = short_name(count.names[i])
    if focus.mode == "majority" and focus.threshold is not None:
        need = need_interval(count, i, focus.threshold, clipped=False)
        text = _need_clause(who, need, count, "", ("a majority", " for a majority"))
        b = batch_share(state, earlier, count.ids[i], None)
    elif focus.mode == "pair":
        need = hurdle_interval(count, focus.rival, i, clipped=False)
        several = len(count.ids) > 2
        denominator = "the two-way vote of " if several else ""
        text = _need_clause(who, need, count, denominator)
        b = batch_share(state, earlier, count.ids[i], count.ids[focus.rival] if several else None)
    else:
        return []
    if b is not None:
        text += f"; {who} has had {pct(b, 0)} of {batch_words}"
    return [text + "."]


def _split_words(contest: Contest, state: ContestState, yes: int, total: int) -> str:
    """For a measure of two thresholds whose count (``yes`` of the ``total`` yes+no votes) lies
    between them, the standing's outcome ("passing at 50%, failing at 67%") and what it turns
    on: its condition, or the threshold the source does not state
    (:func:`racedesk.rules.california.unstated_measure_rule`). "" when the count is not between
    them."""
    if len({q.met(yes, total) for q in thresholds(contest.rule)}) < 2:
        return ""
    if contest.rule.text == UNSTATED_THRESHOLD:
        turns = "the source does not state which threshold holds (a contest-rules file can)"
    else:
        turns = f"it passes only if {contest.rule.condition or 'its condition holds'}"
    return f"{state.outcome}; {turns}"


def _portion_words(contest: Contest, state: ContestState) -> str:
    """Who leads in the part of a contest the source sees ("YES leads in Los Angeles County
    with 51.1%, its part of the contest only."): never what anyone needs, nor a projection."""
    if state.total_votes - state.write_ins <= 0:
        return f"No votes counted yet in {contest.portion or 'this copy of the count'}."
    return state.outcome[:1].upper() + state.outcome[1:] + "."


def reference_words(ref: BacktestReference) -> str:
    """A reference contest of a backtest in one line: "LA County District Attorney [9547]: AP
    2024-11-06 01:06, due by the release of 2024-11-06 01:12; racedesk called it on the release
    of 2024-11-05 20:56: as early, 1 release and 4.2 hours ahead." A call made when a registrar's
    estimate made a release's snapshot again says so: "… on the registrar's estimate of
    2024-11-06 17:00 (after the release of 2024-11-06 16:30) …"."""
    due = (
        f", due by the release of {ref.deadline_time[:16].replace('T', ' ')}"
        if ref.deadline_time
        else ""
    )
    said = f"{ref.caller or 'no caller'} {ref.reference or '(no time)'}".strip()
    head = f"{ref.contest} [{ref.contest_id or 'no contest found'}]: {said}{due}"
    if ref.call_time is None:
        return f"{head}; racedesk: {ref.verdict}."
    at = ref.call_time[:16].replace("T", " ")
    called = f"racedesk called it on the release of {at}"
    if ref.call_release_time is not None:
        after = ref.call_release_time[:16].replace("T", " ")
        called = (
            f"racedesk called it on the registrar's estimate of {at} (after the release of {after})"
        )
    lead = ""
    if ref.lead_releases is not None and ref.lead_hours is not None:
        n, hours = abs(ref.lead_releases), abs(ref.lead_hours)
        way = "ahead" if ref.lead_hours >= 0 else "behind"
        lead = f", {n} release{'s' if n != 1 else ''} and {hours:.1f} hours {way}"
    return f"{head}; {called}: {ref.verdict}{lead}."


def fold_words(fold: Fold) -> str:
    """A fold of a leave-one-out run in one line: "lavote:4324 (calibrated on lavote:4316,
    scenario:la-da-2020; 8 reports): 373 contests, 320 called, 0 wrong calls, 90% intervals held
    90.8% of 9,000 pairs (70.0% to 100.0% at one release), 30.0% called by the end of election
    night." """
    reports = f"{fold.outstanding_reports} report{'s' if fold.outstanding_reports != 1 else ''}"
    portions = f", {fold.portions} seen in part only" if fold.portions else ""
    held = (
        f"90% intervals held {pct(fold.coverage_90, 1)} of {fold.pairs:,} pairs"
        if fold.coverage_90 is not None
        else "no interval to score"
    )
    low, high = fold.coverage_90_release_low, fold.coverage_90_release_high
    if low is not None and high is not None and low != high:
        held += f" ({pct(low, 1)} to {pct(high, 1)} at one release)"
    return (
        f"{fold.canvass} (calibrated on {', '.join(fold.trained_on)}; {reports}): "
        f"{fold.contests} contests, {fold.called} called, {fold.wrong_calls} wrong "
        f"call{'s' if fold.wrong_calls != 1 else ''}{portions}, {held}, "
        f"{pct(fold.called_election_night, 1)} called by the end of election night."
    )


def crossval_words(summary: CrossValSummary) -> str:
    """The totals of a leave-one-out run in one line."""
    span = (
        f"90% intervals held {pct(summary.coverage_90_low, 1)} to "
        f"{pct(summary.coverage_90_high, 1)} by canvass"
        if summary.coverage_90_low is not None and summary.coverage_90_high is not None
        else "no interval to score"
    )
    refs = (
        f"; {summary.references_as_early} of {summary.references_scored} reference contests "
        "called as early"
        if summary.references_scored
        else ""
    )
    return (
        f"Out of sample, {summary.folds} canvasses: {summary.wrong_calls} wrong "
        f"call{'s' if summary.wrong_calls != 1 else ''}, {span}{refs}."
    )


def contest_sentence(
    contest: Contest,
    state: ContestState,
    projection: Projection | None,
    call: ContestCall | None,
    recent: Sequence[ContestState],
    logic: RuleLogic | None = None,
) -> str:
    """One short paragraph on a contest after a release: what the choice its rule puts in focus
    needs of the votes left, how it is projected, whether the contest is called.

    ``recent`` are the contest's states on earlier usable releases, oldest first; the batch share
    is read across the last three of them ("the last three batches"). ``logic`` is the
    contest's rule family (worked out when not given).
    """
    count = read_count(contest, state)
    parts: list[str] = []
    earlier, batch_words = _batches(recent)
    if not contest.choices:
        parts.append(
            f"No candidate filed: {state.write_ins:,} write-in votes so far, which the feed does "
            "not name."
        )
    elif contest.portion or contest.record:
        parts.append(_portion_words(contest, state))
    elif count is None or count.counted == 0:
        parts.append(
            "No votes counted yet." if state.total_votes == 0 else "The votes left are unknown."
        )
    else:
        focus = (logic or logic_of(contest)).focus(count)
        parts.extend(_need_words(contest, state, count, focus, earlier, batch_words))
        if projection is not None:
            parts.extend(_projected_words(count, focus, projection))
    words = call_words(contest, call, logic)
    if words:
        parts.append(words)
    return " ".join(parts)


def contest_sentences(
    election: Election,
    snapshot: Snapshot,
    earlier_states: Sequence[Sequence[ContestState]],
    logics: Sequence[RuleLogic] | None = None,
) -> dict[str, str]:
    """Every contest's sentence after ``snapshot``'s release, as a page of that release says it,
    to be stored with the snapshot.

    Inputs: ``earlier_states``, the contest states after the releases before this one, oldest
    first (only the last two are read: with this release's state they are the "last three
    batches"). Outputs: contest id → sentence, for every contest the snapshot has a state of.
    """
    recent: dict[str, list[ContestState]] = {}
    for states in earlier_states[-2:]:
        for earlier in states:
            recent.setdefault(earlier.contest_id, []).append(earlier)
    now = {s.contest_id: s for s in snapshot.states}
    sentences = {}
    for at, contest in enumerate(election.contests):
        state = now.get(contest.id)
        if state is not None:
            sentences[contest.id] = contest_sentence(
                contest,
                state,
                snapshot.projections.get(contest.id),
                snapshot.calls.get(contest.id),
                [*recent.get(contest.id, ()), state],
                logics[at] if logics is not None else None,
            )
    return sentences


def with_sentences(
    election: Election,
    snapshot: Snapshot,
    earlier: Sequence[Snapshot | None],
    logics: Sequence[RuleLogic] | None = None,
) -> Snapshot:
    """``snapshot`` with every contest's sentence in it (:func:`contest_sentences`); ``earlier``
    are the snapshots of the releases before it, oldest first (None where there is none);
    ``logics`` the contests' rule families in the election's order, when the caller keeps them."""
    states = [s.states for s in earlier if s is not None]
    return msgspec.structs.replace(
        snapshot, sentences=contest_sentences(election, snapshot, states, logics)
    )


__all__ = [
    "about",
    "batch_share",
    "call_words",
    "contest_sentence",
    "contest_sentences",
    "pct",
    "pct_range",
    "reference_words",
    "rounded",
    "short_name",
    "with_sentences",
]


# ---- recall petitions (docs/recalls.md) -------------------------------------------------------

#: A petition's verdict as the first words of its sentence.
_VERDICT_WORDS = {
    "filed": "Filed, not yet verified",
    "full count needed": "Every signature must be checked",
    "projected to qualify": "Projected to qualify",
    "projected to fail": "Projected to fail",
    "qualified": "Qualified",
    "failed": "Failed",
}


def petition_sentence(verdict: str | None, reason: str, as_of: str | None = None) -> str:
    """A petition's verdict in clear words, then why: "Failed: the full count found 520,050
    valid signatures against 566,857 required: insufficient by 46,807 (EC §11224(a))."."""
    if verdict is None:
        known = f"on {as_of}" if as_of else "yet"
        return f"Nothing is known of this petition {known}."
    return f"{_VERDICT_WORDS[verdict]}: {reason}."


def count_progress_sentence(rest_must_be: Fraction, so_far: Fraction) -> str:
    """What a full count under way needs: "the rest must be 83.4% valid; 72.6% so far", or
    that it cannot (more than all the rest) or already has (none of the rest)."""
    if rest_must_be > 1:
        return f"even if every signature left were valid it would fall short; {pct(float(so_far))} so far"
    if rest_must_be <= 0:
        return f"enough valid signatures already; {pct(float(so_far))} so far"
    return f"the rest must be {pct(float(rest_must_be))} valid; {pct(float(so_far))} so far"


_CATEGORY_NAMES = {"vbm": "vote by mail", "cvr": "conditional voter registration"}


def by_type_words(by_type: Sequence[BallotsLeftByType]) -> str:
    """The registrar's estimate by kind of ballot, in words, with what each kind's counter took
    in since: "of the registrar's estimate, 89,000 by mail (45,999 counted since: about 43,001
    left); 98,300 in person (conditional voter registration 87,000, provisional 11,300; 6,393
    counted since: about 91,907 left)". Empty without a breakdown."""
    parts = []
    for t in by_type:
        inside = []
        if len(t.categories) > 1 or t.kind == "in person":
            inside.append(
                ", ".join(f"{_CATEGORY_NAMES.get(k, k)} {v:,}" for k, v in t.categories.items())
            )
        if t.counted_since is not None:
            inside.append(f"{t.counted_since:,} counted since: about {t.left:,} left")
        elif t.kind not in KIND_COUNTERS:
            inside.append("no counter tells it apart")
        kind = t.kind if t.kind in KIND_COUNTERS else _CATEGORY_NAMES.get(t.kind, t.kind)
        parts.append(f"{t.estimated:,} {kind}" + (f" ({'; '.join(inside)})" if inside else ""))
    return "of the registrar's estimate, " + "; ".join(parts) if parts else ""
