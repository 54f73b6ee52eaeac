"""The notices the desk sends editors (``racedesk.webhook/1``, ``docs/json-schema.md``): one for
each call and each rescind the desk appends to its ledger, one for each release it stores held
(a likely mapping error, used once an editor confirms it) or flagged (a blocking problem: kept,
not used), and one for each editor's act on a call (approve, hold, reject, a call or a rescind
by hand: ``docs/editors.md``).

A notice carries a one-line ``text`` a chat workflow can post as it is, the flat fields a Slack
or Teams workflow reads as variables (``kind``, ``election_title``, ``contest_title`` …), and
the details: the election, the release, the ledger event (a row of ``racedesk.ledger/1``).
Its ``id`` is the same on every attempt to deliver it, so a receiver can drop a repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

import msgspec

from racedesk.desk.news import DeskNews, ReleaseNews
from racedesk.engine.checks import is_held
from racedesk.model import Election
from racedesk.model.answers import Problem
from racedesk.publish.documents import ElectionInfo, LedgerEntry, election_info, ledger_entry
from racedesk.publish.editorial_document import ActRow, act_row
from racedesk.publish.terminal import local_time

NoticeKind = Literal["call", "rescind", "release-held", "release-flagged", "editorial"]
#: Problems named in a flagged release's ``text`` (the rest are in ``release.problems``).
PROBLEMS_IN_TEXT = 3


class ReleaseNotice(msgspec.Struct, frozen=True, kw_only=True):
    """The release a notice is about (stored held or flagged) or that made its call."""

    sequence: int
    feed_time: str
    hash: str
    #: whether the desk uses the release; None in a call's notice (not said there)
    usable: bool | None = None
    problems: tuple[Problem, ...] = ()


class WebhookDoc(msgspec.Struct, frozen=True, kw_only=True):
    """``racedesk.webhook/1``: one notice, as POSTed to each configured URL."""

    schema: str = "racedesk.webhook/1"
    id: str
    kind: NoticeKind
    text: str
    made_at: str
    election_id: str
    election_title: str
    contest_id: str = ""
    contest_title: str = ""
    election: ElectionInfo
    release: ReleaseNotice | None = None
    event: LedgerEntry | None = None
    #: A call the engine made while the desk publishes calls once an editor approves them (the
    #: ``recommend`` mode): a recommendation, not yet published.
    recommended: bool = False
    #: For an ``editorial`` notice, the editor's act (a row of ``racedesk.editorial/1``'s acts).
    act: ActRow | None = None


def notices(news: DeskNews, *, now: datetime | None = None) -> list[WebhookDoc]:
    """The notices of one committed write: the release's (when it was stored held or
    flagged), then one per call event, in ledger order."""
    made_at = (now or datetime.now(tz=UTC)).isoformat()
    found: list[WebhookDoc] = []
    if news.release is not None and not news.release.usable:
        found.append(_release_notice(news.election, news.release, made_at))
    for event in news.events:
        entry = ledger_entry(news.election, event)
        kind: NoticeKind = "rescind" if event.status == "rescinded" else "call"
        recommended = (
            news.recommended and kind == "call" and not event.outside
            and event.approved_by == "racedesk"
        )  # fmt: skip
        found.append(
            WebhookDoc(
                id=f"{news.election.id}/event/{event.event_id}",
                kind=kind,
                text=call_text(news.election, entry, recommended=recommended),
                made_at=made_at,
                election_id=news.election.id,
                election_title=news.election.title,
                contest_id=event.contest_id,
                contest_title=entry.contest_title,
                election=election_info(news.election),
                release=ReleaseNotice(
                    sequence=event.release_sequence,
                    feed_time=event.release_time.isoformat(),
                    hash=event.release_hash,
                ),
                event=entry,
                recommended=recommended,
            )
        )
    for act in news.acts:
        row = act_row(news.election, act)
        found.append(
            WebhookDoc(
                id=f"{news.election.id}/editorial/{act.event_id}",
                kind="editorial",
                text=act_text(row),
                made_at=made_at,
                election_id=news.election.id,
                election_title=news.election.title,
                contest_id=act.contest_id,
                contest_title=row.contest_title,
                election=election_info(news.election),
                act=row,
            )
        )
    return found


def act_text(act: ActRow) -> str:
    """The line a chat shows for an editor's act: "Approved by Ana Editor: DISTRICT ATTORNEY —
    ledger event #17 is published", with the editor's note after it."""
    title = act.contest_title or f"contest {act.contest_id}"
    event = f"ledger event #{act.target}"
    said = {
        "approve": f"Approved by {act.made_by}: {title} — {event} is published",
        "hold": f"Held by {act.made_by}: {title} — {event} is not published",
        "reject": f"Rejected by {act.made_by}: {title} — {event} will not be published",
        "rescind": f"Rescinded by {act.made_by}: {title} — its published call is withdrawn",
    }.get(act.act)
    if said is None:  # a call by hand
        names = _names(act.choice_names)
        said = f"Called by {act.made_by}: {title} — {names} (published at once)"
    return f"{said}. {act.note}" if act.note else said


