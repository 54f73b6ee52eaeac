"""A contest's state after a release: shares, leaders, margin and every choice's standing.

For each rule of ``../shared/domain/calls-and-hurdles.md`` (written out in ``docs/hurdles.md``):

- **plurality** (EC §15452; vote for N elects N): a choice's place among the top ``seats`` is
  clinched or eliminated exactly (see :mod:`racedesk.engine.hurdle`); a choice still contending
  needs a share of the **two-way** votes left against the choice at the edge of the winning
  places (the last winner, or for a winner the first loser);
- **majority or runoff** (EC §8140–8142): the leader needs t = (½(V + R) − v_L) / R of all votes
  left, write-ins included, for a majority: a majority is clinched when the leader stays above
  half even if every vote left goes to others, and a runoff is certain when the leader cannot pass
  half even with every ballot left; the places in the runoff are top-``advance`` places, and
  tied candidates for the last place all advance (EC §8142);
- **top two** (Prop 14): top-``advance`` places;
- **measures** at threshold q (½ strictly, 55% and ⅔ at least) and **recalls** (q = ½): yes
  needs (q(V + R) − yes) / R of the yes+no votes left; a conditional threshold ("2/3, 55% if
  prop 5 passes") is settled only when both thresholds agree; a text racedesk cannot read leaves
  the standing unknown.

Shares are of the votes for the named choices, as the registrar shows them (write-ins are not in
the denominator); a hurdle states its own denominator in ``Standing.denominator``. A hurdle is
never shown outside 0–100%: beyond it the choice is clinched or eliminated, and with no estimate
of the votes left its standing is unknown. The status (clinched, eliminated) holds at the
**high** end of the votes-left interval, where the most can still change; ``needs`` is an
interval over the whole votes-left interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Final

from racedesk.engine.hurdle import (
    all_way_needs,
    clinched_place,
    clip,
    eliminated_place,
    kth_rivals,
    reaches_threshold,
    threshold_clinched,
    threshold_eliminated,
    threshold_needs,
    two_way_needs,
)
from racedesk.engine.types import (
    ContestState,
    Interval,
    Problem,
    Standing,
    StandingStatus,
    VotesLeft,
)
from racedesk.model import RULE_NAMES, Contest, ContestCount, Release

HALF: Final = Fraction(1, 2)
_PARTICLES: Final = frozenset(
    {"DE", "DEL", "DELA", "LA", "LAS", "LOS", "VAN", "VON", "DA", "DI", "DU", "LE", "ST.", "ST"}
)
_SUFFIXES: Final = frozenset({"JR", "JR.", "SR", "SR.", "II", "III", "IV"})
_YES_WORDS: Final = ("YES", "FOR", "SI")
_NO_WORDS: Final = ("NO", "AGAINST")


# --- names ----------------------------------------------------------------------------------


def short_name(name: str) -> str:
    """The name used in phrases: a candidate's surname with its particles ("NATHAN HOCHMAN" →
    "Hochman", "CLAUDIA DE LA CRUZ" → "De La Cruz"), title-cased when the feed shouts."""
    words = name.split()
    if not words:
        return name
    while len(words) > 1 and words[-1].upper().rstrip(",") in _SUFFIXES:
        words.pop()
    start = len(words) - 1
    while start > 1 and words[start - 1].upper() in _PARTICLES:
        start -= 1
    short = " ".join(words[start:]).rstrip(",")
    return short.title() if short.isupper() else short


def name_list(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class _ContestInfo:
    """What contest_state needs of a contest, worked out once per contest."""

    __slots__ = ("contest", "ids", "names", "no", "rule_text", "thresholds", "yes")

    def __init__(self, contest: Contest) -> None:
        self.contest = contest
        self.ids = [c.id for c in contest.choices]
        shorts = [short_name(c.name) for c in contest.choices]
        if len(set(shorts)) < len(shorts):
            shorts = [c.name for c in contest.choices]
        self.names = shorts
        rule = contest.rule
        self.rule_text = rule.text or RULE_NAMES.get(rule.kind, rule.kind)
        self.yes, self.no = _yes_no(contest)
        qs: list[tuple[Fraction, bool, str]] = []
        if rule.kind in ("measure", "recall"):
            for text in (rule.threshold, rule.alt_threshold):
                if text is None:
                    continue
                try:
                    q = Fraction(text)
                except (ValueError, ZeroDivisionError):
                    qs = []
                    break
                qs.append((q, q == HALF, _threshold_words(q)))
            if rule.threshold is None:
                qs = []
        self.thresholds = qs


def _yes_no(contest: Contest) -> tuple[int, int]:
    """Positions of a measure's yes and no choices, from their names (else ballot order)."""
    yes = no = -1
    for i, c in enumerate(contest.choices):
        first = (c.name.strip().upper().split() or [""])[0].rstrip(".,:")
        if yes < 0 and first in _YES_WORDS:
            yes = i
        elif no < 0 and first in _NO_WORDS:
            no = i
    if (yes < 0 or no < 0) and len(contest.choices) == 2:
        yes, no = 0, 1
    return yes, no


