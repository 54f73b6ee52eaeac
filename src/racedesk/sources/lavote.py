"""Los Angeles County Registrar-Recorder/County Clerk (RR/CC) results feed, 2022 onward.

Two payloads (layout in ``../shared/data/README.md``):

- ``GetElectionData?electionID=N`` (``election_data.json``): the election, its contests with
  ``VoteFor``, ``MeasurePassRate``, ``Type``, ``NonPartisan``, ``VoterNominated`` and candidates;
- ``GetCounterData?electionID=N`` (one release): ``TimeStamp`` and ``Data``, a list of counters
  ``{Number, ReferenceID, ReferenceType, Value}``.

This module is the only code that knows that layout. It reads bytes into the release model and
rejects anything it cannot read with an :class:`~racedesk.errors.InputError` naming the file and
the problem; it never guesses a count. It is an adapter (:mod:`racedesk.sources.base`): a release
needs its election, so the feed is read as an election (:func:`read_election`) and releases of it
(:func:`read_release`, or :func:`release_reader` to read many with the election's index built
once); an archived feed is a folder (:func:`feed_folder`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec

from racedesk.errors import InputError, UnknownReferenceError
from racedesk.model import Choice, Contest, ContestCount, Election, Release, Rule, sha256_hex
from racedesk.rules import logic_for
from racedesk.rules.california import (
    candidate_rule,
    measure_rule,
    portion_in_county,
    retention_rule,
    unknown_rule,
    votes_allowed,
)
from racedesk.rules.threshold import recall_question
from racedesk.sources import safety
from racedesk.sources.base import FeedFolder, Parsed, ReadRelease
from racedesk.sources.plausible import checked_release

NAME = "lavote"
SOURCE = NAME
JURISDICTION = "Los Angeles County, CA"
#: The county, as the state's feed names it and as its contests' portions say it.
COUNTY, COUNTY_NAME = "los-angeles", "Los Angeles County"
LA_TIME = ZoneInfo("America/Los_Angeles")
BASE_URL = "https://results.lavote.gov/ElectionResults"

# --- payload shapes ------------------------------------------------------------------------


class _Candidate(msgspec.Struct):
    ID: int
    Name: str
    Party: str | None = None


class _Contest(msgspec.Struct):
    ID: int
    Title: str
    Type: str
    Candidates: list[_Candidate]
    VoteFor: str | None = ""
    MeasurePassRate: str | None = ""
    MeasureText: str | None = ""
    NonPartisan: bool = False
    VoterNominated: bool = False


class _Group(msgspec.Struct):
    Name: str
    Contests: list[_Contest]


class _ElectionData(msgspec.Struct):
    ID: int
    Date: str
    Title: str
    ContestGroups: list[_Group]
    RegistrationCount: int | None = None
    Primary: bool = False


class _ElectionPayload(msgspec.Struct):
    Data: _ElectionData


# A release's counters (thousands per release, never in a cycle: not tracked by the garbage
# collector). Every value of a release is a whole number ≥ 0, which msgspec checks as it reads
# them (``_Count``); a payload it refuses is read again as any numbers (``_Counter``), so that
# the error can name the counter.


class _Count(msgspec.Struct, gc=False):
    ReferenceID: int
    ReferenceType: str
    Value: Annotated[int, msgspec.Meta(ge=0)]


class _Counts(msgspec.Struct):
    TimeStamp: str
    Data: list[_Count]


class _Counter(msgspec.Struct, gc=False):
    ReferenceID: int
    ReferenceType: str
    Value: int | float


class _CounterPayload(msgspec.Struct):
    TimeStamp: str
    Data: list[_Counter]


_election_decoder = msgspec.json.Decoder(_ElectionPayload)
_counts_decoder = msgspec.json.Decoder(_Counts)
_counter_decoder = msgspec.json.Decoder(_CounterPayload)


def _decode(decoder: msgspec.json.Decoder[Any], data: bytes, where: str, what: str) -> Any:
    try:
        decoded = decoder.decode(data)
        safety.refuse_duplicate_keys(data, where)
        return decoded
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=where
        ) from None
    except RecursionError:
        raise InputError(
            f"not a valid {what}: the JSON is nested too deeply", where=where
        ) from None
    except msgspec.DecodeError as exc:
        text = str(exc)
        if "truncated" in text.lower() or "unexpected end" in text.lower():
            problem = f"the file is cut short: not a whole {what} ({text})"
        else:
            problem = f"not a valid {what}: {text}"
        raise InputError(problem, where=where) from None


# --- election -----------------------------------------------------------------------------------


def _rule(c: _Contest, primary: bool, group: str, where: str) -> Rule:
    """A contest's rule from its ``Type`` (:mod:`racedesk.rules.california`): a measure (a
    recall when its title says so), a judge's retention (``Judicial``), a candidate contest;
    a type racedesk does not know keeps its counts under an unknown rule."""
    kind_text = c.Type.strip().lower()
    if kind_text == "measure":
        return measure_rule(c.MeasurePassRate, recall=recall_question(c.Title))
    if kind_text == "judicial":
        return retention_rule()
    if kind_text in ("candidate", "presidential"):
        return candidate_rule(
            primary=primary,
            group=group,
            title=c.Title,
            nonpartisan=c.NonPartisan,
            voter_nominated=c.VoterNominated,
            vote_for=votes_allowed(c.VoteFor, where),
        )
    return unknown_rule(c.Type)


def read_election(data: bytes, where: str = "election_data.json",
                  rules: Mapping[str, Rule] | None = None) -> Election:  # fmt: skip
    """Read ``GetElectionData`` into an :class:`Election` with every contest's rule.

    ``rules`` overrides the derived rule of the contests it names (a contest-rules file).
    """
    payload = _decode(_election_decoder, data, where, "LA County election definition")
    d = payload.Data
    try:
        day = date.fromisoformat(d.Date[:10])
    except ValueError:
        raise InputError(f"cannot read the election date {d.Date!r}", where=where) from None
    overrides = dict(rules or {})
    contests: list[Contest] = []
    seen: set[str] = set()
    for group in d.ContestGroups:
        for c in group.Contests:
            cid = str(c.ID)
            if cid in seen:
                raise InputError(f"contest {cid} appears twice", where=where)
            seen.add(cid)
            here = f"{where}, contest {cid} ({c.Title})"
            choices = tuple(
                Choice(id=str(k.ID), name=" ".join(k.Name.split()), party=k.Party or "")
                for k in c.Candidates
            )
            rule = overrides.pop(cid, None) or _rule(c, d.Primary, group.Name, here)
            contests.append(
                Contest(
                    id=cid,
                    title=" ".join(c.Title.split()),
                    kind=logic_for(rule).contest_kind,
                    rule=rule,
                    choices=choices,
                    group=group.Name,
                    portion=portion_in_county(c.Title, COUNTY, COUNTY_NAME, day.year),
                    question=" ".join((c.MeasureText or "").split()),
                )
            )
    if overrides:
        raise InputError(
            f"the rules file names contests the election does not have: {sorted(overrides)}",
            where=where,
        )
    return Election(
        id=f"{SOURCE}:{d.ID}",
        title=d.Title,
        date=day,
        jurisdiction=JURISDICTION,
        kind="primary" if d.Primary else "general",
        contests=tuple(contests),
        registration=d.RegistrationCount,
        source=SOURCE,
    )


# --- releases ---------------------------------------------------------------------------------


def parse_timestamp(text: str, where: str = "") -> datetime:
    """The feed's ``TimeStamp`` ("11/5/2024 8:36:34 PM", Los Angeles time) as an aware datetime."""
    try:
        naive = datetime.strptime(text.strip(), "%m/%d/%Y %I:%M:%S %p")
    except (ValueError, AttributeError):
        raise InputError(
            f"cannot read the feed time {text!r} (expected like '11/5/2024 8:36:34 PM')",
            where=where,
        ) from None
    return naive.replace(tzinfo=LA_TIME)


