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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from racedesk.engine.params import ModelParams
from racedesk.engine.types import BallotsLeft, ChoiceProjection, ContestState, Projection
from racedesk.model import Contest, Election, Release

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
    return int(np.searchsorted(np.asarray(params.fraction_edges), fraction, side="right"))


def batch_shares(
    now: dict[str, int], before: dict[str, int] | None, choice_ids: Sequence[str]
) -> tuple[FloatArray | None, float]:
    """The shares of the votes added between two releases (the batch), and the batch's size.

    ``None`` when there is no batch to read: no earlier release, no votes added, or a count that
    went down (a correction), across which a batch share would be garbage.
    """
    if before is None:
        return None, 0.0
    added = np.array([now.get(c, 0) - before.get(c, 0) for c in choice_ids], dtype=np.float64)
    size = float(added.sum())
    if size <= 0 or bool((added < 0).any()):
        return None, 0.0
    return added / size, size


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
    votes = np.array([state.votes.get(c, 0) for c in ids], dtype=np.float64)
    counted = float(votes.sum())
    left = state.votes_left.votes
    if counted <= 0 or left is None or not ids:
        return None
    # Votes left are all votes (write-ins too); the named choices get their share of them.
    named = counted / state.total_votes if state.total_votes > 0 else 1.0
    low = max(0.0, left.low) * named
    high = max(low, left.high * named)
    mid = min(max(left.mid * named, low), high)
    shares = votes / counted
    fraction = counted / (counted + mid) if counted + mid > 0 else 1.0
    bucket = fraction_bucket(fraction, params)
    batch, size = batch_shares(state.votes, earlier, ids)
    centre = shares
    if batch is not None:
        weight = size / (size + params.trend_prior_votes)
        centre = shares + params.trend_weight[bucket] * weight * (batch - shares)
    return Prepared(
        contest=contest,
        votes=votes,
        shares=shares,
        centre=centre,
        left_low=low,
        left_mid=mid,
        left_high=high,
        fraction=fraction,
        bucket=bucket,
    )


def triangular(low: FloatArray, mode: FloatArray, high: FloatArray, u: FloatArray) -> FloatArray:
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
    u: FloatArray,
    eps: FloatArray,
) -> FloatArray:
    """Draws of the final shares of ``C`` contests with ``K`` choices each.

    ``votes`` and ``centre`` are (C, K); ``left_*`` and ``spread`` (``τ_f``) are (C,); ``u``
    (C, D) uniform and ``eps`` (C, K, D) standard normal draws. Returns (C, K, D) final shares
    of the named choices' votes.
    """
    counted = votes.sum(axis=1)
    left = triangular(left_low, left_mid, left_high, u)  # (C, D)
    m = np.maximum(centre, SHARE_FLOOR)
    tau2 = spread[:, None] ** 2 + sampling / (np.maximum(left_mid, 1.0)[:, None] * m)
    tau = np.minimum(np.sqrt(tau2), SPREAD_CAP)
    z = np.log(m)[:, :, None] + tau[:, :, None] * eps
    z -= z.max(axis=1, keepdims=True)
    ez = np.exp(z)
    split = ez / ez.sum(axis=1, keepdims=True)
    total = counted[:, None] + left  # (C, D)
    result: FloatArray = (votes[:, :, None] + split * left[:, None, :]) / total[:, None, :]
    return result


def _yes_index(contest: Contest) -> int:
    for i, c in enumerate(contest.choices):
        if c.name.strip().upper().startswith("YES"):
            return i
    return 0


def _beats(share: FloatArray, threshold: Fraction, strict: bool) -> npt.NDArray[np.bool_]:
    q = float(threshold)
    return share > q if strict else share >= q


def _top(final: FloatArray, n: int) -> npt.NDArray[np.bool_]:
    """Whether each choice finishes in the top ``n`` in each draw: final is (K, D)."""
    k = final.shape[0]
    if n >= k:
        return np.ones_like(final, dtype=bool)
    nth = -np.partition(-final, n - 1, axis=0)[n - 1]
    return final >= nth[None, :]


def top_set_key(names: Sequence[str], kind: str) -> str:
    """The name of the outcome "these choices take the places" in ``Projection.outcomes``."""
    return " and ".join(names) + (" win" if kind == "plurality" else " advance")


def _current_top(votes: FloatArray, n: int) -> list[int]:
    order = sorted(range(len(votes)), key=lambda i: (-votes[i], i))
    return order[:n]


