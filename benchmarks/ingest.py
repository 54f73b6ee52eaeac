"""Time per release, from feed bytes to stored release with every contest recomputed.

Replays the whole LA County 2024 general (32 releases, 373 contests) through ``Desk.ingest`` into a
fresh SQLite store, and prints the median and spread of the time per release, whole and by stage:
parsing the feed bytes, the feed's identities, votes left and standings for every contest (the
foundation's recomputation), projection and calls, and the store's commit. Target (issue 2): median
≤ 15 ms per release on 2 cores.

    uv run python benchmarks/ingest.py [--rounds 3] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine

from racedesk.desk import Desk
from racedesk.engine import calls, projection
from racedesk.engine.checks import check_release
from racedesk.engine.standing import contest_state
from racedesk.engine.votes_left import contest_votes_left, county_ballots_left
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote
from racedesk.store import open_store


def one_round(folder: Path, stages: dict[str, list[float]]) -> None:
    election, files = lavote.load_folder(folder)
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desk(open_store(f"sqlite:///{tmp}/bench.sqlite"))
        desk.add_election(election)
        good: list = []
        ledger: list = []
        for index, (path, data) in enumerate(files):
            start = time.perf_counter()
            result = desk.ingest(election.id, data, origin=path.name)
            whole = time.perf_counter() - start
            assert result.status == "stored", result
            # the same release again, stage by stage, outside the store
            t0 = time.perf_counter()
            release = lavote.read_release(data, election, where=path.name)
            t1 = time.perf_counter()
            check_release(election, release, good[-1] if good else None)
            t2 = time.perf_counter()
            good.append(release)
            left = county_ballots_left(election, good, (), desk.params)
            states = [
                contest_state(
                    c,
                    release.count(c.id),
                    release,
                    contest_votes_left(election, c, good, left, desk.params),
                )
                for c in election.contests
            ]
            t3 = time.perf_counter()
            projections = projection.project_all(election, good, states, left, desk.params, 0)
            events, _ = calls.decide_all(
                election, release, states, projections, ledger, desk.params, usable=True, good=good
            )
            ledger.extend(events)
            t4 = time.perf_counter()
            if index == 0:
                continue  # the first release of a round warms caches
            stages["whole ingest"].append(whole)
            stages["parse"].append(t1 - t0)
            stages["identities"].append(t2 - t1)
            stages["votes left + standings"].append(t3 - t2)
            stages["projection + calls"].append(t4 - t3)
            stages["store and the rest"].append(max(0.0, whole - (t4 - t0)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    folder = args.data / "lavote" / "4324-2024-general"
    if not folder.is_dir():
        sys.exit(f"the 2024 general feed is not at {folder}")
    stages: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        one_round(folder, stages)
    print(f"machine: {machine()}; load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    n = len(stages["whole ingest"])
    print(f"releases timed: {n} ({args.rounds} rounds of the 2024 general, 373 contests each)")
    for name, values in stages.items():
        ms = sorted(v * 1000 for v in values)
        print(
            f"  {name:<24} median {statistics.median(ms):6.1f} ms   p90 {ms[len(ms) * 9 // 10]:6.1f} ms"
        )
    found = [
        sum(x)
        for x in zip(
            stages["parse"],
            stages["identities"],
            stages["votes left + standings"],
            stages["store and the rest"],
            strict=True,
        )
    ]
    print(f"  {'foundation (no projection)':<24} median {statistics.median(found) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
