"""An ingester to kill: ``racedesk ingest FOLDER --db URL`` with every step marked on stdout.

The fault tests run this file as a real subprocess (``python tests/faults/ingester.py``) and
kill it with SIGKILL at chosen points. It does what ``racedesk ingest`` does for an LA County
feed folder (``Desk.ingest`` of every payload, in order, over the real store) and writes one
line to stdout, unbuffered, before and after every step, so that the test knows where each
kill landed:

    <monotonic ns> ready                        imports done, feed read (waiting for "go")
    <monotonic ns> open                         store opened, election stored
    <monotonic ns> begin <i> <sha256>           Desk.ingest of payload i starts
    <monotonic ns> raw-start <i> / raw-end <i>  the raw bytes are being kept / are kept
    <monotonic ns> commit-start <i> / commit-end <i>
                                                the release's transaction is open / committed
    <monotonic ns> end <i> <status> <sequence>  Desk.ingest returned
    <monotonic ns> done                         every payload ingested

Between ``raw-end`` and ``commit-start`` the desk parses the payload, checks its identities and
recomputes every contest. A line written before a SIGKILL is never lost (it is in the pipe).

With ``--wait`` the process imports everything, reads the feed, says ``ready`` and waits for a
line on stdin before opening the store: the test keeps one such warm spare so that a restart
does not wait for Python's imports.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import racedesk.store.sql  # noqa: F401  (imported before "ready": a warm spare opens at once)
from racedesk.desk import Desk
from racedesk.model import RawPayload
from racedesk.sources import lavote
from racedesk.store import open_store
from racedesk.store.base import Store, StoredRelease


def mark(*fields: object) -> None:
    """One line on stdout, written at once (``os.write``: no buffer to lose on a kill)."""
    line = " ".join(str(f) for f in (time.monotonic_ns(), *fields)) + "\n"
    os.write(1, line.encode())


class MarkedStore:
    """The real store, with the two writes of an ingest marked before and after."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.index = -1

    def put_raw(self, raw: RawPayload) -> bool:
        mark("raw-start", self.index)
        kept = self._store.put_raw(raw)
        mark("raw-end", self.index)
        return kept

    def commit_release(self, stored: StoredRelease, snapshot: Any = None) -> StoredRelease | None:
        mark("commit-start", self.index)
        committed = self._store.commit_release(stored, snapshot)
        mark("commit-end", self.index)
        return committed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--feed", required=True, type=Path, help="LA County feed folder")
    parser.add_argument("--wait", action="store_true", help='wait for a line on stdin ("go")')
    args = parser.parse_args(argv)

    election, files = lavote.load_folder(args.feed)
    mark("ready")
    if args.wait and not sys.stdin.readline():
        return 0  # the test ended without needing this spare
    store = MarkedStore(open_store(args.db))
    desk = Desk(store)  # type: ignore[arg-type]
    desk.add_election(election)
    mark("open")
    for i, (path, data) in enumerate(files):
        store.index = i
        mark("begin", i, lavote.content_hash(data))
        result = desk.ingest(election.id, data, origin=path.name)
        mark("end", i, result.status, result.sequence)
    mark("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