def _threshold_words(q: Fraction) -> str:
    if q == HALF:
        return "a majority"
    if q.denominator in (3, 4):
        return f"{q.numerator}/{q.denominator}"
    return f"{float(q) * 100:g}%"


_INFO: dict[int, _ContestInfo] = {}


def _info(contest: Contest) -> _ContestInfo:
    hit = _INFO.get(id(contest))
    if hit is not None and hit.contest is contest:
        return hit
    if len(_INFO) > 4096:
        _INFO.clear()
    info = _ContestInfo(contest)
    _INFO[id(contest)] = info
    return info


# --- the state --------------------------------------------------------------------------------


class _Tally:
    """The count of one contest, ranked, with the votes left at their three points."""

    __slots__ = (
        "b_high",
        "ids",
        "left",
        "left_high",
        "names",
        "order",
        "position",
        "ranked",
        "shown",
        "total",
        "votes",
    )

    def __init__(
        self,
        info: _ContestInfo,
        count: ContestCount | None,
        votes_left: VotesLeft,
        votes_allowed: int,
    ) -> None:
        self.ids = info.ids
        self.names = info.names
        got = count.votes if count is not None else {}
        self.votes = [got.get(i, 0) for i in info.ids]
        self.shown = sum(self.votes)
        self.total = self.shown + (count.write_ins if count is not None else 0)
        votes = self.votes
        self.order = sorted(range(len(votes)), key=lambda i: -votes[i])
        self.ranked = [votes[i] for i in self.order]
        self.position = [0] * len(votes)
        for p, i in enumerate(self.order):
            self.position[i] = p
        r, b = votes_left.votes, votes_left.ballots
        if r is None or b is None:
            self.left: tuple[float, float, float] | None = None
            self.left_high = self.b_high = 0.0
        else:
            # Votes left never exceed votes_allowed per ballot left, and are never negative.
            a = votes_allowed
            self.left = (
                max(0.0, min(r.low, a * b.low)),
                max(0.0, min(r.mid, a * b.mid)),
                max(0.0, min(r.high, a * b.high)),
            )
            self.left_high = self.left[2]
            self.b_high = max(0.0, b.high)


