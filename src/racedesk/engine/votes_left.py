"""Ballots left in the county, and votes left in each contest, as intervals.

Definitions: ``../shared/domain/calls-and-hurdles.md`` ("Votes left") and ``docs/hurdles.md``.

County-wide, from the best source known at the release:

1. the registrar's latest estimate (an :class:`~racedesk.model.OutstandingReport` with a total):
   its total less the ballots counted since (EBLT now − EBLT of the last release at or before
   the report), never below 0. The estimates made up to the day after election day leave out
   the mail still in the post (LA's rose from 618,200 to 791,200 in a day in Nov 2020, and one
   of Mar 6, 2024 was 76% short); later ones rose by 2% at most; and late in a canvass they
   overstate what is left (ballots awaiting signature cure are rejected). The interval allows
   all three: ``params.report_rise`` up to ``first_estimate_days`` after election day,
   ``report_rise_later`` after, ``report_fall`` always;
2. else the model: registration × the turnout prior of the election's kind, less the ballots
   counted, floored at 0, with the hard upper bound registration − counted (each registered
   voter casts at most one ballot) as the high end;
3. else, for a feed with neither (the Secretary of State's), the count's pace: by so many days
   after the polls closed, a share of the final count is in (``params.count_pace_*``, measured
   on past canvasses), so the ballots left are the ballots counted × (1 / share − 1), each
   contest's votes left its own votes × the same (a district is counted at the pace of the
   whole, within the interval, but one carried on under ``params.pace_part_share`` of the
   ballots counted may lag it as far as ``params.count_pace_least_part`` allows: one slow county
   can hold most of a district);
4. else nothing: no estimate, and every standing is unknown.

Per contest: the county's ballots left × the contest's share of them (its CBLT / EBLT so far;
a district contest sees only its district's share) = the contest's ``ballots`` left; × votes
per ballot (its votes with write-ins / CBLT, which holds the roll-off and up to N votes per
ballot) = its ``votes`` left. Both shares are uncertain: late ballots come from other places and
vote further down the ballot than early ones, so the interval spans ``params.coverage_low`` to
``coverage_high`` times the share so far and ``rolloff_low`` to ``rolloff_high`` times the votes
per ballot so far, widened to take in the last ``recent_releases`` batches.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec
import numpy as np
import numpy.typing as npt

from racedesk.engine.index import ElectionIndex
from racedesk.engine.joined import member_election, member_views
from racedesk.engine.params import ModelParams
from racedesk.model import Contest, ContestCount, Election, OutstandingReport, Release
from racedesk.model.answers import (
    BallotsLeft,
    BallotsLeftByType,
    Interval,
    VotesLeft,
    VotesLeftSource,
)

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def ballots_counted(release: Release, election: Election) -> int:
    """Ballots counted county-wide: the feed's EBLT, or where a format has none, the most
    ballots any contest shows (its CBLT, else its votes / votes allowed, rounded up): a lower
    bound, which makes the ballots left an upper bound."""
    if release.ballots_counted is not None:
        return release.ballots_counted
    allowed = {c.id: c.rule.votes_allowed for c in election.contests}
    best = 0
    for c in release.contests:
        seen = (
            c.ballots
            if c.ballots is not None
            else -(-c.total_votes // allowed.get(c.contest_id, 1))
        )
        best = max(best, seen)
    return best


def _whole(x: float) -> float:
    return float(max(0, round(x)))


_GUESSED = (
    "; the feed gives no ballots counted county-wide, so they are taken from the contest with "
    "the most"
)


def county_ballots_left(
    election: Election,
    good: Sequence[Release],
    reports: Sequence[OutstandingReport],
    params: ModelParams,
) -> BallotsLeft:
    """County-wide ballots left after the last release of ``good`` (the usable releases so far).

    ``reports`` are the registrar's estimates known at that time. The answer says its
    ``source`` ("registrar", "model", "registration bound" or "none"), the report's ``as_of``
    and, in ``note``, a plain sentence of how it was reached.
    """
    latest = good[-1] if good else None
    counted = ballots_counted(latest, election) if latest is not None else 0
    guessed = latest is not None and latest.ballots_counted is None
    reg = election.registration
    cap = max(0, reg - counted) if reg is not None else None
    with_total = [r for r in reports if r.total is not None]
    if with_total:
        report = max(with_total, key=lambda r: r.as_of)
        left = _from_registrar(election, good, report, with_total, counted, cap, params)
    elif (reg is None or cap is None) and latest is not None and counted > 0:
        return _from_pace(election, latest, counted, params)
    elif reg is None or cap is None:
        return BallotsLeft(
            ballots=None,
            source="none",
            note="no registrar's estimate and no registration: the ballots left are unknown",
        )
    else:
        left = _from_turnout(election, reg, counted, cap, params)
    if guessed and left.source != "registration bound":
        left = msgspec.structs.replace(left, note=left.note + _GUESSED)
    return left


def _release_at(good: Sequence[Release], when: datetime) -> Release | None:
    """The last release of ``good`` published at or before ``when``."""
    found = None
    for r in good:
        if r.feed_time <= when:
            found = r
        else:
            break
    return found


def _counted_at(election: Election, at_report: Release | None, report: OutstandingReport) -> int:
    """The ballots counted when ``report`` was made: by ``at_report``, the last release at or
    before it, else as the report says."""
    if at_report is not None:
        return ballots_counted(at_report, election)
    return report.counted_so_far or 0


def _is_early(election: Election, report: OutstandingReport, params: ModelParams) -> bool:
    first = election.date + timedelta(days=params.first_estimate_days)
    return report.as_of.date() <= first


def _later_estimates(
    election: Election,
    good: Sequence[Release],
    reports: Sequence[OutstandingReport],
    params: ModelParams,
) -> list[tuple[int, int]]:
    """The registrar's estimates made after ``first_estimate_days``, in time order, each as
    (ballots counted when it was made, its total)."""
    later = sorted(
        (r for r in reports if r.total is not None and not _is_early(election, r, params)),
        key=lambda r: r.as_of,
    )
    return [(_counted_at(election, _release_at(good, r.as_of), r), r.total or 0) for r in later]


def estimates_held(later: Sequence[tuple[int, int]], params: ModelParams) -> bool:
    """Whether a registrar's later estimates (``(counted when made, total)`` in time order)
    have held: at least ``report_held_times`` of them were followed by another with ballots
    counted in between, and for every such pair the ballots counted by the second plus its
    total came to at most ``report_held_rise`` more than the first's total (LA's 2024 ones:
    3.7% more at most)."""
    # a pair tells only when ballots were counted between its two estimates
    pairs = [(a, b) for a, b in itertools.pairwise(later) if a[1] > 0 and b[0] > a[0]]
    if len(pairs) < params.report_held_times:
        return False
    return all(
        (counted_b - counted_a) + total_b <= total_a * (1 + params.report_held_rise)
        for (counted_a, total_a), (counted_b, total_b) in pairs
    )


def _risen(total: int, since: int, early: bool, params: ModelParams) -> float:
    """An estimate of ``total`` risen by ``report_rise`` (``report_rise_later`` after
    ``first_estimate_days``), less the ``since`` counted after it."""
    rise = params.report_rise if early else params.report_rise_later
    return total * (1 + rise) - since


def _trickle_cause(risen: float, *, early: bool, itemized: bool, held: bool) -> str:
    """Why the trickle of late ballots is added to an estimate's high end: "spent" (none left
    even after its rise), "bare" (a later estimate that is not ``itemized``, counting
    provisional ballots among its kinds, and whose registrar's later estimates have not
    ``held``: it may leave out ballots to cure or under review), or "" (it is not)."""
    if risen <= 0:
        return "spent"
    return "" if early or itemized or held else "bare"


def estimate_high(
    total: int, since: int, counted: int, *, early: bool, itemized: bool, held: bool,
    params: ModelParams,
) -> float:  # fmt: skip
    """The most ballots left by an estimate of ``total`` with ``since`` counted after it and
    ``counted`` in all: the estimate risen (:func:`_risen`), plus ``report_trickle`` of
    ``counted`` (cures, provisional and late overseas ballots) where :func:`_trickle_cause`
    gives a cause."""
    risen = _risen(total, since, early, params)
    cause = _trickle_cause(risen, early=early, itemized=itemized, held=held)
    return _with_trickle(risen, cause, counted, params)


def _with_trickle(risen: float, cause: str, counted: int, params: ModelParams) -> float:
    """An estimate ``risen`` (never below 0), plus ``report_trickle`` of ``counted`` where the
    trickle has a ``cause``."""
    return max(0.0, risen) + (params.report_trickle * counted if cause else 0.0)


def _from_registrar(
    election: Election,
    good: Sequence[Release],
    report: OutstandingReport,
    reports: Sequence[OutstandingReport],
    counted: int,
    cap: int | None,
    params: ModelParams,
) -> BallotsLeft:
    """The registrar's latest estimate ``report``, less the ballots counted since it: it may
    rise (:func:`estimate_high`; whether its registrar's later ``reports`` so far have held,
    :func:`estimates_held`, is asked only of a bare later one) and fall by ``report_fall``,
    never beyond the registration bound ``cap``."""
    total = report.total or 0
    at_report = _release_at(good, report.as_of)
    since = max(0, counted - _counted_at(election, at_report, report))
    early = _is_early(election, report, params)
    rise = params.report_rise if early else params.report_rise_later
    itemized = "provisional" in report.breakdown
    held = not (early or itemized) and estimates_held(
        _later_estimates(election, good, reports, params), params
    )
    mid = float(total - since)
    low = total * (1 - params.report_fall) - since
    risen = _risen(total, since, early, params)
    cause = _trickle_cause(risen, early=early, itemized=itemized, held=held)
    high = _with_trickle(risen, cause, counted, params)  # as estimate_high
    if cap is not None:
        low, mid, high = min(low, cap), min(mid, cap), min(high, cap)
    interval = Interval(low=_whole(low), mid=_whole(mid), high=_whole(high))
    when = report.as_of.strftime("%b %d %H:%M").replace(" 0", " ")
    note = (
        f"registrar's estimate of {total:,} ballots left as of {when}, less {since:,} "
        f"counted since: about {interval.mid:,.0f} (between {interval.low:,.0f} and "
        f"{interval.high:,.0f}: {'an estimate this early' if early else 'a later estimate'} "
        f"may rise by up to {rise:.0%}"
        f"{' as mail still in the post arrives' if early else ''}, and estimates "
        f"overstated what was left by up to {params.report_fall:.0%})"
    )
    if mid < 0:
        note += f"; the count has passed the estimate by {-mid:,.0f} ballots"
    if cause == "spent":
        note += (
            f"; with the estimate spent, up to {params.report_trickle:.1%} of the ballots counted "
            "may still come (cured, provisional and late overseas ballots)"
        )
    elif cause == "bare":
        note += (
            f"; it does not count provisional ballots among its kinds and its registrar's later "
            f"estimates have not yet held {params.report_held_times} times running, so up to "
            f"{params.report_trickle:.1%} of the ballots counted more may come (ballots to cure "
            "or under review, which such an estimate may leave out)"
        )
    by_type = ballots_left_by_type(report, at_report, good[-1] if good else None)
    return BallotsLeft(
        ballots=interval, source="registrar", as_of=report.as_of, note=note, by_type=by_type
    )


#: The kinds of ballot an estimate's categories are counted as: mail ballots in the feed's mail
#: counter (LA's ``MBLT``), conditional voter registration and provisional ballots, cast at a
#: vote center, in its in-person counter (``DBLT``). Any other category no counter tells apart.
BALLOT_KINDS = {"vbm": "by mail", "mail": "by mail", "cvr": "in person", "provisional": "in person"}
#: The release's counter of each kind of :data:`BALLOT_KINDS`.
KIND_COUNTERS = {"by mail": "ballots_mail", "in person": "ballots_in_person"}


def ballots_left_by_type(
    report: OutstandingReport, at_report: Release | None, latest: Release | None
) -> tuple[BallotsLeftByType, ...]:
    """The registrar's estimate by kind of ballot (:data:`BALLOT_KINDS`), each less the ballots
    of that kind counted since the estimate: the feed's mail or in-person counter at ``latest``
    less at ``at_report`` (the last release at or before the estimate); not less anything
    where either release lacks the counter. Empty without a breakdown by kind of ballot: the
    Secretary of State's report breaks its total down by county, which says nothing of kinds."""
    if not any(category in BALLOT_KINDS for category in report.breakdown):
        return ()
    groups: dict[str, dict[str, int]] = {}
    for category, figure in report.breakdown.items():
        groups.setdefault(BALLOT_KINDS.get(category, category), {})[category] = figure
    out = []
    for kind, categories in groups.items():
        estimated = sum(categories.values())
        since = None
        field = KIND_COUNTERS.get(kind)
        if field is not None and at_report is not None and latest is not None:
            now, then = getattr(latest, field), getattr(at_report, field)
            if now is not None and then is not None:
                since = max(0, now - then)
        left = max(0, estimated - (since or 0))
        out.append(
            BallotsLeftByType(
                kind=kind,
                categories=categories,
                estimated=estimated,
                counted_since=since,
                left=left,
            )
        )
    return tuple(out)


