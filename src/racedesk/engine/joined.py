"""An election joined from several sources, seen one source at a time.

A release of a joined election (``racedesk.sources.joint``) carries every source's latest
counts: Los Angeles County's feed and the Secretary of State's feed of the same election, each
carried forward until that source publishes again. The desk must count each source's votes
left, and read its recent batches, from that source's own releases, not from the joined ones:

- the county's ballots left rest on its own counters (EBLT) and the registrar's estimates; the
  state's contests, whose feed gives neither, go at the count's pace of the state's own feed time
  (``votes_left``, "count pace");
- a release in which only the state's feed moved is not a new batch of the county's count: the
  recent batches (the projection's trend, the calls' ``min_releases``) are read from each
  source's own distinct releases.

:func:`member_views` gives those releases (each source's part of every usable joined release,
repeated parts left out); :func:`earlier_counts` and :func:`releases_counted` answer the
projection and the calls as they would be answered on each source alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import msgspec

from racedesk.model import Contest, ContestCount, Election, Member, Release, ReleasePart
from racedesk.model.answers import Problem

#: How far a county's count of its part and the state feed's copy of it (its county slice) may
#: differ, when both have counted the same ballots, before the desk says so: votes, and share
#: of the part's votes (the larger). The same line as a choice's loss in ``engine.checks``.
AGREE_VOTES = 25
AGREE_SHARE = 0.005


def member_contests(election: Election, member: Member) -> list[Contest]:
    """The contests ``member`` counts, in the election's order."""
    return [c for c in election.contests if c.source == member.source]


def member_election(election: Election, member: Member) -> Election:
    """The joined election as ``member`` alone sees it: its contests, its registration."""
    return msgspec.structs.replace(
        election,
        id=member.election_id,
        source=member.source,
        registration=member.registration,
        contests=tuple(member_contests(election, member)),
        members=(),
    )


def _part(release: Release, source: str) -> ReleasePart | None:
    for part in release.parts:
        if part.source == source:
            return part
    return None


def member_views(
    election: Election, good: Sequence[Release], member: Member, full: int
) -> list[Release]:
    """``member``'s own releases among the joined releases ``good``, oldest first: one per
    distinct payload of that source, with its feed time and counters. The last ``full`` carry
    the member's counts; the older ones only their counters and times (all that the ballots
    left read of them)."""
    ids = {c.id for c in member_contests(election, member)}
    picked: list[tuple[Release, ReleasePart]] = []
    seen = ""
    for release in good:
        part = _part(release, member.source)
        if part is None or part.content_hash == seen:
            continue
        seen = part.content_hash
        picked.append((release, part))
    views: list[Release] = []
    for i, (release, part) in enumerate(picked):
        counts = (
            tuple(c for c in release.contests if c.contest_id in ids)
            if i >= len(picked) - full
            else ()
        )
        views.append(
            Release(
                election_id=member.election_id,
                source=member.source,
                feed_time=part.feed_time,
                received_at=release.received_at,
                content_hash=part.content_hash,
                contests=counts,
                ballots_counted=part.ballots_counted,
                ballots_mail=part.ballots_mail,
                ballots_in_person=part.ballots_in_person,
                status=part.status,
                sequence=release.sequence,
            )
        )
    return views


def earlier_counts(
    election: Election, good: Sequence[Release], back: int
) -> dict[str, ContestCount]:
    """Each contest's counts ``back`` usable releases before the last (the start of the recent
    batches): of the election's releases, or in a joined election, of each source's own."""
    if not election.members:
        steps = min(back, len(good) - 1)
        return good[-1 - steps].counts_by_contest() if steps > 0 else {}
    found: dict[str, ContestCount] = {}
    for member in election.members:
        views = member_views(election, good, member, back + 1)
        steps = min(back, len(views) - 1)
        if steps > 0:
            found.update(views[-1 - steps].counts_by_contest())
    return found


