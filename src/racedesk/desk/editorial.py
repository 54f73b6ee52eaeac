"""The write path of editors' acts (issue 18, item 1; ``docs/editors.md``): approve, hold or
reject a ledger call, make or rescind a call by hand, set the desk's publishing mode. Each act
is checked against the ledger and what is published, then appended (never edited); an act that
says again what is in force is not stored (it is idempotent). What is published follows from
the acts by ``engine.editorial``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from racedesk.engine.calls import active_calls
from racedesk.engine.editorial import (
    Publication,
    decision_refusal,
    publications,
    publishing_mode,
)
from racedesk.errors import InputError, NotFound, StoreError
from racedesk.model import Election
from racedesk.model.editorial import (
    DECISIONS,
    PUBLISHING_MODES,
    EditorialAct,
    EditorialActKind,
    PublishingMode,
)
from racedesk.store.base import Store

#: The longest editor's name or note kept (a name is a column of 200 characters).
MAX_NAME = 200
MAX_NOTE = 2000


class Editors:
    """Editors' acts over one store. Every write returns the act in force and whether it was
    stored now (False: the same act was in force already, nothing was written)."""

    def __init__(
        self, store: Store, on_act: Callable[[str, EditorialAct], None] | None = None
    ) -> None:
        self.store = store
        #: Told of every act stored now (election id, act): the desk's listeners hear of it.
        self.on_act = on_act

    def _stored(
        self, election_id: str, done: tuple[EditorialAct, bool]
    ) -> tuple[EditorialAct, bool]:
        """``done`` as the store returned it, told to ``on_act`` when it was stored now."""
        act, stored = done
        if stored and self.on_act is not None:
            self.on_act(election_id, act)
        return done

    # reads -------------------------------------------------------------------------------------
    def mode(self, as_of: datetime | None = None) -> PublishingMode:
        """The desk-wide publishing mode (as of a time)."""
        return publishing_mode(self.store.editorial("", as_of))

    def acts(self, election_id: str, as_of: datetime | None = None) -> list[EditorialAct]:
        """The election's editorial acts (as of a time), in order."""
        return self.store.editorial(election_id, as_of)

    def publications(
        self, election_id: str, as_of: datetime | None = None
    ) -> dict[str, Publication]:
        """What is published of each contest's call (as of a time): ``engine.editorial``."""
        return publications(
            self.store.ledger(election_id, as_of),
            self.store.editorial(election_id, as_of),
            self.mode(as_of),
        )

    # writes ------------------------------------------------------------------------------------
    def set_mode(
        self, mode: str, editor: str, note: str = "", *, made_at: datetime | None = None
    ) -> tuple[EditorialAct, bool]:
        """Set the desk-wide publishing mode, ``auto`` or ``recommend``."""
        if mode not in PUBLISHING_MODES:
            raise InputError(f"no publishing mode {mode!r}", where="mode", hint="auto or recommend")
        act = _act("mode", editor, note, made_at, mode=mode)
        return self.store.add_editorial("", act)

    def decide(
        self,
        election_id: str,
        kind: EditorialActKind,
        event_id: int,
        editor: str,
        note: str = "",
        *,
        made_at: datetime | None = None,
    ) -> tuple[EditorialAct, bool]:
        """Approve, hold or reject ledger event ``event_id``: only its contest's standing call
        (``engine.editorial.decision_refusal``; a :class:`StoreError` says why not)."""
        if kind not in DECISIONS:
            raise InputError(f"{kind!r} is not a decision on a call", where="act")
        ledger = self.store.ledger(election_id)
        target = next((e for e in ledger if e.event_id == event_id), None)
        if target is None:
            raise NotFound(f"election {election_id} has no call event {event_id}")
        refusal = decision_refusal(target, active_calls(ledger).get(target.contest_id))
        if refusal:
            raise StoreError(f"event {event_id} {refusal}", where=election_id)
        act = _act(kind, editor, note, made_at, contest_id=target.contest_id, target=event_id)
        return self._stored(election_id, self.store.add_editorial(election_id, act))

    def call(
        self,
        election: Election,
        contest_id: str,
        choices: tuple[str, ...],
        editor: str,
        note: str = "",
        *,
        made_at: datetime | None = None,
    ) -> tuple[EditorialAct, bool]:
        """An editor's call by hand: ``choices`` (ids, or names as the source spells them) win
        ``contest_id``; published at once, whatever the mode."""
        try:
            contest = election.contest(contest_id)
        except KeyError:
            raise NotFound(f"election {election.id} has no contest {contest_id}") from None
        ids: list[str] = []
        for wanted in choices:
            found = [
                c.id
                for c in contest.choices
                if wanted in (c.id, c.name) or wanted.casefold() == c.name.casefold()
            ]
            if not found:
                raise InputError(f"contest {contest_id} has no choice {wanted!r}", where="choices")
            ids.append(found[0])
        if not ids:
            raise InputError("a call names at least one winner", where="choices")
        act = _act(
            "call", editor, note, made_at, contest_id=contest_id, choices=tuple(dict.fromkeys(ids))
        )
        return self._stored(election.id, self.store.add_editorial(election.id, act))

    def rescind(
        self,
        election_id: str,
        contest_id: str,
        editor: str,
        note: str = "",
        *,
        made_at: datetime | None = None,
    ) -> tuple[EditorialAct, bool]:
        """Withdraw what is published of ``contest_id``'s call: an editor's call, or the
        standing ledger call. A :class:`StoreError` when nothing is published."""
        now = self.publications(election_id).get(contest_id)
        if now is not None and now.state == "rescinded":
            assert now.decision is not None
            return now.decision, False
        if now is None or not now.shown:
            raise StoreError(
                f"contest {contest_id} has no published call to rescind", where=election_id
            )
        target = (
            None
            if now.state == "editor's call" or now.recommendation is None
            else (now.recommendation.event_id)
        )
        act = _act("rescind", editor, note, made_at, contest_id=contest_id, target=target)
        return self._stored(
            election_id, self.store.add_editorial(election_id, act, unless_repeated=False)
        )


def _act(
    kind: EditorialActKind,
    editor: str,
    note: str,
    made_at: datetime | None,
    **fields: object,
) -> EditorialAct:
    """The act, its editor's name and note checked, dated ``made_at`` (the wall clock)."""
    editor = editor.strip()
    if not editor or len(editor) > MAX_NAME:
        raise InputError(
            f"an editor's name of 1 to {MAX_NAME} characters is needed", where="editor"
        )
    if len(note) > MAX_NOTE:
        raise InputError(f"a note of at most {MAX_NOTE} characters", where="note")
    when = made_at or datetime.now(UTC)
    return EditorialAct(act=kind, made_by=editor, made_at=when, note=note, **fields)  # type: ignore[arg-type]


__all__ = ["MAX_NAME", "MAX_NOTE", "Editors"]
