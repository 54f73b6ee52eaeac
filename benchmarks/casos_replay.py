"""Cost per contest-release of a whole-canvass replay of the state's feed, beside LA County's.

Replays every feed of the California Secretary of State's 2024 primary as archived
(``ca-sos/2024-primary``: 30,604 documents, read into one release per feed time, each the bundle
of every feed's latest document) and the LA County 2024 general (with the registrar's outstanding
reports) through ``engine.backtest.run_backtest`` (identities, votes left, standings,
projections, calls, scoring) with the shipped parameters, in the same run, alternating, and
prints for each the median time of a whole backtest, its contests × releases, and the cost per
contest-release. Target (issue 15): the state's at most 1.5× LA's. Reading the folder into
releases is timed on its own (it is the adapter's work, once per canvass).

    uv run python benchmarks/casos_replay.py [--rounds 3] [--data ../shared/data]
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
from racedesk.engine.backtest import run_backtest
from racedesk.settings import shared_data_dir
from racedesk.sources import casos, lavote
from racedesk.sources.outstanding import load_reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    folder = args.data / "ca-sos" / "2024-primary"
    if not folder.is_dir():
        sys.exit(f"the state's 2024 primary feeds are not at {folder} (set --data)")
    start = time.perf_counter()
    state, bundles = casos.folder_releases(folder)
    read = casos.release_reader(state)
    state_releases = [read(b.data, where=b.origin, received_at=b.received_at) for b in bundles]
    reading = time.perf_counter() - start
    la, files = lavote.load_folder(general_feed(args.data))
    read_la = lavote.release_reader(la)
    la_releases = [read_la(data, where=str(path)) for path, data in files]
    la_reports = load_reports(args.data / "lavote" / "outstanding-reports.csv", la.date)
    params = load_params()
    runs = {
        "state": (state, state_releases, []),
        "LA": (la, la_releases, la_reports),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    summaries = {}
    for _ in range(args.rounds):
        for name, (election, releases, reports) in runs.items():
            begin = time.perf_counter()
            report = run_backtest(election, releases, reports, params)
            times[name].append(time.perf_counter() - begin)
            summaries[name] = report.summary
    print(f"machine: {machine()}")
    print(f"  load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"reading the state's folder into {len(bundles)} releases: {reading:.1f} s")
    cost = {}
    for name, (election, releases, _) in runs.items():
        pairs = len(election.contests) * len(releases)
        whole = statistics.median(times[name])
        cost[name] = whole / pairs
        s = summaries[name]
        print(f"{name} {election.id}: {len(releases)} releases × {len(election.contests)} contests "
              f"= {pairs:,} contest-releases; backtest median {whole:.2f} s over {args.rounds} "
              f"rounds: {cost[name] * 1e6:.0f} µs per contest-release; {s.called} called, "
              f"{s.wrong_calls} wrong calls, 90% coverage {s.coverage_90:.3f}")  # fmt: skip
    print(f"state / LA per contest-release: {cost['state'] / cost['LA']:.2f}× (target ≤ 1.5×)")


if __name__ == "__main__":
    main()
