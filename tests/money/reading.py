"""Reading real NetFile export folders for the money tests."""

from __future__ import annotations

from pathlib import Path

from racedesk.money.filings import Filings
from racedesk.sources import netfile


def read_folder(folder: Path) -> Filings:
    """Every CSV sheet of a NetFile export folder."""
    found = Filings()
    for path in sorted(folder.glob("*.csv")):
        found = found + netfile.read_filings(path.read_bytes(), path.name, where=str(path))
    return found
