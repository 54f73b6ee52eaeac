"""Bytecodes the interpreter runs to work out the contests' states of one release, by shape.

Timing the states on a shared machine moves with the machine's other tenants; the bytecodes the
interpreter executes do not. This counts them with ``sys.settrace`` (opcode events) for every
contest of one release of the LA County 2024 general (the 12th, votes left from the releases
before it, as ``racedesk replay`` works them out), after a first pass that fills the per-contest
caches, and prints them per contest for each shape (rule, choices, seats) and in all. A fast,
exact figure for comparing two versions of ``engine/standing.py``; the time it stands for depends
on the processor (about 30 ns a bytecode on this project's machine when quiet, every bytecode
not being equal).

    uv run python benchmarks/state_bytecodes.py [--release 12] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import general_feed, machine

from racedesk.desk import load_params
from racedesk.engine.standing import contest_state
from racedesk.engine.votes_left import contests_votes_left, counts_of, county_ballots_left
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote


def bytecodes(work: Callable[[], object]) -> int:
    """How many bytecodes ``work()`` executes, in every function it calls."""
    seen = 0

    def per_opcode(frame: FrameType, event: str, _arg: Any) -> Any:
        nonlocal seen
        if event == "opcode":
            seen += 1
        return per_opcode

    def per_call(frame: FrameType, _event: str, _arg: Any) -> Any:
        frame.f_trace_opcodes = True
        return per_opcode

    sys.settrace(per_call)
    try:
        work()
    finally:
        sys.settrace(None)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=int, default=12, help="1-based, of the 32")
    parser.add_argument("--data", type=Path, default=shared_data_dir())
    args = parser.parse_args()
    election, files = lavote.load_folder(general_feed(args.data))
    params = load_params()
    read_release = lavote.release_reader(election)
    good = [read_release(data, where=p.name) for p, data in files[: args.release]]
    release = good[-1]
    left = county_ballots_left(election, good, (), params)
    lefts = contests_votes_left(election, good, left, params)
    counts = counts_of(release)
    shapes: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    total = 0
    for contest, contest_left in zip(election.contests, lefts, strict=True):
        count = counts.get(contest.id)
        contest_state(contest, count, release, contest_left)  # fills the contest's caches
        n = bytecodes(lambda: contest_state(contest, count, release, contest_left))  # noqa: B023
        rule = contest.rule
        shapes[(rule.kind, len(contest.choices), rule.seats)].append(n)
        total += n
    print(f"machine: {machine()}")
    print(
        f"release {args.release} of the 2024 general, {len(election.contests)} contests: "
        f"{total:,} bytecodes for every contest's state"
    )
    sizes = Counter({shape: len(found) for shape, found in shapes.items()})
    for (kind, choices, seats), many in sizes.most_common():
        found = shapes[(kind, choices, seats)]
        print(
            f"  {kind:<20} {choices:>2} choices, {seats} seat(s): {many:>3} contests, "
            f"{sum(found) / many:,.0f} bytecodes each"
        )


if __name__ == "__main__":
    main()