def contest_state(
    contest: Contest,
    count: ContestCount | None,
    release: Release,
    votes_left: VotesLeft,
    *,
    problems: Sequence[Problem] = (),
) -> ContestState:
    """The state of ``contest`` after ``release``: its count, leaders, margin and standings.

    ``count`` is the contest's count in the release (None when the release does not have the
    contest: every choice then has zero votes); ``votes_left`` comes from
    :func:`racedesk.engine.votes_left.contest_votes_left`; ``problems`` are the release's
    problems, of which those of this contest (and the release-wide ones) are kept.

    ``leaders`` are the winning places as counted: the top ``seats`` (plurality), the top
    ``advance`` with ties for the last place (runoff rules; the leader alone when above half),
    YES or NO (measures). ``margin_votes``/``margin_share`` separate the last winning place from
    the next (for measures: yes against its threshold).
    """
    info = _info(contest)
    rule = contest.rule
    tally = _Tally(info, count, votes_left, rule.votes_allowed)
    kind = rule.kind
    if kind in ("measure", "recall"):
        leaders, margin_votes, margin_share, standings, outcome = _measure(info, tally)
    elif kind == "majority_or_runoff" and rule.seats == 1:
        leaders, margin_votes, margin_share, standings, outcome = _majority(
            rule.advance or 2, tally
        )
    else:
        seats = rule.seats if kind == "plurality" else (rule.advance or 2 * rule.seats)
        leaders, margin_votes, margin_share, standings, outcome = _places(
            seats, kind != "plurality", tally
        )
        if kind == "majority_or_runoff":
            outcome += " (a majority for several seats is not evaluated)"
    if tally.total == 0:
        outcome = "too early"
    shown = tally.shown
    mine = tuple(p for p in problems if p.contest_id in ("", contest.id))
    return ContestState(
        contest_id=contest.id,
        title=contest.title,
        rule=info.rule_text,
        release_sequence=release.sequence if release.sequence is not None else -1,
        feed_time=release.feed_time,
        release_hash=release.content_hash,
        votes=dict(zip(info.ids, tally.votes, strict=True)),
        shares={
            i: (v / shown if shown else 0.0) for i, v in zip(info.ids, tally.votes, strict=True)
        },
        total_votes=tally.total,
        write_ins=tally.total - shown,
        ballots=count.ballots if count is not None else None,
        leaders=leaders,
        margin_votes=margin_votes,
        margin_share=margin_share,
        votes_left=votes_left,
        standings=standings,
        outcome=outcome,
        usable=not any(p.blocking for p in mine),
        problems=mine,
    )


_Result = tuple[tuple[str, ...], int, float, tuple[Standing, ...], str]


def _interval(low: float, mid: float, high: float) -> Interval:
    """An interval of hurdles, clipped to 0–100% and put in order."""
    a, m, b = clip(low), clip(mid), clip(high)
    if a > b:
        a, b = b, a
    return Interval(low=a, high=b, mid=min(max(m, a), b))


def _margin(t: _Tally, places: int) -> tuple[int, float]:
    ranked = t.ranked
    if not ranked or places <= 0:
        return 0, 0.0
    places = min(places, len(ranked))
    nxt = ranked[places] if places < len(ranked) else 0
    votes = ranked[places - 1] - nxt
    return votes, (votes / t.shown if t.shown else 0.0)


def _winning(t: _Tally, places: int, ties_advance: bool) -> tuple[str, ...]:
    """The ids in the winning places; with ``ties_advance``, those tied with the last place too."""
    ranked, order = t.ranked, t.order
    if t.total == 0:
        return ()
    n = min(places, len(ranked))
    if ties_advance and n > 0:
        while n < len(ranked) and ranked[n] == ranked[n - 1]:
            n += 1
    return tuple(t.ids[i] for i in order[:n])


