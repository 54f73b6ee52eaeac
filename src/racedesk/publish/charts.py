"""What a contest page's two charts draw (:func:`chart_data`): each leading choice's share after
every release with the projection's interval of its final share, and the trailing choice's share
of each batch of votes against the share it needed, on its hurdle's own denominator
(``calls-and-hurdles.md``).

Both charts are drawn against time: x is each release's feed time (:func:`release_times`), so a
week before election day is wider than ten minutes on the night. Each choice keeps one colour
(:func:`choice_colour`, from its place on the ballot), whoever leads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from racedesk.model import Choice, Contest
from racedesk.model.answers import ContestState, Projection, Snapshot, Standing
from racedesk.publish.contest_part import choice_name
from racedesk.store.base import StoredRelease

#: At most this many choices get a line in the shares chart (the leaders at the latest release).
CHART_CHOICES = 8

#: The choices' colours, in ballot order; distinct for the first ten choices of a contest.
PALETTE = (
    "#1f5fbf",
    "#c2410c",
    "#15803d",
    "#7e22ce",
    "#b91c1c",
    "#0e7490",
    "#a16207",
    "#db2777",
    "#4d7c0f",
    "#4b5563",
)


def choice_colour(contest: Contest, choice_id: str) -> str:
    """The colour a choice is drawn in, on every page and at every release: the palette's
    colour at the choice's place on the ballot (the contest's own order of choices, which no
    count changes), so the colours never swap when the lead does."""
    ids = [c.id for c in contest.choices]
    place = ids.index(choice_id) if choice_id in ids else len(ids)
    return PALETTE[place % len(PALETTE)]


def release_times(stored: Sequence[StoredRelease]) -> list[int]:
    """The x of each release on the charts' time axis: its feed time, in seconds since the
    epoch. A release held out for an implausible feed time (``implausible-time``, a typo'd
    2124) is drawn at the release before it rather than stretch the axis by a century; and the
    axis never goes back (a feed time earlier than the release before it is drawn there)."""
    times: list[int] = []
    for s in stored:
        moment = int(s.release.feed_time.timestamp())
        if any(p.code == "implausible-time" for p in s.problems) and times:
            moment = times[-1]
        times.append(max(moment, times[-1]) if times else moment)
    return times


def batch_share(
    contest: Contest,
    before: ContestState,
    after: ContestState,
    choice_id: str,
    standing: Standing,
) -> float | None:
    """The share of the votes counted between two releases (a *batch*) that went to
    ``choice_id``, on the denominator its hurdle is stated on (``Standing.denominator``;
    ``calls-and-hurdles.md``: a hurdle and the batch shares beside it share one denominator):

    - "two-way share of the votes left for A and B": Δchoice / (Δchoice + Δrival);
    - "share of all votes left going to others than L": (Δall − ΔL) / Δall, write-ins included;
    - any other "share of all votes left …": Δchoice / Δall, write-ins included;
    - otherwise ("share of the yes+no votes left", or none stated): Δchoice / Δ(every choice's
      votes).

    None when either release was not usable, or the batch added no votes on that denominator,
    or a count went down (a batch share across a torn or corrected release would be garbage).
    """
    if not (before.usable and after.usable):
        return None
    added = {c.id: after.votes.get(c.id, 0) - before.votes.get(c.id, 0) for c in contest.choices}
    if any(v < 0 for v in added.values()):
        return None
    all_votes = after.total_votes - before.total_votes
    text = standing.denominator
    if text.startswith("two-way") and standing.rival:
        part, total = (
            added.get(choice_id, 0),
            added.get(choice_id, 0) + added.get(standing.rival, 0),
        )
    elif text.startswith("share of all votes left going to others than") and standing.rival:
        part, total = all_votes - added.get(standing.rival, 0), all_votes
    elif text.startswith("share of all votes left"):
        part, total = added.get(choice_id, 0), all_votes
    else:
        part, total = added.get(choice_id, 0), sum(added.values())
    if total <= 0 or not 0 <= part <= total:
        return None
    return part / total


def _trailer(states: Sequence[ContestState]) -> Standing | None:
    """The choice whose hurdle the batch chart follows: at the latest release where some
    choice was still contending with a stated hurdle, the best-placed such choice that is not
    leading (the trailing candidate, or the side of a measure that is behind), else the
    leading one (a leader's majority, a measure's yes)."""
    for state in reversed(states):
        open_ = [s for s in state.standings if s.status == "contending" and s.needs is not None]
        if not open_:
            continue
        behind = [s for s in open_ if s.choice_id not in state.leaders]
        return max(behind, key=lambda s: s.votes) if behind else open_[0]
    return None


def chart_data(
    contest: Contest,
    states: Sequence[ContestState],
    snapshots: Callable[[int], Snapshot],
    labels: Sequence[str],
    times: Sequence[int],
    zone: str,
) -> dict[str, Any]:
    """What the contest page's two charts draw, for releases 0…n (``states[i]`` after release
    ``i``, fed at ``times[i]``, :func:`release_times`; ``labels[i]`` its feed time in words,
    times on the axis told in the election's ``zone``):

    - ``shares``: each leading choice's share after every release, with the projection's
      central interval of its final share (``Projection.level``, 90%);
    - ``batch``: the trailing choice's share of each batch against the share it needed of the
      votes left after that batch (low–high), on the hurdle's own denominator;
    - ``first``: the first release that counts a vote in the contest, where the time axis
      starts (a feed's zero report, a week before election day, has nothing to draw).
    """
    last = states[-1] if states else None
    order = sorted(
        contest.choices,
        key=lambda c: (-(last.votes.get(c.id, 0) if last else 0), contest.choices.index(c)),
    )[:CHART_CHOICES]
    projections = [snapshots(s.release_sequence).projections.get(contest.id) for s in states]
    levels = [p.level for p in projections if p is not None]
    trailer = _trailer(states)
    return {
        "labels": list(labels),
        "times": list(times),
        "zone": zone,
        "level": levels[-1] if levels and order else None,
        "series": [_share_series(contest, choice, states, projections) for choice in order],
        "batch": _batch_series(contest, states, trailer) if trailer is not None else None,
        "first": next((i for i, s in enumerate(states) if s.total_votes > 0), 0),
    }


def _share_series(
    contest: Contest,
    choice: Choice,
    states: Sequence[ContestState],
    projections: Sequence[Projection | None],
) -> dict[str, Any]:
    """One line of the shares chart: the choice's share after each release (none before any
    vote is counted) and the projection's interval of its final share."""
    shares: list[float | None] = []
    low: list[float | None] = []
    high: list[float | None] = []
    for state, proj in zip(states, projections, strict=True):
        counted = state.total_votes > 0
        shares.append(round(state.shares.get(choice.id, 0.0), 6) if counted else None)
        cp = next((p for p in proj.choices if p.choice_id == choice.id), None) if proj else None
        low.append(round(cp.share_low, 6) if cp and counted else None)
        high.append(round(cp.share_high, 6) if cp and counted else None)
    return {
        "id": choice.id,
        "name": choice_name(choice.name, contest.kind),
        "colour": choice_colour(contest, choice.id),
        "shares": shares,
        "low": low,
        "high": high,
    }


