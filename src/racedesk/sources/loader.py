"""Opening a source a user names on the command line as whole canvasses.

A source is one of:

- a folder laid out like the LA County feed (``election_data.json`` + ``releases/*.json``);
- a racedesk scenario file (``racedesk.scenario/1``, such as the bundled 2020 DA scenario, named
  ``scenario:la-da-2020``);
- any single results file an adapter reads (Clarity, NIST CDF, AP, OpenElections, .ets), picked by
  ``racedesk.sources.registry`` or an explicit format.

Each gives one or more :class:`Canvass`: the election, its releases in order with the raw bytes
they came from, and any outstanding reports or outside calls the source holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from racedesk.errors import InputError
from racedesk.model import Election, OutstandingReport, Release
from racedesk.model.answers import CallEvent
from racedesk.sources import lavote


@dataclass
class Canvass:
    """One election's releases as a source holds them."""

    election: Election
    releases: list[Release]
    payloads: list[bytes | None] = field(default_factory=list)
    reports: list[OutstandingReport] = field(default_factory=list)
    calls: list[CallEvent] = field(default_factory=list)


BUNDLED_SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "scenarios"


def scenario_path(spec: str) -> Path | None:
    """The bundled scenario file a ``scenario:NAME`` spec names, if it is one."""
    if not spec.startswith("scenario:"):
        return None
    name = spec.split(":", 1)[1]
    path = BUNDLED_SCENARIOS / f"{name}.json"
    if not path.is_file():
        known = sorted(p.stem for p in BUNDLED_SCENARIOS.glob("*.json"))
        raise InputError(f"no bundled scenario {name!r} (bundled: {', '.join(known)})", where=spec)
    return path


def load_canvasses(
    spec: str, *, fmt: str | None = None, rules_path: str | None = None
) -> list[Canvass]:
    """Read the source ``spec`` into canvasses (see the module's docstring)."""
    rules = None
    if rules_path:
        from racedesk.sources.rules_file import load_rules

        rules = load_rules(Path(rules_path))
    bundled = scenario_path(spec)
    path = bundled or Path(spec)
    if bundled is None and not path.exists():
        raise InputError("no such file or folder", where=spec)
    if lavote.is_feed_folder(path) and fmt in (None, "lavote"):
        election, files = lavote.load_folder(path, rules)
        releases = [lavote.read_release(data, election, where=str(p)) for p, data in files]
        return [Canvass(election=election, releases=releases, payloads=[d for _, d in files])]
    data = lavote.read_file(path)
    if fmt == "scenario" or bundled is not None or _looks_like_scenario(data):
        from racedesk.sources.scenario import load_scenario

        return [
            Canvass(
                election=item.election,
                releases=list(item.releases),
                payloads=list(item.payloads),
                reports=list(item.reports),
            )
            for item in load_scenario(path)
        ]
    from racedesk.sources.registry import adapter_for

    parsed = adapter_for(str(path), data, fmt).parse(data, where=str(path), rules=rules)
    return [
        Canvass(
            election=parsed.election,
            releases=list(parsed.releases),
            payloads=[data] * len(parsed.releases)
            if len(parsed.releases) == 1
            else [None] * len(parsed.releases),
            reports=list(parsed.reports),
            calls=list(parsed.calls),
        )
    ]


def _looks_like_scenario(data: bytes) -> bool:
    return b'"racedesk.scenario/' in data[:4096]