class ContestIndex:
    """Where each feed id belongs in an election, built once per election by whoever reads its
    releases (:func:`release_reader`): a candidate's id gives its contest's position and its
    choice id, a contest's id its position; and the rows' layout of the latest release read."""

    def __init__(self, election: Election) -> None:
        self.election_feed_id = int(election.id.split(":", 1)[1])
        self.contest_at = {int(c.id): i for i, c in enumerate(election.contests)}
        self.choice_at = {
            int(k.id): (i, k.id) for i, c in enumerate(election.contests) for k in c.choices
        }
        self.layout: _Layout | None = None  # the rows' layout of the latest release read


#: County-wide counters (``PBLT`` is not tied to the election's id).
_COUNTY_COUNTERS = {"MBLT", "DBLT", "EBLT", "MCRD", "DCRD", "ECRD", "PBLT"}
_CONTEST_COUNTERS = ("CBLT", "CFV", "CPV", "CUV", "COV")
_CONTEST_COUNTER_AT = {kind: k for k, kind in enumerate(_CONTEST_COUNTERS)}


def _counts(data: bytes, where: str) -> _Counts:
    """The payload's time and counters, every value a whole number ≥ 0 (``5.0`` is taken as 5),
    or an :class:`InputError` naming the first counter that is not."""
    try:
        counts = _counts_decoder.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        pass
    else:
        safety.refuse_duplicate_keys(data, where)
        return counts
    payload = _decode(_counter_decoder, data, where, "LA County counter release")
    rows = []
    for row in payload.Data:
        kind, ref = row.ReferenceType, row.ReferenceID
        if not float(row.Value).is_integer():
            raise InputError(
                f"counter {kind} of {ref} is {row.Value}, not a whole number", where=where
            )
        value = int(row.Value)
        if value < 0:
            raise InputError(f"counter {kind} of {ref} is negative ({value})", where=where)
        rows.append(_Count(ReferenceID=ref, ReferenceType=kind, Value=value))
    return _Counts(TimeStamp=payload.TimeStamp, Data=rows)


