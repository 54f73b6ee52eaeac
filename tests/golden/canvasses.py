"""The golden digest: every answer the desk gives on the real canvasses, one hash per contest.

Every contest state, projection, call and ledger event of the LA County 2024 primary and general
(each with and without the registrar's outstanding reports) and of the bundled 2020 District
Attorney scenario, replayed with the shipped parameters and seed 0, is hashed contest by contest
and part by part. ``test_golden.py`` compares the hashes with those pinned in ``golden.json``;
a change of answer shows there as the contests and parts whose hash moved.

Re-pin (only in a commit whose own tests say why an answer had to change)::

    uv run python -m tests.golden.canvasses --repin
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import msgspec

from racedesk.engine.params import default_params
from racedesk.engine.replay import replay
from racedesk.model import Election, OutstandingReport, Release
from racedesk.settings import shared_data_dir
from racedesk.sources import lavote
from racedesk.sources.loader import load_canvasses
from racedesk.sources.outstanding import load_reports

PINNED = Path(__file__).with_name("golden.json")
PARTS = ("states", "projections", "calls", "events")

Canvass = tuple[Election, list[Release], list[OutstandingReport]]


def canvasses(shared: Path) -> Iterator[tuple[str, Canvass]]:
    """The canvasses the digest covers, by name, in a fixed order."""
    reports_csv = shared / "lavote" / "outstanding-reports.csv"
    for name, folder in (("primary", "4316-2024-primary"), ("general", "4324-2024-general")):
        election, files = lavote.load_folder(shared / "lavote" / folder)
        releases = [lavote.read_release(data, election, where=str(p)) for p, data in files]
        reports = load_reports(reports_csv, election.date)
        yield f"{name} 2024", (election, releases, reports)
        yield f"{name} 2024 no reports", (election, releases, [])
    for canvass in load_canvasses("scenario:la-da-2020"):
        yield (
            f"scenario {canvass.election.id}",
            (
                canvass.election,
                canvass.releases,
                canvass.reports,
            ),
        )


def _encode(value: object) -> bytes:
    return msgspec.json.encode(msgspec.to_builtins(value), order="sorted")


def digest(canvass: Canvass) -> dict[str, dict[str, str]]:
    """``{contest id: {part: sha256}}`` over the whole replay; ``""`` holds the election-wide
    answers (usable, problems, ballots left, model version) of every release."""
    election, releases, reports = canvass
    hashers: dict[str, dict[str, hashlib._Hash]] = {
        c.id: {p: hashlib.sha256() for p in PARTS} for c in election.contests
    }
    whole = hashlib.sha256()
    for snapshot in replay(election, releases, reports, default_params(), seed=0):
        whole.update(
            _encode(
                [
                    snapshot.release_sequence,
                    snapshot.release_hash,
                    snapshot.usable,
                    snapshot.problems,
                    snapshot.ballots_left,
                    snapshot.model_version,
                    snapshot.ballots_counted,
                ]
            )
        )
        for state in snapshot.states:
            hashers[state.contest_id]["states"].update(_encode(state))
        for contest_id, projection in snapshot.projections.items():
            hashers[contest_id]["projections"].update(_encode(projection))
        for contest_id, call in snapshot.calls.items():
            hashers[contest_id]["calls"].update(_encode(call))
        for event in snapshot.new_events:
            hashers[event.contest_id]["events"].update(_encode(event))
    out = {cid: {p: h.hexdigest()[:20] for p, h in parts.items()} for cid, parts in hashers.items()}
    out[""] = {"releases": whole.hexdigest()[:20]}
    return out


def all_digests(shared: Path) -> dict[str, dict[str, dict[str, str]]]:
    return {name: digest(canvass) for name, canvass in canvasses(shared)}


def differences(
    pinned: dict[str, dict[str, dict[str, str]]], now: dict[str, dict[str, dict[str, str]]]
) -> list[str]:
    """Lines naming each canvass, contest and part whose digest is not the pinned one."""
    lines: list[str] = []
    for name in sorted(set(pinned) | set(now)):
        was, got = pinned.get(name, {}), now.get(name, {})
        for cid in sorted(set(was) | set(got)):
            a, b = was.get(cid, {}), got.get(cid, {})
            moved = sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))
            if moved:
                lines.append(f"{name}: contest {cid or '(election)'}: {', '.join(moved)}")
    return lines


def _dump(value: dict[str, dict[str, dict[str, str]]]) -> Iterable[str]:
    yield json.dumps(value, indent=0, sort_keys=True)


def main(argv: list[str]) -> int:
    now = all_digests(shared_data_dir())
    if "--repin" in argv:
        PINNED.write_text("".join(_dump(now)) + "\n")
        print(f"pinned {sum(len(v) for v in now.values())} digests in {PINNED}")
        return 0
    moved = differences(json.loads(PINNED.read_text()), now)
    print("\n".join(moved) or "every answer as pinned")
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