#: The least share of the final count the count's pace takes to be in (as the polls close,
#: nothing need be): up to 999 ballots left per ballot counted.
PACE_FLOOR = 0.001


def _days_since_close(election: Election, when: datetime) -> float:
    """Days from the close of the polls, 8 pm on election day (EC §14212), to ``when``."""
    closed = datetime.combine(election.date, time(20), tzinfo=ZoneInfo(election.timezone))
    return (when - closed) / timedelta(days=1)


def pace_shares(election: Election, when: datetime, params: ModelParams) -> Interval:
    """The share of the final count in at ``when`` by the count's pace (``params.count_pace_*``,
    by days since the polls closed at 8 pm on election day, EC §14212): ``low`` the least,
    ``mid`` the typical, ``high`` the most; before the first measured time, the first."""
    days = _days_since_close(election, when)
    at = params.count_pace_days

    def share(table: Sequence[float]) -> float:
        return float(np.interp(days, at, table))

    return Interval(
        low=max(PACE_FLOOR, share(params.count_pace_least)),
        mid=share(params.count_pace_typical),
        high=share(params.count_pace_most),
    )


def _from_pace(
    election: Election, latest: Release, counted: int, params: ModelParams
) -> BallotsLeft:
    """Without registration or an estimate: the ballots counted × (1 / share − 1) for the
    least, typical and most share of the final count in by now (:func:`pace_shares`)."""
    shares = pace_shares(election, latest.feed_time, params)
    interval = Interval(
        low=_whole(counted * (1 / shares.high - 1)),
        mid=_whole(counted * (1 / shares.mid - 1)),
        high=_whole(counted * (1 / shares.low - 1)),
    )
    note = (
        f"no registration and no estimate of the ballots left: by this time after the polls "
        f"closed, past canvasses had {shares.low:.0%}–{shares.high:.0%} (typically "
        f"{shares.mid:.0%}) of their final count in, so the {counted:,} ballots counted leave "
        f"about {interval.mid:,.0f} (between {interval.low:,.0f} and {interval.high:,.0f})"
    )
    return BallotsLeft(ballots=interval, source="count pace", note=note)


