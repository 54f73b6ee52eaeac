"""Recall and initiative petitions: how many signatures, the registrar's random sample, its
projection and what the law does next.

The law's arithmetic, exactly (integers and :class:`fractions.Fraction` wherever the regulation
rounds):

- **Required signatures** of a local recall, a share of the jurisdiction's registered voters by
  its size (Elections Code §11221(a)): :func:`required_signatures`.
- **The random sample**: at least 500 signatures or 5% of them, whichever is greater, for a local
  recall (EC §11225(a)); 500 or 3% for an initiative (EC §9115(a)): :func:`minimum_sample`.
- **The projection** of 2 CCR §§20530–20532 (example in §20540): the sample's validity as a
  percentage to two decimal places, times the raw count rounded up; less the duplicates found in
  the sample, each weighted A(A − 1) where A, the raw count over the sample size to four decimal
  places, is the value of one sampled signature, rounded up: :func:`project_sample`.
- **The bands**: a local recall projected above 110% of the requirement is sufficient, from 90% to
  110% every signature is checked, below 90% it is insufficient (EC §11225(c)–(e)); an initiative's
  bands are 95% and 110% (EC §9115(d)–(f)): :func:`sample_decision`. After a full count the
  petition is sufficient when the valid signatures are greater than the requirement (EC
  §11224(a), §11225(d)): :func:`full_count_decision`.

And a model beside the law (the legal decision uses the projection alone):
:func:`projection_interval` and :func:`probability_sufficient` (see their docstrings for the
method), :func:`duplicates_to_change` and :func:`duplicate_scenarios` for what the sample's
duplicates would do when the registrar has not published them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist
from types import MappingProxyType
from typing import Final, Literal

from racedesk.errors import InputError

PetitionKind = Literal["local-recall", "initiative"]
#: What the random sample decides (EC §11225(c)–(e), §9115(d)–(f)).
SampleOutcome = Literal["sufficient", "full count", "insufficient"]
PETITION_KINDS: Final = ("local-recall", "initiative")


@dataclass(frozen=True)
class Bands:
    """A petition kind's sampling rule: the sample's share and floor, and the projected share of
    the requirement above which it is sufficient (``high``) and below which it fails (``low``)."""

    sample_share: Fraction
    sample_floor: int
    low: Fraction
    high: Fraction
    law: str


#: The sampling rule of each petition kind.
BANDS: Final = MappingProxyType(
    {
        "local-recall": Bands(
            Fraction(5, 100), 500, Fraction(90, 100), Fraction(110, 100), "EC §11225"
        ),
        "initiative": Bands(
            Fraction(3, 100), 500, Fraction(95, 100), Fraction(110, 100), "EC §9115"
        ),
    }
)

#: EC §11221(a): (registered voters below this, share required), smallest jurisdictions first;
#: 10% at 100,000 voters or more.
_REQUIRED_SHARES: Final = (
    (1_000, Fraction(30, 100)),
    (10_000, Fraction(25, 100)),
    (50_000, Fraction(20, 100)),
    (100_000, Fraction(15, 100)),
)
_LARGEST_SHARE: Final = Fraction(10, 100)


def bands_of(kind: str) -> Bands:
    """The sampling rule of a petition ``kind`` (``local-recall`` or ``initiative``)."""
    if kind not in BANDS:
        raise InputError(
            f"unknown petition kind {kind!r}",
            where="petition",
            hint="use local-recall or initiative",
        )
    return BANDS[kind]


def required_signatures(registered: int) -> int:
    """The valid signatures a local recall needs (EC §11221(a)): 30% of the registered voters
    under 1,000, 25% from 1,000, 20% from 10,000, 15% from 50,000, 10% from 100,000, of the
    registration reported before the petition form was approved. The share is a floor, so a
    fraction of a signature rounds up."""
    if registered < 0:
        raise InputError(f"registered voters cannot be negative ({registered})", where="petition")
    share = next((s for below, s in _REQUIRED_SHARES if registered < below), _LARGEST_SHARE)
    return math.ceil(registered * share)


def minimum_sample(raw: int, kind: str = "local-recall") -> int:
    """The least sample the law allows for ``raw`` signatures: "at least 500 or 5 percent of the
    signatures, whichever is greater" for a local recall (EC §11225(a)), 500 or 3% for an
    initiative (EC §9115(a)); every signature when there are no more than 500. A fraction of a
    signature rounds up (at least the share)."""
    rule = bands_of(kind)
    return min(raw, max(rule.sample_floor, math.ceil(raw * rule.sample_share)))


def round_half_up(value: Fraction, places: int) -> Fraction:
    """``value`` (not negative) to ``places`` decimal places, a half rounding up: the
    regulation's "compute to four decimal places" (2 CCR §20531(a), reproducing §20540's
    33.2881)."""
    scale = 10**places
    return Fraction(math.floor(value * scale + Fraction(1, 2)), scale)


@dataclass(frozen=True)
class SampleProjection:
    """The steps of 2 CCR §§20530–20532 for one sample, each as the regulation rounds it.

    ``validity`` is the share of valid signatures in the sample as a percentage to two decimal
    places (0.7147 for 71.47%); ``uncorrected`` the raw count times it, rounded up;
    ``signature_value`` A, the raw count over the sample to four places; ``duplicate_weight``
    A(A − 1), exact; ``estimated_duplicates`` the duplicates found times the weight, rounded up;
    ``projected_valid`` V̂ = uncorrected − estimated duplicates. ``duplicates`` is None when the
    registrar did not publish the sample's duplicates (the projection then counts none)."""

    raw: int
    sample: int
    valid: int
    duplicates: int | None
    validity: Fraction
    uncorrected: int
    signature_value: Fraction
    duplicate_weight: Fraction
    estimated_duplicates: int
    projected_valid: int


