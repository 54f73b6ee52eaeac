"""California Secretary of State results feed (``api.sos.ca.gov/returns/…``), 2024 onward.

The state publishes one JSON document per feed (layout in ``../shared/data/README.md``): a
contest (``{"raceTitle", "Reporting", "ReportingTime", "candidates": [{"Name", "Party",
"Votes": "74,245", …}]}``), the ballot measures (``"ballot-measures": [{"Number", "yesVotes",
"noVotes", …}]``), or a list of such entries (``…-counties``: the statewide result then each
county's; ``…-districts``: a presidential primary by congressional district;
``…-county-los-angeles``: one county's slice, then the districtwide result; multi-contest feeds
``us-rep``, ``state-assembly``, ``state-senate``).

A desk follows many feeds at once, so one **release** here is a *bundle*: the latest document
of every feed as of one feed time, each kept byte for byte (``racedesk.ca-sos/1``, made by
:func:`bundle` from an archived folder or by the live watch). Its contests:

- a whole contest's id is its feed's path with ``/`` as ``-`` (``us-rep-district-27``,
  ``state-senate-district-25``, ``president-democrat``, ``us-senate``), a measure's
  ``prop-<number>`` (``prop-1``);
- a part of a contest is ``<contest id>@<part>``, with ``Contest.portion`` naming it: a county's
  slice (``us-senate@alameda``, "Alameda County"; ``prop-1@los-angeles``, "Los Angeles County")
  and a presidential primary's congressional districts (``president-democrat@district-1``,
  "Congressional District 1"). Every part the feed gives is read: they are what a desk needs to
  project a whole contest from its counties, and each county's count is its own;
- a whole contest repeated in another feed (the statewide entry of ``…-counties``, the
  districtwide entry of a county's slice, the multi-contest feeds) is read once, from its own
  feed (from another only when its own is not among the feeds).

Choices are named by the feed only (``Name``); their ids are the names as slugs
(``adam-b-schiff``), a measure's ``YES`` and ``NO``. Rules are asked of
:mod:`racedesk.rules.california` (top-two for voter-nominated offices in a primary). Precincts
reporting ("100% (274 of 274) precincts reporting") are kept; the feed has no ballot counters.

Quirks, kept and said (``Release.set_aside``), never fatal: two contents served under one
``ReportingTime`` (``variants`` in the archive's manifest), a feed that went back to an older
copy (``out_of_order``), a feed or an entry that cannot be read (set aside, the rest used).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import msgspec

from racedesk.errors import InputError
from racedesk.model import Choice, Contest, ContestCount, Election, Release, Rule, sha256_hex
from racedesk.model.election import ElectionKind
from racedesk.rules import logic_for
from racedesk.rules.california import (
    STATE_MEASURE_WORDS,
    VOTER_NOMINATED_OFFICES,
    measure_rule,
    state_office_rule,
)
from racedesk.sources import safety
from racedesk.sources.base import (
    FeedFolder,
    FolderRelease,
    Parsed,
    ReadRelease,
    election_and_release,
    slug,
)

NAME = "ca-sos"
SOURCE = NAME
JURISDICTION = "California"
CA_TIME = ZoneInfo("America/Los_Angeles")
BASE_URL = "https://api.sos.ca.gov/returns"
BUNDLE = "racedesk.ca-sos/1"

# --- payload shapes ------------------------------------------------------------------------


class _Candidate(msgspec.Struct):
    Name: str
    Votes: str | int = "0"
    Party: str | None = ""


class _Measure(msgspec.Struct):
    Number: str | int
    Name: str = ""
    yesVotes: str | int = "0"
    noVotes: str | int = "0"


class _Entry(msgspec.Struct):
    raceTitle: str = ""
    Reporting: str = ""
    ReportingTime: str = ""
    candidates: list[_Candidate] = []
    measures: list[_Measure] = msgspec.field(default_factory=list, name="ballot-measures")


class _Served(msgspec.Struct, kw_only=True):
    """One feed's document in a bundle, as served, with what the archive says of it."""

    feed: str
    payload: msgspec.Raw = msgspec.Raw(b"null")
    unreadable: str = ""  # the document as served, when it is not JSON (then payload is null)
    served_as: str = ""
    received_at: datetime | None = None
    variants: int = 1
    out_of_order: bool = False


