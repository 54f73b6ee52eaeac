"""A petition's page (:func:`render_petition`), for the live app and the static export, from
its ``racedesk.petition-status/1`` document (:mod:`racedesk.publish.petitions`): the verdict in
clear words, the sample's arithmetic with the law's lines, the full count, the stages with their
sources and the ledger."""

from __future__ import annotations

from racedesk.publish.links import Links
from racedesk.publish.numbers import pct
from racedesk.publish.pages import ENV
from racedesk.publish.petition_tables import stage_figures
from racedesk.publish.petitions import PetitionStatusDoc

#: The least span of the page's scale, as shares of the requirement (the lines sit inside it).
SCALE = (0.8, 1.2)


def verdict_class(verdict: str | None) -> str:
    """The CSS class of a verdict's badge: "full count needed" → "pv-full-count-needed"."""
    return "pv-" + (verdict or "filed").replace(" ", "-")


def scale_span(doc: PetitionStatusDoc) -> tuple[float, float]:
    """The shares of the requirement the scale runs between: :data:`SCALE`, widened to hold the
    projection and its interval."""
    sample = doc.sample
    if sample is None:
        return SCALE
    shares = (sample.interval.low / sample.required, sample.interval.high / sample.required)
    return min(SCALE[0], min(shares) - 0.02), max(SCALE[1], max(shares) + 0.02)


def render_petition(links: Links, doc: PetitionStatusDoc) -> str:
    """One petition's page."""
    low, high = scale_span(doc)

    def scale_pos(share: float) -> float:
        return round(100 * min(1.0, max(0.0, (share - low) / (high - low))), 2)

    return ENV.get_template("petition.html").render(
        links=links,
        doc=doc,
        p=doc.petition,
        s=doc.sample if doc.lines is not None else None,
        scale_pos=scale_pos,
        scale_low=low,
        scale_high=high,
        pct=pct,
        figures=stage_figures,
        verdict_class=verdict_class,
        events_url=None,
    )