def _check_sample(raw: int, sample: int, valid: int, duplicates: int | None) -> None:
    """Raise :class:`InputError` unless 0 < sample ≤ raw and valid + duplicates ≤ sample."""
    found = duplicates or 0
    problems = [
        (sample <= 0, f"the sample must hold at least one signature (got {sample})"),
        (sample > raw, f"the sample ({sample:,}) is larger than the raw count ({raw:,})"),
        (valid < 0 or found < 0, "valid signatures and duplicates cannot be negative"),
        (
            valid + found > sample,
            f"valid ({valid:,}) and duplicates ({found:,}) exceed the sample ({sample:,})",
        ),
    ]
    for wrong, problem in problems:
        if wrong:
            raise InputError(problem, where="petition sample")


def project_sample(raw: int, sample: int, valid: int, duplicates: int | None) -> SampleProjection:
    """The projected valid signatures V̂ of a petition of ``raw`` signatures from a random sample
    of ``sample`` with ``valid`` valid and ``duplicates`` duplicates found (2 CCR §§20530–20532):

    1. validity r = valid / sample as a percentage to two decimal places (§20530(c));
    2. U = raw × r, rounded up (§20530(d));
    3. A = raw / sample to four decimal places, the value of each signature (§20531(a));
    4. w = A × (A − 1), the weight of each duplicate found (§20531(b));
    5. E = duplicates × w, rounded up, the estimated duplicates in the petition (§20531(c));
    6. V̂ = U − E (§20532).

    The regulation's example (§20540): 24,034 raw, 722 sampled, 516 valid, 2 duplicates give
    71.47%, 17,178, 33.2881, 1,074.8095, 2,150 and V̂ = 15,028."""
    _check_sample(raw, sample, valid, duplicates)
    validity = round_half_up(Fraction(valid, sample), 4)
    uncorrected = math.ceil(raw * validity)
    value = round_half_up(Fraction(raw, sample), 4)
    weight = value * (value - 1)
    estimated = math.ceil((duplicates or 0) * weight)
    return SampleProjection(
        raw=raw,
        sample=sample,
        valid=valid,
        duplicates=duplicates,
        validity=validity,
        uncorrected=uncorrected,
        signature_value=value,
        duplicate_weight=weight,
        estimated_duplicates=estimated,
        projected_valid=uncorrected - estimated,
    )


@dataclass(frozen=True)
class SampleDecision:
    """What the sample decides: the projected share of the requirement, the outcome, what the
    law does next and by when (None where the desk does not know the deadline)."""

    outcome: SampleOutcome
    share_of_required: Fraction
    next_step: str
    by_when: str | None
    law: str


def sample_outcome(projected: int, required: int, kind: str = "local-recall") -> SampleOutcome:
    """The band of a projection: sufficient when V̂ is greater than the high share of
    ``required`` (110%), insufficient when less than the low share (90% for a local recall,
    EC §11225(e); 95% for an initiative, EC §9115(f)), a full count from one to the other, both
    ends included (EC §11225(d), §9115(e)). Compared exactly."""
    if required <= 0:
        raise InputError(
            f"the required signatures must be positive (got {required})", where="petition"
        )
    rule = bands_of(kind)
    if projected > rule.high * required:
        return "sufficient"
    if projected < rule.low * required:
        return "insufficient"
    return "full count"


