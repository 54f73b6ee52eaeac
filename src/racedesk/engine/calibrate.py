"""Calibration: learning the projection's parameters from replays of past canvasses.

Each past canvass is replayed release by release exactly as the desk saw it (``engine.replay``:
the releases so far, the outstanding reports known then, the votes-left model), and every
(contest, usable release) before the last gives a row: the count then, the votes left the desk
assumed, the recent batches, and, in hindsight, how the votes still to come actually split and
the final shares. From the rows (``docs/method.md``):

1. ``trend_weight`` (β) per share-of-count-done bucket: the least-squares slope of the late
   share's departure from the share so far (``s − p``) on the recent batches' departure
   (``w·(b − p)``), clipped to [0, 1], over the bucket's rows and, where it has fewer than
   ``TREND_ROWS`` whose recent batches leaned, its nearest buckets' too;
2. ``sampling_spread`` (κ): from the moments of the late share around its centre, the part of
   its variance that grows as the votes left shrink (``(m(1−m))²·κ/(R·m)``);
3. ``late_spread`` (τ_f) per bucket: found by bisection so that the 90% intervals of the
   projection hold the final shares in 90% of the bucket's (contest, release) pairs (and at
   least as wide as for its pairs and its nearest buckets' together where it has fewer than
   ``SPREAD_ROWS``), with the same draws at every step, on the counts whose votes left the
   registrar or registration bound (counts paced only by the state's feed are projected with τ
   widened by ``pace_spread`` and set it only where there is nothing else, drawn widened);
4. ``late_shift_max`` and ``late_design_effect``: the envelope of every late swing seen (a
   leader's share of all votes, or the two-way share between adjacent choices), measured from
   the late share's centre of step 1 (what the recent batches left unexplained, the residual
   the call rule must rule out around that same centre):
   ``A_f + late_noise_z · sqrt(q(1−q)·d / R)``, ``A_f`` per bucket ``f`` of the share of the
   count done, the largest swing in large contests at that stage of the count or later (kept
   apart for two choices holding less than ``minor_pair_share`` of the votes between them, whose
   two-way split swings further: ``late_shift_max_minor``, ``A_f`` where none was seen) and ``d``
   the smallest factor that covers every smaller one (``late_design_effect_minor`` for minor
   pairs), each with a margin (``SAFETY`` on ``A``, its square on ``d``): the
   allowance the call rule gives a trailing choice;
5. ``late_cap`` (and ``late_cap_minor``): per bucket and per point of ``late_cap_votes``, the
   largest of those swings seen at that stage or later where at least a third as many votes
   were left, with the margin (:func:`swing_caps`): the allowance is never more than it.

The result keeps every other parameter of ``base`` and records what it was calibrated on, its
training coverage and the figures of each step in ``calibration``; its ``version`` names the
canvasses and a digest of the fitted numbers. Pure and deterministic.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import msgspec
import numpy as np
import numpy.typing as npt

from racedesk.engine import joined
from racedesk.engine import projection as proj
from racedesk.engine.params import ModelParams, default_params
from racedesk.engine.replay import replay
from racedesk.model import Election, OutstandingReport, Release
from racedesk.rules import logic_of

FloatArray = npt.NDArray[np.float64]

#: Draws per row while calibrating (the desk itself uses ``params.draws``).
CALIBRATION_DRAWS = 200
#: Bisection steps for each bucket's spread, and the largest spread tried.
BISECTION_STEPS = 14
SPREAD_MAX = 3.0
#: A bucket with fewer rows than this gets at least the spread fitted on it and its nearest
#: buckets together (a few hundred rows of one canvass set a bucket's spread anywhere from 0.06
#: to 0.10 between folds, and an empty bucket's to 0: docs/method.md, "Calibration").
SPREAD_ROWS = 1_000
#: Rows whose recent batches leaned (``w(b − p)`` not 0) below which a bucket's trend weight is
#: fitted on its nearest buckets' rows too: a slope needs far fewer rows than a 90% tail.
TREND_ROWS = 100
#: Margin on the largest late swing seen, for the call rule.
SAFETY = 1.25
#: The coverage the intervals are calibrated to.
TARGET = 0.9
#: The fields ``calibrate`` learns; a shipped parameter file holds these (the rest keep the
#: code's defaults).
LEARNED = (
    "trend_weight",
    "late_spread",
    "sampling_spread",
    "late_shift_max",
    "late_shift_max_minor",
    "late_design_effect",
    "late_design_effect_minor",
    "late_shift_max_pace",
    "late_design_effect_pace",
    "late_cap",
    "late_cap_minor",
)
#: A cap on the late allowance is learned only from at least this many swings.
CAP_MIN_SWINGS = 100
#: Swings with at least 1 / CAP_REACH of a cap's votes left inform it.
CAP_REACH = 3.0


@dataclass(frozen=True)
class Row:
    """One (contest, usable release) of a past canvass, with its hindsight."""

    prepared: proj.Prepared
    batch: FloatArray | None
    batch_weight: float
    late: FloatArray | None
    late_votes: float
    final: FloatArray


def canvass_rows(
    election: Election,
    releases: Sequence[Release],
    reports: Sequence[OutstandingReport],
    base: ModelParams,
) -> list[Row]:
    """The rows of one canvass, replayed with ``base`` (its votes-left model)."""
    ordered = sorted(releases, key=lambda r: r.feed_time)
    if len(ordered) < 2:
        return []
    finals = ordered[-1].counts_by_contest()
    contests = {c.id: c for c in election.contests}
    flat = msgspec.structs.replace(
        base, trend_weight=(0.0,) * (len(base.fraction_edges) + 1), draws=20
    )
    good: list[Release] = []
    rows: list[Row] = []
    last = len(ordered) - 1
    for index, snapshot in enumerate(replay(election, ordered, reports, flat, seed=0)):
        if not snapshot.usable:
            continue
        release = ordered[index]
        good.append(release)
        if index == last:
            break
        earlier_counts = joined.earlier_counts(election, good, base.recent_batches)
        for state in snapshot.states:
            contest = contests.get(state.contest_id)
            final = finals.get(state.contest_id)
            if contest is None or final is None or final.choice_votes == 0:
                continue
            earlier = earlier_counts.get(state.contest_id)
            # the rule's deciding votes, as the state holds them (a ranked-choice last round)
            logic = logic_of(contest)
            before = logic.deciding_votes(earlier) if earlier else None
            prep = proj.prepare(contest, state, before, flat)
            if prep is None:
                continue
            ids = [c.id for c in contest.choices]
            decided = logic.deciding_votes(final)
            final_votes = np.array([decided.get(c, 0) for c in ids], dtype=np.float64)
            added = final_votes - prep.votes
            late_votes = float(added.sum())
            late = added / late_votes if late_votes > 0 and bool((added >= 0).all()) else None
            batch, size = proj.batch_shares(state.votes, earlier.votes if earlier else None, ids)
            weight = size / (size + base.trend_prior_votes) if batch is not None else 0.0
            rows.append(
                Row(
                    prepared=prep,
                    batch=batch,
                    batch_weight=weight,
                    late=late,
                    late_votes=late_votes,
                    final=final_votes / final_votes.sum(),
                )
            )
    return rows


def fit_trend(rows: Sequence[Row], buckets: int) -> tuple[list[float], list[int]]:
    """β per bucket: slope of ``s − p`` on ``w(b − p)`` through the origin, clipped to [0, 1],
    over the rows of the bucket's window (:func:`spread_windows`): a bucket with fewer than
    ``TREND_ROWS`` rows whose recent batches leaned at all takes in its nearest buckets' (a
    slope on a handful of rows is theirs, not the count's); also each bucket's number of such
    rows."""
    sxy = np.zeros(buckets)
    sxx = np.zeros(buckets)
    sizes = [0] * buckets
    for row in rows:
        if row.batch is None or row.late is None:
            continue
        p = row.prepared.shares
        x = row.batch_weight * (row.batch - p)
        xx = float(x @ x)
        if xx <= 0:
            continue
        b = row.prepared.bucket
        sxy[b] += float(x @ (row.late - p))
        sxx[b] += xx
        sizes[b] += 1
    slopes: list[float] = []
    for lo, hi in spread_windows(sizes, TREND_ROWS):
        xx = float(sxx[lo : hi + 1].sum())
        slopes.append(float(min(max(sxy[lo : hi + 1].sum() / xx, 0.0), 1.0)) if xx > 0 else 0.0)
    return slopes, sizes


def centred(row: Row, trend: Sequence[float]) -> proj.Prepared:
    """The row's inputs with its late-share centre moved by the fitted trend weight."""
    p = row.prepared.shares
    centre = (
        p
        if row.batch is None
        else p + trend[row.prepared.bucket] * row.batch_weight * (row.batch - p)
    )
    return replace(row.prepared, centre=centre)