def read_release(data: bytes, election: Election, *, where: str = "release",
                 received_at: datetime | None = None, content_hash: str | None = None,
                 index: ContestIndex | None = None) -> Release:  # fmt: skip
    """Read one ``GetCounterData`` payload of ``election`` into a :class:`Release`.

    ``content_hash``, when given, is the SHA-256 of ``data`` (the caller hashed it when it kept
    the raw payload); ``index`` is the election's :class:`ContestIndex` (built here when not
    given: :func:`release_reader` keeps one for every release of an election).

    Rejected with an :class:`InputError` naming ``where``: JSON that is cut short or not the
    feed's layout, a feed time that cannot be read, a counter that is negative or not a whole
    number, another election's county counters, a counter given twice, a contest with no
    counters or without a candidate's votes. Counts of a contest or a candidate the election
    does not have are set aside, said in ``Release.set_aside``, and the rest is used.

    The rows are placed by the release's :class:`_Layout`: the registrar's feed lists the same
    counters in the same order from one release to the next, so the layout learned (and
    checked) from one release serves every later one whose rows name the same counters in the
    same order.
    """
    payload = _counts(data, where)
    feed_time = parse_timestamp(payload.TimeStamp, where)
    idx = index if index is not None else ContestIndex(election)
    rows = payload.Data
    kinds = list(map(_kind_of, rows))
    refs = list(map(_ref_of, rows))
    layout = idx.layout
    if layout is None or kinds != layout.kinds or refs != layout.refs:
        layout = _Layout(kinds, refs, election, idx, where)
        idx.layout = layout
    values: list[Any] = list(map(_value_of, rows))
    values.append(None)  # what an absent counter (row −1) reads
    at = values.__getitem__
    county = dict(zip(layout.county, map(at, layout.county.values()), strict=True))
    release = Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=feed_time,
        received_at=received_at or datetime.now(tz=LA_TIME),
        content_hash=content_hash if content_hash is not None else sha256_hex(data),
        contests=tuple(
            ContestCount(
                contest_id=contest_id,
                votes=dict(zip(ids, map(at, votes), strict=True)),
                write_ins=sum(map(at, wrtn)),
                ballots=at(cblt),
                full=at(cfv),
                partial=at(cpv),
                undervotes=at(cuv),
                overvotes=at(cov),
                unused=tuple(map(at, nsel)),
            )
            for contest_id, ids, votes, (cblt, cfv, cpv, cuv, cov), wrtn, nsel in layout.contests
        ),
        ballots_counted=county.get("EBLT"),
        ballots_mail=county.get("MBLT"),
        ballots_in_person=county.get("DBLT"),
        set_aside=layout.set_aside,
    )
    return checked_release(release, where)


