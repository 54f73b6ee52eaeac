"""Projection: how each contest is likely to end, with calibrated uncertainty.

For a contest with counted votes ``v_i`` (``V = Σ v_i``; write-ins aside, the registrar's own
denominator) and ``R`` votes left for the named choices, the final share of choice ``i`` is

    final_i = (v_i + s_i · R) / (V + R)

where ``s`` is how the votes left will split. The model (``docs/method.md``) draws, many times
with a fixed seed:

- ``R`` from a triangular distribution over the contest's votes-left interval (``votes_left``:
  the registrar's estimate when there is one, else the model or the registration bound), scaled
  from all votes to the named choices' votes;
- the split ``s`` as a logistic-normal around a centre ``m``: ``s = softmax(log m + τ_i ε)``,
  ``ε`` standard normal. The centre leans from the cumulative shares ``p`` toward the shares of
  the contest's last few batches ``b`` (``m = p + β·w·(b − p)``, ``w = n_b / (n_b + n_0)`` for a
  batch of ``n_b`` votes), because late ballots differ from early ones and a contest's recent
  batches show in which direction (``calls-and-hurdles.md``, "Projection");
- the spread ``τ_i² = τ_f² + κ / (R · m_i)``: a systematic part ``τ_f`` that depends on the share
  of the count done ``f = V / (V + R)``, and a sampling part that grows as the votes left shrink.

``β``, ``τ_f`` and ``κ`` are learned by ``engine.calibrate`` from replays of past canvasses and
read from the parameter file. Each choice gets the central ``level`` interval of its final share
(90% by default) and the probability of the outcome it seeks: a seat (top ``seats``), a runoff
place (top ``advance``), a majority, or passage at the measure's threshold.

Everything is vectorised across contests with numpy (contests grouped by their number of
choices), pure, and deterministic given the seed.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from racedesk.engine.params import ModelParams
from racedesk.model import Contest, Election, Release
from racedesk.model.answers import BallotsLeft, ChoiceProjection, ContestState, Projection

FloatArray = npt.NDArray[np.float64]

#: Smallest share a choice's late vote is centred on (a choice with no votes yet can still get some).
SHARE_FLOOR = 1e-4
#: Largest logistic spread of one choice's late share (beyond this the share is anything anyway).
SPREAD_CAP = 4.0


@dataclass(frozen=True)
class Prepared:
    """One contest's inputs to the simulation after one release (arrays in ballot order).

    ``votes`` are the named choices' counts, ``centre`` the late-share centre ``m``, ``left_*``
    the votes left for the named choices (low, mid, high), ``fraction`` the share of the count
    done (``V / (V + R_mid)``) and ``bucket`` its place among ``params.fraction_edges``.
    """

    contest: Contest
    votes: FloatArray
    shares: FloatArray
    centre: FloatArray
    left_low: float
    left_mid: float
    left_high: float
    fraction: float
    bucket: int

    @property
    def counted(self) -> float:
        return float(self.votes.sum())


def fraction_bucket(fraction: float, params: ModelParams) -> int:
    """The index of the share-of-count-done bucket ``fraction`` falls in."""
    return bisect.bisect_right(params.fraction_edges, fraction)


def batch_shares(
    now: dict[str, int], before: dict[str, int] | None, choice_ids: Sequence[str]
) -> tuple[FloatArray | None, float]:
    """The shares of the votes added between two releases (the batch), and the batch's size.

    ``None`` when there is no batch to read: no earlier release, no votes added, or a count that
    went down (a correction), across which a batch share would be garbage.
    """
    if before is None:
        return None, 0.0
    added = [now.get(c, 0) - before.get(c, 0) for c in choice_ids]
    size = float(sum(added))
    if size <= 0 or min(added) < 0:
        return None, 0.0
    return np.array(added, dtype=np.float64) / size, size


def prepare(
    contest: Contest,
    state: ContestState,
    earlier: dict[str, int] | None,
    params: ModelParams,
) -> Prepared | None:
    """The simulation inputs of one contest, or None when it cannot be projected.

    ``earlier`` is the contest's votes ``params.recent_batches`` usable releases ago (the start
    of the recent batches). A contest cannot be projected before any vote is counted or when
    its votes left are unknown.
    """
    ids = [c.id for c in contest.choices]
    counts = [state.votes.get(c, 0) for c in ids]
    counted = float(sum(counts))
    left = state.votes_left.votes
    if counted <= 0 or left is None or not ids:
        return None
    # Votes left are all votes (write-ins too); the named choices get their share of them.
    named = counted / state.total_votes if state.total_votes > 0 else 1.0
    low = max(0.0, left.low) * named
    high = max(low, left.high * named)
    mid = min(max(left.mid * named, low), high)
    fraction = counted / (counted + mid) if counted + mid > 0 else 1.0
    bucket = fraction_bucket(fraction, params)
    shares = [v / counted for v in counts]
    centre = shares
    if earlier is not None:
        added = [v - earlier.get(c, 0) for v, c in zip(counts, ids, strict=True)]
        size = sum(added)
        if size > 0 and min(added) >= 0:
            lean = params.trend_weight[bucket] * size / (size + params.trend_prior_votes)
            centre = [p + lean * (a / size - p) for p, a in zip(shares, added, strict=True)]
    votes = np.array(counts, dtype=np.float64)
    return Prepared(
        contest=contest,
        votes=votes,
        shares=np.array(shares),
        centre=np.array(centre),
        left_low=low,
        left_mid=mid,
        left_high=high,
        fraction=fraction,
        bucket=bucket,
    )


def triangular(
    low: npt.NDArray[np.floating],
    mode: npt.NDArray[np.floating],
    high: npt.NDArray[np.floating],
    u: npt.NDArray[np.floating],
) -> npt.NDArray[np.floating]:
    """Inverse CDF of the triangular distribution, row-wise: ``u`` (rows × draws) in [0, 1)."""
    lo, md, hi = low[:, None], mode[:, None], high[:, None]
    width = hi - lo
    safe = np.where(width > 0, width, 1.0)
    cut = (md - lo) / safe
    left = lo + np.sqrt(u * width * (md - lo))
    right = hi - np.sqrt((1.0 - u) * width * (hi - md))
    return np.where(width > 0, np.where(u < cut, left, right), lo)


def simulate(
    votes: FloatArray,
    centre: FloatArray,
    left_low: FloatArray,
    left_mid: FloatArray,
    left_high: FloatArray,
    spread: FloatArray,
    sampling: float,
    u: npt.NDArray[np.floating],
    eps: npt.NDArray[np.floating],
) -> npt.NDArray[np.floating]:
    """Draws of the final shares of ``C`` contests with ``K`` choices each.

    ``votes`` and ``centre`` are (C, K); ``left_*`` and ``spread`` (``τ_f``) are (C,); ``u``
    (C, D) uniform and ``eps`` (C, K, D) standard normal draws. Returns (C, K, D) final shares
    of the named choices' votes, in the precision of ``eps`` (single precision is plenty for
    a share; contests with nothing left are projected exactly elsewhere).
    """
    dtype = eps.dtype
    counted = votes.sum(axis=1)
    left = triangular(
        left_low.astype(dtype), left_mid.astype(dtype), left_high.astype(dtype), u
    )  # (C, D)
    m = np.maximum(centre, SHARE_FLOOR)
    tau2 = spread[:, None] ** 2 + sampling / (np.maximum(left_mid, 1.0)[:, None] * m)
    tau = np.minimum(np.sqrt(tau2), SPREAD_CAP).astype(dtype)
    split = np.log(m).astype(dtype)[:, :, None] + tau[:, :, None] * eps
    split -= split.max(axis=1, keepdims=True)
    np.exp(split, out=split)
    split *= (left / split.sum(axis=1))[:, None, :]  # votes each choice gets of the votes left
    split += votes.astype(dtype)[:, :, None]
    split /= (counted.astype(dtype)[:, None] + left)[:, None, :]
    return split


@functools.lru_cache(maxsize=64)
def fraction(text: str | None) -> Fraction | None:
    """A rule's threshold text ("1/2", "11/20", "2/3") as an exact fraction, read once."""
    return Fraction(text) if text is not None else None