def _from_turnout(
    election: Election, reg: int, counted: int, cap: int, params: ModelParams
) -> BallotsLeft:
    """Without an estimate: the turnout prior of the election's kind times the registered,
    less the ballots counted; at most ``cap`` (one ballot per registered voter)."""
    prior = params.turnout.get(election.kind)
    if prior is None:
        interval = Interval(low=0.0, mid=_whole(cap / 2), high=float(cap))
        return BallotsLeft(
            ballots=interval,
            source="registration bound",
            note=(
                f"no registrar's estimate and no turnout prior for a {election.kind} election: "
                f"at most {cap:,} ballots left, since each of the {reg:,} registered voters "
                f"casts at most one ballot and {counted:,} are counted (the middle is half that)"
            ),
        )
    low = max(0.0, reg * prior.low - counted)
    mid = max(0.0, reg * prior.mid - counted)
    interval = Interval(low=_whole(min(low, cap)), mid=_whole(min(mid, cap)), high=float(cap))
    note = (
        f"no registrar's estimate: a {election.kind} turnout of {prior.low:.0%}–{prior.high:.0%} "
        f"(about {prior.mid:.0%}) of {reg:,} registered, less {counted:,} counted, gives about "
        f"{interval.mid:,.0f} ballots left (at least {interval.low:,.0f}); at most {cap:,}, since "
        f"each registered voter casts at most one ballot"
    )
    return BallotsLeft(ballots=interval, source="model", note=note)