_kind_of = attrgetter("ReferenceType")
_ref_of = attrgetter("ReferenceID")
_value_of = attrgetter("Value")


class _Layout:
    """Where each row of a release goes, by its position among the rows (−1: not given).

    Per contest of the election, in its order: its id, its choices' ids and rows (in the
    feed's order), the rows of its five ballot counters (CBLT, CFV, CPV, CUV, COV), of its
    write-ins (WRTN-0k, added up) and of its NSEL-0k counters in the order of k; and the rows
    of the county-wide counters by type. Learning it checks every id and every counter, with an
    :class:`InputError` naming ``where`` for the first that is wrong.
    """

    __slots__ = ("contests", "county", "kinds", "refs", "set_aside")

    def __init__(
        self, kinds: list[str], refs: list[int], election: Election, idx: ContestIndex, where: str
    ) -> None:
        contests = election.contests
        ids: list[list[str]] = [[] for _ in contests]
        votes: list[list[int]] = [[] for _ in contests]
        ballots: list[list[int]] = [[-1] * 5 for _ in contests]
        wrtn: list[list[int]] = [[] for _ in contests]
        nsel: list[dict[int, int]] = [{} for _ in contests]
        county: dict[str, int] = {}
        seen: set[int] = set()
        unknown_choices: list[int] = []
        unknown_contests: dict[int, list[str]] = {}
        choice_at, contest_at, counter_at = idx.choice_at, idx.contest_at, _CONTEST_COUNTER_AT
        for row, (kind, ref) in enumerate(zip(kinds, refs, strict=True)):
            if kind == "CAND":
                found = choice_at.get(ref)
                if found is None:
                    unknown_choices.append(ref)
                    continue
                if ref in seen:
                    raise InputError(f"candidate {ref} is counted twice", where=where)
                seen.add(ref)
                ids[found[0]].append(found[1])
                votes[found[0]].append(row)
                continue
            k = counter_at.get(kind)
            if k is None:
                if kind in _COUNTY_COUNTERS:
                    if kind != "PBLT" and ref != idx.election_feed_id:
                        raise UnknownReferenceError(
                            f"counter {kind} is for election {ref}, not {election.id}", where=where
                        )
                    county[kind] = row
                    continue
                if kind[:5] not in ("WRTN-", "NSEL-") or not kind[5:].isdigit():
                    raise InputError(f"unknown counter type {kind!r}", where=where)
            at = contest_at.get(ref)
            if at is None:
                unknown_contests.setdefault(ref, []).append(kind)
                continue
            if k is not None:
                if ballots[at][k] >= 0:
                    raise InputError(f"counter {kind} of contest {ref} is given twice", where=where)
                ballots[at][k] = row
            elif kind[0] == "W":
                wrtn[at].append(row)
            else:
                nsel[at][int(kind[5:])] = row  # NSEL-0k given twice: the last one
        for i, contest in enumerate(contests):
            if not votes[i] and max(ballots[i]) < 0:
                raise InputError(
                    f"contest {contest.id} ({contest.title}) has no counters in this release",
                    where=where,
                )
            if len(votes[i]) < len(contest.choices):  # only this contest's choices are there
                missing = [c.name for c in contest.choices if c.id not in ids[i]]
                raise InputError(
                    f"contest {contest.id} ({contest.title}) has no count for {', '.join(missing)}",
                    where=where,
                )
        self.kinds = kinds
        self.refs = refs
        self.county = county
        self.set_aside = _set_aside(election, unknown_contests, unknown_choices)
        self.contests = [
            (c.id, ids[i], votes[i], ballots[i], wrtn[i], [nsel[i][k] for k in sorted(nsel[i])])
            for i, c in enumerate(contests)
        ]


