"""racedesk's AP adapter against ``elex`` (NYT/NPR) parsing the same AP Elections API v2 payload.

elex 2.4.1 does not install with a modern pip (its ``setup.py`` imports ``pip.download``), and it
must not enter racedesk's lock. Install it into a throwaway environment outside the repository,
from its sdist with the two pip imports taken out of ``setup.py`` (see ``docs/formats.md``), and
point this script at that environment's Python::

    uv run python benchmarks/ap_vs_elex.py --elex-python /tmp/elexenv/bin/python [--rounds 5]

The payload is generated like a general election at reporting-unit level (``level=ru``): every
state's races with a state-level unit and one unit per county, AP's field names and shapes (as in
``../shared/data/formats/ap/20151103_national.json``), random counts. It is written to a temporary
folder. Each parse runs in a fresh subprocess; the script prints time and peak memory of each,
the ratio against the target (≥ 5× faster), the real sample's figures, and the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine, run_child

from racedesk.settings import shared_data_dir

OURS = """
import json, sys, time
from racedesk.sources import ap
t1 = time.perf_counter()
data = open(sys.argv[1], "rb").read()
parsed = ap.parse(data, where=sys.argv[1], level=sys.argv[2])
t2 = time.perf_counter()
rows = sum(len(c.votes) for c in parsed.releases[0].contests)
print(json.dumps({"seconds": t2 - t1, "peak_mb": peak(), "rows": rows}))
"""

THEIRS = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
from elex.api import Election
t1 = time.perf_counter()
election = Election(electiondate=sys.argv[2], datafile=sys.argv[1], testresults=False, liveresults=True)
rows = election.results
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "peak_mb": peak(), "rows": len(rows)}))
"""

STATES = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
          "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
          "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
          "VT", "VA", "WA", "WV", "WI", "WY"]  # fmt: skip
OFFICES = [
    ("P", "President"),
    ("S", "U.S. Senate"),
    ("G", "Governor"),
    ("H", "U.S. House"),
    ("I", "Proposition"),
]


def make_payload(
    path: Path, *, counties: int = 62, races: int = 10, seed: int = 2016
) -> dict[str, int]:
    """Write a v2 payload: 51 states × ``races`` races × (1 state + ``counties`` county) units."""
    rng = random.Random(seed)
    out_races = []
    units = rows = 0
    cand_id = 10_000
    for s, state in enumerate(STATES):
        for r in range(races):
            office_id, office = OFFICES[r % len(OFFICES)]
            n = 2 if office_id == "I" else rng.randint(2, 6)
            cands = []
            for k in range(n):
                cand_id += 1
                cands.append({"first": "" if office_id == "I" else f"First{k}",
                              "last": ("Yes", "No")[k] if office_id == "I" else f"Last{cand_id}",
                              "party": ("Dem", "GOP", "Lib", "Grn", "Ind", "Una")[k],
                              "candidateID": str(cand_id), "polID": str(cand_id + 500_000),
                              "ballotOrder": k + 1, "polNum": str(cand_id + 900_000)})  # fmt: skip
            county_units = []
            totals = [0] * n
            for c in range(counties):
                votes = [rng.randint(0, 50_000) for _ in range(n)]
                totals = [a + b for a, b in zip(totals, votes, strict=True)]
                county_units.append({
                    "statePostal": state, "reportingunitName": f"County {c + 1}",
                    "reportingunitID": str(6000 + c), "level": "subunit", "fipsCode": f"{s:02d}{c:03d}",
                    "lastUpdated": "2016-11-09T12:00:00Z", "precinctsReporting": 40, "precinctsTotal": 40,
                    "precinctsReportingPct": 100.0,
                    "candidates": [{**cands[k], "voteCount": votes[k]} for k in range(n)],
                })  # fmt: skip
            winner = max(range(n), key=lambda k: totals[k])
            state_unit = {
                "statePostal": state, "stateName": state, "level": "state",
                "lastUpdated": "2016-11-09T12:00:00Z", "precinctsReporting": 40 * counties,
                "precinctsTotal": 40 * counties, "precinctsReportingPct": 100.0,
                "candidates": [{**cands[k], "voteCount": totals[k], **({"winner": "X"} if k == winner else {})}
                               for k in range(n)],
            }  # fmt: skip
            race = {"test": False, "raceID": str(1000 * s + r), "raceType": "Ballot Issue" if office_id == "I" else "General",
                    "raceTypeID": "G", "officeID": office_id, "officeName": office,
                    "seatName": f"District {r}" if office_id in ("H", "I") else "", "national": True,
                    "reportingUnits": [state_unit, *county_units]}  # fmt: skip
            out_races.append(race)
            units += 1 + counties
            rows += n * (1 + counties)
    payload = {"electionDate": "2016-11-08", "timestamp": "2016-11-09T12:00:00.000Z", "races": out_races,
               "nextrequest": "http://api.ap.org/v2/elections/2016-11-08?level=ru"}  # fmt: skip
    path.write_text(json.dumps(payload))
    return {
        "races": len(out_races),
        "reporting_units": units,
        "candidate_rows": rows,
        "bytes": path.stat().st_size,
    }


def compare(label: str, path: Path, date: str, elex_python: str | None, rounds: int) -> None:
    print(f"-- {label}")
    results: dict[str, list[dict[str, float]]] = {
        "racedesk (state)": [],
        "racedesk (subunit)": [],
        "elex": [],
    }
    for _ in range(rounds):
        results["racedesk (state)"].append(run_child(sys.executable, OURS, str(path), "state"))
        results["racedesk (subunit)"].append(run_child(sys.executable, OURS, str(path), "subunit"))
        if elex_python:
            results["elex"].append(run_child(elex_python, THEIRS, str(path), date))
    medians = {}
    for name, runs in results.items():
        if not runs:
            continue
        medians[name] = statistics.median(r["seconds"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        print(
            f"{name:20s} median {medians[name] * 1000:8.1f} ms, peak {peak:6.0f} MB, rows {runs[0]['rows']:,.0f}"
        )
    if "elex" in medians:
        for name in ("racedesk (state)", "racedesk (subunit)"):
            speed = medians["elex"] / medians[name]
            print(
                f"speed-up of {name} over elex: {speed:.1f}x (target >= 5x: {'met' if speed >= 5 else 'NOT met'})"
            )
    else:
        print("elex: not measured (no --elex-python)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--elex-python", help="the Python of an environment where elex 2.4.1 is installed"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--counties", type=int, default=62)
    parser.add_argument("--races", type=int, default=10)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ap_v2_ru.json"
        shape = make_payload(path, counties=args.counties, races=args.races)
        print(
            "payload: "
            + ", ".join(f"{k} {v:,}" for k, v in shape.items())
            + f" ({shape['bytes'] / 1e6:.1f} MB)"
        )
        compare("generated payload", path, "2016-11-08", args.elex_python, args.rounds)
    sample = shared_data_dir() / "formats" / "ap" / "20151103_national.json"
    if sample.is_file():
        compare(f"real sample {sample.name} ({sample.stat().st_size / 1e3:.0f} KB)", sample, "2015-11-03",
                args.elex_python, args.rounds)  # fmt: skip


if __name__ == "__main__":
    main()