#: What the elections official does next after the sample, by outcome.
_NEXT_STEPS: Final = MappingProxyType(
    {
        "sufficient": "the elections official certifies the petition sufficient without checking "
        "every signature",
        "full count": "the elections official examines and verifies every signature filed; the "
        "petition is sufficient if the valid ones are more than required",
        "insufficient": "the elections official certifies the petition insufficient",
    }
)
#: EC §11226: what becomes of an insufficient recall petition.
_RECALL_ON_FILE: Final = "; no action is taken on it, but it remains on file (EC §11226)"
_SUBDIVISION: Final = MappingProxyType(
    {
        ("local-recall", "sufficient"): "EC §11225(c)",
        ("local-recall", "full count"): "EC §11225(d)",
        ("local-recall", "insufficient"): "EC §11225(e)",
        ("initiative", "sufficient"): "EC §9115(d)",
        ("initiative", "full count"): "EC §9115(e)",
        ("initiative", "insufficient"): "EC §9115(f)",
    }
)
#: EC §11225(a)–(b): when a local recall's verification must be complete.
_RECALL_DEADLINE: Final = (
    "verification within 60 days of filing, excluding Saturdays, Sundays and holidays "
    "(30 days where 60 would miss consolidation with the next regular election, EC §11225(a)–(b))"
)


def sample_decision(projected: int, required: int, kind: str = "local-recall") -> SampleDecision:
    """What the sample decides (:func:`sample_outcome`), the projected share of the requirement,
    the next step the law prescribes (an insufficient recall petition stays on file, EC §11226)
    and, for a local recall, its deadline (EC §11225(a)–(b))."""
    outcome = sample_outcome(projected, required, kind)
    return SampleDecision(
        outcome=outcome,
        share_of_required=Fraction(projected, required),
        next_step=_NEXT_STEPS[outcome]
        + (_RECALL_ON_FILE if kind == "local-recall" and outcome == "insufficient" else ""),
        by_when=_RECALL_DEADLINE if kind == "local-recall" else None,
        law=_SUBDIVISION[(kind, outcome)],
    )


@dataclass(frozen=True)
class FullCountDecision:
    """The end of a full count: sufficient or insufficient, and by how many signatures (the
    valid ones less the required, negative when short)."""

    outcome: Literal["sufficient", "insufficient"]
    margin: int

    def sentence(self) -> str:
        """ "sufficient by 1,562" or "insufficient by 46,807"."""
        return f"{self.outcome} by {abs(self.margin):,}"


def full_count_decision(valid: int, required: int) -> FullCountDecision:
    """A full count's outcome: sufficient when the valid signatures are greater than the required
    number, otherwise insufficient (EC §11224(a); EC §11225(d) after a sample's full count)."""
    outcome: Literal["sufficient", "insufficient"] = (
        "sufficient" if valid > required else "insufficient"
    )
    return FullCountDecision(outcome=outcome, margin=valid - required)


# ---- a model beside the law --------------------------------------------------------------------


@dataclass(frozen=True)
class ValidInterval:
    """An interval around the projected valid signatures: ``low``–``high`` at ``level`` around
    ``mid`` (the legal V̂), its standard deviation and the variances of its two parts (the
    sample's validity; the duplicates)."""

    low: int
    mid: int
    high: int
    level: float
    sd: float
    validity_variance: float
    duplicates_variance: float

    @property
    def duplicates_share(self) -> float:
        """The duplicates' share of the variance (0 when there is none)."""
        total = self.validity_variance + self.duplicates_variance
        return self.duplicates_variance / total if total > 0 else 0.0


def projection_interval(projection: SampleProjection, level: float = 0.95) -> ValidInterval:
    """An interval at ``level`` around V̂, a normal approximation of two independent parts:

    - validity: the sample is drawn without replacement from the raw signatures, so the valid
      count N·p̂ has variance N² p̂(1 − p̂)(1 − f)/n, f = n/N the sampling fraction
      (finite-population correction); p̂ is the validity as the regulation rounds it (v/n to
      0.01%), so that the interval moves with the projection it surrounds;
    - duplicates: a surplus duplicate has its pair wholly inside the sample with probability
      q = n(n − 1)/(N(N − 1)) ≈ f², so the count D found is about Poisson(M q) for M surplus
      duplicates, estimated by D itself: the estimated duplicates w·D have variance w² D.

    V̂ ± z √(sum), z the normal quantile of ``level``, rounded to whole signatures and kept within
    [0, N]. When no duplicate was found (or none was published) the duplicates add no variance
    here: :func:`duplicate_scenarios` shows what some would do. The model, not the law: the legal
    decision uses V̂ alone."""
    n, big_n = projection.sample, projection.raw
    p = float(projection.validity)
    validity_variance = big_n**2 * p * (1 - p) * (1 - n / big_n) / n
    duplicates_variance = float(projection.duplicate_weight) ** 2 * (projection.duplicates or 0)
    sd = math.sqrt(validity_variance + duplicates_variance)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    mid = projection.projected_valid
    return ValidInterval(
        low=max(0, round(mid - z * sd)),
        mid=mid,
        high=min(big_n, round(mid + z * sd)),
        level=level,
        sd=sd,
        validity_variance=validity_variance,
        duplicates_variance=duplicates_variance,
    )