def _place_standing(t: _Tally, i: int, k: int, goal: str) -> Standing:
    """Standing of choice ``i`` for a place among the top ``k`` (exact clinch and elimination;
    the need on the two-way denominator against the choice at the edge of the top ``k``)."""
    v = t.votes[i]
    p = t.position[i]
    n = len(t.ranked)
    inside = p < k
    edge = t.order[k] if inside and k < n else t.order[k - 1] if not inside else -1
    rival = t.ids[edge] if edge >= 0 else ""
    base = {
        "choice_id": t.ids[i],
        "name": t.names[i],
        "votes": v,
        "share": v / t.shown if t.shown else 0.0,
        "goal": goal,
        "rival": rival,
    }
    if t.left is None:
        return Standing(status="unknown", **base)
    rivals = kth_rivals(t.ranked, p, k)
    if clinched_place(v, rivals, k, t.b_high, t.left_high):
        return Standing(status="clinched", **base)
    if eliminated_place(v, rivals, k, t.b_high, t.left_high):
        return Standing(status="eliminated", **base)
    # Contending, so there is a rival at the edge of the top k (fewer rivals than k clinches).
    needs, denominator = _pair_needs(t, i, edge, inside)
    return Standing(status="contending", needs=needs, denominator=denominator, **base)


def _pair_needs(t: _Tally, i: int, rival: int, ahead: bool) -> tuple[Interval, str]:
    """What choice ``i`` needs against ``rival``: the two-way share of the votes left for the
    two that draws level; when the two-way split cannot say it (the lead exceeds the two-way
    votes left but not all votes left), the share of all votes left with the others getting
    none."""
    vi, vr = t.votes[i], t.votes[rival]
    hi_v, lo_v = (vi, vr) if ahead else (vr, vi)
    others = t.total - vi - vr
    lo, mid, hi = t.left  # type: ignore[misc]
    raw = [two_way_needs(hi_v, lo_v, others, x) for x in (lo, mid, hi)]
    if 0.0 <= raw[1] <= 1.0 or others == 0:
        denominator = f"two-way share of the votes left for {t.names[i]} and {t.names[rival]}"
    else:
        lead = hi_v - lo_v
        raw = [all_way_needs(lead, x) for x in (lo, mid, hi)]
        denominator = "share of all votes left, if the other choices get none"
    if ahead:
        raw = [1.0 - x for x in raw]
    return _interval(min(raw), raw[1], max(raw)), denominator


def _places(k: int, ties_advance: bool, t: _Tally) -> _Result:
    """Plurality vote for N (k = seats) and top-two (k = advance) contests."""
    goal = (
        ("to win" if k == 1 else f"to win one of the {k} seats")
        if not ties_advance
        else f"to finish in the top {k}"
    )
    standings = tuple(_place_standing(t, i, k, goal) for i in range(len(t.votes)))
    leaders = _winning(t, k, ties_advance)
    margin_votes, margin_share = _margin(t, k)
    return (
        leaders,
        margin_votes,
        margin_share,
        standings,
        _places_outcome(t, k, ties_advance, standings, leaders),
    )


def _places_outcome(
    t: _Tally, k: int, ties_advance: bool, standings: tuple[Standing, ...], leaders: tuple[str, ...]
) -> str:
    if not t.votes:
        return "no named choices"
    tie_note = ""
    if not ties_advance and t.total > 0 and len(t.ranked) > k and t.ranked[k - 1] == t.ranked[k]:
        tied = [t.names[i] for i in t.order if t.votes[i] == t.ranked[k - 1]]
        if k == 1:
            return f"{name_list(tied)} tied"
        tie_note = f"; {name_list(tied)} tied for the last seat"
    status = {s.choice_id: s.status for s in standings}
    short = dict(zip(t.ids, t.names, strict=True))
    done = [short[c] for c in leaders if status[c] == "clinched"]
    open_ = [short[c] for c in leaders if status[c] != "clinched"]
    settled = f"{name_list(done)} {'advance' if ties_advance else 'clinched'}"
    leading = f"{name_list(open_)} {'lead' if len(open_) > 1 else 'leads'}"
    if done and not open_:
        text = settled
    elif done:
        text = f"{settled}; {leading}"
    else:
        text = leading
    return text + tie_note