def outcomes(
    contest: Contest, votes: FloatArray, final: FloatArray
) -> tuple[FloatArray, dict[str, float]]:
    """Each choice's probability of the outcome it seeks, and the rule's outcomes' probabilities.

    ``final`` is (K, D). Rules (``calls-and-hurdles.md``): plurality, a seat among the top
    ``seats``; majority-or-runoff, a majority (more than half, EC §8140) or a runoff place among
    the top ``advance`` (EC §8141); top-two, a place among the top ``advance``; measures and
    recalls, yes at the threshold (more than half for a simple majority, at least 55% or 2/3
    otherwise). Outcome names use the choices' names as the source spells them.
    """
    rule = contest.rule
    names = [c.name for c in contest.choices]
    k = final.shape[0]
    out: dict[str, float] = {}
    if rule.kind in ("measure", "recall"):
        yes = _yes_index(contest)
        threshold = rule.threshold_fraction()
        if threshold is None:
            return np.full(k, math.nan), out
        passes = _beats(final[yes], threshold, rule.strict)
        p_pass = float(passes.mean())
        out["passes"] = p_pass
        out["fails"] = 1.0 - p_pass
        alt = rule.alt_threshold_fraction()
        if alt is not None:
            out[f"passes at {alt}"] = float(_beats(final[yes], alt, False).mean())
        probs = np.full(k, 1.0 - p_pass)
        probs[yes] = p_pass
        return probs, out
    if rule.kind == "plurality":
        n = max(1, rule.seats)
        top = _top(final, n)
        probs = top.mean(axis=1)
        leaders = _current_top(votes, n)
        joint = float(np.all(top[leaders], axis=0).mean())
        if n == 1:
            for i in range(k):
                out[f"{names[i]} wins"] = float(probs[i])
        else:
            out[top_set_key([names[i] for i in leaders], rule.kind)] = joint
        return probs, out
    n = max(1, rule.advance or 2)
    top = _top(final, n)
    probs = top.mean(axis=1)
    leaders = _current_top(votes, n)
    out[top_set_key([names[i] for i in leaders], rule.kind)] = float(
        np.all(top[leaders], axis=0).mean()
    )
    if rule.kind == "majority_or_runoff":
        seats = max(1, rule.seats)
        majority = final > 0.5 / seats
        for i in range(k):
            out[f"{names[i]} wins a majority"] = float(majority[i].mean())
        out["runoff"] = float((~majority.any(axis=0)).mean())
    return probs, out


def _quantile_ranks(draws: int, level: float) -> tuple[int, int, int]:
    low = round((1.0 - level) / 2.0 * (draws - 1))
    high = round((1.0 + level) / 2.0 * (draws - 1))
    return low, (draws - 1) // 2, high


def summarise(
    prepared: Sequence[Prepared], finals: Sequence[FloatArray], params: ModelParams, seed: int
) -> dict[str, Projection]:
    """Projections from the draws: intervals at ``params.level`` and outcome probabilities."""
    result: dict[str, Projection] = {}
    for prep, final in zip(prepared, finals, strict=True):
        draws = final.shape[1]
        lo, mid, hi = _quantile_ranks(draws, params.level)
        part = np.partition(final, (lo, mid, hi), axis=1)
        probs, outs = outcomes(prep.contest, prep.votes, final)
        choices = tuple(
            ChoiceProjection(
                choice_id=c.id,
                share_mid=float(part[i, mid]),
                share_low=float(part[i, lo]),
                share_high=float(part[i, hi]),
                probability=float(probs[i]),
            )
            for i, c in enumerate(prep.contest.choices)
        )
        result[prep.contest.id] = Projection(
            contest_id=prep.contest.id,
            model_version=params.version,
            seed=seed,
            draws=draws,
            level=params.level,
            choices=choices,
            outcomes=outs,
        )
    return result


def simulate_prepared(
    prepared: Sequence[Prepared],
    params: ModelParams,
    rng: np.random.Generator,
    draws: int,
    spread: Sequence[float] | None = None,
) -> list[FloatArray]:
    """Draws of the final shares of every prepared contest, (K, D) each, in input order.

    Contests are simulated in groups of equal ``K``, in increasing ``K`` and input order, so the
    draws depend only on the inputs and the generator. ``spread`` overrides ``τ_f`` per bucket.
    """
    taus = np.asarray(spread if spread is not None else params.late_spread, dtype=np.float64)
    groups: dict[int, list[int]] = {}
    for i, prep in enumerate(prepared):
        groups.setdefault(len(prep.votes), []).append(i)
    finals: list[FloatArray] = [np.empty((0, 0))] * len(prepared)
    for k in sorted(groups):
        members = groups[k]
        items = [prepared[i] for i in members]
        c = len(items)
        u = rng.random((c, draws))
        eps = rng.standard_normal((c, k, draws))
        final = simulate(
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
        for j, i in enumerate(members):
            finals[i] = final[j]
    return finals


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
    if not good:
        return {}
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
    rng = np.random.default_rng(seed)
    finals = simulate_prepared(prepared, params, rng, params.draws)
    return summarise(prepared, finals, params, seed)


__all__ = [
    "Prepared",
    "batch_shares",
    "fraction_bucket",
    "outcomes",
    "prepare",
    "project_all",
    "simulate",
    "simulate_prepared",
    "summarise",
    "top_set_key",
    "triangular",
]