class _Counted:
    """One release's counts of a sequence of contests, as arrays in that order: whether the
    release counts the contest (``present``), whether the feed gives its ballots
    (``has_ballots``), its ballots (CBLT, 0 where absent) and its votes with write-ins."""

    __slots__ = ("ballots", "contests", "has_ballots", "present", "release", "votes")

    def __init__(self, release: Release, contests: Sequence[Contest]) -> None:
        self.release = release
        self.contests = contests
        counts = release.counts_by_contest()
        found = [counts.get(c.id) for c in contests]
        self.present: BoolArray = np.array([c is not None for c in found], dtype=bool)
        self.has_ballots: BoolArray = np.array(
            [c is not None and c.ballots is not None for c in found], dtype=bool
        )
        self.ballots: IntArray = np.array(
            [(c.ballots or 0) if c is not None else 0 for c in found], dtype=np.int64
        )
        self.votes: IntArray = np.array(
            [sum(c.votes.values()) + c.write_ins if c is not None else 0 for c in found],
            dtype=np.int64,
        )


def _counted(
    release: Release, contests: Sequence[Contest], index: ElectionIndex | None
) -> _Counted:
    """The counts of ``contests`` in ``release``; kept in ``index`` when there is one (then
    ``contests`` are the index's election's)."""
    if index is None:
        return _Counted(release, contests)
    return index.per_release(release, "counted", lambda r: _Counted(r, contests))


