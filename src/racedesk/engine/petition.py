"""A petition's verdict after each of its stages, and the ledger of its changes.

Pure: a function of the petition and its stages (in the order they were stored). The law's
arithmetic is :mod:`racedesk.rules.petition`:

- after the **filing**, a petition is ``filed``;
- a **sample** with its figures is projected by 2 CCR §§20530–20532 and banded by EC §11225
  (§9115 for an initiative): more than 110% of the requirement is ``projected to qualify``,
  from 90% (95%) to 110% ``full count needed``, below ``projected to fail``; a sample the
  registrar published only in words takes the registrar's word;
- a **count progress** report changes no verdict (the full count is still under way) but says
  what the rest must be: the unchecked signatures must be valid at (R − x)/(N − k) for x valid
  of k checked (``../shared/domain/recall-petitions.md``);
- a **full count** is ``qualified`` when the valid signatures are more than required (EC
  §11224(a), §11225(d)), else ``failed``;
- an **outcome** (the certificate) takes the registrar's word; one that confirms the verdict
  already reached keeps its reason (the full count's arithmetic says more than the certificate).

Where the registrar's word and the desk's arithmetic disagree, the registrar's word is the
verdict (it is the certificate) and the reason says both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from racedesk.model.petition import Petition, PetitionEvent, PetitionStage, Verdict
from racedesk.rules import petition as law

#: The verdict a sample's band gives (EC §11225(c)–(e), §9115(d)–(f)).
_BAND_VERDICT: dict[str, Verdict] = {
    "sufficient": "projected to qualify",
    "full count": "full count needed",
    "insufficient": "projected to fail",
}


@dataclass(frozen=True)
class CountProgress:
    """A full count under way: ``checked`` of ``raw`` signatures checked, ``valid`` of them
    valid; ``rest_must_be`` the share of the unchecked ones that must be valid for the petition
    to have more than required (above 1: it cannot; 0 or less: it already has)."""

    checked: int
    valid: int
    raw: int
    required: int

    @property
    def so_far(self) -> Fraction:
        """The share of the checked signatures found valid."""
        return Fraction(self.valid, self.checked) if self.checked else Fraction(0)

    @property
    def rest_must_be(self) -> Fraction:
        """(R + 1 − x)/(N − k): the valid share the unchecked signatures need, "more than
        required" being R + 1 (EC §11224(a))."""
        left = self.raw - self.checked
        need = self.required + 1 - self.valid
        if left <= 0:
            return Fraction(0) if need <= 0 else Fraction(2)
        return Fraction(need, left)


@dataclass
class PetitionReading:
    """What is known of a petition after some of its stages: the latest figures of each kind,
    the law's projection of the latest sample, the full count's decision, and the verdict with
    its reason."""

    petition: Petition
    stages: list[PetitionStage] = field(default_factory=list)
    raw: int | None = None
    required: int | None = None
    sample: PetitionStage | None = None
    projection: law.SampleProjection | None = None
    decision: law.SampleDecision | None = None
    progress: CountProgress | None = None
    full_count: law.FullCountDecision | None = None
    verdict: Verdict | None = None
    reason: str = ""


def read_petition(petition: Petition, stages: Sequence[PetitionStage]) -> PetitionReading:
    """The petition after ``stages`` (in stored order)."""
    reading = PetitionReading(petition=petition)
    for stage in stages:
        _apply(reading, stage)
    return reading


def petition_events(petition: Petition, stages: Sequence[PetitionStage]) -> list[PetitionEvent]:
    """The petition's ledger: an event each time a stage changes its verdict, numbered from 1,
    dated by that stage. Appending stages only appends events."""
    reading = PetitionReading(petition=petition)
    events: list[PetitionEvent] = []
    for stage in stages:
        before = reading.verdict
        _apply(reading, stage)
        if reading.verdict is not None and reading.verdict != before:
            events.append(
                PetitionEvent(
                    petition_id=petition.id,
                    event_id=len(events) + 1,
                    verdict=reading.verdict,
                    stage_sequence=stage.sequence,
                    on=stage.on,
                    reason=reading.reason,
                )
            )
    return events


def _apply(reading: PetitionReading, stage: PetitionStage) -> None:
    """Fold one stage into ``reading``: its figures, then the verdict they give."""
    reading.stages.append(stage)
    reading.raw = stage.raw if stage.raw is not None else reading.raw
    reading.required = stage.required if stage.required is not None else reading.required
    found: tuple[Verdict, str] | None = None
    if stage.stage == "filed":
        found = (
            "filed",
            f"{_count(reading.raw)} signatures filed against {_count(reading.required)} required",
        )
    elif stage.stage == "sample":
        found = _sample(reading, stage)
    elif stage.stage == "count progress":
        _progress(reading, stage)
    elif stage.stage == "full count":
        found = _full_count(reading, stage)
    if stage.published is not None and not (found is None and stage.published == reading.verdict):
        found = _published(stage, found)
    if found is not None:
        reading.verdict, reading.reason = found


def _count(value: int | None) -> str:
    return "an unknown number of" if value is None else f"{value:,}"


def _sample(reading: PetitionReading, stage: PetitionStage) -> tuple[Verdict, str] | None:
    """The verdict of a sample with its figures (2 CCR §§20530–20532 and the bands)."""
    reading.sample = stage
    if stage.sample is None or stage.valid is None or reading.raw is None:
        return None
    projection = law.project_sample(reading.raw, stage.sample, stage.valid, stage.duplicates)
    reading.projection = projection
    if reading.required is None:
        return None
    decision = law.sample_decision(
        projection.projected_valid, reading.required, reading.petition.kind
    )
    reading.decision = decision
    share = float(decision.share_of_required)
    return (
        _BAND_VERDICT[decision.outcome],
        f"the sample projects {projection.projected_valid:,} valid signatures, {share:.2%} of the "
        f"{reading.required:,} required: {decision.outcome} ({decision.law})",
    )


def _progress(reading: PetitionReading, stage: PetitionStage) -> None:
    if stage.checked is None or stage.valid is None or reading.raw is None:
        return
    if reading.required is None:
        return
    reading.progress = CountProgress(stage.checked, stage.valid, reading.raw, reading.required)


def _full_count(reading: PetitionReading, stage: PetitionStage) -> tuple[Verdict, str] | None:
    """The verdict of a full count: more valid than required (EC §11224(a))."""
    if stage.valid is None or reading.required is None:
        return None
    decision = law.full_count_decision(stage.valid, reading.required)
    reading.full_count = decision
    verdict: Verdict = "qualified" if decision.outcome == "sufficient" else "failed"
    return (
        verdict,
        f"the full count found {stage.valid:,} valid signatures against {reading.required:,} "
        f"required: {decision.sentence()} (EC §11224(a))",
    )


def _published(stage: PetitionStage, computed: tuple[Verdict, str] | None) -> tuple[Verdict, str]:
    """The registrar's word, with the desk's arithmetic beside it when they disagree."""
    assert stage.published is not None
    said = f"the registrar: {stage.words}" if stage.words else f"the registrar: {stage.published}"
    if computed is None or computed[0] == stage.published:
        return (stage.published, computed[1] if computed else said)
    return (stage.published, f"{said}; the desk's arithmetic says {computed[0]} ({computed[1]})")