class _Bundle(msgspec.Struct, kw_only=True):
    bundle: str
    election_date: date | None = None
    kind: str = ""  # "primary" or "general" when the bundle's maker knew, else told from the feeds
    feeds: list[_Served]


_payload_decoder = msgspec.json.Decoder(_Entry | list[_Entry])
_bundle_decoder = msgspec.json.Decoder(_Bundle)


def _decode(decoder: msgspec.json.Decoder[Any], data: bytes, where: str, what: str) -> Any:
    try:
        decoded = decoder.decode(data)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=where
        ) from None
    except msgspec.DecodeError as exc:
        raise InputError(f"not a valid {what}: {exc}", where=where) from None
    safety.refuse_duplicate_keys(data, where)
    return decoded


# --- words of the feed ---------------------------------------------------------------------

_TIME = re.compile(
    r"^\s*([A-Z][a-z]+)\.? (\d{1,2}), (\d{4}),? (\d{1,2})(?::(\d{2}))? ?([ap])\.?m\.?\s*$",
    re.IGNORECASE,
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_PRECINCTS = re.compile(r"\(([\d,]+) of ([\d,]+)\)")
_DISTRICT = re.compile(r"\bDistrict (\d+)\b")
_DERIVED = re.compile(r"^(?P<base>.+?)(?:-counties|-districts|-county-(?P<county>[a-z-]+))$")
#: Multi-contest feeds: a list of the districts' contests, each also served on its own.
MULTI_CONTEST_FEEDS = ("us-rep", "state-senate", "state-assembly")


def parse_reporting_time(text: str, where: str = "") -> datetime:
    """The feed's ``ReportingTime`` ("April 4, 2024, 4:21 p.m.", Pacific time) as an aware
    datetime."""
    m = _TIME.match(text or "")
    month = _MONTHS.get(m.group(1)[:3].lower()) if m else None
    if m is None or month is None:
        raise InputError(
            f"cannot read the feed time {text!r} (expected like 'April 4, 2024, 4:21 p.m.')",
            where=where,
        )
    hour = int(m.group(4)) % 12 + (12 if m.group(6).lower() == "p" else 0)
    naive = datetime(int(m.group(3)), month, int(m.group(2)), hour, int(m.group(5) or 0))
    return naive.replace(tzinfo=CA_TIME)


def _votes(value: str | int, where: str) -> int:
    """A vote count as the feed writes it (``"74,245"``, ``"3636678"``, or a number)."""
    text = str(value).replace(",", "").strip()
    if not text.isdigit():
        raise InputError(f"the votes {value!r} are not a whole number ≥ 0", where=where)
    return int(text)


def _split_title(title: str) -> tuple[str, str]:
    """``"U.S. Senate (Full Term) - Alameda County Results"`` → (office, scope)."""
    office, _, scope = title.rpartition(" - ")
    if not office:
        office, scope = title, ""
    return office.strip(), re.sub(r"\s*Results$", "", scope.strip())


class Part(NamedTuple):
    """Where an entry of a feed belongs: its contest id, its title, its portion (empty for the
    whole contest), the id of the whole contest (itself when whole) and the whole contest's
    title (the contest's group: the office a page lists the whole and its parts under)."""

    contest_id: str
    title: str
    portion: str
    whole_id: str
    whole_title: str


def _county_part(base: str, scope: str, county_slug: str | None) -> tuple[str, str] | None:
    """The (id, portion) of a county's slice, from the entry's scope ("Alameda County",
    "Los Angeles") or the feed's name (``…-county-los-angeles``)."""
    if scope.endswith(" County"):
        return f"{base}@{slug(scope[: -len(' County')])}", scope
    if county_slug and scope not in ("Statewide", "Districtwide"):
        return f"{base}@{county_slug}", county_slug.replace("-", " ").title() + " County"
    return None


def entry_part(feed: str, office: str, scope: str) -> Part:
    """Where an entry titled ``office - scope Results`` of ``feed`` belongs (module
    docstring)."""
    derived = _DERIVED.match(feed)
    base = derived.group("base") if derived else feed
    district = _DISTRICT.search(office)
    if feed in MULTI_CONTEST_FEEDS and district:
        base = f"{feed}-district-{district.group(1)}"
    county = _county_part(base, scope, derived.group("county") if derived else None)
    if county is not None:
        return Part(county[0], f"{office} - {county[1]}", county[1], base, office)
    if feed.endswith("-districts") and district:
        portion = f"Congressional District {district.group(1)}"
        whole_office = _DISTRICT.sub("", office).replace("  ", " ").strip()
        return Part(f"{base}@district-{district.group(1)}", f"{whole_office} - {portion}",
                    portion, base, whole_office)  # fmt: skip
    return Part(base, office, "", base, office)


def _measure_part(part: Part, number: str, name: str) -> Part:
    """A measure's own id and title within the ``ballot-measures`` feed's part."""
    mid = f"prop-{int(number)}" if number.isdigit() else f"prop-{slug(number)}"
    at = part.contest_id.find("@")
    suffix = part.contest_id[at:] if at >= 0 else ""
    whole = f"Proposition {number.lstrip('0') or number}: {name}".rstrip(": ")
    title = f"{whole} - {part.portion}" if part.portion else whole
    return Part(mid + suffix, title, part.portion, mid, whole)


class _Read(NamedTuple):
    """An entry of a feed, placed: its part, and the entry itself."""

    part: Part
    entry: _Entry
    measure: _Measure | None


def _entries(served: _Served, own_feeds: frozenset[str], where: str) -> Iterable[_Read]:
    """The entries of one served feed, placed; whole contests repeated from their own feed
    (which is among ``own_feeds``) left out."""
    if served.unreadable:
        raise InputError(
            f"not JSON: {served.unreadable[:60]!r}", where=f"{where}, feed {served.feed}"
        )
    payload = _decode(_payload_decoder, served.payload, f"{where}, feed {served.feed}",
                      "California Secretary of State feed document")  # fmt: skip
    for entry in payload if isinstance(payload, list) else [payload]:
        office, scope = _split_title(entry.raceTitle)
        part = entry_part(served.feed, office, scope)
        if entry.measures:
            for m in entry.measures:
                placed = _measure_part(part, str(m.Number), m.Name)
                if placed.portion or served.feed == "ballot-measures":
                    yield _Read(placed, entry, m)
            continue
        if not part.portion and part.contest_id != served.feed and part.contest_id in own_feeds:
            continue
        yield _Read(part, entry, None)


# --- election ------------------------------------------------------------------------------


def _bundle(data: bytes, where: str) -> _Bundle:
    """A bundle, or one feed's document served alone (read as a bundle of that feed, named by
    ``where``'s file or folder name)."""
    head = data[:256].lstrip()
    if head.startswith(b"{") and b'"bundle"' in head:
        found: _Bundle = _decode(_bundle_decoder, data, where, "racedesk.ca-sos/1 bundle")
        if found.bundle != BUNDLE:
            raise InputError(f"a bundle of {found.bundle!r}, not {BUNDLE}", where=where)
        return found
    return _Bundle(bundle=BUNDLE, feeds=[_Served(feed=feed_name(where), payload=msgspec.Raw(data))])


def feed_name(where: str) -> str:
    """The feed a file was served by: its folder in an archive (``us-senate/2024-….json``), or
    the file's own name (``us-senate.json``)."""
    path = Path(where.split(",", 1)[0])
    if _ARCHIVED.match(path.name) and path.parent.name:
        return path.parent.name
    return path.stem


_ARCHIVED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.json$")


def _choices(entry: _Entry, measure: _Measure | None) -> tuple[Choice, ...]:
    if measure is not None:
        return (Choice(id="YES", name="Yes"), Choice(id="NO", name="No"))
    out: list[Choice] = []
    seen: set[str] = set()
    for k in entry.candidates:
        name = " ".join(k.Name.split())
        cid, n = slug(name) or "candidate", 2
        while cid in seen:
            cid, n = f"{slug(name)}-{n}", n + 1
        seen.add(cid)
        out.append(Choice(id=cid, name=name, party=(k.Party or "").strip()))
    return tuple(out)


_ORDER = ("president", "us-senate", "prop", "us-rep", "state-senate", "state-assembly")


def _contest_order(c: Contest) -> tuple[int, int, str, int, str]:
    """Statewide contests first, then districts by office and number; each whole contest before
    its parts."""
    whole, _, part = c.id.partition("@")
    rank = next((i for i, p in enumerate(_ORDER) if whole.startswith(p)), len(_ORDER))
    number = re.search(r"(\d+)$", whole)
    return (rank, int(number.group(1)) if number else 0, whole, 1 if part else 0, part)


def is_primary(reads: Iterable[_Read]) -> bool:
    """Whether the feeds are of a primary, by what only a primary has: a party's presidential
    primary ("President Democratic"), or a voter-nominated office with more than two candidates
    (in a general only the top two of the primary are on the ballot, Prop 14)."""
    for read in reads:
        office = _split_title(read.entry.raceTitle)[0]
        if re.match(r"^President \w", office) and office.strip() != "President":
            return True
        if len(read.entry.candidates) > 2 and VOTER_NOMINATED_OFFICES.search(office):
            return True
    return False


def read_election(data: bytes, where: str = "ca-sos", rules: Mapping[str, Rule] | None = None
                  ) -> Election:  # fmt: skip
    """The election a bundle (or one feed's document) describes: every contest and part its
    feeds hold, their choices as the feed names them, their rules from the office
    (:func:`racedesk.rules.california.state_office_rule`) or a measure's simple majority
    (California Constitution art. II §10(a): the feed states no pass rate).

    The election's date is the bundle's (else the feed's first reporting time); its kind the
    bundle's when it says, else :func:`is_primary`. ``rules`` overrides the rule of the contests
    it names.
    """
    found = _bundle(data, where)
    own = frozenset(s.feed for s in found.feeds)
    reads: list[_Read] = []
    for served in found.feeds:
        try:
            reads += _entries(served, own, where)
        except InputError:
            continue  # a feed that cannot be read is set aside by read_release, which says so
    primary = found.kind == "primary" or (found.kind != "general" and is_primary(reads))
    overrides = dict(rules or {})
    contests: dict[str, Contest] = {}
    first: datetime | None = None
    for read in reads:
        if read.entry.ReportingTime:
            t = parse_reporting_time(read.entry.ReportingTime, where)
            first = t if first is None or t < first else first
        part = read.part
        if part.contest_id in contests:
            continue
        office = _split_title(read.entry.raceTitle)[0]
        rule = overrides.pop(part.contest_id, None) or (
            measure_rule(STATE_MEASURE_WORDS) if read.measure is not None
            else state_office_rule(office, primary=primary)
        )  # fmt: skip
        contests[part.contest_id] = Contest(
            id=part.contest_id,
            title=part.title,
            kind=logic_for(rule).contest_kind,
            rule=rule,
            choices=_choices(read.entry, read.measure),
            group=part.whole_title,
            portion=part.portion,
        )
    if overrides:
        raise InputError(
            f"the rules file names contests the election does not have: {sorted(overrides)}",
            where=where,
        )
    day = found.election_date or (first.date() if first else None)
    if day is None:
        raise InputError(
            "no reporting time in any feed: cannot tell the election's date", where=where
        )
    kind: ElectionKind = "primary" if primary else "general"
    return Election(
        id=f"{SOURCE}:{day.isoformat()}",
        title=f"California {'Primary' if primary else 'General'} Election, {day:%B %-d, %Y}",
        date=day,
        jurisdiction=JURISDICTION,
        kind=kind,
        contests=tuple(sorted(contests.values(), key=_contest_order)),
        source=SOURCE,
    )


# --- releases ------------------------------------------------------------------------------


def _count(read: _Read, choices: tuple[Choice, ...], where: str) -> ContestCount:
    """One entry's counts: a measure's yes and no, or each candidate's votes (by position, as
    the election's choices were made from the same names)."""
    entry = read.entry
    here = f"{where}, contest {read.part.contest_id}"
    if read.measure is not None:
        votes = {
            "YES": _votes(read.measure.yesVotes, here),
            "NO": _votes(read.measure.noVotes, here),
        }
    else:
        by_name = {c.name: c.id for c in choices}
        votes = {}
        for k in entry.candidates:
            cid = by_name.get(" ".join(k.Name.split()))
            if cid is None:
                raise InputError(f"candidate {k.Name!r} is not in the election", where=here)
            votes[cid] = votes.get(cid, 0) + _votes(k.Votes, f"{here}, {k.Name}")
    m = _PRECINCTS.search(entry.Reporting)
    return ContestCount(
        contest_id=read.part.contest_id,
        votes=votes,
        precincts_reporting=int(m.group(1).replace(",", "")) if m else None,
        precincts_total=int(m.group(2).replace(",", "")) if m else None,
    )


def _quirks(served: _Served) -> list[str]:
    """What the archive says was odd about a served feed, in words."""
    said = []
    if served.variants > 1:
        said.append(
            f"feed {served.feed}: {served.variants} different contents were served under one "
            f"ReportingTime ({served.served_as or 'this one'} is the one kept)"
        )
    if served.out_of_order:
        said.append(f"feed {served.feed}: went back to an older copy when this one was served")
    return said


def read_release(data: bytes, election: Election, *, where: str = "release",
                 received_at: datetime | None = None, content_hash: str | None = None
                 ) -> Release:  # fmt: skip
    """Read one bundle (or one feed's document) of ``election`` into a :class:`Release`.

    Its feed time is the latest ``ReportingTime`` among its feeds; its received time the
    caller's, else the latest the bundle records. A feed or an entry that cannot be read, or a
    contest the election does not have, is set aside and said in ``Release.set_aside`` with the
    archive's quirks; the rest is used. Rejected with an :class:`InputError` naming ``where``:
    a payload that is not JSON of this feed, or in which nothing can be read.
    """
    found = _bundle(data, where)
    own = frozenset(s.feed for s in found.feeds)
    known = {c.id: c for c in election.contests}
    counts: dict[str, ContestCount] = {}
    said: list[str] = []
    latest: datetime | None = None
    arrived = [s.received_at for s in found.feeds if s.received_at is not None]
    for served in found.feeds:
        said += _quirks(served)
        try:
            reads = list(_entries(served, own, where))
        except InputError as exc:
            said.append(f"feed {served.feed} set aside: {exc.problem}")
            continue
        for read in reads:
            try:
                if read.entry.ReportingTime:
                    t = parse_reporting_time(read.entry.ReportingTime, where)
                    latest = t if latest is None or t > latest else latest
                contest = known.get(read.part.contest_id)
                if contest is None:
                    said.append(f"contest {read.part.contest_id} is not in the election")
                    continue
                if contest.id not in counts:
                    counts[contest.id] = _count(read, contest.choices, where)
            except InputError as exc:
                said.append(f"{read.part.contest_id} set aside: {exc.problem}")
    if latest is None or not counts:
        raise InputError("nothing in this payload could be read as counts", where=where)
    order = {c.id: i for i, c in enumerate(election.contests)}
    return Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=latest,
        received_at=received_at or (max(arrived) if arrived else datetime.now(tz=UTC)),
        content_hash=content_hash if content_hash is not None else sha256_hex(data),
        contests=tuple(sorted(counts.values(), key=lambda c: order[c.contest_id])),
        set_aside=tuple(dict.fromkeys(said)),
    )