def yes_index(contest: Contest) -> int:
    """The position of a measure's YES choice (the first choice if none is named so)."""
    for i, c in enumerate(contest.choices):
        if c.name.strip().upper().startswith("YES"):
            return i
    return 0


def top_set_key(names: Sequence[str], kind: str) -> str:
    """The name of the outcome "these choices take the places" in ``Projection.outcomes``."""
    return " and ".join(names) + (" win" if kind == "plurality" else " advance")


def current_top(votes: FloatArray, n: int) -> list[int]:
    """The ``n`` choices ahead in the count (ballot order among equals)."""
    order = sorted(range(len(votes)), key=lambda i: (-votes[i], i))
    return order[:n]


def places_sought(contest: Contest) -> int:
    """How many top places a candidate contest's choices compete for (seats, or runoff places)."""
    rule = contest.rule
    if rule.kind == "plurality":
        return max(1, rule.seats)
    return max(1, rule.advance or 2)


def in_top(
    final: npt.NDArray[np.floating], n: int
) -> npt.NDArray[np.floating] | npt.NDArray[np.bool_]:
    """Whether each choice finishes among the top ``n`` in each draw (``final`` is (C, K, D)).

    With one draw (a count that is final) the answer is each choice's share of a place: 1 in,
    0 out, and for choices tied for the last places the share of those places each would get by
    lot (EC §15651)."""
    _, k, d = final.shape
    if n >= k:
        return np.ones(final.shape, dtype=bool)
    if d == 1:
        shares = final[:, :, 0]
        ahead = (shares[:, None, :] > shares[:, :, None]).sum(axis=2)
        tied = (shares[:, None, :] == shares[:, :, None]).sum(axis=2)
        place: npt.NDArray[np.floating] = np.clip((n - ahead) / tied, 0.0, 1.0)
        return place[:, :, None]
    if n == 1:
        return final >= final.max(axis=1, keepdims=True)
    # the n-th largest (numpy's sort is vectorised and faster here than partition)
    return final >= np.sort(final, axis=1)[:, k - n : k - n + 1, :]


