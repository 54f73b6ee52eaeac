"""Which campaign-finance format a file is, and its filings (``racedesk money ingest``).

NetFile exports (a workbook whose name says ``efile``, or one of its CSV sheets), CAL-ACCESS
tables (``RCPT_CD.TSV`` …; covers are read for the filer and period of what comes after them in
one ingest) and NetFile API v2 JSON (transactions; a list of filings is kept for the amendment
log only); and the desk's own reviewed links file and reported-figures file
(:mod:`racedesk.sources.money_links`, :mod:`racedesk.sources.reported_figures`), kept the same
way so that the web app reads the newest of each. Anything else is an :class:`~racedesk.errors.InputError` that names the file.
"""

from __future__ import annotations

from collections.abc import Mapping

from racedesk.errors import InputError
from racedesk.money.filings import Filing, Filings
from racedesk.sources import calaccess, netfile, netfile_api

#: A reviewed links file and a reported-figures file are kept like filings (the newest wins).
LINKS = "money-links"
REPORTED = "money-reported"
FORMATS = (netfile.NAME, calaccess.NAME, netfile_api.NAME, LINKS, REPORTED)


def format_of(data: bytes, name: str) -> str:
    """The format of a file, from its name and first bytes."""
    head = data.lstrip(b"\xef\xbb\xbf")[:200]
    if head.startswith(b"committee_id,"):
        return LINKS
    if head.startswith(b"contest,subject,position,amount"):
        return REPORTED
    if netfile.sniff(data, name):
        return netfile.NAME
    if calaccess.sniff(data, name):
        return calaccess.NAME
    if name.lower().endswith(".json") and (b'"filingMeta"' in data or b'"transaction"' in data):
        return netfile_api.NAME
    raise InputError(
        "not a campaign-finance file racedesk reads (a NetFile export workbook or CSV sheet, "
        "a CAL-ACCESS .TSV table of lines or covers, NetFile API filings or transactions, a "
        "links or reported-figures file)",
        where=name,
    )


def is_money(data: bytes, name: str) -> bool:
    """Whether :func:`format_of` knows the file."""
    try:
        format_of(data, name)
    except InputError:
        return False
    return True


def read_money(
    data: bytes,
    name: str,
    *,
    where: str = "",
    covers: Mapping[tuple[str, int], Filing] | None = None,
) -> tuple[str, Filings]:
    """The format and the filings of one file."""
    where = where or name
    kind = format_of(data, name)
    if kind in (LINKS, REPORTED):
        return kind, Filings()
    if kind == netfile.NAME:
        return kind, netfile.read_filings(data, name, where=where)
    if kind == calaccess.NAME:
        if calaccess.table_of(name) == "CVR_CAMPAIGN_DISCLOSURE_CD":
            return kind, Filings()
        return kind, calaccess.read_table(data, name, where=where, covers=covers)
    if b'"transaction"' not in data:
        return kind, Filings()  # a list of filings: their versions, no lines
    return kind, netfile_api.read_transactions(data, where=where)
