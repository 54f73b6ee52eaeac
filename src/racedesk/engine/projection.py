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
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from racedesk.engine import joined
from racedesk.engine.index import ElectionIndex, draw_noise
from racedesk.engine.params import ModelParams
from racedesk.model import Contest, Election, Release
from racedesk.model.answers import BallotsLeft, ChoiceProjection, ContestState, Projection
from racedesk.rules import RuleLogic, logic_of

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
    #: How much wider than calibrated the late shares may stray: 1, but
    #: ``params.pace_spread`` where the votes left come only from the count's pace (a feed with
    #: no counters, registration or estimate, whose late batches the calibration never saw).
    widen: float = 1.0
    #: Whether the votes left come only from the count's pace: calibration keeps such counts
    #: apart whatever ``widen`` is (``pace_spread`` may be 1).
    paced: bool = False

    @property
    def counted(self) -> float:
        return float(self.votes.sum())


#: How far the central projected shares of a contest's choices may add up from one before the
#: projection says nothing: on the 2024 LA canvasses they add up to 0.918–1.003 (many-candidate
#: committees, with and without reports); a sliver of a contest, 142 votes of a district mostly
#: in another county, had them add up to 0.41–0.95.
ADDS_UP = (0.85, 1.15)


def adds_up(mids: Sequence[float]) -> bool:
    """Whether a projection's central shares add up to about one (:data:`ADDS_UP`): where they
    do not, the draws describe no possible final count, and the projection is left out."""
    low, high = ADDS_UP
    return low <= sum(mids) <= high


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


def late_centre(
    counts: Sequence[int],
    earlier: dict[str, int] | None,
    ids: Sequence[str],
    bucket: int,
    params: ModelParams,
) -> list[float]:
    """The centre ``m = p + β_f·w·(b − p)`` of the late shares (module docstring): the shares so
    far ``p`` leaning toward the recent batches' shares ``b`` (the votes added since ``earlier``,
    the counts ``params.recent_batches`` usable releases ago), ``β_f`` the trend weight of
    bucket ``f`` and ``w = n_b / (n_b + n_0)``; ``p`` itself without a batch to read."""
    counted = sum(counts)
    shares = [v / counted for v in counts] if counted > 0 else [0.0] * len(counts)
    if earlier is None or counted <= 0:
        return shares
    added = [v - earlier.get(c, 0) for v, c in zip(counts, ids, strict=True)]
    size = sum(added)
    if size <= 0 or min(added) < 0:
        return shares
    lean = params.trend_weight[bucket] * size / (size + params.trend_prior_votes)
    return [p + lean * (a / size - p) for p, a in zip(shares, added, strict=True)]


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
    centre = late_centre(counts, earlier, ids, bucket, params)
    votes = np.array(counts, dtype=np.float64)
    paced = state.votes_left.source == "count pace"
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
        widen=params.pace_spread if paced else 1.0,
        paced=paced,
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


def outcomes(
    contests: Sequence[Contest],
    votes: FloatArray,
    final: npt.NDArray[np.floating],
    logics: Sequence[RuleLogic] | None = None,
) -> tuple[FloatArray, list[dict[str, float]]]:
    """For contests with the same number of choices (``final`` is (C, K, D)): each choice's
    probability of the outcome it seeks, and each contest's outcomes with their probabilities,
    as each contest's rule family reads its draws (:meth:`RuleLogic.outcomes`: a seat or a
    place among the top ones, a majority or a runoff, yes at its threshold). ``logics`` are the
    contests' rule logics, worked out here when not given. Outcome names use the choices' names
    as the source spells them.
    """
    if logics is None:
        logics = [logic_of(c) for c in contests]
    c_count, k, _ = final.shape
    probs = np.full((c_count, k), math.nan)
    outs: list[dict[str, float]] = [{} for _ in range(c_count)]
    groups: dict[tuple[str, int], list[int]] = {}
    for i, logic in enumerate(logics):
        groups.setdefault(logic.outcome_group(), []).append(i)
    for members in groups.values():
        idx = np.array(members)
        group_probs, group_outs = logics[members[0]].outcomes(
            [contests[i] for i in members], [logics[i] for i in members], votes[idx], final[idx]
        )
        probs[idx] = group_probs
        for j, i in enumerate(members):
            outs[i] = group_outs[j]
    return probs, outs


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