def _batch_series(
    contest: Contest, states: Sequence[ContestState], trailer: Standing
) -> dict[str, Any]:
    """The batch chart: the ``trailer``'s share of each batch (none for the first release)
    against the share it needed of the votes left after it (low, mid, high; none before a vote
    is counted)."""
    names = {c.id: choice_name(c.name, contest.kind) for c in contest.choices}
    shares: list[float | None] = [None]
    need_low: list[float | None] = []
    need_mid: list[float | None] = []
    need_high: list[float | None] = []
    for i, state in enumerate(states):
        standing = next((s for s in state.standings if s.choice_id == trailer.choice_id), None)
        if i > 0 and standing is not None:
            share = batch_share(contest, states[i - 1], state, trailer.choice_id, standing)
            shares.append(round(share, 6) if share is not None else None)
        elif i > 0:
            shares.append(None)
        contending = (
            standing is not None and standing.status == "contending" and state.total_votes > 0
        )
        iv = standing.needs if standing is not None and contending else None
        need_low.append(round(iv.low, 6) if iv else None)
        need_mid.append(round(iv.mid, 6) if iv else None)
        need_high.append(round(iv.high, 6) if iv else None)
    return {
        "id": trailer.choice_id,
        "name": names.get(trailer.choice_id, trailer.choice_id),
        "colour": choice_colour(contest, trailer.choice_id),
        "rival": names.get(trailer.rival, trailer.rival) if trailer.rival else "",
        "goal": trailer.goal,
        "denominator": trailer.denominator,
        "shares": shares,
        "need_low": need_low,
        "need_mid": need_mid,
        "need_high": need_high,
    }
