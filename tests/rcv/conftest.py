"""The RCTab regression cases of ``../shared/data/rcv/`` (found through ``shared_data``)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def rcv_cases(shared_data: Path) -> Path:
    """The folder of RCTab's cases; skips, naming it, when absent."""
    path = shared_data / "rcv"
    if not path.is_dir():
        pytest.skip(f"RCTab cases not found at {path}")
    return path


@pytest.fixture(scope="session")
def sf_mayor_2018(shared_data: Path) -> Path:
    """The archive of San Francisco's 2018 mayoral reports; skips, naming it, when absent."""
    path = shared_data / "sf-rcv" / "2018-06-05-mayor"
    if not path.is_dir():
        pytest.skip(f"San Francisco's 2018 RCV reports not found at {path}")
    return path
