"""Fixtures of the source tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def ets_dir(shared_data: Path) -> Path:
    """LA County's ``.ets`` samples (``../shared/data/formats/la-ets``)."""
    path = shared_data / "formats" / "la-ets"
    if not path.is_dir():
        pytest.skip(f".ets samples not found at {path}")
    return path
