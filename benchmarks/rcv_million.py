"""Time and peak memory of a ranked-choice count of a million ballots (issue 19, item 4).

Generates, with a fixed seed, ``--ballots`` ballots (a million) ranking ``--ranks`` (ten) of
``--candidates`` (twenty) candidates each, by a popularity drawn once (a Dirichlet), about one
rank in twenty left blank and one in five hundred overvoted, and counts them round by round
with RCTab's single-winner rules (``racedesk.rcv.arrays``: the ballots in one array). Each count
runs in a fresh process, so its peak memory (``VmHWM``) is its own: generating the ballots,
then the count. Printed beside the time of the Minneapolis 2017 mayoral case (RCTab's
regression case, 105,928 ballots, in ``../shared/data/rcv/``) counted both ways: ballot by
ballot (``racedesk.rcv.tabulate``) and in an array, after reading its records. Target: at most
2 s and 1 GB for the million.

    uv run python benchmarks/rcv_million.py [--ballots 1000000] [--repeat 3] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine, run_child

from racedesk.settings import shared_data_dir

MILLION = """
import json, sys, time
import numpy as np
from racedesk.rcv import RankedContest, RcvRules
from racedesk.rcv.arrays import BLANK, OVERVOTED, tabulate_ranks

n, width, k, seed = (int(a) for a in sys.argv[1:5])
start = time.perf_counter()
rng = np.random.default_rng(seed)
popularity = rng.dirichlet(np.full(k, 0.8))
# Each ballot ranks ``width`` different candidates, drawn by popularity (Gumbel top-k).
keys = np.log(popularity)[None, :] - np.log(-np.log(rng.random((n, k))))
ranks = np.argsort(-keys, axis=1)[:, :width].astype(np.int16)
ranks[rng.random((n, width)) < 0.05] = BLANK
ranks[rng.random((n, width)) < 0.002] = OVERVOTED
del keys
made = time.perf_counter() - start
names = tuple(f"Candidate {i + 1}" for i in range(k))
contest = RankedContest("a million ballots", names, RcvRules(), ())
start = time.perf_counter()
count = tabulate_ranks(contest, ranks)
took = time.perf_counter() - start
print(json.dumps({"generate_s": made, "count_s": took, "peak_mb": peak(),
                  "rounds": len(count.rounds), "winner": count.winners[0],
                  "final": {c: int(v) for c, v in count.rounds[-1].tally.items()}}))
"""

MINNEAPOLIS = """
import json, sys, time
from pathlib import Path
from racedesk.rcv import tabulate
from racedesk.rcv.arrays import ranks_of, tabulate_ranks
from racedesk.sources.rcv_config import load_ranked_contest

start = time.perf_counter()
contest = load_ranked_contest(Path(sys.argv[1]))[1]
read = time.perf_counter() - start
start = time.perf_counter()
by_ballot = tabulate(contest)
ballot_s = time.perf_counter() - start
start = time.perf_counter()
ranks = ranks_of(contest.ballots, contest.candidates)
convert_s = time.perf_counter() - start
start = time.perf_counter()
in_array = tabulate_ranks(contest, ranks)
array_s = time.perf_counter() - start
assert in_array == by_ballot
print(json.dumps({"read_s": read, "ballot_s": ballot_s, "convert_s": convert_s,
                  "array_s": array_s, "ballots": by_ballot.total_ballots,
                  "rounds": len(by_ballot.rounds), "peak_mb": peak()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--ranks", type=int, default=10)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    data = args.data or shared_data_dir()
    python = sys.executable
    print(machine())
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    spec = (str(args.ballots), str(args.ranks), str(args.candidates), str(args.seed))
    runs = [run_child(python, MILLION, *spec) for _ in range(args.repeat)]
    last = runs[-1]
    counts = [r["count_s"] for r in runs]
    print(
        f"{args.ballots:,} ballots, {args.ranks} ranks among {args.candidates} candidates "
        f"(seed {args.seed}): {last['rounds']} rounds, {last['winner']} wins {last['final']}"
    )
    print(
        f"  count: median {statistics.median(counts):.2f} s of {len(counts)} "
        f"({', '.join(f'{c:.2f}' for c in counts)}); generating them "
        f"{statistics.median(r['generate_s'] for r in runs):.2f} s"
    )
    print(f"  peak memory of the process: {max(r['peak_mb'] for r in runs):.0f} MB")
    config = data / "rcv" / "minneapolis-2017-mayor" / "2017_minneapolis_mayor_config.json"
    if not config.is_file():
        print(f"Minneapolis 2017 not found at {config}: skipped")
    else:
        m = run_child(python, MINNEAPOLIS, str(config))
        print(
            f"Minneapolis 2017 mayor ({m['ballots']:,} ballots, {m['rounds']} rounds): "
            f"ballot by ballot {m['ballot_s']:.2f} s, in an array {m['array_s']:.2f} s "
            f"(+ {m['convert_s']:.2f} s to make the array; reading the xlsx {m['read_s']:.1f} s; "
            f"peak {m['peak_mb']:.0f} MB)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
