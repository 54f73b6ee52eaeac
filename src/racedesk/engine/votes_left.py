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
3. else nothing: no estimate, and every standing is unknown.

Per contest: the county's ballots left × the contest's share of them (its CBLT / EBLT so far;
a district contest sees only its district's share) = the contest's ``ballots`` left; × votes
per ballot (its votes with write-ins / CBLT, which holds the roll-off and up to N votes per
ballot) = its ``votes`` left. Both shares are uncertain: late ballots come from other places and
vote further down the ballot than early ones, so the interval spans ``params.coverage_low`` to
``coverage_high`` times the share so far and ``rolloff_low`` to ``rolloff_high`` times the votes
per ballot so far, widened to take in the last ``recent_releases`` batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from racedesk.engine.params import ModelParams
from racedesk.engine.types import BallotsLeft, Interval, VotesLeft, VotesLeftSource
from racedesk.model import Contest, ContestCount, Election, OutstandingReport, Release

_COUNTS: dict[int, tuple[Release, dict[str, ContestCount]]] = {}


def counts_of(release: Release) -> dict[str, ContestCount]:
    """``release.counts_by_contest()``, kept for the releases in use (an index, not a result)."""
    hit = _COUNTS.get(id(release))
    if hit is not None and hit[0] is release:
        return hit[1]
    if len(_COUNTS) >= 256:
        _COUNTS.clear()
    counts = release.counts_by_contest()
    _COUNTS[id(release)] = (release, counts)
    return counts


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
        total = report.total or 0
        base = None
        for r in good:
            if r.feed_time <= report.as_of:
                base = ballots_counted(r, election)
            else:
                break
        if base is None:
            base = report.counted_so_far or 0
        since = max(0, counted - base)
        first = election.date + timedelta(days=params.first_estimate_days)
        early = report.as_of.date() <= first
        rise = params.report_rise if early else params.report_rise_later
        mid = float(total - since)
        low = total * (1 - params.report_fall) - since
        high = total * (1 + rise) - since
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
        if guessed:
            note += "; the feed gives no ballots counted county-wide, so they are taken from the contest with the most"
        return BallotsLeft(ballots=interval, source="registrar", as_of=report.as_of, note=note)
    if reg is None or cap is None:
        return BallotsLeft(
            ballots=None,
            source="none",
            note="no registrar's estimate and no registration: the ballots left are unknown",
        )
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
    if guessed:
        note += "; the feed gives no ballots counted county-wide, so they are taken from the contest with the most"
    return BallotsLeft(ballots=interval, source="model", note=note)


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
    county = ballots_left.ballots
    source = ballots_left.source
    if county is None:
        return VotesLeft(
            ballots=None, votes=None, source="none", note="no estimate of the ballots left"
        )
    n = contest.rule.votes_allowed
    latest = good[-1] if good else None
    count = counts_of(latest).get(contest.id) if latest is not None else None
    total = sum(count.votes.values()) + count.write_ins if count is not None else 0
    if latest is None or count is None or (total == 0 and not count.ballots):
        prior = n * params.rolloff_prior
        ballots = Interval(low=0.0, mid=county.mid, high=county.high)
        votes = Interval(low=0.0, mid=county.mid * prior, high=county.high * n)
        return VotesLeft(
            ballots=ballots,
            votes=votes,
            source=source,
            note=(
                "nothing counted in this contest yet: any ballot left may carry it, "
                f"with up to {n} vote{'s' if n > 1 else ''} each"
            ),
        )
    counted = latest.ballots_counted
    if count.ballots is None or not counted:
        return _without_counters(election, contest, count, latest, county, source, params)
    cblt = count.ballots
    share = min(1.0, cblt / counted)
    per_ballot = total / cblt if cblt else n * params.rolloff_prior
    share_lo, share_hi = share * params.coverage_low, share * params.coverage_high
    if cblt < params.min_contest_ballots:
        # Too few ballots to tell the contest's share of those left: any share at all.
        share_lo, share_hi = 0.0, 1.0
    per_lo, per_hi = per_ballot * params.rolloff_low, per_ballot * params.rolloff_high
    floor = params.recent_min_batch * counted
    for older in good[-1 - params.recent_releases : -1]:
        before = counts_of(older).get(contest.id)
        grown = counted - (older.ballots_counted or 0)
        if before is None or before.ballots is None or grown < floor or grown <= 0:
            continue
        added = cblt - before.ballots
        batch = added / grown
        share_lo, share_hi = min(share_lo, batch), max(share_hi, batch)
        if added > 0:
            batch_votes = (total - before.total_votes) / added
            per_lo, per_hi = min(per_lo, batch_votes), max(per_hi, batch_votes)
    share_lo, share_hi = max(0.0, share_lo), min(1.0, share_hi)
    per_lo, per_hi = max(0.0, per_lo), min(float(n), per_hi)
    ballots = Interval(
        low=county.low * share_lo, mid=county.mid * share, high=county.high * share_hi
    )
    votes = Interval(
        low=ballots.low * per_lo,
        mid=ballots.mid * min(per_ballot, float(n)),
        high=ballots.high * per_hi,
    )
    note = (
        f"{share:.1%} of the ballots counted carry this contest (of the ballots left: "
        f"{share_lo:.1%}–{share_hi:.1%}); {per_ballot:.2f} votes per ballot so far "
        f"({per_ballot / n:.0%} of the {n} allowed; of the ballots left: {per_lo:.2f}–{per_hi:.2f})"
    )
    return VotesLeft(ballots=ballots, votes=votes, source=source, note=note)


def _without_counters(
    election: Election,
    contest: Contest,
    count: ContestCount,
    latest: Release,
    county: Interval,
    source: VotesLeftSource,
    params: ModelParams,
) -> VotesLeft:
    """Formats with no ballots per contest (or no county-wide count): the contest's votes per
    ballot counted county-wide carry over to the ballots left; the high end assumes every
    ballot left carries the contest with every vote allowed."""
    n = contest.rule.votes_allowed
    counted = ballots_counted(latest, election)
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


__all__ = ["ballots_counted", "contest_votes_left", "counts_of", "county_ballots_left"]
