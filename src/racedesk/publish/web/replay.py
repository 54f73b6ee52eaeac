"""Feeding a desk a scenario at a watchable pace while a server runs over it (``racedesk
demo``): open pages update from the store as each release lands."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from racedesk.errors import RacedeskError, StoreError
from racedesk.model import OutstandingReport, Release

if TYPE_CHECKING:
    from racedesk.desk import Desk

ReplayItem = bytes | Release | OutstandingReport


def replay_in_background(
    desk: Desk,
    election_id: str,
    releases: Sequence[ReplayItem],
    delay: float,
    *,
    start_after: float = 0.0,
    on_error: Callable[[Exception], None] | None = None,
) -> tuple[threading.Thread, threading.Event]:
    """Feed ``releases`` to the desk one every ``delay`` seconds in a daemon thread, while a
    server runs over the same desk; open pages update from the store as each one lands.

    Items are a feed's payload bytes (``Desk.ingest``), parsed releases
    (``Desk.ingest_release``) or outstanding reports (``Desk.add_outstanding``, which take no
    time of their own). Returns the thread and an event that stops it early when set.
    """
    stop = threading.Event()

    def run() -> None:
        if start_after > 0 and stop.wait(start_after):
            return
        for i, item in enumerate(releases):
            if stop.is_set():
                return
            try:
                if isinstance(item, OutstandingReport):
                    desk.add_outstanding(election_id, item)
                    continue
                if isinstance(item, Release):
                    desk.ingest_release(item)
                else:
                    desk.ingest(election_id, item, origin=f"replay #{i}")
            except (RacedeskError, StoreError) as exc:
                if on_error is None:
                    raise
                on_error(exc)
            if i < len(releases) - 1 and stop.wait(delay):
                return

    thread = threading.Thread(target=run, name=f"racedesk-replay-{election_id}", daemon=True)
    thread.start()
    return thread, stop