def _share_of_draws(
    flags: npt.NDArray[np.floating] | npt.NDArray[np.bool_], axis: int
) -> FloatArray:
    """The mean over draws of 0/1 flags (or of shares of a place, with one draw)."""
    if flags.dtype == np.bool_:
        counted: FloatArray = np.count_nonzero(flags, axis=axis) / flags.shape[axis]
        return counted
    mean: FloatArray = flags.mean(axis=axis)
    return mean


def outcomes(
    contests: Sequence[Contest], votes: FloatArray, final: npt.NDArray[np.floating]
) -> tuple[FloatArray, list[dict[str, float]]]:
    """For contests with the same number of choices (``final`` is (C, K, D)): each choice's
    probability of the outcome it seeks, and each contest's outcomes with their probabilities.

    Rules (``calls-and-hurdles.md``): plurality, a seat among the top ``seats``;
    majority-or-runoff, a runoff place among the top ``advance`` (EC §8141), with the chance of
    a majority (more than half, EC §8140) and of a runoff as outcomes; top-two, a place among
    the top ``advance``; measures and recalls, yes at the threshold (more than half for a simple
    majority, at least 55% or 2/3 otherwise), the NO choice seeking the opposite. A measure whose
    threshold cannot be read has no probabilities (NaN). Outcome names use the choices' names
    as the source spells them.
    """
    c_count, k, _ = final.shape
    probs = np.full((c_count, k), math.nan)
    outs: list[dict[str, float]] = [{} for _ in range(c_count)]
    by_key: dict[tuple[str, int], list[int]] = {}
    for i, contest in enumerate(contests):
        if contest.rule.kind in ("measure", "recall"):
            by_key.setdefault(("measure", 0), []).append(i)
        else:
            by_key.setdefault(("places", places_sought(contest)), []).append(i)
    for (kind, n), members in by_key.items():
        idx = np.array(members)
        f = final[idx]
        if kind == "measure":
            _measure_outcomes([contests[i] for i in members], f, idx, probs, outs)
            continue
        top = in_top(f, n)
        group_probs = _share_of_draws(top, 2)
        probs[idx] = group_probs
        rows = group_probs.tolist()
        leaders = [current_top(votes[i], n) for i in members]
        plurality_one = [contests[i].rule.kind == "plurality" and n == 1 for i in members]
        joint: dict[int, float] = {}
        pick = [j for j, single in enumerate(plurality_one) if not single]
        if pick:
            mask = np.zeros((len(pick), k), dtype=bool)
            for row, j in enumerate(pick):
                mask[row, leaders[j]] = True
            sub = top[pick]
            if sub.dtype == np.bool_:
                held = _share_of_draws(np.all(sub | ~mask[:, :, None], axis=1), 1)
            else:
                held = np.prod(np.where(mask[:, :, None], sub, 1.0), axis=1).mean(axis=1)
            joint = dict(zip(pick, held.tolist(), strict=True))
        runoff_rows = [
            j for j, i in enumerate(members) if contests[i].rule.kind == "majority_or_runoff"
        ]
        p_majority: dict[int, list[float]] = {}
        p_runoff: dict[int, float] = {}
        if runoff_rows:
            half = np.array([0.5 / max(1, contests[members[j]].rule.seats) for j in runoff_rows])
            majority = f[runoff_rows] > half[:, None, None]
            p_majority = dict(zip(runoff_rows, _share_of_draws(majority, 2).tolist(), strict=True))
            none = _share_of_draws(~majority.any(axis=1), 1).tolist()
            p_runoff = dict(zip(runoff_rows, none, strict=True))
        for j, i in enumerate(members):
            contest = contests[i]
            names = [c.name for c in contest.choices]
            out = outs[i]
            if plurality_one[j]:
                out.update(zip([f"{name} wins" for name in names], rows[j], strict=True))
            else:
                out[top_set_key([names[q] for q in leaders[j]], contest.rule.kind)] = joint[j]
            if j in p_runoff:
                out.update(
                    zip([f"{name} wins a majority" for name in names], p_majority[j], strict=True)
                )
                out["runoff"] = p_runoff[j]
    return probs, outs