def simulate_group(
    items: Sequence[Prepared],
    params: ModelParams,
    seed: int,
    draws: int,
    spread: Sequence[float] | None = None,
    index: ElectionIndex | None = None,
) -> npt.NDArray[np.floating]:
    """Draws of the final shares (C, K, D) of contests with the same number of choices.
    ``spread`` overrides ``τ_f`` per bucket; ``index`` keeps the noise of each shape."""
    taus = np.asarray(spread if spread is not None else params.late_spread, dtype=np.float64)
    shape = (seed, len(items), len(items[0].votes), draws)
    u, eps = index.noise(*shape) if index is not None else draw_noise(*shape)
    return simulate(
        np.stack([p.votes for p in items]),
        np.stack([p.centre for p in items]),
        np.array([p.left_low for p in items]),
        np.array([p.left_mid for p in items]),
        np.array([p.left_high for p in items]),
        taus[np.array([p.bucket for p in items])] * np.array([p.widen for p in items]),
        params.sampling_spread,
        u,
        eps,
    )


def project_prepared(
    prepared: Sequence[Prepared],
    params: ModelParams,
    seed: int,
    index: ElectionIndex | None = None,
) -> dict[str, Projection]:
    """Projections of prepared contests: draws, intervals at ``params.level``, probabilities.

    Contests with votes left are simulated in groups of equal size (in input order within a
    group), each group with draws that depend only on ``seed`` and its shape
    (:func:`~racedesk.engine.index.draw_noise`): the result depends on nothing else. A contest
    with nothing left to count is projected exactly: its final shares are its shares now.
    ``index`` (the election's) keeps the noise and the contests' rule logic between calls.
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
        drawn = simulate_group(items, params, seed, draws, index=index)
        bounds = np.sort(drawn, axis=2)[:, :, [lo, mid, hi]].astype(np.float64).tolist()
        batches.append((items, drawn, bounds))
    for items, final, bounds in batches:
        contests = [p.contest for p in items]
        logics = (
            [index.logic(c.id) for c in contests]
            if index is not None
            else [logic_of(c) for c in contests]
        )
        probs, outs = outcomes(contests, np.stack([p.votes for p in items]), final, logics)
        prob_rows = probs.tolist()
        n_draws = final.shape[2]
        for j, prep in enumerate(items):
            if not adds_up([row[1] for row in bounds[j]]):
                continue
            alt = logics[j].alt_probabilities(prep.contest, outs[j])
            choices = tuple(
                ChoiceProjection(
                    choice_id=c.id,
                    share_low=bounds[j][q][0],
                    share_mid=bounds[j][q][1],
                    share_high=bounds[j][q][2],
                    probability=prob_rows[j][q],
                    probability_alt=alt[q] if alt is not None else None,
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
    index: ElectionIndex | None = None,
) -> dict[str, Projection]:
    """Every projectable contest's projection after the last usable release of ``good``.

    ``states`` are the contests' states on that release (in the election's order); the recent
    batches are read from ``good``. Contests with no votes counted, whose votes left are
    unknown, or whose rule cannot be projected (:meth:`RuleLogic.uncallable`) are left out. ``ballots_left`` is not needed beyond what each state's votes left
    already carries; it is part of the signature so the county-wide estimate can inform the
    model later without changing callers.
    """
    del ballots_left
    earlier_counts = joined.earlier_counts(election, good, params.recent_batches)
    contests = {c.id: c for c in election.contests}
    prepared: list[Prepared] = []
    for state in states:
        contest = contests.get(state.contest_id)
        if contest is None:
            continue
        logic = (
            index.logic(contest.id) if index is not None else logic_of(contest, election.contests)
        )
        if logic.uncallable(contest):
            continue
        earlier = earlier_counts.get(state.contest_id)
        # the votes the state holds are the rule's deciding ones (a ranked-choice last round)
        before = logic.deciding_votes(earlier) if earlier is not None else None
        prep = prepare(logic.projected_contest(contest, state), state, before, params)
        if prep is not None:
            prepared.append(prep)
    projections = project_prepared(prepared, params, seed, index)
    return {s.contest_id: projections[s.contest_id] for s in states if s.contest_id in projections}


__all__ = [
    "ADDS_UP",
    "Prepared",
    "adds_up",
    "batch_shares",
    "fraction_bucket",
    "groups_by_size",
    "late_centre",
    "outcomes",
    "prepare",
    "project_all",
    "project_prepared",
    "simulate",
    "simulate_group",
    "triangular",
]
