"""Time of a whole-canvass backtest with projections and calls.

Replays the LA County 2024 general (32 releases, 373 contests) with the registrar's outstanding
reports through ``engine.backtest.run_backtest`` (identities, votes left, standing, projection,
calls, scoring) with the shipped parameters, several rounds, and prints the median and the best
time of a whole backtest and the share spent in the projection and the calls. Target (issue 3):
at most 2 s on a 2-core machine. Parsing the releases is not timed (it is the adapter's work).

    uv run python benchmarks/backtest.py [--rounds 5] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import general_feed, machine

from racedesk.data import load_params
from racedesk.engine import calls, projection
from racedesk.engine.backtest import run_backtest
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote
from racedesk.sources.outstanding import load_reports


class _Timer:
    """Wraps a module function to add up the time spent in it."""

    def __init__(self, module: object, name: str) -> None:
        self.module, self.name = module, name
        self.original = getattr(module, name)
        self.total = 0.0

    def __enter__(self) -> _Timer:
        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - start

        setattr(self.module, self.name, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.module, self.name, self.original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    folder = general_feed(args.data)
    election, files = lavote.load_folder(folder)
    read_release = lavote.release_reader(election)
    releases = [read_release(data, where=str(path)) for path, data in files]
    reports = load_reports(args.data / "lavote" / "outstanding-reports.csv", election.date)
    params = load_params()
    run_backtest(election, releases, reports, params)  # warm-up: imports, caches
    totals: list[float] = []
    cpu: list[float] = []
    project: list[float] = []
    decide: list[float] = []
    summary = None
    for _ in range(args.rounds):
        with _Timer(projection, "project_all") as p, _Timer(calls, "decide_all") as d:
            start, start_cpu = time.perf_counter(), time.process_time()
            report = run_backtest(election, releases, reports, params)
            totals.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        project.append(p.total)
        decide.append(d.total)
        summary = report.summary
    print(f"machine: {machine()}")
    print(f"backtest of {election.id}: {len(releases)} releases, {len(election.contests)} contests, "
          f"{len(reports)} outstanding reports, model {params.version}, {params.draws} draws")  # fmt: skip
    print(f"whole backtest: median {statistics.median(totals):.2f} s, best {min(totals):.2f} s "
          f"over {args.rounds} rounds (target: at most 2 s); CPU time median {statistics.median(cpu):.2f} s")  # fmt: skip
    print(f"  load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"  projection: median {statistics.median(project):.2f} s; calls: median {statistics.median(decide):.2f} s"
    )
    if summary is not None:
        print(f"  result: {summary.called} called, {summary.wrong_calls} wrong calls, "
              f"90% coverage {summary.coverage_90:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