def releases_counted(
    election: Election, good: Sequence[Release], contest_ids: Sequence[str], cap: int
) -> dict[str, int]:
    """For each contest, in how many of the last ``cap`` usable releases (of its own source, in
    a joined election) it had votes counted."""
    result = dict.fromkeys(contest_ids, 0)
    if not election.members:
        tails: list[Sequence[Release]] = [good[-cap:] if cap > 0 else ()]
    else:
        tails = [
            member_views(election, good, m, cap)[-cap:] if cap > 0 else [] for m in election.members
        ]
    for tail in tails:
        for release in tail:
            for count in release.contests:
                if count.contest_id in result and count.total_votes > 0:
                    result[count.contest_id] += 1
    return result


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", name.lower())


def slices(election: Election) -> list[tuple[Contest, Contest]]:
    """Each county part whose contest of record another source also counts county by county:
    (the county's count of its part, that source's slice of the same county)."""
    by_record: dict[tuple[str, str], Contest] = {}
    for contest in election.contests:
        if contest.portion and "@" in contest.id:
            by_record[(contest.id.split("@", 1)[0], contest.portion)] = contest
    pairs = []
    for contest in election.contests:
        if contest.portion and contest.record:
            twin = by_record.get((contest.record, contest.portion))
            if twin is not None and twin.source != contest.source:
                pairs.append((contest, twin))
    return pairs


def parts_disagree(election: Election, release: Release) -> list[Problem]:
    """Notices (never blocking) where a county's count of its part of a contest and the state
    feed's slice of the same county tell different counts beyond the timing of the two feeds:

    - both have counted the same votes (totals within :data:`AGREE_SHARE`) yet a choice's votes
      differ by more than :data:`AGREE_VOTES` and :data:`AGREE_SHARE` of the total;
    - the state's slice is ahead of the county's own count, although the county's feed
      published after the state's (the state copies the county's count, so it lags it).

    Choices are paired by name (letters and digits only, case ignored)."""
    if not election.members or len(release.parts) < 2:
        return []
    counts = release.counts_by_contest()
    times = {p.source: p.feed_time for p in release.parts}
    problems: list[Problem] = []
    for part, twin in slices(election):
        mine, theirs = counts.get(part.id), counts.get(twin.id)
        if mine is None or theirs is None:
            continue
        names = {c.id: _name_key(c.name) for c in part.choices}
        their_votes = {_name_key(c.name): theirs.votes.get(c.id, 0) for c in twin.choices}
        total, their_total = mine.choice_votes, theirs.choice_votes
        line = max(AGREE_VOTES, AGREE_SHARE * max(total, their_total))
        where = f"{part.title} ({part.id}) and the state feed's {twin.portion} slice ({twin.id})"
        if abs(total - their_total) <= AGREE_SHARE * max(total, 1):
            off = [
                (names[c], v, their_votes.get(names[c], 0))
                for c, v in mine.votes.items()
                if c in names and abs(v - their_votes.get(names[c], 0)) > line
            ]
            if off:
                name, a, b = off[0]
                problems.append(
                    Problem(
                        code="parts-disagree",
                        message=f"{where} count about the same votes ({total:,} and "
                        f"{their_total:,}) but differ for {len(off)} choice(s), "
                        f"first {name}: {a:,} and {b:,}",
                        contest_id=part.id,
                        blocking=False,
                    )
                )
        elif their_total > total + line and times[part.source] > times[twin.source]:
            problems.append(
                Problem(
                    code="parts-disagree",
                    message=f"{where}: the state's copy counts {their_total:,} votes, more than "
                    f"the county's own later count ({total:,})",
                    contest_id=part.id,
                    blocking=False,
                )
            )
    return problems


__all__ = [
    "AGREE_SHARE",
    "AGREE_VOTES",
    "earlier_counts",
    "member_contests",
    "member_election",
    "member_views",
    "parts_disagree",
    "releases_counted",
    "slices",
]
