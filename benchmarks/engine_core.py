"""Time of the engine's core per release: identities, votes left, and every contest's state.

For each release of the LA County 2024 general (373 contests) and primary (175), with the
registrar's estimates known at the time, times ``checks.check_release``, ``contests_votes_left``
(every contest at once) and ``contest_state`` for every contest, takes the best of ``--repeat`` runs
per release of the CPU time of this process (so that other processes on a busy machine count
as little as they can), and prints the median and the slowest release, the machine and its
load. Targets (docs/hurdles.md): ``contest_state`` for all
contests well under 5 ms, ``check_release`` well under 3 ms.

It also prints how long a plain Python loop takes, before and after, to tell a busy machine from
a slow engine.

    uv run python benchmarks/engine_core.py [--repeat 7] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine

from racedesk.engine.checks import ReleaseChecks
from racedesk.engine.params import default_params
from racedesk.engine.standing import contest_state
from racedesk.engine.votes_left import contests_votes_left, county_ballots_left
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote
from racedesk.sources.outstanding import load_reports


def time_canvass(folder: Path, reports_csv: Path, repeat: int) -> dict[str, list[float]]:
    election, files = lavote.load_folder(folder)
    read_release = lavote.release_reader(election)
    releases = [read_release(b, where=str(p)) for p, b in files]
    reports = load_reports(reports_csv, election.date)
    params = default_params()
    parts: dict[str, list[float]] = {"check_release": [], "votes left": [], "contest_state": []}
    clock = time.process_time  # CPU time of this process: other processes do not count
    checks = ReleaseChecks()
    for i in range(1, len(releases)):
        good = releases[: i + 1]
        latest = good[-1]
        known = [r for r in reports if r.as_of <= latest.feed_time]
        county = county_ballots_left(election, good, known, params)
        counts = latest.counts_by_contest()
        best = dict.fromkeys(parts, float("inf"))
        for _ in range(repeat):
            t0 = clock()
            checks.check(election, latest, good[-2])
            t1 = clock()
            lefts = contests_votes_left(election, good, county, params)
            t2 = clock()
            for c, left in zip(election.contests, lefts, strict=True):
                contest_state(c, counts.get(c.id), latest, left)
            t3 = clock()
            for key, took in zip(parts, (t1 - t0, t2 - t1, t3 - t2), strict=True):
                best[key] = min(best[key], took)
        for key in parts:
            parts[key].append(best[key] * 1000)
    return parts


def reference_loop_ns() -> float:
    """CPU time per iteration of a plain Python loop (``x += i``), best of 5: how fast this
    machine runs Python right now (a quiet recent x86 machine takes about 30 ns)."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        x = 0
        for i in range(1_000_000):
            x += i
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"reference loop: {reference_loop_ns():.0f} ns per iteration")
    for name in ("4324-2024-general", "4316-2024-primary"):
        folder = args.data / "lavote" / name
        if not folder.is_dir():
            sys.exit(f"the feed is not at {folder}")
        parts = time_canvass(folder, args.data / "lavote" / "outstanding-reports.csv", args.repeat)
        n = len(parts["contest_state"])
        summary = ", ".join(
            f"{key} median {statistics.median(ms):.2f} ms (slowest {max(ms):.2f})"
            for key, ms in parts.items()
        )
        print(f"{name} ({n} releases, best of {args.repeat} each): {summary}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"reference loop: {reference_loop_ns():.0f} ns per iteration")


if __name__ == "__main__":
    main()
