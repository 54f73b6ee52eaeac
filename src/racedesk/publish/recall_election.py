"""A qualified recall petition's election, as a scenario file to follow on the desk
(``racedesk recall election``): one ``recall`` contest, yes or no, that yes passes with more
than half of the votes on the question (EC §11000 ff.; :class:`racedesk.rules.threshold.Recall`).

The file is a ``racedesk.scenario/1`` document (``docs/scenario.md``) with the election, its
contest and no release yet: each count the registrar reports is added to its ``releases`` and the
file ingested again (``racedesk ingest FILE``), as any scenario is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from racedesk.errors import InputError
from racedesk.publish.links import slug
from racedesk.publish.petitions import PetitionStatusDoc, recall_election_id
from racedesk.sources.scenario import FORMAT

#: The recall question's choices, in ballot order (yes is the removal).
RECALL_CHOICES = ({"id": "YES", "name": "Yes"}, {"id": "NO", "name": "No"})


def recall_scenario(doc: PetitionStatusDoc, election_date: date) -> dict[str, Any]:
    """The scenario document of ``doc``'s recall election on ``election_date``: refused with an
    :class:`InputError` unless the petition has qualified. Its source is the petition's
    qualifying event (its reason) and the addresses of the stage that brought it."""
    about = doc.petition
    if doc.verdict != "qualified":
        raise InputError(
            f"petition {about.id} has not qualified (its verdict is {doc.verdict or 'unknown'}): "
            "no recall election follows",
            where=about.id,
        )
    event = doc.ledger[-1]
    stage = next(s for s in doc.stages if s.sequence == event.stage_sequence)
    source: dict[str, str] = {"reference": f"petition {about.id} qualified: {event.reason}"}
    if stage.sources:
        source["url"] = stage.sources[0]
    return {
        "format": FORMAT,
        "name": f"recall-{slug(about.id)}",
        "title": f"The recall of the {about.office}, {about.jurisdiction}",
        "sources": {"petition": source},
        "elections": [
            {
                "id": recall_election_id(about.id),
                "title": f"Recall of the {about.office}, {about.jurisdiction}",
                "date": election_date.isoformat(),
                "kind": "special",
                "jurisdiction": about.jurisdiction,
                "contests": [
                    {
                        "id": "recall",
                        "title": f"Shall the {about.office} ({about.jurisdiction}) be recalled?",
                        "kind": "recall",
                        "rule": {
                            "kind": "recall",
                            "threshold": "1/2",
                            "text": "Majority of votes cast on the question",
                            "source": "petition",
                        },
                        "choices": list(RECALL_CHOICES),
                    }
                ],
                "releases": [],
            }
        ],
    }