def fit_sampling(rows: Sequence[Row], prepared: Sequence[proj.Prepared]) -> tuple[float, float]:
    """(τ², κ) by least squares of the squared late-share error on ``(m(1−m))²`` and
    ``(m(1−m))²/(R·m)`` (the model's variance, by the delta method), both kept ≥ 0."""
    a_cols: list[FloatArray] = []
    c_cols: list[FloatArray] = []
    ys: list[FloatArray] = []
    for row, prep in zip(rows, prepared, strict=True):
        if row.late is None or row.late_votes <= 0:
            continue
        m = np.maximum(prep.centre, proj.SHARE_FLOOR)
        g = (m * (1 - m)) ** 2
        a_cols.append(g)
        c_cols.append(g / (row.late_votes * m))
        ys.append((row.late - m) ** 2)
    if not ys:
        return 0.0, 0.0
    a = np.concatenate(a_cols)
    c = np.concatenate(c_cols)
    y = np.concatenate(ys)
    design = np.stack([a, c], axis=1)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    tau2, kappa = float(coef[0]), float(coef[1])
    if kappa < 0:
        kappa = 0.0
        tau2 = float((a @ y) / (a @ a))
    if tau2 < 0:
        tau2 = 0.0
        kappa = max(float((c @ y) / (c @ c)), 0.0)
    return tau2, kappa


