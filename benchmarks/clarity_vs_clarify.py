"""racedesk's Clarity parser against ``clarify`` on the same large precinct-level detail.xml.

Writes an LA-sized ``detail.xml`` (``make_clarity_detail.py``: 3,000 precincts, 300 contests,
three vote types by default) to a temporary folder, then parses it several times with each
parser, every parse in a fresh subprocess, and prints the time and the peak memory (the child's
own ``VmHWM``) of each, their ratios against the targets (≥ 10× faster, ≤ 1/5 of the memory), and
the machine. Both parsers' totals are compared, so that the figures are for the same work.

    uv run python benchmarks/clarity_vs_clarify.py [--precincts 3000] [--contests 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine, run_child
from make_clarity_detail import write_detail

OURS = """
import json, sys, time
t0 = time.perf_counter()
from racedesk.sources import clarity
t1 = time.perf_counter()
data = open(sys.argv[1], "rb").read()
parsed = clarity.parse(data, where=sys.argv[1])
t2 = time.perf_counter()
votes = sum(v for c in parsed.releases[0].contests for v in c.votes.values())
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "peak_mb": peak(),
                  "contests": len(parsed.election.contests), "votes": votes}))
"""

THEIRS = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import clarify
t1 = time.perf_counter()
parser = clarify.Parser()
parser.parse(sys.argv[1])
t2 = time.perf_counter()
votes = sum(k.total_votes for c in parser.contests for k in c.choices if not k.text.lower().startswith("write"))
print(json.dumps({"seconds": t2 - t1, "import": t1 - t0, "peak_mb": peak(),
                  "contests": len(parser.contests), "votes": votes}))
"""

BASELINE = """
import json
from racedesk.sources import clarity
import clarify
print(json.dumps({"peak_mb": peak()}))
"""


def run(code: str, path: Path | None = None) -> dict[str, float]:
    return run_child(sys.executable, code, *([str(path)] if path else []))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--precincts", type=int, default=3000)
    ap.add_argument("--contests", type=int, default=300)
    ap.add_argument("--vote-types", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "detail.xml"
        shape = write_detail(
            path, precincts=args.precincts, contests=args.contests, vote_types=args.vote_types
        )
        print(
            "file: "
            + ", ".join(f"{k} {v:,}" for k, v in shape.items())
            + f" ({shape['bytes'] / 1e6:.0f} MB)"
        )
        base = run(BASELINE)
        print(
            f"baseline: a Python process with both parsers imported peaks at {base['peak_mb']:.0f} MB"
        )
        ours: list[dict[str, float]] = []
        theirs: list[dict[str, float]] = []
        for i in range(args.rounds):
            ours.append(run(OURS, path))
            theirs.append(run(THEIRS, path))
            print(
                f"round {i + 1}: racedesk {ours[-1]['seconds']:.2f} s, {ours[-1]['peak_mb']:.0f} MB; "
                f"clarify {theirs[-1]['seconds']:.2f} s, {theirs[-1]['peak_mb']:.0f} MB"
            )
        same = {(o["contests"], o["votes"]) for o in ours} == {
            (t["contests"], t["votes"]) for t in theirs
        }
        print(
            f"same totals: {same} ({ours[0]['contests']:.0f} contests, {ours[0]['votes']:,.0f} votes)"
        )
    t_ours = statistics.median(o["seconds"] for o in ours)
    t_theirs = statistics.median(t["seconds"] for t in theirs)
    m_ours = statistics.median(o["peak_mb"] for o in ours)
    m_theirs = statistics.median(t["peak_mb"] for t in theirs)
    speed = t_theirs / t_ours
    memory = m_ours / m_theirs
    print(f"racedesk: median {t_ours:.2f} s, peak {m_ours:.0f} MB")
    print(f"clarify:  median {t_theirs:.2f} s, peak {m_theirs:.0f} MB")
    print(f"speed-up: {speed:.1f}x (target >= 10x: {'met' if speed >= 10 else 'NOT met'})")
    print(
        f"memory:   {memory:.2f} of clarify's (target <= 0.20: {'met' if memory <= 0.2 else 'NOT met'})"
    )
    if not same:
        sys.exit("the two parsers disagree on the totals")


if __name__ == "__main__":
    main()