def _set_aside(
    election: Election, contests: dict[int, list[str]], choices: list[int]
) -> tuple[str, ...]:
    """What a release counts that the election's definition does not have, in words (its rows
    are not used; they stay in the raw payload)."""
    notes = []
    if contests:
        shown = ", ".join(f"{ref} ({len(kinds)} counters)" for ref, kinds in contests.items())
        notes.append(
            f"counters of contests not in election {election.id}'s definition were set aside "
            f"(kept in the raw payload): {shown}"
        )
    if choices:
        notes.append(
            f"votes of candidates not in election {election.id}'s definition were set aside "
            f"(kept in the raw payload): {', '.join(map(str, choices))}"
        )
    return tuple(notes)


def release_reader(election: Election) -> ReadRelease:
    """:func:`read_release` for ``election``, its :class:`ContestIndex` built once and the rows'
    layout learned once for every release read with it."""
    return partial(read_release, election=election, index=ContestIndex(election))


# --- the adapter's other verbs -----------------------------------------------------------------


def sniff(data: bytes, name: str) -> bool:
    """Whether ``data`` looks like an LA County feed payload (an election definition or a
    counter release)."""
    head = data[:4096].lstrip()
    if not head.startswith(b"{"):
        return False
    body = data[:65536]
    return b'"Data"' in body and (b'"ReferenceType"' in body or b'"ContestGroups"' in body)


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """An ``election_data.json`` gives the election and no release. A counter release alone
    cannot be read: it names candidates by number only."""
    if b'"ContestGroups"' in data[:65536]:
        return Parsed(election=read_election(data, where, rules), releases=())
    raise InputError(
        "an LA County counter release cannot be read without its election",
        where=where,
        hint="ingest the feed folder (election_data.json + releases/), or the release into "
        "an election racedesk already has",
    )


# --- folders -----------------------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", where=str(path)) from None


def is_feed_folder(path: Path) -> bool:
    """A folder laid out like ``../shared/data/lavote/*``: election_data.json + releases/."""
    return path.is_dir() and (path / "election_data.json").is_file()


def release_files(folder: Path) -> list[Path]:
    """The release files of a feed folder, in file-name order (their names are local times)."""
    rel = folder / "releases"
    if not rel.is_dir():
        raise InputError("no releases/ folder beside election_data.json", where=str(folder))
    return sorted(p for p in rel.iterdir() if p.suffix == ".json")


def feed_folder(folder: Path) -> FeedFolder | None:
    """The election file and release files of a feed folder, or ``None`` when ``folder`` is not
    laid out like one."""
    if not is_feed_folder(folder):
        return None
    return FeedFolder(election=folder / "election_data.json", releases=release_files(folder))


def load_folder(
    folder: Path, rules: Mapping[str, Rule] | None = None
) -> tuple[Election, list[tuple[Path, bytes]]]:
    """The election of a feed folder and the bytes of its releases, in order."""
    meta = folder / "election_data.json"
    election = read_election(read_file(meta), str(meta), rules)
    return election, [(p, read_file(p)) for p in release_files(folder)]


def endpoints(election_feed_id: int, base: str = BASE_URL) -> tuple[str, str]:
    """The live feed's election-definition and counter URLs for an election id."""
    return (
        f"{base}/GetElectionData?electionID={election_feed_id}",
        f"{base}/GetCounterData?electionID={election_feed_id}",
    )
