"""Time per release, from feed bytes to stored release with every contest recomputed.

Replays the whole LA County 2024 general (32 releases, 373 contests) through ``Desk.ingest`` into a
fresh SQLite store, several times, and prints the median and spread of the time per release, and the
parts (parse, identities, engine, store). Target (issue 2): median ≤ 15 ms per release on 2 cores.

    uv run python benchmarks/ingest.py [--rounds 5] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine

from racedesk.desk import Desk
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote
from racedesk.store import open_store


def one_round(folder: Path) -> list[float]:
    election, files = lavote.load_folder(folder)
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desk(open_store(f"sqlite:///{tmp}/bench.sqlite"))
        desk.add_election(election)
        times = []
        for path, data in files:
            start = time.perf_counter()
            result = desk.ingest(election.id, data, origin=path.name)
            times.append(time.perf_counter() - start)
            assert result.status == "stored", result
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    folder = args.data / "lavote" / "4324-2024-general"
    if not folder.is_dir():
        sys.exit(f"the 2024 general feed is not at {folder}")
    all_times: list[float] = []
    for _ in range(args.rounds):
        all_times.extend(one_round(folder)[1:])  # the first release of a round warms caches
    ms = sorted(t * 1000 for t in all_times)
    print(f"machine: {machine()}")
    print(f"releases timed: {len(ms)} ({args.rounds} rounds of the 2024 general, 373 contests each)")
    print(f"ms per release: median {statistics.median(ms):.1f}, p10 {ms[len(ms) // 10]:.1f}, "
          f"p90 {ms[len(ms) * 9 // 10]:.1f}, max {ms[-1]:.1f}")


if __name__ == "__main__":
    main()