def release_reader(election: Election) -> ReadRelease:
    """:func:`read_release` for ``election``."""
    return partial(read_release, election=election)


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """A bundle or one feed's document: the election it describes and its one release."""
    return election_and_release(
        read_election, read_release, data, where=where, received_at=received_at, rules=rules,
        content_hash=content_hash,
    )  # fmt: skip


def sniff(data: bytes, name: str) -> bool:
    """Whether ``data`` is a bundle or a document of the state's feed."""
    head = data[:4096]
    return (b'"bundle"' in head and BUNDLE.encode() in head) or (
        b'"raceTitle"' in head and b'"ReportingTime"' in head
    )


# --- archived folders ------------------------------------------------------------------------


class _File(NamedTuple):
    feed: str
    path: Path
    time: datetime
    received_at: datetime | None
    variants: int
    out_of_order: bool


def is_feed_folder(path: Path) -> bool:
    """A folder laid out like ``../shared/data/ca-sos/2024-primary``: one folder per feed of
    files named by their ``ReportingTime`` (and a ``manifest.csv``)."""
    if not path.is_dir() or (path / "election_data.json").exists():
        return False
    manifest = path / "manifest.csv"
    if manifest.is_file():
        with manifest.open(encoding="utf-8") as f:
            return "release_ts" in f.readline()
    return any(
        sub.is_dir() and any(_ARCHIVED.match(p.name) for p in sub.iterdir())
        for sub in path.iterdir()
    )