def probability_sufficient(interval: ValidInterval, required: int) -> float:
    """The probability, under the model of :func:`projection_interval`, that checking every
    signature would find more valid than ``required`` (EC §11224(a)): P(V ≥ R + 1) of a normal
    of mean V̂ and the interval's standard deviation, with a half-signature continuity
    correction; 1 or 0 when the sample is the whole petition."""
    if interval.sd == 0:
        return 1.0 if interval.mid > required else 0.0
    return 1 - NormalDist(interval.mid, interval.sd).cdf(required + 0.5)


def duplicates_to_change(
    projection: SampleProjection, required: int, kind: str = "local-recall"
) -> list[tuple[SampleOutcome, int]]:
    """For each band below the projection's, the fewest duplicates in the sample that would have
    put it there (2 CCR §20531 with the sample's own validity): e.g. Boudin 2021 (83,484 raw,
    4,174 sampled, 3,229 valid) needed 22 to fall from sufficient to a full count."""
    order: tuple[SampleOutcome, ...] = ("sufficient", "full count", "insufficient")
    current = sample_outcome(projection.uncorrected, required, kind)
    found: list[tuple[SampleOutcome, int]] = []
    room = projection.sample - projection.valid
    for outcome in order[order.index(current) + 1 :]:
        count = _fewest_duplicates(projection, required, kind, outcome, room)
        if count is not None:
            found.append((outcome, count))
    return found


def _fewest_duplicates(
    projection: SampleProjection, required: int, kind: str, outcome: SampleOutcome, room: int
) -> int | None:
    """The least D ≤ ``room`` whose projection is ``outcome`` or worse (bisection: V̂ falls as D
    rises); None when even ``room`` duplicates would not."""
    order: tuple[SampleOutcome, ...] = ("sufficient", "full count", "insufficient")

    def reaches(d: int) -> bool:
        projected = projection.uncorrected - math.ceil(d * projection.duplicate_weight)
        return order.index(sample_outcome(projected, required, kind)) >= order.index(outcome)

    if not reaches(room):
        return None
    low, high = 0, room
    while low < high:
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle + 1
    return low


@dataclass(frozen=True)
class DuplicateScenario:
    """What the sample would say if ``rate`` of the raw signatures were surplus duplicates:
    the duplicates expected in the sample, the projection and its band and interval."""

    rate: float
    duplicates: int
    projection: SampleProjection
    outcome: SampleOutcome
    interval: ValidInterval
    probability_sufficient: float


#: Shares of the raw signatures that are surplus duplicates, for the scenarios shown when the
#: sample's duplicates are not published (Gascón 2022's full count found 43,593 of 715,833, 6.1%).
DUPLICATE_RATES: Final = (0.0, 0.02, 0.04, 0.06, 0.08)


def expected_sample_duplicates(raw: int, sample: int, surplus: float) -> int:
    """The duplicate pairs expected wholly inside a random sample of ``sample`` of ``raw``
    signatures when ``surplus`` of them duplicate another: surplus × n(n − 1)/(N(N − 1)),
    rounded (43,593 surplus in Gascón 2022's 715,833 with a 35,793 sample: 109)."""
    if raw < 2:
        return 0
    pairs = Fraction(sample * (sample - 1), raw * (raw - 1))
    return int(round_half_up(Fraction(surplus) * pairs, 0))


def duplicate_scenarios(
    raw: int,
    sample: int,
    valid: int,
    required: int,
    kind: str = "local-recall",
    rates: Sequence[float] = DUPLICATE_RATES,
) -> list[DuplicateScenario]:
    """For each surplus-duplicate ``rate`` of the raw signatures, the duplicates the sample
    would be expected to hold (:func:`expected_sample_duplicates`), and the projection, band,
    interval and probability of sufficiency they would give."""
    scenarios = []
    for rate in rates:
        found = min(sample - valid, expected_sample_duplicates(raw, sample, rate * raw))
        projection = project_sample(raw, sample, valid, found)
        interval = projection_interval(projection)
        scenarios.append(
            DuplicateScenario(
                rate=rate,
                duplicates=found,
                projection=projection,
                outcome=sample_outcome(projection.projected_valid, required, kind),
                interval=interval,
                probability_sufficient=probability_sufficient(interval, required),
            )
        )
    return scenarios
