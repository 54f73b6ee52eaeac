"""Opening a source a user names on the command line as whole canvasses.

A source is one of:

- a folder laid out as a feed archive (the LA County feed's ``election_data.json`` +
  ``releases/*.json``; the Secretary of State's folder per feed, read into one bundle per feed
  time), read with the adapter of its format;
- a folder of snapshots: files of a format whose one file holds an election and its release
  (Clarity, NIST CDF, AP, OpenElections, .ets), each the results as published at one time (a
  night's ``detail.xml`` files, a canvass's ``.ets`` files), read as one canvass per election;
- a racedesk scenario file (``racedesk.scenario/1``, such as the bundled 2020 DA scenario, named
  ``scenario:la-da-2020``);
- any single results file an adapter reads (Clarity, NIST CDF, AP, OpenElections, .ets), picked by
  ``racedesk.sources.registry`` or an explicit format;
- several of these joined with ``+`` (``lavote/4316-2024-primary+ca-sos/2024-primary``): one
  election from several sources of the same election, the county's first
  (:mod:`racedesk.sources.joint`; the contests matched by
  :mod:`racedesk.rules.california_matching`, a contest-rules file's ``record`` overriding).

Each gives one or more :class:`Canvass`: the election, its releases in order with the raw
payloads they came from (each hashed once, its hash the release's ``content_hash``), and any
outstanding reports or outside calls the source holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import msgspec

from racedesk.errors import InputError
from racedesk.model import Election, OutstandingReport, RawPayload, Release, Rule
from racedesk.model.answers import CallEvent
from racedesk.sources import registry, safety
from racedesk.sources.base import Adapter, Parsed

if TYPE_CHECKING:
    from racedesk.rules.california_matching import Match


@dataclass(frozen=True)
class Refused:
    """A payload of a canvass that could not be read as a release: its bytes, kept, and why."""

    payload: RawPayload
    problem: str


@dataclass
class Canvass:
    """One election's releases as a source holds them, each with the raw payload it was read
    from (``None`` when the source holds several releases in one payload), and the payloads
    that could not be read (``refused``: a refusal never stops the rest of a canvass)."""

    election: Election
    releases: list[Release]
    payloads: list[RawPayload | None] = field(default_factory=list)
    reports: list[OutstandingReport] = field(default_factory=list)
    calls: list[CallEvent] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    def summary(self) -> str:
        """ "31 releases used, 1 refused: FILE: why" (the refusals each said once)."""
        text = f"{len(self.releases)} releases used, {len(self.refused)} refused"
        return "; ".join([text, *(r.problem for r in self.refused)]) if self.refused else text


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
    sources = joined_sources(spec)
    if len(sources) > 1:
        return [_joined_canvass(sources, fmt, rules_path)]
    canvasses = _load(spec, fmt, rules_path)
    if rules_path:
        from racedesk.sources.rules_file import apply_portions, load_portions

        portions = load_portions(Path(rules_path))
        for canvass in canvasses:
            election = canvass.election
            canvass.election = msgspec.structs.replace(
                election, contests=apply_portions(election.contests, portions, rules_path)
            )
    return canvasses


def joined_sources(spec: str) -> list[str]:
    """The sources a ``+``-joined spec names (a spec that is itself a path is one source)."""
    if "+" not in spec or Path(spec).exists() or spec.startswith("scenario:"):
        return [spec]
    parts = [p for p in spec.split("+") if p]
    for part in parts:
        if not Path(part).exists() and scenario_path(part) is None:
            raise InputError("no such file or folder, of the sources joined with +", where=part)
    return parts


def joined_matches(spec: str, fmt: str | None = None) -> tuple[list[Election], list[Match]]:
    """The elections a ``+``-joined spec names (each read alone) and the matches racedesk makes
    of their contests (:func:`racedesk.rules.california_matching.match_contests`), before any
    rules file."""
    from racedesk.rules.california_matching import match_contests

    sources = joined_sources(spec)
    if len(sources) < 2:
        raise InputError("name two sources of one election joined with +", where=spec)
    elections = [_one_canvass(source, fmt).election for source in sources]
    return elections, match_contests(elections[0], elections[1:])


def _one_canvass(source: str, fmt: str | None) -> Canvass:
    found = load_canvasses(source, fmt=fmt)
    if len(found) != 1:
        raise InputError(
            f"holds {len(found)} elections; a joined source must hold one", where=source
        )
    return found[0]


def _joined_canvass(sources: list[str], fmt: str | None, rules_path: str | None) -> Canvass:
    """One canvass of the election ``sources`` publish (the county's first): each read as its
    own canvass, then joined release by release (:func:`racedesk.sources.joint.join`)."""
    from racedesk.rules.california_matching import records
    from racedesk.sources import joint
    from racedesk.sources.rules_file import load_records

    parts: list[Canvass] = []
    for source in sources:
        canvass = _one_canvass(source, fmt)
        if any(p is None for p in canvass.payloads):
            raise InputError(
                "its releases were not each read from a payload of their own, so they cannot "
                "be joined release by release",
                where=source,
            )
        parts.append(canvass)
    elections = [c.election for c in parts]
    matches = records(
        elections[0], elections[1:], load_records(Path(rules_path)) if rules_path else None
    )
    histories = [
        [(r, p) for r, p in zip(c.releases, c.payloads, strict=True) if p is not None]
        for c in parts
    ]
    election, joined = joint.join(elections, histories, matches)
    return Canvass(
        election=election,
        releases=[r for r, _ in joined],
        payloads=[p for _, p in joined],
        reports=[r for c in parts[:1] for r in c.reports],
        refused=[r for c in parts for r in c.refused],
    )


def _load(spec: str, fmt: str | None, rules_path: str | None) -> list[Canvass]:
    rules = None
    if rules_path:
        from racedesk.sources.rules_file import load_rules

        rules = load_rules(Path(rules_path))
    bundled = scenario_path(spec)
    path = bundled or Path(spec)
    if bundled is None and not path.exists():
        raise InputError("no such file or folder", where=spec)
    if path.is_dir():
        whole = fmt is not None and registry.format_name(fmt) in registry.WHOLE_FILE_FORMATS
        if whole or (fmt is None and registry.feed_layout(path) is None):
            return _snapshot_canvasses(path, fmt, rules)
        return [_folder_canvass(registry.adapter_for(str(path), None, fmt), path, rules)]
    data = safety.read_file(path)
    if fmt == "scenario" or bundled is not None or _looks_like_scenario(data):
        return _scenario_canvasses(path)
    adapter = registry.adapter_for(str(path), data, fmt)
    return [_file_canvass(adapter, path, data, rules)]


def _folder_canvass(adapter: Adapter, folder: Path, rules: Mapping[str, Rule] | None) -> Canvass:
    """A feed archived as a folder: its election, and each release file read with the
    election's reader (what the adapter works out per election, worked out once). A file that
    cannot be read is refused with its reason and the others are read."""
    election, files = registry.read_folder(adapter, folder, rules)
    read = adapter.release_reader(election)
    zone = ZoneInfo(election.timezone)
    canvass = Canvass(election=election, releases=[])
    for path, data, received_at in files:
        raw = RawPayload.of(
            data,
            source=election.source,
            received_at=received_at or datetime.now(tz=zone),
            origin=path,
        )
        try:
            release = read(
                data, where=path, received_at=raw.received_at, content_hash=raw.content_hash
            )
        except InputError as exc:
            canvass.refused.append(Refused(payload=raw, problem=exc.message))
            continue
        canvass.releases.append(release)
        canvass.payloads.append(raw)
    return canvass


def _snapshot_canvasses(
    folder: Path, fmt: str | None, rules: Mapping[str, Rule] | None
) -> list[Canvass]:
    """A folder of snapshots (module docstring): each file read whole, with the format ``fmt``
    names or the one it is told to be; one canvass per election the files hold, in the order of
    their first releases, its releases in the order of their feed times (then of the files'
    names) and its election as its latest file defines it. A file that cannot be read (one of
    no results format, a format that holds no election of its own, a file cut short) is refused
    with its reason and the others are read. :class:`InputError` when no file is read."""
    named = registry.adapter_named(fmt) if fmt else None
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    read: dict[str, list[tuple[Election, Release, RawPayload]]] = {}
    refused: list[Refused] = []
    for path in files:
        data = safety.read_file(path)
        raw = RawPayload.of(
            data,
            source=named.NAME if named else "unknown",
            received_at=datetime.now(tz=UTC),
            origin=str(path),
        )
        try:
            adapter = named or registry.adapter_for(str(path), data, None)
            if not registry.holds_its_election(adapter):
                raise InputError(
                    f"a {adapter.NAME} file holds no election of its own; a folder of "
                    "snapshots holds files of one of: "
                    + ", ".join(sorted(registry.WHOLE_FILE_FORMATS - {"joint"})),
                    where=str(path),
                )
            parsed = _parse(adapter, raw, rules)
        except InputError as exc:
            refused.append(Refused(payload=raw, problem=exc.message))
            continue
        raw = msgspec.structs.replace(raw, source=adapter.NAME)
        for release in parsed.releases:
            read.setdefault(parsed.election.id, []).append((parsed.election, release, raw))
    if not read:
        raise InputError(
            f"none of its {len(files)} files is a results file racedesk reads"
            + (f": {refused[0].problem}" if refused else ""),
            where=str(folder),
            hint="a folder of snapshots holds files of one whole-file format; name it with "
            "--format when it cannot be told",
        )
    canvasses: list[Canvass] = []
    for taken in sorted(read.values(), key=lambda t: min(r.feed_time for _, r, _ in t)):
        taken.sort(key=lambda t: t[1].feed_time)  # stable: files in name order at one time
        canvasses.append(
            Canvass(
                election=taken[-1][0],
                releases=[r for _, r, _ in taken],
                payloads=[p for _, _, p in taken],
            )
        )
    canvasses[0].refused = refused
    return canvasses


def _file_canvass(
    adapter: Adapter, path: Path, data: bytes, rules: Mapping[str, Rule] | None
) -> Canvass:
    """A results file: the election and the releases it holds; its bytes are the raw payload of
    its release when it holds one."""
    raw = RawPayload.of(
        data, source=adapter.NAME, received_at=datetime.now(tz=UTC), origin=str(path)
    )
    parsed = _parse(adapter, raw, rules)
    one = len(parsed.releases) == 1
    return Canvass(
        election=parsed.election,
        releases=list(parsed.releases),
        payloads=[raw] if one else [None] * len(parsed.releases),
        reports=list(parsed.reports),
        calls=list(parsed.calls),
    )


def _parse(adapter: Adapter, raw: RawPayload, rules: Mapping[str, Rule] | None) -> Parsed:
    """What ``raw``'s bytes hold, read with ``adapter`` (its releases hashed as ``raw`` is)."""
    return adapter.parse(
        raw.data,
        where=raw.origin,
        received_at=raw.received_at,
        rules=rules,
        content_hash=raw.content_hash,
    )


def _scenario_canvasses(path: Path) -> list[Canvass]:
    """The elections of a scenario file, each release with its canonical payload (whose SHA-256
    the scenario reader took as the release's content hash)."""
    from racedesk.sources.scenario import load_scenario

    return [
        Canvass(
            election=item.election,
            releases=list(item.releases),
            payloads=[
                RawPayload(
                    content_hash=e.release.content_hash,
                    source=e.release.source,
                    received_at=e.release.received_at,
                    data=e.payload,
                    origin=str(path),
                )
                for e in item.entries
            ],
            reports=list(item.reports),
        )
        for item in load_scenario(path)
    ]


def _looks_like_scenario(data: bytes) -> bool:
    return b'"racedesk.scenario/' in data[:4096]