def _majority(k: int, t: _Tally) -> _Result:
    """Majority or top-``k`` runoff, one seat (EC §8140–8142)."""
    n = len(t.votes)
    if n == 0:
        return (), 0, 0.0, (), "no named choices"
    lead = t.order[0]
    v_lead = t.votes[lead]
    majority_now = t.total > 0 and 2 * v_lead > t.total
    goal_top = f"to finish in the top {k}"
    maj_clinched = runoff_certain = False
    t_needs: list[float] = []
    if t.left is not None:
        left = t.left_high
        gain = min(t.b_high, left)
        maj_clinched = threshold_clinched(v_lead, t.total, left, HALF, True)
        runoff_certain = not reaches_threshold(v_lead + gain, t.total + gain, HALF, True)
        t_needs = [threshold_needs(v_lead, t.total, x, HALF) for x in t.left]
    standings: list[Standing] = []
    for i in range(n):
        v = t.votes[i]
        base_share = v / t.shown if t.shown else 0.0
        if i == lead and not runoff_certain:
            if t.left is None:
                status: StandingStatus = "unknown"
                st = Standing(
                    choice_id=t.ids[i],
                    name=t.names[i],
                    votes=v,
                    share=base_share,
                    status=status,
                    goal="for a majority",
                )
            elif maj_clinched:
                st = Standing(
                    choice_id=t.ids[i],
                    name=t.names[i],
                    votes=v,
                    share=base_share,
                    status="clinched",
                    goal="for a majority",
                )
            else:
                st = Standing(
                    choice_id=t.ids[i],
                    name=t.names[i],
                    votes=v,
                    share=base_share,
                    status="contending",
                    goal="for a majority",
                    needs=_interval(min(t_needs), t_needs[1], max(t_needs)),
                    denominator="share of all votes left, write-ins included",
                )
            standings.append(st)
            continue
        st = _place_standing(t, i, k, goal_top)
        if t.left is not None and i != lead:
            if maj_clinched:
                st = _restate(st, "eliminated")
            elif st.status == "clinched" and not runoff_certain:
                # The runoff place is safe; whether there is a runoff hangs on the leader's
                # majority: the others together must take more than 1 − t of the votes left.
                st = Standing(
                    choice_id=st.choice_id,
                    name=st.name,
                    votes=st.votes,
                    share=st.share,
                    status="contending",
                    goal="to reach a runoff",
                    needs=_interval(1 - max(t_needs), 1 - t_needs[1], 1 - min(t_needs)),
                    denominator=f"share of all votes left going to others than {t.names[lead]}",
                    rival=t.ids[lead],
                )
        standings.append(st)
    places = 1 if majority_now else k
    leaders = (t.ids[lead],) if majority_now else _winning(t, k, True)
    margin_votes, margin_share = _margin(t, places)
    name = t.names[lead]
    if maj_clinched:
        outcome = f"majority clinched by {name}"
    elif runoff_certain:
        pair = [t.names[t.ids.index(c)] for c in leaders]
        settled = all(s.status == "clinched" for s in standings if s.choice_id in leaders)
        outcome = f"runoff certain: {name_list(pair)} {'advance' if settled else 'lead'}"
    elif majority_now:
        outcome = f"{name} leads with a majority so far"
    else:
        outcome = f"{name} leads, short of a majority"
    return leaders, margin_votes, margin_share, tuple(standings), outcome


def _restate(st: Standing, status: StandingStatus) -> Standing:
    return Standing(
        choice_id=st.choice_id,
        name=st.name,
        votes=st.votes,
        share=st.share,
        status=status,
        goal=st.goal,
        rival=st.rival,
    )