def contest_votes_left(
    election: Election,
    contest: Contest,
    good: Sequence[Release],
    ballots_left: BallotsLeft,
    params: ModelParams,
) -> VotesLeft:
    """The contest's ballots and votes left, from the county's ballots left.

    ``ballots`` is the contest's share of the county's ballots left (a choice gains at most one
    vote per ballot); ``votes`` the votes those ballots may add (× votes per ballot, at most the
    contest's votes allowed). See the module docstring for the intervals.
    """
    return _votes_left(election, (contest,), good, ballots_left, params, None)[0]


def contests_votes_left(
    election: Election,
    good: Sequence[Release],
    ballots_left: BallotsLeft,
    params: ModelParams,
    index: ElectionIndex | None = None,
) -> list[VotesLeft]:
    """:func:`contest_votes_left` of every contest of ``election``, in its order, worked out
    for all of them at once (the same arithmetic, on arrays across the contests). ``index``
    (the election's) keeps what is read of each release for the next call."""
    return _votes_left(election, election.contests, good, ballots_left, params, index)


def _votes_left(
    election: Election,
    contests: Sequence[Contest],
    good: Sequence[Release],
    ballots_left: BallotsLeft,
    params: ModelParams,
    index: ElectionIndex | None,
) -> list[VotesLeft]:
    """The votes left of ``contests`` (see :func:`contest_votes_left`), in their order;
    ``index`` is the election's, or None (then ``contests`` may be any of them).

    A contest with nothing counted yet may be on any ballot left; one whose ballots the feed
    does not give (or with no county-wide count) goes :func:`_without_counters`; the others,
    nearly all, take their share of the ballots counted and their votes per ballot so far,
    worked out for all of them at once by :func:`_shares_and_rates`.
    """
    county = ballots_left.ballots
    source = ballots_left.source
    if county is None:
        unknown = VotesLeft(
            ballots=None, votes=None, source="none", note="no estimate of the ballots left"
        )
        return [unknown] * len(contests)
    latest = good[-1] if good else None
    if latest is None:
        return [_nothing_counted(c.rule.votes_allowed, county, source, params) for c in contests]
    now = _counted(latest, contests, index)
    counted = latest.ballots_counted or 0
    nothing = (~now.present | ((now.votes == 0) & (now.ballots == 0))).tolist()
    usual = (now.has_ballots & bool(counted)).tolist()
    rows = _shares_and_rates(now, counted, good, contests, county, params, index) if counted else []
    out: list[VotesLeft] = []
    everywhere: int | None = None  # ballots counted county-wide, worked out once when needed
    counts = None
    part: float | None = None  # a district's most left per counted by the count's pace
    for i, c in enumerate(contests):
        n = c.rule.votes_allowed
        if nothing[i]:
            out.append(_nothing_counted(n, county, source, params))
        elif not usual[i]:
            if counts is None:
                counts = index.counts(latest) if index else latest.counts_by_contest()
                everywhere = ballots_counted(latest, election)
            assert everywhere is not None
            if part is None and source == "count pace":
                part = _part_pace(election, latest, params)
            out.append(_without_counters(c, counts[c.id], everywhere, county, source, params, part))
        else:
            share, share_lo, share_hi, per_ballot, per_lo, per_hi, *ends = rows[i]
            note = (
                f"{share:.1%} of the ballots counted carry this contest (of the ballots left: "
                f"{share_lo:.1%}–{share_hi:.1%}); {per_ballot:.2f} votes per ballot so far "
                f"({per_ballot / n:.0%} of the {n} allowed; of the ballots left: "
                f"{per_lo:.2f}–{per_hi:.2f})"
            )
            b_low, b_mid, b_high, v_low, v_mid, v_high = ends
            out.append(
                VotesLeft(
                    ballots=Interval(low=b_low, mid=b_mid, high=b_high),
                    votes=Interval(low=v_low, mid=v_mid, high=v_high),
                    source=source,
                    note=note,
                )
            )
    return out


