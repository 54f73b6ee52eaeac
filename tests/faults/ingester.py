"""An ingester to kill: ``racedesk ingest FOLDER --db URL`` with every step marked on stdout.

The fault tests run this file as a real subprocess (``python tests/faults/ingester.py``). With
``--serve`` it imports racedesk and reads the feed once, then, for every line it reads on stdin,
forks a fresh ingester process, reports its pid, waits for it to end (by itself or by the
test's SIGKILL) and reports how it ended. So a killed ingester is restarted at once, without
waiting for Python's imports, the way a supervisor with preloaded code restarts a worker; each
ingester is still its own process with its own database connections. Without ``--serve`` it
ingests once in this process.

An ingester does what ``racedesk ingest`` does for an LA County feed folder: ``Desk.ingest`` of
every payload, in order, over the real store, starting from the first payload again after a
restart. It writes one line to stdout before and after every step (``os.write``: a line written
before a kill is in the pipe, never lost):

    <monotonic ns> child <pid>                  (--serve) an ingester was started
    <monotonic ns> open                         store opened, election stored
    <monotonic ns> begin <i> <sha256>           Desk.ingest of payload i starts
    <monotonic ns> raw-start <i> / raw-end <i>  its raw bytes are being kept / are kept
    <monotonic ns> commit-start <i> / commit-end <i>
                                                its release's transaction is open / committed
    <monotonic ns> end <i> <status> <sequence>  Desk.ingest returned
    <monotonic ns> done                         every payload ingested
    <monotonic ns> exit <pid> <status>          (--serve) the ingester ended (-9: killed)

Between ``raw-end`` and ``commit-start`` the desk parses the payload, checks its identities and
recomputes every contest.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import racedesk.store.sql  # noqa: F401  (loaded before any fork: a new ingester opens at once)
from racedesk.desk import Desk
from racedesk.model import Election, RawPayload, sha256_hex
from racedesk.sources import lavote
from racedesk.store import open_store
from racedesk.store.base import Store, StoredRelease


def mark(*fields: object) -> None:
    """One line on stdout, written at once."""
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


def ingest(db: str, election: Election, files: list[tuple[Path, bytes]]) -> None:
    """Every payload through ``Desk.ingest``, in order, as ``racedesk ingest`` does."""
    store = MarkedStore(open_store(db))
    desk = Desk(store)  # type: ignore[arg-type]
    desk.add_election(election)
    mark("open")
    for i, (path, data) in enumerate(files):
        store.index = i
        mark("begin", i, sha256_hex(data))
        result = desk.ingest(election.id, data, origin=path.name)
        mark("end", i, result.status, result.sequence)
    mark("done")


def serve(db: str, election: Election, files: list[tuple[Path, bytes]]) -> None:
    """Fork an ingester for every line on stdin, one at a time, until stdin ends."""
    while sys.stdin.readline():
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                ingest(db, election, files)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        mark("child", pid)
        _, status = os.waitpid(pid, 0)
        mark("exit", pid, os.waitstatus_to_exitcode(status))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True, help="database URL")
    parser.add_argument("--feed", required=True, type=Path, help="LA County feed folder")
    parser.add_argument("--serve", action="store_true", help="fork an ingester per line on stdin")
    args = parser.parse_args(argv)
    election, files = lavote.load_folder(args.feed)
    if args.serve:
        mark("ready")
        serve(args.db, election, files)
    else:
        ingest(args.db, election, files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
