"""Scenario files (``racedesk.scenario/1``): a canvass written down as it was reported.

A scenario holds one or more elections, each with its contests and rules, the releases as they
were reported (feed time, votes per choice, optionally ballots counted), the registrar's
estimates of ballots left (outstanding reports) and dated notes, with a source for every number.
The bundled ``racedesk/data/scenarios/la-da-2020.json`` replays the 2020 Los Angeles County
District Attorney primary and general (``racedesk demo``). The format is documented in
``docs/scenario.md``.

:func:`load_scenario` reads a file into :class:`ScenarioElection` items: the
:class:`~racedesk.model.Election`, its releases (each with the canonical bytes of its part of
the file, whose SHA-256 is the release's ``content_hash``), its outstanding reports and notes.
Anything that does not hold together raises :class:`~racedesk.errors.InputError` whose ``where``
names the file and the field (``la-da-2020.json, $.elections[0].releases[2].feed_time``).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from racedesk.errors import InputError, UnknownReferenceError
from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    ContestKind,
    Election,
    ElectionKind,
    OutstandingReport,
    Release,
    Rule,
    RuleKind,
    sha256_hex,
)
from racedesk.rules import logic_for
from racedesk.sources.outstanding import (
    ReportEntry,
    entry_report,
    parse_as_of,
    validation_where,
    whole_count,
)

FORMAT = "racedesk.scenario/1"
SOURCE = "scenario"

_Count = Annotated[int, msgspec.Meta(ge=0)]
_Positive = Annotated[int, msgspec.Meta(ge=1)]
_Text = Annotated[str, msgspec.Meta(min_length=1)]


# --- the file's shape -------------------------------------------------------------------------


class _Source(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    url: str = ""
    reference: str = ""
    title: str = ""


class _Rule(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    kind: RuleKind
    seats: _Positive = 1
    votes_allowed: _Positive = 1
    advance: _Count = 0
    threshold: str | None = None
    text: str = ""
    source: _Text


class _Choice(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: _Text
    name: _Text
    party: str = ""


class _Contest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: _Text
    title: _Text
    kind: ContestKind
    rule: _Rule
    choices: list[_Choice]


class _ContestVotes(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    contest: _Text
    votes: dict[str, Any]  # checked by _counts, which can name the choice
    write_ins: _Count = 0
    ballots: _Count | None = None


class _Release(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    feed_time: _Text
    time_reported: str = ""
    label: str = ""
    status: str = "unofficial"
    source: _Text
    contests: list[_ContestVotes]
    ballots_counted: _Count | None = None
    ballots_counted_source: str = ""
    note: str = ""


class _Note(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    as_of: _Text
    time_reported: str = ""
    text: _Text
    source: _Text


class _Election(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    id: _Text
    title: _Text
    date: _Text
    kind: ElectionKind
    jurisdiction: _Text
    timezone: str = "America/Los_Angeles"
    registration: _Count | None = None
    registration_source: str = ""
    registration_note: str = ""
    contests: list[_Contest]
    releases: list[_Release]
    outstanding: list[ReportEntry] = []
    notes: list[_Note] = []


class _Scenario(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    format: str
    name: str = ""
    title: str = ""
    description: str = ""
    conventions: list[str] = []
    sources: dict[str, _Source]
    elections: list[_Election]


# --- what a scenario gives ------------------------------------------------------------------------


class ScenarioRelease(msgspec.Struct, frozen=True, kw_only=True):
    """A release of a scenario with what the file says about it.

    ``payload`` is the canonical encoding of the release's part of the file (JSON, keys sorted,
    no spaces); ``release.content_hash`` is its SHA-256. ``source`` is the URL (or reference) of
    the votes; ``time_reported`` the source's own words for the time when ``feed_time`` had to be
    set by convention.
    """

    release: Release
    payload: bytes
    label: str = ""
    note: str = ""
    source: str = ""
    time_reported: str = ""


class ScenarioNote(msgspec.Struct, frozen=True, kw_only=True):
    """A dated fact without vote counts (a percent-only update, a concession)."""

    as_of: datetime
    text: str
    source: str
    time_reported: str = ""


class ScenarioElection(msgspec.Struct, frozen=True, kw_only=True):
    """One election of a scenario: its definition, releases in order, reports and notes."""

    election: Election
    entries: tuple[ScenarioRelease, ...]
    reports: tuple[OutstandingReport, ...]
    notes: tuple[ScenarioNote, ...] = ()
    registration_note: str = ""

    @property
    def releases(self) -> tuple[Release, ...]:
        return tuple(e.release for e in self.entries)

    @property
    def payloads(self) -> tuple[bytes, ...]:
        return tuple(e.payload for e in self.entries)


# --- reading ----------------------------------------------------------------------------------


def load_scenario(source: Path | bytes, *, where: str | None = None) -> list[ScenarioElection]:
    """The elections of a scenario file (a path, or its bytes with ``where`` naming it)."""
    if isinstance(source, Path):
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror}", where=str(source)) from None
        name = where or str(source)
    else:
        data, name = source, where or "scenario"
    try:
        raw = msgspec.json.decode(data)
        scenario = msgspec.json.decode(data, type=_Scenario)
    except msgspec.ValidationError as exc:
        at, problem = validation_where(name, exc)
        raise InputError(problem, where=at) from None
    except msgspec.DecodeError as exc:
        raise InputError(f"not valid JSON: {exc}", where=name) from None
    if scenario.format != FORMAT:
        raise InputError(
            f"format is {scenario.format!r}; this racedesk reads {FORMAT!r}",
            where=f"{name}, $.format",
        )
    sources = _sources(scenario.sources, name)
    seen: set[str] = set()
    elections: list[ScenarioElection] = []
    for i, spec in enumerate(scenario.elections):
        here = f"{name}, $.elections[{i}]"
        if spec.id in seen:
            raise InputError(f"election {spec.id!r} appears twice", where=f"{here}.id")
        seen.add(spec.id)
        elections.append(_election(spec, raw["elections"][i], here, sources))
    if not elections:
        raise InputError("the scenario has no elections", where=f"{name}, $.elections")
    return elections


def _sources(table: dict[str, _Source], name: str) -> dict[str, str]:
    """Each source key → the text kept with the numbers it backs (its URL, else its reference)."""
    resolved: dict[str, str] = {}
    for key, src in table.items():
        here = f"{name}, $.sources.{key}"
        if src.url:
            if not src.url.startswith(("https://", "http://")):
                raise InputError(f"url {src.url!r} is not a web address", where=f"{here}.url")
            resolved[key] = src.url
        elif src.reference.strip():
            resolved[key] = src.reference.strip()
        else:
            raise InputError("a source needs a url or a reference", where=here)
    return resolved


def _source(sources: dict[str, str], key: str, where: str) -> str:
    try:
        return sources[key]
    except KeyError:
        raise UnknownReferenceError(f"source {key!r} is not in $.sources", where=where) from None


def _election(
    spec: _Election, raw: dict[str, Any], here: str, sources: dict[str, str]
) -> ScenarioElection:
    if ":" not in spec.id:
        raise InputError(
            f"election id {spec.id!r} is not SOURCE:ID (e.g. scenario:la-da-2020-general)",
            where=f"{here}.id",
        )
    try:
        day = date.fromisoformat(spec.date)
    except ValueError:
        raise InputError(
            f"cannot read the date {spec.date!r} (expected like 2020-11-03)", where=f"{here}.date"
        ) from None
    try:
        zone: tzinfo = ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {spec.timezone!r}", where=f"{here}.timezone") from None
    if spec.registration is not None:
        if not spec.registration_source:
            raise InputError(
                "registration needs a registration_source", where=f"{here}.registration_source"
            )
        _source(sources, spec.registration_source, f"{here}.registration_source")
    contests = _contests(spec.contests, here, sources)
    election = Election(
        id=spec.id,
        title=spec.title,
        date=day,
        jurisdiction=spec.jurisdiction,
        kind=spec.kind,
        contests=contests,
        registration=spec.registration,
        source=SOURCE,
        timezone=spec.timezone,
    )
    entries = _releases(election, spec.releases, raw["releases"], here, sources, zone)
    reports: list[OutstandingReport] = []
    for j, entry in enumerate(spec.outstanding):
        at = f"{here}.outstanding[{j}]"
        if not entry.source:
            raise InputError("every report needs a source", where=f"{at}.source")
        report = entry_report(entry, at, zone=zone, source=lambda key, w: _source(sources, key, w))
        if report.election_date not in (None, day):
            raise InputError(
                f"the report is for the election of {report.election_date}, not {day}",
                where=f"{at}.election_date",
            )
        reports.append(msgspec.structs.replace(report, election_date=day))
    notes = tuple(
        ScenarioNote(
            as_of=parse_as_of(n.as_of, f"{here}.notes[{k}].as_of", zone),
            text=n.text,
            source=_source(sources, n.source, f"{here}.notes[{k}].source"),
            time_reported=n.time_reported,
        )
        for k, n in enumerate(spec.notes)
    )
    return ScenarioElection(
        election=election,
        entries=entries,
        reports=tuple(sorted(reports, key=lambda r: r.as_of)),
        notes=tuple(sorted(notes, key=lambda n: n.as_of)),
        registration_note=spec.registration_note,
    )


def _contests(specs: list[_Contest], here: str, sources: dict[str, str]) -> tuple[Contest, ...]:
    contests: list[Contest] = []
    ids: set[str] = set()
    for i, c in enumerate(specs):
        at = f"{here}.contests[{i}]"
        if c.id in ids:
            raise InputError(f"contest {c.id!r} appears twice", where=f"{at}.id")
        ids.add(c.id)
        if not c.choices:
            raise InputError("a contest needs choices", where=f"{at}.choices")
        choice_ids = [k.id for k in c.choices]
        twice = sorted({k for k in choice_ids if choice_ids.count(k) > 1})
        if twice:
            raise InputError(f"choice {', '.join(twice)} appears twice", where=f"{at}.choices")
        contests.append(
            Contest(
                id=c.id,
                title=c.title,
                kind=c.kind,
                rule=_rule(c.rule, f"{at}.rule", sources),
                choices=tuple(Choice(id=k.id, name=k.name, party=k.party) for k in c.choices),
            )
        )
    if not contests:
        raise InputError("an election needs contests", where=f"{here}.contests")
    return tuple(contests)


def _rule(spec: _Rule, at: str, sources: dict[str, str]) -> Rule:
    """The contest's rule; its ``source`` (the law) must be one of the file's sources, and the
    rule must be one its family can apply (:meth:`racedesk.rules.base.RuleLogic.problems`)."""
    _source(sources, spec.source, f"{at}.source")
    rule = Rule(
        kind=spec.kind,
        seats=spec.seats,
        votes_allowed=spec.votes_allowed,
        advance=spec.advance,
        threshold=spec.threshold,
    )
    logic = logic_for(rule)
    problems = logic.problems()
    if problems:
        field, problem = problems[0]
        raise InputError(problem, where=f"{at}.{field}")
    return msgspec.structs.replace(rule, text=spec.text or logic.name())


def _releases(
    election: Election,
    specs: list[_Release],
    raws: list[Any],
    here: str,
    sources: dict[str, str],
    zone: tzinfo,
) -> tuple[ScenarioRelease, ...]:
    entries: list[ScenarioRelease] = []
    previous: datetime | None = None
    for j, (spec, raw) in enumerate(zip(specs, raws, strict=True)):
        at = f"{here}.releases[{j}]"
        feed_time = parse_as_of(spec.feed_time, f"{at}.feed_time", zone)
        if previous is not None and feed_time <= previous:
            raise InputError(
                f"feed time {feed_time.isoformat()} is not after the previous release's {previous.isoformat()}",
                where=f"{at}.feed_time",
            )
        previous = feed_time
        cited = _source(sources, spec.source, f"{at}.source")
        if spec.ballots_counted is not None:
            if not spec.ballots_counted_source:
                raise InputError(
                    "ballots_counted needs a ballots_counted_source",
                    where=f"{at}.ballots_counted_source",
                )
            _source(sources, spec.ballots_counted_source, f"{at}.ballots_counted_source")
        payload = canonical(raw)
        release = Release(
            election_id=election.id,
            source=SOURCE,
            feed_time=feed_time,
            received_at=feed_time,
            content_hash=sha256_hex(payload),
            contests=_counts(election, spec.contests, at),
            ballots_counted=spec.ballots_counted,
            status=spec.status,
        )
        entries.append(
            ScenarioRelease(
                release=release,
                payload=payload,
                label=spec.label,
                note=spec.note,
                source=cited,
                time_reported=spec.time_reported,
            )
        )
    if not entries:
        raise InputError("an election needs releases", where=f"{here}.releases")
    return tuple(entries)


def _counts(election: Election, specs: list[_ContestVotes], at: str) -> tuple[ContestCount, ...]:
    by_contest: dict[str, ContestCount] = {}
    for k, spec in enumerate(specs):
        here = f"{at}.contests[{k}]"
        try:
            contest = election.contest(spec.contest)
        except KeyError:
            raise UnknownReferenceError(
                f"contest {spec.contest!r} is not in election {election.id}",
                where=f"{here}.contest",
            ) from None
        if contest.id in by_contest:
            raise InputError(f"contest {contest.id!r} is counted twice", where=f"{here}.contest")
        known = [c.id for c in contest.choices]
        unknown = sorted(set(spec.votes) - set(known))
        if unknown:
            raise UnknownReferenceError(
                f"choice {', '.join(unknown)} is not in contest {contest.id}",
                where=f"{here}.votes.{unknown[0]}",
            )
        missing = [c for c in known if c not in spec.votes]
        if missing:
            raise InputError(f"no votes for {', '.join(missing)}", where=f"{here}.votes")
        by_contest[contest.id] = ContestCount(
            contest_id=contest.id,
            votes={c: whole_count(spec.votes[c], f"{here}.votes.{c}") for c in known},
            write_ins=spec.write_ins,
            ballots=spec.ballots,
        )
    absent = [c.id for c in election.contests if c.id not in by_contest]
    if absent:
        raise InputError(f"no counts for contest {', '.join(absent)}", where=f"{at}.contests")
    return tuple(by_contest[c.id] for c in election.contests)


def canonical(value: Any) -> bytes:
    """The canonical encoding of a part of a scenario file: JSON with keys sorted, no spaces."""
    return msgspec.json.encode(value, order="sorted")


__all__ = [
    "FORMAT",
    "ScenarioElection",
    "ScenarioNote",
    "ScenarioRelease",
    "canonical",
    "load_scenario",
]
