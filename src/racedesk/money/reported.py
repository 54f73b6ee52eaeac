"""Figures reported in the news, kept apart from filed ones (issue 21;
``../shared/domain/campaign-finance.md``, "Los Angeles County figures reported in the news").

A reported figure always carries its source and is never added to a filed total: a desk shows
it beside the filed money, labelled as reported.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec


class ReportedFigure(msgspec.Struct, frozen=True, kw_only=True):
    """``amount`` for ``subject`` (a candidate or measure) on ``position``'s side, as
    ``source`` reported it on ``reported_on``; ``what`` says what the figure counts."""

    contest: str
    subject: str
    position: str
    amount: Decimal
    what: str
    source: str
    reported_on: date | None = None
