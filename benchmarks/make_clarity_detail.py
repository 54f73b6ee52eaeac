"""Write a large, LA-sized Clarity ``detail.xml`` at precinct level, for benchmarks.

The layout is that of a Clarity ENR county site (see ``../shared/domain/formats.md`` and the
Greenup County sample in ``../shared/data/formats/clarity/precinct.xml``): ``VoterTurnout`` with
every precinct, then each contest with its ``Overvotes``/``Undervotes`` vote types and its
choices, each choice split into vote types, each vote type into precincts. Countywide contests
cover every precinct; district contests cover a contiguous block of precincts. The numbers are
random (seeded): this is a file for measuring parsers, not an election.

    uv run python benchmarks/make_clarity_detail.py OUT.xml [--precincts 3000] [--contests 300]

Written to a temporary folder by the benchmark; never committed.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from pathlib import Path

VOTE_TYPES = ("Election Day", "Vote by Mail", "Early Vote")


def write_detail(
    path: Path,
    *,
    precincts: int = 3000,
    contests: int = 300,
    vote_types: int = 3,
    seed: int = 2024,
) -> dict[str, int]:
    """Write the file; return its shape (precincts, contests, choices, precinct results, bytes)."""
    rng = random.Random(seed)
    names = [f"PCT {i:05d}" for i in range(precincts)]
    types = VOTE_TYPES[:vote_types]
    results = 0
    choices_total = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        w = out.write
        write_head(w, rng, names)
        for k in range(contests):
            n_choices, n_results = write_contest(w, rng, k, names, types, contests)
            choices_total += n_choices
            results += n_results
        w("</ElectionResult>\n")
    return {
        "precincts": precincts,
        "contests": contests,
        "choices": choices_total,
        "precinct_results": results,
        "bytes": path.stat().st_size,
    }


def write_head(w: Callable[[str], object], rng: random.Random, names: list[str]) -> None:
    """Write the XML declaration, the election's header and the ``VoterTurnout`` of every
    precinct (random registered voters and ballots cast)."""
    w('<?xml version="1.0" encoding="utf-8"?>\n')
    w("<!--Election result snapshot imported from Tabulation System-->\n")
    w("<ElectionResult>\n")
    w("    <Timestamp>11/6/2024 1:05:12 AM PST</Timestamp>\n")
    w("    <ElectionName>Generated General Election</ElectionName>\n")
    w("    <ElectionDate>11/5/2024</ElectionDate>\n")
    w("    <Region>Generated County</Region>\n")
    registered = [rng.randint(400, 4000) for _ in names]
    cast = [r * rng.randint(30, 80) // 100 for r in registered]
    w(
        f'    <VoterTurnout totalVoters="{sum(registered)}" ballotsCast="{sum(cast)}" '
        f'voterTurnout="{100 * sum(cast) / sum(registered):.2f}">\n        <Precincts>\n'
    )
    for name, r, c in zip(names, registered, cast, strict=True):
        w(
            f'            <Precinct name="{name}" totalVoters="{r}" ballotsCast="{c}" '
            f'voterTurnout="{100 * c / r:.2f}" percentReporting="4" />\n'
        )
    w("        </Precincts>\n    </VoterTurnout>\n")


def covered_precincts(rng: random.Random, k: int, precincts: int, contests: int) -> range:
    """The precincts contest ``k`` covers: all of them for the first tenth of the contests
    (countywide), else a random contiguous block of 5 to 40% of them (a district)."""
    if k < contests // 10:
        lo, hi = 0, precincts
    else:
        size = max(1, int(precincts * rng.uniform(0.05, 0.4)))
        lo = rng.randrange(0, precincts - size + 1)
        hi = lo + size
    return range(lo, hi)


def write_contest(
    w: Callable[[str], object],
    rng: random.Random,
    k: int,
    names: list[str],
    types: tuple[str, ...],
    contests: int,
) -> tuple[int, int]:
    """Write contest ``k`` (its under- and overvotes, then its choices by vote type and
    precinct); return how many choices and precinct results it has."""
    covered = covered_precincts(rng, k, len(names), contests)
    question = rng.random() < 0.2
    n_choices = 2 if question else rng.randint(2, 6)
    vote_for = 1 if question or rng.random() < 0.85 else rng.randint(2, 3)
    w(
        f'    <Contest key="{k + 1}" text="GENERATED CONTEST {k + 1}" voteFor="{vote_for}" '
        f'isQuestion="{"true" if question else "false"}" '
        f'precinctsReporting="{len(covered)}" precinctsParticipating="{len(covered)}">\n'
    )
    table = [[[rng.randint(0, 120) for _ in covered] for _ in types] for _ in range(n_choices)]
    results = 0
    for label in ("Undervotes", "Overvotes"):
        per = [rng.randint(0, 9) for _ in covered]
        results += write_vote_type(w, "        ", label, covered, per, names)
    for c in range(n_choices):
        text = ("Yes", "No")[c] if question else f"CANDIDATE {k + 1}-{c + 1}"
        party = "" if question else f' party="{("DEM", "REP", "NPP")[c % 3]}"'
        total = sum(sum(row) for row in table[c])
        w(f'        <Choice key="{c + 1}" text="{text}"{party} totalVotes="{total}">\n')
        for t, label in enumerate(types):
            results += write_vote_type(w, "            ", label, covered, table[c][t], names)
        w("        </Choice>\n")
    w("    </Contest>\n")
    return n_choices, results


def write_vote_type(
    w: Callable[[str], object],
    indent: str,
    label: str,
    covered: range,
    votes: list[int],
    names: list[str],
) -> int:
    """Write one ``VoteType`` element (its total, then each covered precinct's votes) at
    ``indent``; return how many precinct results it holds."""
    w(f'{indent}<VoteType name="{label}" votes="{sum(votes)}">\n')
    for i, v in zip(covered, votes, strict=True):
        w(f'{indent}    <Precinct name="{names[i]}" votes="{v}" />\n')
    w(f"{indent}</VoteType>\n")
    return len(votes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--precincts", type=int, default=3000)
    ap.add_argument("--contests", type=int, default=300)
    ap.add_argument("--vote-types", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    shape = write_detail(
        args.out,
        precincts=args.precincts,
        contests=args.contests,
        vote_types=args.vote_types,
        seed=args.seed,
    )
    print(", ".join(f"{k} {v:,}" for k, v in shape.items()))


if __name__ == "__main__":
    main()