def _measure_outcomes(
    contests: Sequence[Contest], f: npt.NDArray[np.floating], idx: npt.NDArray[np.intp], probs: FloatArray,
    outs: list[dict[str, float]],
) -> None:  # fmt: skip
    rows = np.arange(len(contests))
    yes = np.array([yes_index(c) for c in contests])
    share = f[rows, yes, :]  # (c, D)
    thresholds = [fraction(c.rule.threshold) for c in contests]
    q = np.array([float(t) if t is not None else math.nan for t in thresholds])
    strict = np.array([c.rule.strict for c in contests])
    passes = _share_of_draws(np.where(strict[:, None], share > q[:, None], share >= q[:, None]), 1)
    alts = [fraction(c.rule.alt_threshold) for c in contests]
    q_alt = np.array([float(t) if t is not None else math.nan for t in alts])
    passes_alt = _share_of_draws(share >= q_alt[:, None], 1)
    for j in range(len(contests)):
        i = int(idx[j])
        if thresholds[j] is None:
            continue
        p = float(passes[j])
        probs[i, :] = 1.0 - p
        probs[i, yes[j]] = p
        outs[i]["passes"] = p
        outs[i]["fails"] = 1.0 - p
        if alts[j] is not None:
            outs[i][f"passes at {alts[j]}"] = float(passes_alt[j])


def _quantile_ranks(draws: int, level: float) -> tuple[int, int, int]:
    low = round((1.0 - level) / 2.0 * (draws - 1))
    high = round((1.0 + level) / 2.0 * (draws - 1))
    return low, (draws - 1) // 2, high


def groups_by_size(prepared: Sequence[Prepared]) -> list[list[int]]:
    """Indexes of the prepared contests grouped by number of choices, in increasing size."""
    groups: dict[int, list[int]] = {}
    for i, prep in enumerate(prepared):
        groups.setdefault(len(prep.votes), []).append(i)
    return [groups[k] for k in sorted(groups)]


_NOISE: dict[
    tuple[int, int, int, int], tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]
] = {}