def _shares_and_rates(
    now: _Counted,
    counted: int,
    good: Sequence[Release],
    contests: Sequence[Contest],
    county: Interval,
    params: ModelParams,
    index: ElectionIndex | None,
) -> list[tuple[float, ...]]:
    """For every contest (the values of those that go another way are not used): its share of
    the ballots counted (CBLT / EBLT, at most 1) with the low and high of its share of the
    ballots left, its votes per ballot so far with their low and high for the ballots left,
    and its ballots left and votes left (low, mid, high): 12 numbers per contest.

    The low and high are ``params.coverage_*`` and ``params.rolloff_*`` times the figures so
    far (any share at all below ``params.min_contest_ballots``), widened to take in each of the
    last ``params.recent_releases`` batches that holds at least ``params.recent_min_batch`` of
    the count, then kept within 0–1 (shares) and 0–N (votes per ballot). ``index``: see
    :func:`_counted`.
    """
    allowed = np.array([c.rule.votes_allowed for c in contests], dtype=np.float64)
    ballots = now.ballots
    some = ballots > 0
    share = np.minimum(1.0, ballots / counted)
    per_ballot = np.where(
        some, now.votes / np.where(some, ballots, 1), allowed * params.rolloff_prior
    )
    few = ballots < params.min_contest_ballots  # too few to tell its share of those left
    share_lo = np.where(few, 0.0, share * params.coverage_low)
    share_hi = np.where(few, 1.0, share * params.coverage_high)
    per_lo = per_ballot * params.rolloff_low
    per_hi = per_ballot * params.rolloff_high
    floor = params.recent_min_batch * counted
    for older in good[-1 - params.recent_releases : -1]:
        grown = counted - (older.ballots_counted or 0)
        if grown < floor or grown <= 0:
            continue
        before = _counted(older, contests, index)
        seen = before.present & before.has_ballots
        added = ballots - before.ballots
        batch = added / grown
        share_lo = np.where(seen, np.minimum(share_lo, batch), share_lo)
        share_hi = np.where(seen, np.maximum(share_hi, batch), share_hi)
        grew = seen & (added > 0)
        batch_votes = (now.votes - before.votes) / np.where(grew, added, 1)
        per_lo = np.where(grew, np.minimum(per_lo, batch_votes), per_lo)
        per_hi = np.where(grew, np.maximum(per_hi, batch_votes), per_hi)
    share_lo, share_hi = np.maximum(0.0, share_lo), np.minimum(1.0, share_hi)
    per_lo, per_hi = np.maximum(0.0, per_lo), np.minimum(allowed, per_hi)
    ballots_low = county.low * share_lo
    ballots_mid = county.mid * share
    ballots_high = county.high * share_hi
    columns = (
        share,
        share_lo,
        share_hi,
        per_ballot,
        per_lo,
        per_hi,
        ballots_low,
        ballots_mid,
        ballots_high,
        ballots_low * per_lo,
        ballots_mid * np.minimum(per_ballot, allowed),
        ballots_high * per_hi,
    )
    return list(zip(*(column.tolist() for column in columns), strict=True))


