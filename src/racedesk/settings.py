"""Settings read from the environment, with the defaults a newcomer needs.

- ``RACEDESK_DB``: database URL; default ``sqlite:///var/racedesk.sqlite`` under the current
  folder. ``postgresql://…`` selects the PostgreSQL backend.
- ``RACEDESK_SHARED_DATA``: where the real data beside the project lives; default
  ``../shared/data`` relative to the repository root. Tests skip, naming the path, when absent.
- ``RACEDESK_TOKEN``: the token that protects writes in the web API.
- ``RACEDESK_WEBHOOKS``: URLs (separated by spaces or commas) the desk POSTs its notices to
  (calls, rescinds, held and flagged releases; ``racedesk.publish.webhooks``);
  ``RACEDESK_WEBHOOK_SECRET``: the shared secret that signs them.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    return os.environ.get("RACEDESK_DB", "sqlite:///var/racedesk.sqlite")


def shared_data_dir() -> Path:
    value = os.environ.get("RACEDESK_SHARED_DATA")
    if value:
        return Path(value)
    return (REPO_ROOT / ".." / "shared" / "data").resolve()


def write_token() -> str | None:
    return os.environ.get("RACEDESK_TOKEN") or None


def webhook_urls() -> list[str]:
    """The URLs of ``RACEDESK_WEBHOOKS``, in order (none when unset)."""
    return os.environ.get("RACEDESK_WEBHOOKS", "").replace(",", " ").split()


def webhook_secret() -> str:
    return os.environ.get("RACEDESK_WEBHOOK_SECRET", "")
