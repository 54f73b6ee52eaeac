"""``racedesk.editorial/1``: the desk's publishing mode, what is published of each contest's
call and why, and the editors' acts (``docs/editors.md``, ``docs/json-schema.md``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from racedesk.engine.editorial import Publication
from racedesk.model import Election
from racedesk.model.editorial import EditorialAct, PublishingMode
from racedesk.publish.documents import ElectionInfo, LedgerEntry, election_info, ledger_entry


class ActRow(msgspec.Struct, frozen=True, kw_only=True):
    """An editor's act, its contest and choices named as in the source."""

    event_id: int
    act: str
    made_by: str
    made_at: str
    note: str
    contest_id: str
    contest_title: str
    target: int | None
    choices: tuple[str, ...]
    choice_names: tuple[str, ...]
    mode: str | None


class PublicationRow(msgspec.Struct, frozen=True, kw_only=True):
    """One contest's call as published: ``state`` (published, recommended, held, rejected,
    editor's call, rescinded), what the public sees (``status`` null when nothing), the
    standing ledger call it concerns and the act that decided."""

    contest_id: str
    contest_title: str
    state: str
    shown: bool
    status: str | None
    choices: tuple[str, ...]
    choice_names: tuple[str, ...]
    recommendation: LedgerEntry | None
    decision: ActRow | None


class EditorialDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.editorial/1``."""

    schema: str = "racedesk.editorial/1"
    election: ElectionInfo
    mode: PublishingMode
    contests: list[PublicationRow]
    acts: list[ActRow]


def _contest(election: Election, contest_id: str) -> tuple[str, dict[str, str]]:
    """The contest's title and its choices' names by id, as in the source (empty when the
    election has no such contest)."""
    try:
        contest = election.contest(contest_id)
    except KeyError:
        return "", {}
    return contest.title, {c.id: c.name for c in contest.choices}


def act_row(election: Election, act: EditorialAct) -> ActRow:
    """An act as a row of ``racedesk.editorial/1``."""
    title, by_id = _contest(election, act.contest_id)
    return ActRow(
        event_id=act.event_id,
        act=act.act,
        made_by=act.made_by,
        made_at=act.made_at.isoformat(),
        note=act.note,
        contest_id=act.contest_id,
        contest_title=title,
        target=act.target,
        choices=act.choices,
        choice_names=tuple(by_id.get(c, c) for c in act.choices),
        mode=act.mode,
    )


def publication_row(election: Election, p: Publication) -> PublicationRow:
    """A contest's publication as a row of ``racedesk.editorial/1``."""
    title, by_id = _contest(election, p.contest_id)
    return PublicationRow(
        contest_id=p.contest_id,
        contest_title=title,
        state=p.state,
        shown=p.shown,
        status=p.status,
        choices=p.choices,
        choice_names=tuple(by_id.get(c, c) for c in p.choices),
        recommendation=(
            ledger_entry(election, p.recommendation) if p.recommendation is not None else None
        ),
        decision=act_row(election, p.decision) if p.decision is not None else None,
    )


def editorial_view(
    election: Election,
    mode: PublishingMode,
    published: Mapping[str, Publication],
    acts: Sequence[EditorialAct],
    *,
    state: str | None = None,
) -> EditorialDoc:
    """``racedesk.editorial/1``: every contest with a call or an editor's act (only those in
    ``state`` when given), in the election's order, and every act."""
    order = {c.id: i for i, c in enumerate(election.contests)}
    rows = [
        publication_row(election, p)
        for p in sorted(published.values(), key=lambda p: order.get(p.contest_id, len(order)))
        if state is None or p.state == state
    ]
    return EditorialDoc(
        election=election_info(election),
        mode=mode,
        contests=rows,
        acts=[act_row(election, a) for a in acts],
    )


__all__ = ["ActRow", "EditorialDoc", "PublicationRow", "act_row", "editorial_view"]
