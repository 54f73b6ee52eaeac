"""This code against an earlier commit, in one run: the ingest's instructions per release and the
backtest's time, each version running its own benchmark scripts on its own code.

A restructuring must not slow the desk: ``benchmarks/ingest_work.py`` (instructions per release
of the foundation ingest, a figure the machine's other tenants cannot move) and
``benchmarks/backtest.py`` (a whole backtest of the 2024 general with projections and calls) are
run for both versions, the backtests alternating A B A B so that the machine's drift falls on
both alike. The earlier commit is checked out in a temporary git worktree (removed afterwards)
and imported from there, ahead of the installed package.

    uv run python benchmarks/paired.py [--base 04df5b1] [--pairs 5] [--no-instructions]

``--base`` defaults to the last commit before the house-in-order restructuring (issue 13).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine

from racedesk.settings import shared_data_dir

HERE = Path(__file__).resolve().parent.parent
#: The last commit before the restructuring of issue 13.
BASE = "04df5b1"
LIMIT = 1.10


def run(tree: Path, script: str, *args: str) -> str:
    """What ``tree``'s own ``benchmarks/<script>`` prints, run on ``tree``'s own code with this
    tree's shared data."""
    data = str(shared_data_dir().resolve())
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "RACEDESK_SHARED_DATA": data}
    out = subprocess.run(
        [sys.executable, str(tree / "benchmarks" / script), *args, "--data", data],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"{script} failed in {tree} ({out.returncode}):\n{out.stderr[-2000:]}")
    return out.stdout


def figure(text: str, pattern: str, what: str) -> float:
    found = re.search(pattern, text)
    if found is None:
        sys.exit(f"no {what} in:\n{text}")
    return float(found.group(1))


def instructions(tree: Path) -> float:
    """Millions of instructions per release of the foundation ingest."""
    out = run(tree, "ingest_work.py")
    return figure(out, r"([\d.]+) million instructions per release", "instruction count")


def backtest_seconds(tree: Path) -> tuple[float, float]:
    """One timed backtest of the 2024 general: wall and CPU seconds."""
    out = run(tree, "backtest.py", "--rounds", "1")
    wall = figure(out, r"whole backtest: median ([\d.]+) s", "backtest time")
    cpu = figure(out, r"CPU time median ([\d.]+) s", "backtest CPU time")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help="the earlier commit (default %(default)s)")
    parser.add_argument("--pairs", type=int, default=5, help="backtests of each, alternating")
    parser.add_argument("--no-instructions", action="store_true", help="skip the valgrind count")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            [
                "git",
                "-C",
                str(HERE),
                "worktree",
                "add",
                "--detach",
                "--quiet",
                str(base),
                args.base,
            ],
            check=True,
        )
        try:
            report(base, args)
        finally:
            subprocess.run(
                ["git", "-C", str(HERE), "worktree", "remove", "--force", str(base)], check=False
            )


def report(base: Path, args: argparse.Namespace) -> None:
    print(f"machine: {machine()}")
    print(f"A: this tree ({HERE}); B: {args.base}")
    if not args.no_instructions:
        mine, theirs = instructions(HERE), instructions(base)
        print(
            f"ingest, million instructions per release: A {mine:.1f}, B {theirs:.1f}, "
            f"A/B {mine / theirs:.3f} ({'within' if mine <= LIMIT * theirs else 'beyond'} 10%)"
        )
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(args.pairs):
        (a_wall, a_cpu), (b_wall, b_cpu) = backtest_seconds(HERE), backtest_seconds(base)
        walls.append(a_wall / b_wall)
        cpus.append(a_cpu / b_cpu)
        print(
            f"  backtest pair: A {a_wall:.2f} s (CPU {a_cpu:.2f}), B {b_wall:.2f} s (CPU {b_cpu:.2f})"
        )
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(
        f"backtest, A/B median of {args.pairs} pairs: wall {wall:.3f}, CPU {cpu:.3f} "
        f"({'within' if cpu <= LIMIT else 'beyond'} 10% by CPU time)"
    )


if __name__ == "__main__":
    main()