def _nothing_counted(
    n: int, county: Interval, source: VotesLeftSource, params: ModelParams
) -> VotesLeft:
    """Nothing counted in a contest yet: any ballot left may carry it, with up to ``n`` votes
    (``params.rolloff_prior`` of them in the middle)."""
    prior = n * params.rolloff_prior
    return VotesLeft(
        ballots=Interval(low=0.0, mid=county.mid, high=county.high),
        votes=Interval(low=0.0, mid=county.mid * prior, high=county.high * n),
        source=source,
        note=(
            "nothing counted in this contest yet: any ballot left may carry it, "
            f"with up to {n} vote{'s' if n > 1 else ''} each"
        ),
    )


def _without_counters(
    contest: Contest,
    count: ContestCount,
    counted: int,
    county: Interval,
    source: VotesLeftSource,
    params: ModelParams,
    part: float | None = None,
) -> VotesLeft:
    """Formats with no ballots per contest (or no county-wide count): the contest's votes per
    ballot counted county-wide (``counted``: :func:`ballots_counted`) carry over to the ballots
    left; the high end assumes every ballot left carries the contest with every vote allowed.
    ``part``: under the count's pace, the most ballots left per ballot counted of a part of the
    feed (:func:`_part_pace`)."""
    n = contest.rule.votes_allowed
    if source == "count pace" and counted:
        return _at_pace(count, counted, county, n, part, params.pace_part_share)
    rate = min(float(n), count.total_votes / counted) if counted else n * params.rolloff_prior
    reach = min(1.0, rate / (n * params.rolloff_prior))
    ballots = Interval(
        low=county.low * reach * params.coverage_low,
        mid=county.mid * reach,
        high=county.high,
    )
    votes = Interval(
        low=county.low * rate * params.coverage_low * params.rolloff_low,
        mid=county.mid * rate,
        high=county.high * n,
    )
    return VotesLeft(
        ballots=ballots,
        votes=votes,
        source=source,
        note=(
            f"the feed gives no ballots per contest: {rate:.2f} votes per ballot counted "
            f"county-wide carry over to the ballots left; at most {n} per ballot left"
        ),
    )