def _utc(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _files(folder: Path) -> list[_File]:
    """Every archived document, from the manifest when there is one (received times and
    quirks), else from the file names (feed times)."""
    manifest = folder / "manifest.csv"
    out: list[_File] = []
    if manifest.is_file():
        text = safety.read_file(manifest).decode("utf-8")
        for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                feed, name = row["file"].split("/", 1)
                when = datetime.fromisoformat(row["release_ts"]).replace(tzinfo=CA_TIME)
            except (KeyError, ValueError, AttributeError):
                raise InputError("a row without file or release_ts",
                                 where=f"{manifest}, line {n}") from None  # fmt: skip
            out.append(_File(feed, folder / feed / name, when, _utc(row.get("first_commit_utc", "")),
                             int(row.get("variants") or 1), row.get("out_of_order") == "1"))  # fmt: skip
        return out
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        for p in sorted(sub.iterdir()):
            if _ARCHIVED.match(p.name):
                when = datetime.strptime(p.stem, "%Y-%m-%dT%H-%M-%S").replace(tzinfo=CA_TIME)
                out.append(_File(sub.name, p, when, None, 1, False))
    return out


def _kind(folder: Path) -> str:
    """What the archive's folder name says of the election ("2024-primary"), if anything."""
    name = folder.name.lower()
    return "primary" if "primary" in name else "general" if "general" in name else ""


def bundle(served: Iterable[_Served], *, election_date: date | None = None, kind: str = ""
           ) -> bytes:  # fmt: skip
    """The bytes of a bundle of the feeds' latest documents (each kept as served)."""
    return msgspec.json.encode(
        _Bundle(
            bundle=BUNDLE,
            election_date=election_date,
            kind=kind,
            feeds=sorted(served, key=lambda s: s.feed),
        )
    )


def served(feed: str, payload: bytes, *, served_as: str = "", received_at: datetime | None = None,
           variants: int = 1, out_of_order: bool = False) -> _Served:  # fmt: skip
    """One feed's document as it goes into a bundle: kept as served when it is JSON, else as
    text (a bundle stays JSON whatever a feed served)."""
    try:
        _any_decoder.decode(payload)
        raw, text = msgspec.Raw(payload), ""
    except (msgspec.DecodeError, UnicodeDecodeError):
        raw, text = msgspec.Raw(b"null"), payload.decode("utf-8", "replace") or " "
    return _Served(feed=feed, payload=raw, unreadable=text, served_as=served_as,
                   received_at=received_at, variants=variants, out_of_order=out_of_order)  # fmt: skip


_any_decoder = msgspec.json.Decoder()


def folder_releases(folder: Path, rules: Mapping[str, Rule] | None = None
                    ) -> tuple[Election, list[FolderRelease]]:  # fmt: skip
    """The election of an archived folder and its releases, one per feed time: each the bundle
    of every feed's latest document as of that time (the multi-contest feeds left out when the
    contests' own feeds are there). The election is read from the last bundle (every feed)."""
    files = _files(folder)
    if not files:
        raise InputError("no feed documents in this folder", where=str(folder))
    singles = {f.feed for f in files}
    files = [
        f for f in files
        if not (f.feed in MULTI_CONTEST_FEEDS and any(s.startswith(f.feed + "-district-") for s in singles))
    ]  # fmt: skip
    files.sort(key=lambda f: (f.time, f.feed))
    day = files[0].time.date()
    latest: dict[str, _Served] = {}
    releases: list[FolderRelease] = []
    for i, f in enumerate(files):
        latest[f.feed] = served(f.feed, safety.read_file(f.path), served_as=f.path.name,
                                received_at=f.received_at, variants=f.variants,
                                out_of_order=f.out_of_order)  # fmt: skip
        if i + 1 < len(files) and files[i + 1].time == f.time:
            continue
        arrived = [s.received_at for s in latest.values() if s.received_at is not None]
        releases.append(FolderRelease(
            origin=f"{folder}@{f.time.isoformat()}",
            data=bundle(latest.values(), election_date=day, kind=_kind(folder)),
            received_at=max(arrived) if arrived else None,
        ))  # fmt: skip
    election = read_election(releases[-1].data, str(folder), rules)
    return election, releases


def bundled_feeds(data: bytes, where: str = "bundle") -> tuple[date | None, str, dict[str, bytes]]:
    """A bundle's election date, kind, and each feed's document as served (a watch restarts
    from them)."""
    found = _bundle(data, where)
    return (
        found.election_date,
        found.kind,
        {
            s.feed: bytes(s.payload) if not s.unreadable else s.unreadable.encode()
            for s in found.feeds
        },
    )


def feed_folder(folder: Path) -> FeedFolder | None:
    """``None``: an archived folder of this feed is read into bundles by
    :func:`folder_releases`, not file by file."""
    return None


def feed_url(feed: str, base: str = BASE_URL) -> str:
    """The URL a feed is served at: its name's path (``us-rep-district-27`` →
    ``…/returns/us-rep/district/27``; ``…-county-los-angeles`` → ``…/county/los-angeles``)."""
    path = re.sub(r"-(district|county|counties|districts)(?=-|$)", r"/\1", feed)
    path = re.sub(r"(/district|/county)-", r"\1/", path)
    return f"{base.rstrip('/')}/{path}"


__all__ = [
    "BUNDLE",
    "NAME",
    "bundle",
    "bundled_feeds",
    "entry_part",
    "feed_folder",
    "feed_url",
    "folder_releases",
    "is_feed_folder",
    "parse",
    "parse_reporting_time",
    "read_election",
    "read_release",
    "release_reader",
    "served",
    "sniff",
]