def _measure(info: _ContestInfo, t: _Tally) -> _Result:
    """Measures and recalls: yes against its threshold(s), on the yes+no votes."""
    if info.yes < 0 or info.no < 0:
        standings = tuple(
            Standing(
                choice_id=t.ids[i],
                name=t.names[i],
                votes=t.votes[i],
                share=t.votes[i] / t.shown if t.shown else 0.0,
                status="unknown",
                goal="",
            )
            for i in range(len(t.votes))
        )
        return (), 0, 0.0, standings, "cannot tell yes from no"
    y, no = info.yes, info.no
    yes, nay = t.votes[y], t.votes[no]
    total = yes + nay
    share_yes = yes / total if total else 0.0
    share_no = nay / total if total else 0.0
    qs = info.thresholds
    if not qs:
        standings = (
            Standing(
                choice_id=t.ids[y],
                name=t.names[y],
                votes=yes,
                share=share_yes,
                status="unknown",
                goal="to pass",
            ),
            Standing(
                choice_id=t.ids[no],
                name=t.names[no],
                votes=nay,
                share=share_no,
                status="unknown",
                goal="to defeat it",
            ),
        )
        return (), 0, 0.0, standings, f"rule unknown: {info.contest.rule.text!r}"
    q0, _, words0 = qs[0]
    passing = (
        [reaches_threshold(yes, total, q, s) for q, s, _ in qs] if total else [False] * len(qs)
    )
    goal = f"to pass with {words0}" if q0 == HALF else f"to pass at {words0}"
    if len(qs) > 1:
        goal += f" ({qs[1][2]} if {info.contest.rule.condition or 'its condition holds'})"
    status_yes: StandingStatus = "unknown"
    needs_yes: Interval | None = None
    needs_no: Interval | None = None
    if t.left is not None:
        left = t.left_high
        clinched = [threshold_clinched(yes, total, left, q, s) for q, s, _ in qs]
        eliminated = [threshold_eliminated(yes, total, t.b_high, left, q, s) for q, s, _ in qs]
        if all(clinched):
            status_yes = "clinched"
        elif all(eliminated):
            status_yes = "eliminated"
        else:
            status_yes = "contending"
            raw = [[threshold_needs(yes, total, x, q) for x in t.left] for q, _, _ in qs]
            lows = [clip(min(r)) for r in raw]
            highs = [clip(max(r)) for r in raw]
            needs_yes = _interval(min(lows), raw[0][1], max(highs))
            needs_no = _interval(1 - needs_yes.high, 1 - needs_yes.mid, 1 - needs_yes.low)
    status_no: StandingStatus = {"clinched": "eliminated", "eliminated": "clinched"}.get(
        status_yes, status_yes
    )  # type: ignore[assignment]
    denominator = "share of the yes+no votes left"
    if len(qs) > 1 and needs_yes is not None:
        denominator += f" (the range spans {qs[1][2]} and {words0})"
    standings = (
        Standing(
            choice_id=t.ids[y],
            name=t.names[y],
            votes=yes,
            share=share_yes,
            status=status_yes,
            goal=goal,
            needs=needs_yes,
            denominator=denominator if needs_yes else "",
            rival=t.ids[no],
        ),
        Standing(
            choice_id=t.ids[no],
            name=t.names[no],
            votes=nay,
            share=share_no,
            status=status_no,
            goal="to defeat it",
            needs=needs_no,
            denominator=denominator if needs_no else "",
            rival=t.ids[y],
        ),
    )
    leaders = () if not total else ((t.ids[y],) if passing[0] else (t.ids[no],))
    gap = abs(yes * q0.denominator - q0.numerator * total)
    margin_votes = gap // q0.denominator
    margin_share = abs(share_yes - float(q0)) if total else 0.0
    if status_yes == "clinched":
        outcome = "passes"
    elif status_yes == "eliminated":
        outcome = "fails"
    elif len(qs) > 1 and passing[0] != passing[1]:
        outcome = ", ".join(
            f"{'passing' if ok else 'failing'} at {w}"
            for ok, (_, _, w) in zip(passing, qs, strict=True)
        )
    else:
        outcome = "passing" if passing[0] else "failing"
    return leaders, margin_votes, margin_share, standings, outcome


__all__ = ["contest_state", "name_list", "short_name"]