def noise(
    seed: int, contests: int, choices: int, draws: int
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The uniform (C, D) and standard normal (C, K, D) draws of a group of contests: a function
    of the seed and the group's shape only (its own generator), kept for reuse because the same
    groups come back release after release. The arrays are read-only."""
    key = (seed, contests, choices, draws)
    hit = _NOISE.get(key)
    if hit is not None:
        return hit
    rng = np.random.default_rng([seed, contests, choices, draws])
    u = rng.random((contests, draws), dtype=np.float32)
    eps = rng.standard_normal((contests, choices, draws), dtype=np.float32)
    u.flags.writeable = False
    eps.flags.writeable = False
    if len(_NOISE) >= 128:
        _NOISE.clear()
    _NOISE[key] = (u, eps)
    return u, eps


def simulate_group(
    items: Sequence[Prepared],
    params: ModelParams,
    seed: int,
    draws: int,
    spread: Sequence[float] | None = None,
) -> npt.NDArray[np.floating]:
    """Draws of the final shares (C, K, D) of contests with the same number of choices.
    ``spread`` overrides ``τ_f`` per bucket."""
    taus = np.asarray(spread if spread is not None else params.late_spread, dtype=np.float64)
    u, eps = noise(seed, len(items), len(items[0].votes), draws)
    return simulate(
        np.stack([p.votes for p in items]),
        np.stack([p.centre for p in items]),
        np.array([p.left_low for p in items]),
        np.array([p.left_mid for p in items]),
        np.array([p.left_high for p in items]),
        taus[np.array([p.bucket for p in items])],
        params.sampling_spread,
        u,
        eps,
    )


def project_prepared(
    prepared: Sequence[Prepared], params: ModelParams, seed: int
) -> dict[str, Projection]:
    """Projections of prepared contests: draws, intervals at ``params.level``, probabilities.

    Contests with votes left are simulated in groups of equal size (in input order within a
    group), each group with draws that depend only on ``seed`` and its shape (:func:`noise`): the
    result depends on nothing else. A contest with nothing left to count is projected exactly:
    its final shares are its shares now.
    """
    draws = params.draws
    lo, mid, hi = _quantile_ranks(draws, params.level)
    result: dict[str, Projection] = {}
    settled = [p for p in prepared if p.left_high <= 0]
    open_ = [p for p in prepared if p.left_high > 0]
    batches: list[tuple[list[Prepared], npt.NDArray[np.floating], list[list[list[float]]]]] = []
    for members in groups_by_size(settled):
        items = [settled[i] for i in members]
        exact: npt.NDArray[np.floating] = np.stack([p.shares for p in items])[:, :, None]
        batches.append((items, exact, np.repeat(exact, 3, axis=2).tolist()))
    for members in groups_by_size(open_):
        items = [open_[i] for i in members]
        drawn = simulate_group(items, params, seed, draws)
        bounds = np.sort(drawn, axis=2)[:, :, [lo, mid, hi]].astype(np.float64).tolist()
        batches.append((items, drawn, bounds))
    for items, final, bounds in batches:
        contests = [p.contest for p in items]
        probs, outs = outcomes(contests, np.stack([p.votes for p in items]), final)
        prob_rows = probs.tolist()
        n_draws = final.shape[2]
        for j, prep in enumerate(items):
            choices = tuple(
                ChoiceProjection(
                    choice_id=c.id,
                    share_low=bounds[j][q][0],
                    share_mid=bounds[j][q][1],
                    share_high=bounds[j][q][2],
                    probability=prob_rows[j][q],
                )
                for q, c in enumerate(prep.contest.choices)
            )
            result[prep.contest.id] = Projection(
                contest_id=prep.contest.id,
                model_version=params.version,
                seed=seed,
                draws=n_draws,
                level=params.level,
                choices=choices,
                outcomes=outs[j],
            )
    return result


def project_all(
    election: Election,
    good: Sequence[Release],
    states: Sequence[ContestState],
    ballots_left: BallotsLeft,
    params: ModelParams,
    seed: int,
) -> dict[str, Projection]:
    """Every projectable contest's projection after the last usable release of ``good``.

    ``states`` are the contests' states on that release (in the election's order); the recent
    batches are read from ``good``. Contests with no votes counted, or whose votes left are
    unknown, are left out. ``ballots_left`` is not needed beyond what each state's votes left
    already carries; it is part of the signature so the county-wide estimate can inform the
    model later without changing callers.
    """
    del ballots_left
    back = min(params.recent_batches, len(good) - 1)
    earlier_counts = good[-1 - back].counts_by_contest() if back > 0 else {}
    contests = {c.id: c for c in election.contests}
    prepared: list[Prepared] = []
    for state in states:
        contest = contests.get(state.contest_id)
        if contest is None:
            continue
        earlier = earlier_counts.get(state.contest_id)
        prep = prepare(contest, state, earlier.votes if earlier is not None else None, params)
        if prep is not None:
            prepared.append(prep)
    projections = project_prepared(prepared, params, seed)
    return {s.contest_id: projections[s.contest_id] for s in states if s.contest_id in projections}


__all__ = [
    "Prepared",
    "batch_shares",
    "current_top",
    "fraction",
    "fraction_bucket",
    "groups_by_size",
    "in_top",
    "noise",
    "outcomes",
    "places_sought",
    "prepare",
    "project_all",
    "project_prepared",
    "simulate",
    "simulate_group",
    "top_set_key",
    "triangular",
    "yes_index",
]