def _release_notice(election: Election, release: ReleaseNews, made_at: str) -> WebhookDoc:
    held = is_held(release.problems)
    kind: NoticeKind = "release-held" if held else "release-flagged"
    return WebhookDoc(
        id=f"{election.id}/release/{release.sequence}",
        kind=kind,
        text=release_text(election, release),
        made_at=made_at,
        election_id=election.id,
        election_title=election.title,
        election=election_info(election),
        release=ReleaseNotice(
            sequence=release.sequence,
            feed_time=release.feed_time.isoformat(),
            hash=release.content_hash,
            usable=release.usable,
            problems=release.problems,
        ),
    )


def _names(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def call_text(election: Election, entry: LedgerEntry, *, recommended: bool = False) -> str:
    """The line a chat shows for a ledger event: "Called: District Attorney — NATHAN J.
    HOCHMAN (release #2 of …, Nov 5 20:56)"; a rescind names the event it withdraws. A call the
    desk only recommends (``recommended``: editors publish calls) says so first:
    "Recommended, not published until an editor approves it (ledger event #17): Called: …"."""
    where = (
        f"release #{entry.release_sequence} of {election.title}, {local_time(entry.release_time)}"
    )
    title = entry.contest_title or f"contest {entry.contest_id}"
    if entry.status == "rescinded":
        return (
            f"Rescinded: {title} — the call of ledger event #{entry.rescinds} is withdrawn "
            f"({where}). {entry.reason}"
        )
    who = f" — {_names(entry.choice_names)}" if entry.choice_names else ""
    by = "" if entry.approved_by == "racedesk" else f", by {entry.approved_by}"
    said = f"{entry.status.capitalize()}: {title}{who} ({where}{by})"
    if recommended:
        return (
            "Recommended, not published until an editor approves it "
            f"(ledger event #{entry.event_id}): {said}"
        )
    return said


def release_text(election: Election, release: ReleaseNews) -> str:
    """The line a chat shows for a release stored held or flagged: what is wrong, and what an
    editor can do."""
    where = f"release #{release.sequence} of {election.title} ({local_time(release.feed_time)})"
    blocking = [p.message for p in release.problems if p.blocking]
    if is_held(release.problems):
        held = next(p.message for p in release.problems if p.code == "held")
        return (
            f"Held: {where} looks like a mapping error and is not used until an editor "
            f"confirms it (racedesk confirm {release.sequence} --by NAME --election {election.id}): {held}"
        )
    shown = "; ".join(blocking[:PROBLEMS_IN_TEXT])
    more = len(blocking) - PROBLEMS_IN_TEXT
    return f"Flagged: {where} is kept but not used: {shown}" + (
        f" (and {more} more)" if more > 0 else ""
    )


__all__ = ["NoticeKind", "ReleaseNotice", "WebhookDoc", "call_text", "notices", "release_text"]
