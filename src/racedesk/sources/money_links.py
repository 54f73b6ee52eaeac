"""The reviewable committee → contest table (``docs/money.md``), as a CSV file a person edits:
``committee_id, committee_name, contest, subject, position, role, reviewed, reason``.

``position`` is ``support`` or ``oppose`` (a recall: support = remove, oppose = keep); ``role``
``own`` (the committee's receipts and spending are the side's) or ``ie`` (its independent
expenditures naming the subject are). ``reviewed`` is ``yes`` once a person checked the row.
"""

from __future__ import annotations

import csv
import io

from racedesk.errors import InputError
from racedesk.money.links import POSITIONS, ROLES, Link
from racedesk.sources.safety import check_size, decode_text

COLUMNS = (
    "committee_id",
    "committee_name",
    "contest",
    "subject",
    "position",
    "role",
    "reviewed",
    "reason",
)


def read_links(data: bytes, *, where: str) -> tuple[Link, ...]:
    """Every row of a links file; a wrong position or role names its line."""
    reader = csv.DictReader(io.StringIO(decode_text(check_size(data, where), where, what="CSV")))
    missing = [c for c in COLUMNS[:6] if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(f"lacks the column(s) {', '.join(missing)}", where=where)
    links = []
    for row in reader:
        at = f"{where}, line {reader.line_num}"
        position, role = row["position"].strip().lower(), row["role"].strip().lower()
        if position not in POSITIONS:
            raise InputError(f"position must be support or oppose, not {position!r}", where=at)
        if role not in ROLES:
            raise InputError(f"role must be own or ie, not {role!r}", where=at)
        if not row["committee_id"].strip() or not row["subject"].strip():
            raise InputError("a link needs a committee_id and a subject", where=at)
        links.append(
            Link(
                committee_id=row["committee_id"].strip(),
                committee_name=row["committee_name"].strip(),
                contest=row["contest"].strip(),
                subject=row["subject"].strip(),
                position=position,
                role=role,
                reviewed=row.get("reviewed", "").strip().lower() in ("yes", "y", "true", "1"),
                reason=row.get("reason", "").strip(),
            )
        )
    return tuple(links)


def write_links(links: tuple[Link, ...]) -> str:
    """A links file (suggestions to review, or a reviewed table written back)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for link in links:
        writer.writerow(
            [
                link.committee_id,
                link.committee_name,
                link.contest,
                link.subject,
                link.position,
                link.role,
                "yes" if link.reviewed else "no",
                link.reason,
            ]
        )
    return out.getvalue()
