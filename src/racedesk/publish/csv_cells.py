"""CSV cells a spreadsheet cannot take for a formula (CSV injection, CWE-1236).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``). A feed's
candidate or contest name can begin so, so every CSV racedesk writes passes its text cells
through :func:`safe_cell`, which puts an apostrophe before such a cell, as OWASP advises: the
spreadsheet then shows the text as written (its apostrophe hidden) and a program reading the CSV
sees the apostrophe. A number (``-1,234``, ``-12.5%``: an RCV round's transfer) is left as it is:
a spreadsheet reads it as the number it is.
"""

from __future__ import annotations

import re

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?%?")


def safe_cell(text: str) -> str:
    """``text``, with an apostrophe before it when it begins like a formula and is not a
    number."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


__all__ = ["FORMULA_STARTS", "safe_cell"]
