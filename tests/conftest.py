"""Shared fixtures: where the real data is, and skipping with a message when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from racedesk.settings import shared_data_dir


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or ``RACEDESK_SHARED_DATA``); skips the test, naming the path, when absent."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"real data not found at {path} (set RACEDESK_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def general_2024(shared_data: Path) -> Path:
    path = shared_data / "lavote" / "4324-2024-general"
    if not path.is_dir():
        pytest.skip(f"LA 2024 general feed not found at {path}")
    return path


@pytest.fixture(scope="session")
def primary_2024(shared_data: Path) -> Path:
    path = shared_data / "lavote" / "4316-2024-primary"
    if not path.is_dir():
        pytest.skip(f"LA 2024 primary feed not found at {path}")
    return path


@pytest.fixture(scope="session")
def ca_primary(shared_data: Path) -> Path:
    """The state's archived feeds of the March 5, 2024 primary."""
    path = shared_data / "ca-sos" / "2024-primary"
    if not path.is_dir():
        pytest.skip(f"the state's 2024 primary feeds not found at {path}")
    return path