class _Group:
    """Rows with the same number of choices, stacked, with fixed draws."""

    def __init__(
        self, items: list[tuple[int, proj.Prepared, FloatArray]], rng: np.random.Generator
    ) -> None:
        self.pair_ids = np.array([i for i, _, _ in items])
        preps = [p for _, p, _ in items]
        self.votes = np.stack([p.votes for p in preps])
        self.centre = np.stack([p.centre for p in preps])
        self.low = np.array([p.left_low for p in preps])
        self.mid = np.array([p.left_mid for p in preps])
        self.high = np.array([p.left_high for p in preps])
        self.bucket = np.array([p.bucket for p in preps])
        #: each row's spread as the projection widens it (``Prepared.widen``: counts paced only
        #: by the state's feed), so that calibration draws what the desk will draw
        self.widen = np.array([p.widen for p in preps])
        self.final = np.stack([f for _, _, f in items])
        c, k = self.votes.shape
        self.u = rng.random((c, CALIBRATION_DRAWS))
        self.eps = rng.standard_normal((c, k, CALIBRATION_DRAWS), dtype=np.float32)

    def covered(self, spreads: FloatArray, sampling: float, level: float) -> FloatArray:
        """Each row's share of choices whose interval held the final share."""
        out = np.empty(len(self.pair_ids))
        step = max(1, 2_000_000 // (self.votes.shape[1] * CALIBRATION_DRAWS))
        lo_rank = round((1 - level) / 2 * (CALIBRATION_DRAWS - 1))
        hi_rank = round((1 + level) / 2 * (CALIBRATION_DRAWS - 1))
        for start in range(0, len(self.pair_ids), step):
            s = slice(start, start + step)
            final = proj.simulate(
                self.votes[s], self.centre[s], self.low[s], self.mid[s], self.high[s],
                spreads[self.bucket[s]] * self.widen[s], sampling, self.u[s], self.eps[s],
            )  # fmt: skip
            part = np.partition(final, (lo_rank, hi_rank), axis=2)
            lo = part[:, :, lo_rank] - 1e-9
            hi = part[:, :, hi_rank] + 1e-9
            held = (self.final[s] >= lo) & (self.final[s] <= hi)
            out[s] = held.mean(axis=1)
        return out


def spread_windows(sizes: Sequence[int], least: int) -> list[tuple[int, int]]:
    """For each bucket, the buckets whose rows set its spread or its trend weight (first, last,
    inclusive): itself, widened one bucket at a time toward the neighbour with more rows until
    they hold ``least`` rows (or every bucket)."""
    count = len(sizes)
    windows: list[tuple[int, int]] = []
    for b in range(count):
        lo = hi = b
        while sum(sizes[lo : hi + 1]) < least and (lo > 0 or hi < count - 1):
            if lo > 0 and (hi == count - 1 or sizes[lo - 1] >= sizes[hi + 1]):
                lo -= 1
            else:
                hi += 1
        windows.append((lo, hi))
    return windows


def fit_spread(
    prepared: Sequence[proj.Prepared], finals: Sequence[FloatArray], sampling: float, buckets: int,
    level: float,
) -> tuple[list[float], list[float], list[int]]:  # fmt: skip
    """τ_f per bucket by bisection to ``TARGET`` coverage of the bucket's rows, raised to that
    of the rows of its window where it has fewer than ``SPREAD_ROWS`` (:func:`spread_windows`:
    a few rows can say the late vote strays far, not that it stays close); also each bucket's
    coverage (of its own rows) and size."""
    bucket_of = np.array([p.bucket for p in prepared], dtype=np.int64)
    sizes = np.bincount(bucket_of, minlength=buckets)
    wide = spread_windows([int(n) for n in sizes], SPREAD_ROWS)
    # each bucket's own rows (window b is bucket b), then the windows of the buckets that borrow,
    # each fitted apart; the borrowed rows get draws of their own, so that a bucket that does not
    # borrow is fitted on the very draws it would be without the windows
    borrows = [b for b in range(buckets) if wide[b] != (b, b)]
    windows = [(b, b) for b in range(buckets)] + [wide[b] for b in borrows]
    members = [(int(b), i) for i, b in enumerate(bucket_of)]
    members += [
        (w, int(i)) for w, (lo, hi) in enumerate(windows[buckets:], start=buckets)
        for i in np.flatnonzero((bucket_of >= lo) & (bucket_of <= hi))
    ]  # fmt: skip
    groups: list[_Group] = []
    for seed, part in ((0, range(len(prepared))), (1, range(len(prepared), len(members)))):
        rng = np.random.default_rng(seed)
        by_k: dict[int, list[tuple[int, proj.Prepared, FloatArray]]] = {}
        for j in part:
            w, i = members[j]
            by_k.setdefault(len(prepared[i].votes), []).append(
                (j, replace(prepared[i], bucket=w), finals[i])
            )
        groups += [_Group(by_k[k], rng) for k in sorted(by_k)]
    window_of = np.array([w for w, _ in members], dtype=np.int64)
    window_sizes = np.bincount(window_of, minlength=len(windows))

    def coverage(spreads: FloatArray) -> FloatArray:
        held = np.zeros(len(members))
        for g in groups:
            held[g.pair_ids] = g.covered(spreads, sampling, level)
        sums = np.bincount(window_of, weights=held, minlength=len(windows))
        return np.divide(
            sums, window_sizes, out=np.full(len(windows), math.nan), where=window_sizes > 0
        )

    low = np.zeros(len(windows))
    high = np.full(len(windows), SPREAD_MAX)
    for _ in range(BISECTION_STEPS):
        mid = (low + high) / 2
        enough = np.nan_to_num(coverage(mid), nan=1.0) >= TARGET
        high = np.where(enough, mid, high)
        low = np.where(enough, low, mid)
    spreads = high[:buckets].copy()
    for w, b in enumerate(borrows, start=buckets):
        spreads[b] = max(spreads[b], high[w])
    final_cov = coverage(np.concatenate([spreads, high[buckets:]]))[:buckets]
    return (
        [float(round(s, 4)) for s in spreads],
        [float(c) if not math.isnan(c) else -1.0 for c in final_cov],
        [int(n) for n in sizes],
    )


#: Two-way votes left above which a contest counts as large for the late-swing envelope.
LARGE = 100_000


class Swing(NamedTuple):
    """One late swing seen in hindsight: how far the share of the votes still to come strayed
    from the share so far (``swing``), the share so far ``q``, the votes it was measured on
    (``votes_left``), whether it is the two-way split of a ``minor`` pair, and the bucket of the
    share of the count done (``params.fraction_edges``) at the release."""

    swing: float
    q: float
    votes_left: float
    minor: bool
    bucket: int
    #: Whether the row's votes left came from the count's pace alone (``Prepared.paced``).
    pace: bool = False


class Envelope(NamedTuple):
    """The late-swing envelope the call rule allows: per bucket of the share of the count done,
    the largest swing (``shift``, and ``shift_minor`` for minor pairs), and the design effect."""

    shift: tuple[float, ...]
    shift_minor: tuple[float, ...]
    design: float
    #: The design effect of minor pairs' swings (at least ``design``).
    design_minor: float = 1.0


def late_swings(
    rows: Sequence[Row], minor_share: float, centres: Sequence[FloatArray] | None = None
) -> list[Swing]:
    """Every late swing of the rows: the leader's share of all votes, and the two-way share
    between adjacent choices down to the first loser (``minor`` when the two hold less than
    ``minor_share`` of the votes), each measured from the row's late-share centre in
    ``centres`` (what the recent batches could not explain), or from the shares so far."""
    swings: list[Swing] = []
    for i, row in enumerate(rows):
        if row.late is None or row.late_votes <= 0:
            continue
        prep = row.prepared
        centre = centres[i] if centres is not None else prep.shares
        order = np.argsort(-prep.votes, kind="stable")
        lead = int(order[0])
        q = float(centre[lead])
        pace = prep.paced
        swings.append(
            Swing(abs(float(row.late[lead]) - q), q, row.late_votes, False, prep.bucket, pace)
        )
        places = max(prep.contest.rule.seats, prep.contest.rule.advance, 1)
        for a, b in itertools.pairwise(order[: places + 1]):
            va, vb = float(prep.votes[a]), float(prep.votes[b])
            la, lb = float(row.late[a]) * row.late_votes, float(row.late[b]) * row.late_votes
            ca, cb = float(centre[a]), float(centre[b])
            if va + vb <= 0 or la + lb <= 0 or ca + cb <= 0:
                continue
            q2 = cb / (ca + cb)
            minor = va + vb < minor_share * prep.counted
            swings.append(Swing(abs(lb / (la + lb) - q2), q2, la + lb, minor, prep.bucket, pace))
    return swings


def _stage_maxima(swings: Sequence[Swing], buckets: int, fallback: float) -> list[float]:
    """Per bucket ``b``, the largest swing seen at ``b`` or later in the count (a swing late in
    a count could as well have come earlier), never more than an earlier bucket's: where no
    swing was seen at ``b`` or later, the earlier bucket's (or ``fallback`` for the first)."""
    maxima: list[float] = []
    for b in range(buckets):
        seen = [s.swing for s in swings if s.bucket >= b]
        maxima.append(max(seen) if seen else (maxima[-1] if maxima else fallback))
    return maxima


def swing_envelope(swings: Sequence[Swing], z: float, buckets: int) -> Envelope:
    """The smallest envelope ``A_f + z·sqrt(q(1−q)·d / R)`` over every swing seen: ``A_f`` per
    bucket ``f`` of the share of the count done, the largest swing in large contests (``LARGE``
    votes left or more) at that stage of the count or later, ``A_minor_f`` the same for minor
    pairs (at least ``A_f``; ``A_f`` itself when no minor pair of a large contest was seen), and
    ``d`` the one design effect that covers every other swing above its stage's ``A`` (minor
    pairs' swings apart: ``design_minor``)."""
    if not swings:
        return Envelope((0.0,) * buckets, (0.0,) * buckets, 1.0)
    everything = max(s.swing for s in swings)
    large = [s for s in swings if s.votes_left >= LARGE]
    shift = _stage_maxima([s for s in large if not s.minor], buckets, everything)
    large_minor = [s for s in large if s.minor]
    # with no minor pair seen in a large contest, minor pairs start from the others' shift and
    # their own design effect covers every minor swing seen (not the largest swing of all)
    minor = _stage_maxima(large_minor, buckets, everything) if large_minor else shift
    shift_minor = [max(a, m) for a, m in zip(shift, minor, strict=True)]
    design = {False: 1.0, True: 1.0}
    for s in swings:
        base = (shift_minor if s.minor else shift)[s.bucket]
        spread = z * math.sqrt(max(s.q * (1 - s.q), 1e-6) / s.votes_left)
        if s.swing > base and spread > 0:
            design[s.minor] = max(design[s.minor], ((s.swing - base) / spread) ** 2)
    return Envelope(
        tuple(shift), tuple(shift_minor), design[False], max(design[True], design[False])
    )


def swing_caps(
    swings: Sequence[Swing], buckets: int, grid: Sequence[float], minimum: int = CAP_MIN_SWINGS
) -> list[list[float | None]]:
    """Per bucket ``f`` of the share of the count done and per point ``g`` of ``grid`` (votes
    left): the largest swing seen at stage ``f`` or later among the swings with at least
    ``g / CAP_REACH`` votes left, or None where fewer than ``minimum`` were seen. Late swings
    do not grow as the votes left shrink the way a sample's error does (the envelope's noise
    term, four standard errors at the largest design effect seen, allows a 50% choice to lose
    55 points of 832 votes left): what is seen is a shift of up to 15–19 points whatever the
    size, so the cap says how far a late share has strayed where about as many votes were
    left."""
    if not swings:
        return [[None] * len(grid) for _ in range(buckets)]
    swing = np.array([s.swing for s in swings])
    left = np.array([s.votes_left for s in swings])
    bucket = np.array([s.bucket for s in swings])
    caps: list[list[float | None]] = []
    for f in range(buckets):
        row: list[float | None] = []
        for g in grid:
            seen = swing[(bucket >= f) & (left >= g / CAP_REACH)]
            row.append(float(seen.max()) if seen.size >= minimum else None)
        caps.append(row)
    return caps


def steady_caps(
    residuals: Sequence[Swing], buckets: int, grid: Sequence[float]
) -> tuple[list[list[float | None]], list[list[float | None]]]:
    """The caps (:func:`swing_caps`) of the counts not paced by the state's feed: the other
    pairs', and the minor pairs' (never below the others', as their envelope; none where too
    few minor pairs were seen)."""
    steady = [s for s in residuals if not s.pace]
    caps = swing_caps([s for s in steady if not s.minor], buckets, grid)
    minor = swing_caps([s for s in steady if s.minor], buckets, grid)
    caps_minor = [
        [None if m is None or c is None else max(c, m) for c, m in zip(row, mrow, strict=True)]
        for row, mrow in zip(caps, minor, strict=True)
    ]
    return caps, caps_minor


def _learned_caps(caps: Sequence[Sequence[float | None]]) -> list[list[float]]:
    """The caps with the margin, at most 1 (and 1, no cap, where none was learned)."""
    return [[1.0 if c is None else round(min(1.0, SAFETY * c), 4) for c in row] for row in caps]


def pace_envelope(
    swings: Sequence[Swing], z: float, buckets: int, others: Envelope, widen: float
) -> tuple[tuple[float, ...], float]:
    """The envelope (per-bucket shift, design effect) for counts whose votes left come from the
    count's pace alone, from their own ``swings`` (minor pairs and others together), never
    below ``others`` (the envelope of every other count); with no such swing seen, ``others``
    widened (``widen``, ``params.pace_envelope_widen``: the shift by ``widen``, the design
    effect by its square)."""
    floor = [max(a, m) for a, m in zip(others.shift, others.shift_minor, strict=True)]
    design = max(others.design, others.design_minor)
    if not swings:
        return tuple(widen * a for a in floor), widen**2 * design
    own = swing_envelope([s._replace(minor=False) for s in swings], z, buckets)
    shift = tuple(max(a, f) for a, f in zip(own.shift, floor, strict=True))
    return shift, max(own.design, design)


def calibrate(
    canvasses: Sequence[tuple[Election, Sequence[Release], Sequence[OutstandingReport]]],
    base: ModelParams | None = None,
) -> ModelParams:
    """Parameters learned from replays of ``canvasses`` (module docstring)."""
    base = base or default_params()
    rows: list[Row] = []
    for election, releases, reports in canvasses:
        rows.extend(canvass_rows(election, releases, reports, base))
    return fit(rows, tuple(election.id for election, _, _ in canvasses), base)


def fit(rows: Sequence[Row], names: Sequence[str], base: ModelParams) -> ModelParams:
    """Parameters learned from the rows of replayed canvasses named ``names`` (steps 1–4 of the
    module docstring); every other parameter is ``base``'s."""
    if not rows:
        raise ValueError("nothing to calibrate on: the canvasses have no counted contests")
    buckets = len(base.fraction_edges) + 1
    trend, trend_sizes = fit_trend(rows, buckets)
    prepared = [centred(row, trend) for row in rows]
    tau2, kappa = fit_sampling(rows, prepared)
    # the spread is fitted on counts whose votes left the registrar or registration bounds;
    # counts paced only by the state's feed are projected with it widened by ``pace_spread``
    # and do not set it (their own swings would set every canvass's spread), unless there is
    # nothing else
    spread_rows = [i for i, p in enumerate(prepared) if not p.paced] or range(len(prepared))
    spreads, coverage, sizes = fit_spread(
        [prepared[i] for i in spread_rows], [rows[i].final for i in spread_rows], kappa,
        buckets, base.level,
    )  # fmt: skip
    residuals = late_swings(rows, base.minor_pair_share, [p.centre for p in prepared])
    envelope = swing_envelope([s for s in residuals if not s.pace], base.late_noise_z, buckets)
    paced = [s for s in residuals if s.pace]
    z, widen = base.late_noise_z, base.pace_envelope_widen
    shift_pace, design_pace = pace_envelope(paced, z, buckets, envelope, widen)
    caps, caps_minor = steady_caps(residuals, buckets, base.late_cap_votes)
    overall = sum(c * n for c, n in zip(coverage, sizes, strict=True) if c >= 0) / max(
        1, sum(sizes)
    )
    figures: dict[str, float] = {
        "rows": float(len(rows)),
        "training_coverage_90": round(overall, 4),
        "moment_spread": round(math.sqrt(tau2), 4),
        "late_design_effect_seen": round(envelope.design, 2),
        "late_design_effect_minor_seen": round(envelope.design_minor, 2),
        "pace_rows": float(sum(1 for r in rows if r.prepared.paced)),
        "late_design_effect_pace_seen": round(design_pace, 2),
    }
    windows = spread_windows(sizes, SPREAD_ROWS)
    trend_windows = spread_windows(trend_sizes, TREND_ROWS)
    for b in range(buckets):
        figures[f"bucket_{b}_rows"] = float(sizes[b])
        lo, hi = trend_windows[b]
        figures[f"bucket_{b}_trend_rows"] = float(sum(trend_sizes[lo : hi + 1]))
        lo, hi = windows[b]
        figures[f"bucket_{b}_spread_rows"] = float(sum(sizes[lo : hi + 1]))
        figures[f"bucket_{b}_coverage_90"] = round(coverage[b], 4)
        figures[f"bucket_{b}_late_swing_large_seen"] = round(envelope.shift[b], 4)
        figures[f"bucket_{b}_late_swing_large_minor_seen"] = round(envelope.shift_minor[b], 4)
        figures[f"bucket_{b}_late_swing_pace_seen"] = round(shift_pace[b], 4)
    names = tuple(names)
    fitted = {
        "trend_weight": [round(t, 4) for t in trend],
        "late_spread": spreads,
        "sampling_spread": round(kappa, 4),
        "late_shift_max": [round(SAFETY * a, 4) for a in envelope.shift],
        "late_shift_max_minor": [round(SAFETY * a, 4) for a in envelope.shift_minor],
        "late_design_effect": round(SAFETY**2 * envelope.design, 2),
        "late_design_effect_minor": round(SAFETY**2 * envelope.design_minor, 2),
        "late_shift_max_pace": [round(SAFETY * a, 4) for a in shift_pace],
        "late_design_effect_pace": round(SAFETY**2 * design_pace, 2),
        "late_cap": _learned_caps(caps),
        "late_cap_minor": _learned_caps(caps_minor),
    }
    digest = hashlib.sha256(json.dumps([names, fitted], sort_keys=True).encode()).hexdigest()[:10]
    return msgspec.structs.replace(
        base,
        version=f"racedesk-cal-{'+'.join(n.replace(':', '-') for n in names)}-{digest}",
        calibrated_on=names,
        trend_weight=tuple(fitted["trend_weight"]),  # type: ignore[arg-type]
        late_spread=tuple(fitted["late_spread"]),  # type: ignore[arg-type]
        sampling_spread=float(fitted["sampling_spread"]),  # type: ignore[arg-type]
        late_shift_max=tuple(fitted["late_shift_max"]),  # type: ignore[arg-type]
        late_design_effect=float(fitted["late_design_effect"]),  # type: ignore[arg-type]
        late_design_effect_minor=float(fitted["late_design_effect_minor"]),  # type: ignore[arg-type]
        late_shift_max_minor=tuple(fitted["late_shift_max_minor"]),  # type: ignore[arg-type]
        late_shift_max_pace=tuple(fitted["late_shift_max_pace"]),  # type: ignore[arg-type]
        late_design_effect_pace=float(fitted["late_design_effect_pace"]),  # type: ignore[arg-type]
        late_cap=tuple(tuple(row) for row in fitted["late_cap"]),  # type: ignore[attr-defined]
        late_cap_minor=tuple(tuple(row) for row in fitted["late_cap_minor"]),  # type: ignore[attr-defined]
        calibration=figures,
    )


def learned_document(params: ModelParams) -> bytes:
    """The parameter file of what calibration learned: schema, version, what it was calibrated
    on, the learned fields and the calibration figures (``racedesk.params/1``, indented JSON)."""
    fields = msgspec.structs.asdict(params)
    doc = {
        "schema": params.schema,
        "version": params.version,
        "calibrated_on": list(params.calibrated_on),
        **{name: fields[name] for name in LEARNED},
        "calibration": params.calibration,
    }
    return msgspec.json.format(msgspec.json.encode(doc), indent=2) + b"\n"


__all__ = [
    "LEARNED",
    "SAFETY",
    "TARGET",
    "Envelope",
    "Row",
    "Swing",
    "calibrate",
    "canvass_rows",
    "fit",
    "fit_spread",
    "fit_trend",
    "late_swings",
    "learned_document",
    "pace_envelope",
    "swing_envelope",
]
