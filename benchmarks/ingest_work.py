"""The work of the foundation ingest per release, in instructions: a figure the machine's other
tenants cannot move.

``benchmarks/ingest.py`` times the foundation ingest (issue 2), and on a shared machine the time
of the same code moves by half again from one stretch of minutes to the next. This counts what
the processor executes instead: a child process ingests the first ``--warm`` releases of the LA
County 2024 general through ``Desk(project=False)`` into a fresh SQLite file, another the first
``--upto``, both under valgrind (callgrind, no cache simulation), and the difference divided by
``--upto − --warm`` is the instructions per release of those releases, start-up and warm-up
taken out. Compare two versions of the code by this figure; the time it takes depends on the
processor (this project's machine ran about 8–9 instructions per nanosecond of a quiet run).

Needs ``valgrind`` on the PATH (Debian's package); takes a few minutes, the two children run side
by side.

    uv run python benchmarks/ingest_work.py [--warm 8] [--upto 20] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import general_feed, machine

from racedesk.settings import shared_data_dir

CHILD = """
import sys, tempfile
from pathlib import Path
from racedesk.desk import Desk
from racedesk.sources import lavote
from racedesk.store import open_store

election, files = lavote.load_folder(Path(sys.argv[1]))
with tempfile.TemporaryDirectory() as tmp:
    desk = Desk(open_store(f"sqlite:///{tmp}/work.sqlite"), project=False)
    desk.add_election(election)
    for path, data in files[: int(sys.argv[2])]:
        assert desk.ingest(election.id, data, origin=path.name).status == "stored"
    desk.store.close()
"""


def instructions(folder: Path, releases: int) -> int:
    """Instructions a child executes to ingest the first ``releases`` releases of ``folder``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/callgrind.out",
                sys.executable,
                "-c",
                CHILD,
                str(folder),
                str(releases),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or found is None:
        sys.exit(f"the child under valgrind failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=8)
    parser.add_argument("--upto", type=int, default=20)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not on the PATH (apt-get install valgrind)")
    if not 0 < args.warm < args.upto <= 32:
        sys.exit("need 0 < --warm < --upto <= 32 (the general has 32 releases)")
    folder = general_feed(args.data)
    with ThreadPoolExecutor(max_workers=2) as pool:
        warm, upto = pool.map(lambda n: instructions(folder, n), (args.warm, args.upto))
    per = (upto - warm) / (args.upto - args.warm)
    print(f"machine: {machine()}")
    print(
        f"foundation ingest (issue 2), releases {args.warm + 1}–{args.upto} of the 2024 general: "
        f"{per / 1e6:.1f} million instructions per release"
    )


if __name__ == "__main__":
    main()
