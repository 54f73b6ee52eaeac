"""Which contest and side a committee's money is on: a reviewable table, and suggestions for it
from the filings (``../shared/domain/campaign-finance.md``, "Tying money to a contest and a
side").

A :class:`Link` says committee → (contest, candidate or measure, position, role). ``role`` is
``own`` for a candidate's controlled committee or a committee primarily formed for a measure
(its receipts and spending are that side's), ``ie`` for a committee whose independent
expenditures name the subject (its donors are counted among the side's; its IE lines count for
the subject they name whoever made them, and its other money is not the side's). A recall is a
measure: support is remove, oppose is keep. Suggestions are only suggestions: a person reviews
the table (``reviewed``) before a desk shows it as settled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from racedesk.money import counted
from racedesk.money.filings import Filings, Item
from racedesk.money.names import name_key

POSITIONS = ("support", "oppose")
ROLES = ("own", "ie")
#: "NAME for OFFICE YEAR", after "Re-elect" or "Re-elect Mayor" when the name starts so.
_FOR = re.compile(
    r"^(?:RE-?ELECT\s+)?(?:MAYOR\s+)?(.+?)\s+FOR\s+(.+?)(?:\s+\d{4})?$", re.IGNORECASE
)


class Link(msgspec.Struct, frozen=True, kw_only=True):
    """One committee's side in one contest."""

    committee_id: str
    committee_name: str
    contest: str
    subject: str
    position: str
    role: str
    reviewed: bool = False
    reason: str = ""


def _position(code: str) -> str:
    return "oppose" if code.upper() == "O" else "support"


def _contest(item: Item) -> str:
    parts = [item.jurisdiction, item.office, item.district and f"district {item.district}"]
    return " / ".join(p for p in parts if p) or "unknown"


def suggest_ie_links(items: Iterable[Item]) -> tuple[Link, ...]:
    """A link per committee and subject its independent expenditures name, with the office,
    jurisdiction and district the lines give as the contest's description."""
    found: dict[tuple[str, str, str], Link] = {}
    for i in items:
        if not i.subject or i.position not in ("S", "O"):
            continue
        if i.schedule != "F496" and i not in counted.independent_expenditures((i,)):
            continue
        key = (i.filing.filer_id, name_key(i.subject), i.position)
        found.setdefault(
            key,
            Link(
                committee_id=i.filing.filer_id,
                committee_name=i.filing.filer_name,
                contest=_contest(i),
                subject=i.subject,
                position=_position(i.position),
                role="ie",
                reason=f"{i.schedule} line {i.tran_id} names {i.subject!r} ({i.position})",
            ),
        )
    return tuple(found.values())


def suggest_own_links(filings: Filings) -> tuple[Link, ...]:
    """A candidate's controlled committee (type CTL) named "NAME for OFFICE YEAR": that
    candidate's own committee, on the support side."""
    seen: dict[str, Link] = {}
    for f in filings.filings:
        if f.committee_type.upper() != "CTL" or f.filer_id in seen:
            continue
        match = _FOR.match(f.filer_name.strip())
        if match is None:
            continue
        seen[f.filer_id] = Link(
            committee_id=f.filer_id,
            committee_name=f.filer_name,
            contest=match.group(2).strip(),
            subject=match.group(1).strip(),
            position="support",
            role="own",
            reason=f"controlled committee named {f.filer_name!r}",
        )
    return tuple(seen.values())


def suggest_links(filings: Filings) -> tuple[Link, ...]:
    """Every suggestion the filings support: own committees, then IE committees."""
    return suggest_own_links(filings) + suggest_ie_links(filings.items)