def _part_pace(election: Election, latest: Release, params: ModelParams) -> float:
    """The most ballots left per ballot counted of a part of the feed (a district) by the count's
    pace: ``1 / least − 1`` for the least share in of ``params.count_pace_least_part`` at the
    latest release's time."""
    days = _days_since_close(election, latest.feed_time)
    least = float(np.interp(days, params.count_pace_days, params.count_pace_least_part))
    return 1 / max(PACE_FLOOR, least) - 1


def _at_pace(
    count: ContestCount,
    counted: int,
    county: Interval,
    n: int,
    part: float | None = None,
    part_share: float = 0.5,
) -> VotesLeft:
    """Votes left by the count's pace: the contest's own votes × the ballots left per ballot
    counted (``county`` / ``counted``), low, middle and high; its ballots left the same share of
    the county's as its votes are of the ballots counted, at most ``n`` votes each. A contest on
    fewer than ``part_share`` of the ballots counted is a part of the feed, which a slow county
    can hold back: its high end is at least ``part`` votes left per vote counted."""
    votes = count.total_votes
    share = min(1.0, votes / n / counted)
    # the ballots that carry it, where the feed says (a ranked-choice round: one vote each)
    carried = min(1.0, count.ballots / counted) if count.ballots else share
    high = county.high / counted
    lags = part is not None and carried < part_share and part > high
    if lags:
        assert part is not None
        high = part
    ratio = Interval(low=county.low / counted, mid=county.mid / counted, high=high)
    note = f"counted at the pace of the whole count: {ratio.mid:.2f} votes left per vote counted "
    note += (
        f"(at least {ratio.low:.2f}); up to {ratio.high:.2f}, since only {carried:.1%} of the "
        "ballots counted carry it and one slow county can hold back such a part of the count"
        if lags
        else f"(between {ratio.low:.2f} and {ratio.high:.2f})"
    )
    return VotesLeft(
        ballots=Interval(
            low=county.low * share, mid=county.mid * share, high=high * counted * share
        ),
        votes=Interval(low=votes * ratio.low, mid=votes * ratio.mid, high=votes * ratio.high),
        source="count pace",
        note=note,
    )


def joined_votes_left(
    election: Election,
    good: Sequence[Release],
    reports: Sequence[OutstandingReport],
    params: ModelParams,
) -> tuple[BallotsLeft, list[VotesLeft]]:
    """An election joined from several sources (``engine.joined``): each contest's votes left
    from its own source's releases, as if that source were alone. The registrar's estimates
    (``reports``) are the first source's, the county whose counters the joined election's
    ballots left rest on, and that source's ballots left is the election's; a source with no
    county-wide counters and no registration (the Secretary of State's feed) goes at the
    count's pace of its own feed time.

    Returns the first source's ballots left and every contest's votes left, in the election's
    order.
    """
    by_id: dict[str, VotesLeft] = {}
    first: BallotsLeft | None = None
    for i, member in enumerate(election.members):
        alone = member_election(election, member)
        views = member_views(election, good, member, params.recent_releases + 1)
        left = county_ballots_left(alone, views, reports if i == 0 else (), params)
        if first is None:
            first = left
        lefts = _votes_left(alone, alone.contests, views, left, params, None)
        by_id.update(zip((c.id for c in alone.contests), lefts, strict=True))
    unknown = VotesLeft(
        ballots=None, votes=None, source="none", note="no source of this election counts it"
    )
    assert first is not None
    return first, [by_id.get(c.id, unknown) for c in election.contests]


__all__ = [
    "ballots_counted",
    "contest_votes_left",
    "contests_votes_left",
    "county_ballots_left",
    "joined_votes_left",
    "pace_shares",
]
