"""A release's own identities, checked before the engine uses it.

A release that breaks them is kept (the store has it) but flagged, and the engine does not use
it: its batch shares would be garbage ("a candidate getting 0% of a batch") and a call resting on
it could be wrong (``../shared/domain/calls-and-hurdles.md``, "Feeds misbehave too"). The
identities are the LA feed's (``../shared/data/README.md``), with N the votes allowed:

- county-wide: EBLT = MBLT + DBLT (``ballots-split``);
- per contest: CBLT = CFV + CPV + CUV + COV (``contest-counters``); votes + write-ins =
  N·CBLT − Σ_k NSEL-0k, and for vote-for-one CFV = votes + write-ins (``contest-votes``);
  NSEL-01 = CPV + CUV + COV, NSEL-0N = CUV + COV, each NSEL-0k at most the one before, and
  CPV = 0 when N = 1 (``contest-unused``). Checked on every contest of the 61 real releases.
- county coherence (``county-coverage``), which catches a release mixing whole contests from two
  releases (each contest then passes its own identities): no contest counts more than
  ``COVERAGE_TOLERANCE`` above the county's ballots (EBLT), and the contest with the most
  ballots is within it of EBLT; against the last usable release, no contest gained more ballots
  than the county, every contest and every group of district contests (the U.S. Representative
  districts, the Assembly districts) that covered the county gained what the county gained, and
  the district contests together gained about their share of the county's new ballots;
- ``out-of-order``: a feed time before the last usable release's (a stale CDN copy);
- ``implausible-time``: a feed time later than the payload was received (beyond
  ``CLOCK_SKEW``), or more than ``BEFORE_ELECTION`` before the election's day: a typo'd year
  ("11/6/2124"). Such a release is kept, never used and never the latest the next release is
  compared with, so the canvass stays live;
- ``held``: a change that looks like a mapping error rather than a count, held out of use until
  an editor or the next release confirms it (``docs/feed-quirks.md``): against the last usable
  release, a choice lost more than ``HOLD_SHARE`` of its votes and more than ``HOLD_VOTES``
  votes (totals swapped between choices, every identity still holding, show so: the one that
  led loses what the other had). The largest loss in the 61 real releases is 1 vote (0.04% of
  a choice's votes, a correction in the 2024 primary); a swap of Hochman and Gascón took
  388,378 votes (37%) off Hochman.

Measured on the 2024 general and primary (61 releases): county-wide contests hold 99.92% to
100.34% of EBLT, the district groups 99.99% to 100.01%, the next-largest contest about 61%;
between releases a county-wide contest gains what the county gains to within 955 ballots, and
the district contests together gain 88%–131% of what their shares suggest. The tolerances below
leave about three times that spread; ``docs/hurdles.md`` says which tears they cannot see.

Notes that do not block (``blocking=False``):

- ``counter-missing``: a counter reported as 0 while the choices have votes (contests 9915 and
  9916 of the 2024 general report CFV 0 and NSEL-01 0 on every release), when the other
  identities hold with the counter derived from them;
- ``count-went-down``: a count lower than in the last usable release (a correction, or a stale
  copy of an older release; a tear may show it too);
- ``set-aside``: counts of a contest or a candidate the election's definition does not have,
  which the adapter kept in the raw payload and did not use (``Release.set_aside``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from itertools import chain, repeat
from operator import gt
from typing import Final, NamedTuple

from racedesk.engine.joined import parts_disagree
from racedesk.model import ContestCount, Election, Release
from racedesk.model.answers import Problem

#: How far ahead of the time a payload was received its feed time may be (clocks differ).
CLOCK_SKEW: Final = timedelta(days=1)
#: How long before the election's day a release's feed time may be (a definition published
#: early, a test run of the feed).
BEFORE_ELECTION: Final = timedelta(days=366)
#: How far a contest's ballots (CBLT) may stray from the county's (EBLT), as a share of EBLT.
COVERAGE_TOLERANCE: Final = 0.01
#: A contest (or a group of district contests) with at least this share of EBLT covers the county.
COUNTY_WIDE: Final = 0.98
#: How far, as a share of EBLT (plus COVERAGE_TOLERANCE of the ballots added), the ballots a
#: contest gained since the last usable release may exceed what the county gained (or, for a
#: contest or group covering the county, differ from it).
DELTA_TOLERANCE: Final = 0.002
#: When the county grew by at least this share since the last usable release, the district
#: contests together must have gained between these multiples of what their shares so far
#: suggest (measured: 0.88–1.31 on the 2024 canvasses, for growth of 0.5% or more).
DISTRICT_MIN_GROWTH: Final = 0.005
DISTRICT_GAIN_RANGE: Final = (0.7, 1.6)
#: A choice that lost more than this share of its votes, and more than ``HOLD_VOTES`` votes,
#: since the last usable release holds the release until it is confirmed (``held``).
HOLD_SHARE: Final = 0.01
HOLD_VOTES: Final = 25


def is_usable(problems: Iterable[Problem]) -> bool:
    """False when any problem is blocking: the engine then keeps the last usable release."""
    return not any(p.blocking for p in problems)


def is_held(problems: Iterable[Problem]) -> bool:
    """True when the release's only blocking problems are ``held`` ones: a likely mapping
    error that an editor, or the next release, may confirm (then the release is used)."""
    blocking = [p for p in problems if p.blocking]
    return bool(blocking) and all(p.code == "held" for p in blocking)


class LaidFlat:
    """A release's counts laid flat, to compare two releases with no Python per count.

    ``contests`` (their ids in order), ``contest_of`` (each choice's contest) and ``choices``
    (the choice ids) say what each count is; ``votes`` are the choices' votes in that order;
    ``values`` every count a later release should not have lower: the county's three ballot
    counters, each contest's write-ins and its ballots (-1 where absent), then the votes.
    """

    __slots__ = ("choices", "contest_of", "contests", "release", "values", "votes")

    def __init__(self, release: Release) -> None:
        counts = release.contests
        self.release = release
        self.contests = [c.contest_id for c in counts]
        self.contest_of = list(
            chain.from_iterable(map(repeat, self.contests, [len(c.votes) for c in counts]))
        )
        self.choices = list(chain.from_iterable(c.votes for c in counts))
        self.votes = list(chain.from_iterable(c.votes.values() for c in counts))
        county = (release.ballots_counted, release.ballots_mail, release.ballots_in_person)
        self.values = [-1 if v is None else v for v in county]
        self.values += [c.write_ins for c in counts]
        self.values += [-1 if c.ballots is None else c.ballots for c in counts]
        self.values += self.votes

    def nothing_went_down_since(self, before: LaidFlat) -> bool:
        """True when no count is lower than in ``before``, answered in C when both lay out the
        same contests and choices in the same order (the usual case); False means "look count
        by count" (a count that went down, or rows laid out differently)."""
        return (
            self.contests == before.contests
            and self.contest_of == before.contest_of
            and self.choices == before.choices
            and not any(map(gt, before.values, self.values))
        )


class _ElectionInfo:
    """An election's lookup tables for the checks: votes allowed and title by contest id, and
    the groups of district contests (more than one contest each) by group name."""

    __slots__ = ("allowed", "groups", "titles")

    def __init__(self, election: Election) -> None:
        self.allowed = {c.id: c.rule.votes_allowed for c in election.contests}
        self.titles = {c.id: c.title for c in election.contests}
        groups: dict[str, list[str]] = {}
        for c in election.contests:
            if c.group:
                groups.setdefault(c.group, []).append(c.id)
        self.groups = {g: ids for g, ids in groups.items() if len(ids) > 1}


class Judgement(NamedTuple):
    """What the desk makes of a new release (:meth:`ReleaseChecks.judge`): its problems, whether
    it is used, and the held release it confirms (its sequence), if any."""

    problems: tuple[Problem, ...]
    usable: bool
    confirms: int | None = None


def implausible_time(election: Election, release: Release) -> list[Problem]:
    """A feed time no real release can have (module docstring, ``implausible-time``)."""
    feed, received = release.feed_time, release.received_at
    if feed.tzinfo is None or received.tzinfo is None:
        return []
    if feed > received + CLOCK_SKEW:
        why = f"later than when it was received ({received:%Y-%m-%d %H:%M})"
    else:
        day = datetime.combine(election.date, time(0), tzinfo=feed.tzinfo)
        if feed >= day - BEFORE_ELECTION:
            return []
        why = f"more than a year before the election ({election.date.isoformat()})"
    return [
        Problem(
            code="implausible-time",
            message=f"feed time {feed:%Y-%m-%d %H:%M:%S} is {why}: a typo'd date? The release "
            "is kept but not used, and later releases are not compared with it",
        )
    ]


class ReleaseChecks:
    """The checks of releases checked one after another (the desk's ingest, a replay), keeping
    what one release's checks hand to the next: each election's lookup tables, and the last
    few releases laid flat (a release is checked against the last usable one, and noted as a
    correction against the one stored just before it: usually the same, laid flat once).

    The caller owns it, one per desk or replay; :func:`check_release` and
    :func:`with_correction_note` are the same checks for one release at a time.
    """

    __slots__ = ("_flat", "_tables")

    #: How many releases laid flat are kept: the one checked, the one before it, and the last
    #: usable one when that is older still.
    KEEP_FLAT: Final = 3

    def __init__(self) -> None:
        self._tables: dict[str, tuple[Election, _ElectionInfo]] = {}
        self._flat: list[LaidFlat] = []

    def check(
        self, election: Election, release: Release, previous: Release | None
    ) -> tuple[Problem, ...]:
        """Every broken identity of ``release``; ``previous`` is the last usable release
        before it (None for the first). See the module docstring for the identities and the
        tolerances."""
        info = self._info(election)
        problems: list[Problem] = [
            Problem(code="set-aside", message=note, blocking=False) for note in release.set_aside
        ]
        problems.extend(implausible_time(election, release))
        problems.extend(parts_disagree(election, release))
        e, m, d = release.ballots_counted, release.ballots_mail, release.ballots_in_person
        if e is not None and m is not None and d is not None and e != m + d:
            problems.append(
                Problem(
                    code="ballots-split",
                    message=f"ballots counted (EBLT {e:,}) ≠ by mail (MBLT {m:,}) + in person (DBLT {d:,})",
                )
            )
        for count in release.contests:
            if count.ballots is not None:
                _check_contest(count, info.allowed.get(count.contest_id, 1), info, problems)
        if e is not None:
            _check_coverage(release, e, previous, info, problems)
        if previous is not None:
            if release.feed_time < previous.feed_time:
                problems.append(
                    Problem(
                        code="out-of-order",
                        message=(
                            f"feed time {release.feed_time:%Y-%m-%d %H:%M:%S} is before the last "
                            f"usable release's ({previous.feed_time:%Y-%m-%d %H:%M:%S}): a stale copy?"
                        ),
                    )
                )
            went_down = not self._nothing_went_down(previous, release)
            _check_went_down(release, previous, went_down, info, problems)
            if went_down:
                _check_mapping(release, previous, info, problems)
        return tuple(problems)

    def judge(
        self,
        election: Election,
        release: Release,
        history: Sequence[Release],
        used: Sequence[bool],
        last_problems: Sequence[Problem] = (),
    ) -> Judgement:
        """Whether a new release is used, after the releases of ``history`` (``used[i]``: whether
        release i is used; ``last_problems``: the last one's problems). Corrections are decided
        here, once (``docs/feed-quirks.md``):

        - a release with the feed time of the last one, which is not used (torn or held), is
          its correction: checked against the last release used, and noted ``correction``;
        - after a ``held`` release, one that passes its checks against it continues from it and
          confirms it (noted ``confirms``; ``Judgement.confirms`` is its sequence);
        - else the release is checked against the last release used.
        """
        previous = next(
            (r for r, ok in zip(reversed(history), reversed(used), strict=True) if ok), None
        )
        last = history[-1] if history and not used[-1] else None
        if last is not None and last.feed_time == release.feed_time:
            problems = self.check(election, release, previous)
            note = Problem(
                code="correction",
                message=f"a copy of release #{last.sequence}'s feed time, which was not used: "
                "stored as its correction",
                blocking=False,
            )
            return Judgement((*problems, note), is_usable(problems))
        if last is not None and is_held(last_problems):
            problems = self.check(election, release, last)
            if is_usable(problems):
                note = Problem(
                    code="confirms",
                    message=f"continues from release #{last.sequence}, which was held as a "
                    "likely mapping error: confirms it",
                    blocking=False,
                )
                return Judgement((*problems, note), True, last.sequence)
        problems = self.check(election, release, previous)
        return Judgement(problems, is_usable(problems))

    def with_correction_note(
        self, problems: tuple[Problem, ...], release: Release, just_before: Release | None
    ) -> tuple[Problem, ...]:
        """The problems a release is stored with: ``problems`` (its checks against the last
        usable release), and a ``count-went-down`` note when a count went down from
        ``just_before`` (the release stored just before it, usable or not) and ``problems``
        has none.

        A count that goes down is a correction by the registrar: the release is kept and
        flagged as one (the store persists the flag), never refused. The note also names what
        the checks do not compare: write-ins and the mail and in-person ballots.
        """
        if just_before is None or any(p.code == "count-went-down" for p in problems):
            return problems
        if self._nothing_went_down(just_before, release):
            return problems
        changes = _lowered(just_before, release)
        if not changes:
            return problems
        shown = "; ".join(changes[:3])
        more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
        note = Problem(
            code="count-went-down",
            message=f"counts went down from the previous release (a correction): {shown}{more}",
            blocking=False,
        )
        return (*problems, note)

    def _info(self, election: Election) -> _ElectionInfo:
        """The election's lookup tables, made again when its definition is another object."""
        found = self._tables.get(election.id)
        if found is None or found[0] is not election:
            found = self._tables[election.id] = (election, _ElectionInfo(election))
        return found[1]

    def _nothing_went_down(self, before: Release, after: Release) -> bool:
        """True when no count of ``after`` is below ``before``'s, answered laid flat (see
        :class:`LaidFlat`); False means "look count by count"."""
        return self._laid_flat(after).nothing_went_down_since(self._laid_flat(before))

    def _laid_flat(self, release: Release) -> LaidFlat:
        for flat in self._flat:
            if flat.release is release:
                return flat
        flat = LaidFlat(release)
        self._flat = [flat, *self._flat[: self.KEEP_FLAT - 1]]
        return flat


def check_release(
    election: Election, release: Release, previous: Release | None
) -> tuple[Problem, ...]:
    """:meth:`ReleaseChecks.check` for one release: every broken identity of ``release``
    against ``previous``, the last usable release before it (None for the first)."""
    return ReleaseChecks().check(election, release, previous)


def with_correction_note(
    problems: tuple[Problem, ...], release: Release, just_before: Release | None
) -> tuple[Problem, ...]:
    """:meth:`ReleaseChecks.with_correction_note` for one release."""
    return ReleaseChecks().with_correction_note(problems, release, just_before)


def _check_contest(c: ContestCount, n: int, info: _ElectionInfo, out: list[Problem]) -> None:
    """The per-contest identities (module docstring), deriving a counter reported as 0."""
    cid = c.contest_id
    votes = c.total_votes
    cblt = c.ballots or 0
    full, partial, under, over = c.full, c.partial, c.undervotes, c.overvotes
    missing: list[str] = []
    if full is not None and partial is not None and under is not None and over is not None:
        if cblt != full + partial + under + over:
            derived = cblt - partial - under - over
            if full == 0 and votes > 0 and derived >= 0:
                full = derived
                missing.append(f"CFV (taken as CBLT − CPV − CUV − COV = {derived:,})")
            else:
                out.append(
                    _problem(
                        "contest-counters",
                        f"ballots (CBLT {cblt:,}) ≠ full {full:,} + partial {partial:,} + blank "
                        f"{under:,} + overvoted {over:,} (CFV + CPV + CUV + COV)",
                        cid,
                        info,
                    )
                )
        unused = c.unused
        blank = under + over
        if unused and not any(unused) and votes > 0 and (blank or partial):
            missing.append("NSEL (taken from CPV, CUV and COV)")
            _check_derived_unused(n, cblt, votes, partial, blank, cid, info, out)
        elif unused:
            _check_unused(c, n, unused, partial, blank, votes, cblt, cid, info, out)
        if n == 1:
            _check_vote_for_one(full, partial, votes, cid, info, out)
    elif c.unused and len(c.unused) == n and votes != n * cblt - sum(c.unused):
        out.append(
            _problem(
                "contest-votes",
                f"votes + write-ins ({votes:,}) ≠ N·CBLT − ΣNSEL ({n * cblt - sum(c.unused):,})",
                cid,
                info,
            )
        )
    if missing:
        out.append(
            Problem(
                code="counter-missing",
                message=(
                    f"{info.titles.get(cid, cid)}: reported as 0 while the choices have "
                    f"{c.total_votes:,} votes: {'; '.join(missing)}"
                ),
                contest_id=cid,
                blocking=False,
            )
        )


def _check_derived_unused(
    n: int,
    cblt: int,
    votes: int,
    partial: int,
    blank: int,
    cid: str,
    info: _ElectionInfo,
    out: list[Problem],
) -> None:
    """Votes against the unused selections (NSEL) when the feed reports them all as 0: they are
    derived from the other counters, NSEL-01 = CPV + CUV + COV and NSEL-0N = CUV + COV, the ones
    between lying between those two."""
    first, last = partial + blank, blank
    if n == 1:
        lo = hi = first
    else:
        lo = first + (n - 1) * last
        hi = (n - 1) * first + last
    if not n * cblt - hi <= votes <= n * cblt - lo:
        out.append(
            _problem(
                "contest-votes",
                f"votes + write-ins ({votes:,}) do not fit N·CBLT − ΣNSEL with NSEL taken "
                f"from the other counters ({n * cblt - hi:,}–{n * cblt - lo:,})",
                cid,
                info,
            )
        )


def _check_vote_for_one(
    full: int, partial: int, votes: int, cid: str, info: _ElectionInfo, out: list[Problem]
) -> None:
    """A vote-for-one contest has no partly used ballot, and one vote per ballot with a vote."""
    if partial:
        out.append(
            _problem(
                "contest-unused",
                f"{partial:,} partly used ballots (CPV) in a vote-for-one contest",
                cid,
                info,
            )
        )
    if full != votes:
        out.append(
            _problem(
                "contest-votes",
                f"ballots with a vote (CFV {full:,}) ≠ votes + write-ins ({votes:,})",
                cid,
                info,
            )
        )


def _check_unused(
    c: ContestCount,
    n: int,
    unused: Sequence[int],
    partial: int,
    blank: int,
    votes: int,
    cblt: int,
    cid: str,
    info: _ElectionInfo,
    out: list[Problem],
) -> None:
    if len(unused) != n:
        out.append(
            _problem(
                "contest-unused",
                f"{len(unused)} NSEL counters for a vote-for-{n} contest",
                cid,
                info,
            )
        )
        return
    expected = n * cblt - sum(unused)
    if votes != expected:
        out.append(
            _problem(
                "contest-votes",
                f"votes + write-ins ({votes:,}) ≠ N·CBLT − ΣNSEL ({n} × {cblt:,} − {sum(unused):,} = {expected:,})",
                cid,
                info,
            )
        )
    if (
        unused[0] != partial + blank
        or unused[-1] != blank
        or (n > 1 and any(unused[k] < unused[k + 1] for k in range(n - 1)))
    ):
        out.append(
            _problem(
                "contest-unused",
                f"unused selections (NSEL {', '.join(f'{u:,}' for u in unused)}) do not match "
                f"partial {partial:,}, blank {c.undervotes:,} and overvoted {c.overvotes:,} ballots",
                cid,
                info,
            )
        )


def _problem(code: str, message: str, cid: str, info: _ElectionInfo) -> Problem:
    return Problem(code=code, message=f"{info.titles.get(cid, cid)}: {message}", contest_id=cid)


def _check_coverage(
    release: Release, e: int, previous: Release | None, info: _ElectionInfo, out: list[Problem]
) -> None:
    """County coherence: contests against the county's ballots (EBLT), now and as before."""
    ballots = {c.contest_id: c.ballots for c in release.contests if c.ballots is not None}
    if not ballots:
        return
    _check_levels(ballots, e, info, out)
    e0 = previous.ballots_counted if previous is not None else None
    if previous is None or e0 is None or e <= 0:
        return
    # Against the last usable release: the ballots a contest gained were counted in the county
    # too, and a contest (or a group of district contests) that covered the county gained what
    # the county gained.
    grown = e - e0
    # The level tolerance applies to the ballots added too (a first release after the zero
    # release is all new ballots, and a contest may hold 0.34% more than the county).
    slack = DELTA_TOLERANCE * e + COVERAGE_TOLERANCE * abs(grown)
    before = {c.contest_id: c.ballots for c in previous.contests if c.ballots is not None}
    _check_gains(ballots, before, e0, grown, slack, info, out)
    if e0 > 0:
        _check_district_gains(ballots, before, e0, grown, out)
        _check_groups(ballots, before, e0, grown, slack, info, out)


def _check_levels(ballots: dict[str, int], e: int, info: _ElectionInfo, out: list[Problem]) -> None:
    """No contest counts more than the county's ballots (EBLT), and one covers the county."""
    top = e * (1 + COVERAGE_TOLERANCE)
    over = [cid for cid, b in ballots.items() if b > top]
    if over:
        worst = max(over, key=lambda cid: ballots[cid])
        out.append(
            Problem(
                code="county-coverage",
                message=(
                    f"{len(over)} contest(s) count more ballots than the county (EBLT {e:,}), "
                    f"e.g. {info.titles.get(worst, worst)} with {ballots[worst]:,}: contests and "
                    f"county counters from different releases?"
                ),
            )
        )
    most = max(ballots.values())
    if e > 0 and most < e * (1 - COVERAGE_TOLERANCE):
        out.append(
            Problem(
                code="county-coverage",
                message=(
                    f"no contest covers the county: the most ballots in any contest is {most:,}, "
                    f"{most / e:.2%} of the county's {e:,} (EBLT): counters from an older release?"
                ),
            )
        )


def _check_gains(
    ballots: dict[str, int],
    before: dict[str, int],
    e0: int,
    grown: int,
    slack: float,
    info: _ElectionInfo,
    out: list[Problem],
) -> None:
    """No contest gained more ballots than the county (``grown``) since the last usable
    release (EBLT ``e0`` then), and a contest that covered the county gained what it gained."""
    covered = e0 > 0
    ahead: list[str] = []
    lagging: list[str] = []
    for cid, b in ballots.items():
        b0 = before.get(cid)
        if b0 is None:
            continue
        gained = b - b0
        if gained - grown > slack:
            ahead.append(cid)
        elif covered and b0 >= COUNTY_WIDE * e0 and abs(gained - grown) > slack:
            lagging.append(cid)
    if ahead:
        worst = max(ahead, key=lambda cid: ballots[cid] - before[cid])
        out.append(
            Problem(
                code="county-coverage",
                message=(
                    f"{len(ahead)} contest(s) gained more ballots than the county ({grown:+,}) "
                    f"since the last usable release, e.g. {info.titles.get(worst, worst)} "
                    f"({ballots[worst] - before[worst]:+,}): a mix of two releases?"
                ),
            )
        )
    if lagging:
        worst = max(lagging, key=lambda cid: abs(ballots[cid] - before[cid] - grown))
        out.append(
            Problem(
                code="county-coverage",
                message=(
                    f"{len(lagging)} contest(s) that cover the county did not gain what the "
                    f"county gained ({grown:+,}) since the last usable release, e.g. "
                    f"{info.titles.get(worst, worst)} ({ballots[worst] - before[worst]:+,}): "
                    f"a mix of two releases?"
                ),
            )
        )


def _check_district_gains(
    ballots: dict[str, int], before: dict[str, int], e0: int, grown: int, out: list[Problem]
) -> None:
    """District contests together gain about their share of the county's new ballots: one
    batch comes from here, the next from there, but over every district it evens out."""
    if grown < DISTRICT_MIN_GROWTH * e0:
        return
    expected = gained_all = 0.0
    for cid, b0 in before.items():
        if b0 < COUNTY_WIDE * e0 and cid in ballots:
            expected += b0 / e0 * grown
            gained_all += ballots[cid] - b0
    low, high = DISTRICT_GAIN_RANGE
    if expected > 0 and not low * expected <= gained_all <= high * expected:
        out.append(
            Problem(
                code="county-coverage",
                message=(
                    f"the district contests gained {gained_all:,.0f} ballots where their shares "
                    f"so far suggest about {expected:,.0f} ({gained_all / expected:.0%}): "
                    f"a mix of two releases?"
                ),
            )
        )


def _check_groups(
    ballots: dict[str, int],
    before: dict[str, int],
    e0: int,
    grown: int,
    slack: float,
    info: _ElectionInfo,
    out: list[Problem],
) -> None:
    """A group of district contests that covered the county gained what the county gained."""
    for group, ids in info.groups.items():
        if not all(cid in before and cid in ballots for cid in ids):
            continue
        was = sum(before[cid] for cid in ids)
        if abs(was - e0) > COVERAGE_TOLERANCE * e0:
            continue
        gained = sum(ballots[cid] for cid in ids) - was
        if abs(gained - grown) > slack:
            out.append(
                Problem(
                    code="county-coverage",
                    message=(
                        f"the {group} contests together cover the county, but gained "
                        f"{gained:+,} ballots while the county gained {grown:+,}: "
                        f"a mix of two releases?"
                    ),
                )
            )


def _check_went_down(
    release: Release, previous: Release, went_down: bool, info: _ElectionInfo, out: list[Problem]
) -> None:
    """Counts lower than in the last usable release: notes, not blocking. ``went_down`` is
    False when the releases laid flat showed that nothing did."""
    e, e0 = release.ballots_counted, previous.ballots_counted
    if e is not None and e0 is not None and e < e0:
        out.append(
            Problem(
                code="count-went-down",
                message=f"ballots counted went down from {e0:,} to {e:,}",
                blocking=False,
            )
        )
    if not went_down:
        return
    before = {c.contest_id: c for c in previous.contests}
    for c in release.contests:
        b = before.get(c.contest_id)
        if b is None:
            continue
        down = [k for k, v in c.votes.items() if v < b.votes.get(k, 0)]
        if down or (c.ballots is not None and b.ballots is not None and c.ballots < b.ballots):
            lost = sum(b.votes.get(k, 0) - c.votes[k] for k in down)
            out.append(
                Problem(
                    code="count-went-down",
                    message=(
                        f"{info.titles.get(c.contest_id, c.contest_id)}: "
                        + (
                            f"{len(down)} choice(s) lost {lost:,} votes"
                            if down
                            else "ballots went down"
                        )
                        + " since the last usable release (a correction?)"
                    ),
                    contest_id=c.contest_id,
                    blocking=False,
                )
            )


def _check_mapping(
    release: Release, previous: Release, info: _ElectionInfo, out: list[Problem]
) -> None:
    """``held``: a choice lost more than ``HOLD_SHARE`` of its votes and more than
    ``HOLD_VOTES`` votes since the last usable release, which a count does not do (a correction
    moves a few votes) but a choice's totals read under another's id does. Named a swap when
    another choice of the contest now has at least what it had, and it at least the other's."""
    before = {c.contest_id: c for c in previous.contests}
    for c in release.contests:
        b = before.get(c.contest_id)
        if b is None:
            continue
        for choice_id, was in b.votes.items():
            now = c.votes.get(choice_id)
            if now is None or was - now <= max(HOLD_VOTES, HOLD_SHARE * was):
                continue
            swapped = [
                k
                for k, v in c.votes.items()
                if k != choice_id and v >= was and now >= b.votes.get(k, 0)
            ]
            what = f"totals swapped with choice {swapped[0]}? " if swapped else ""
            out.append(
                Problem(
                    code="held",
                    message=(
                        f"{info.titles.get(c.contest_id, c.contest_id)}: choice {choice_id} lost "
                        f"{was - now:,} of its {was:,} votes ({(was - now) / was:.0%}) since the "
                        f"last usable release: {what}a mapping error is likely; held until an "
                        "editor or the next release confirms it"
                    ),
                    contest_id=c.contest_id,
                )
            )


def counts_went_down(previous: Release, current: Release) -> list[str]:
    """What went down from ``previous`` to ``current``, in words (empty when nothing did):
    the county's three ballot counters, and each contest's votes by choice, write-ins and
    ballots."""
    if LaidFlat(current).nothing_went_down_since(LaidFlat(previous)):
        return []
    return _lowered(previous, current)


def _lowered(previous: Release, current: Release) -> list[str]:
    """:func:`counts_went_down`, count by count."""
    found: list[str] = []
    for field, label in (
        ("ballots_counted", "ballots counted"),
        ("ballots_mail", "mail ballots"),
        ("ballots_in_person", "in-person ballots"),
    ):
        before, after = getattr(previous, field), getattr(current, field)
        if before is not None and after is not None and after < before:
            found.append(f"{label} {before:,} → {after:,}")
    now = current.counts_by_contest()
    for was in previous.contests:
        count = now.get(was.contest_id)
        if count is None:
            continue
        for choice_id, before in was.votes.items():
            after = count.votes.get(choice_id)
            if after is not None and after < before:
                found.append(
                    f"contest {was.contest_id}, choice {choice_id}: {before:,} → {after:,}"
                )
        if count.write_ins < was.write_ins:
            found.append(
                f"contest {was.contest_id}, write-ins: {was.write_ins:,} → {count.write_ins:,}"
            )
        if was.ballots is not None and count.ballots is not None and count.ballots < was.ballots:
            found.append(f"contest {was.contest_id}, ballots: {was.ballots:,} → {count.ballots:,}")
    return found


__all__ = [
    "COUNTY_WIDE",
    "COVERAGE_TOLERANCE",
    "DELTA_TOLERANCE",
    "HOLD_SHARE",
    "HOLD_VOTES",
    "Judgement",
    "LaidFlat",
    "ReleaseChecks",
    "check_release",
    "counts_went_down",
    "is_held",
    "is_usable",
    "with_correction_note",
]
