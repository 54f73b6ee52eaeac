"""Clarity (Scytl) ENR ``detail.xml`` and ``detailxml.zip``: county and precinct level.

Layout (``../shared/domain/formats.md``): ``<ElectionResult>`` → ``Timestamp`` ("11/13/2014
2:58:41 PM CST"), ``ElectionName``, ``ElectionDate``, ``Region``, the turnout
(``ElectionVoterTurnout`` with ``Counties/County`` in a state file, ``VoterTurnout`` with
``Precincts/Precinct`` in a county file; ``totalVoters``, ``ballotsCast``), then each ``Contest``
(``key text voteFor isQuestion precinctsReported precinctsParticipating``) with contest-level
``VoteType`` elements for overvotes and undervotes and its ``Choice`` elements (``key text party
totalVotes``), each split into ``VoteType name votes`` ("Election Day", "Absentee" …) and each
vote type into per-jurisdiction ``Precinct``/``County`` elements.

What a release keeps: every choice's county-wide (or state-wide) total, split by vote type in
``ContestCount.votes_by_type`` (vote type → choice id → votes, named choices only); write-in
choices ("Write-In", "Write-in Totals") as ``write_ins``; the ``Overvotes``/``Undervotes`` vote
types as ``overvotes``/``undervotes`` (Clarity counts them as it reports them: in a vote-for-N
contest they are votes, not ballots); in a vote-for-one contest the ballots counted in the
contest (choices + write-ins + undervotes + overvotes); precincts reporting and participating.
Per-precinct numbers are summarized into these totals, not kept. A choice's count is its
``totalVotes``; its vote types are kept as the feed states them, even where they do not add up
to the total (the Arkansas 2014 sample's Senate choice: 462,123 by type of 477,734).

A county's file (turnout by precinct, ``VoterTurnout``; the region a county's name, "Greenup")
sees only the county's part of a contest reaching beyond it (a U.S. Senate primary, a
legislative district): ``Contest.portion`` names the county ("Greenup County"), so the contest
is shown and never called (:mod:`racedesk.rules.county_part`; the file does not say the state,
so no district maps apply, unless the file was fetched from the site's address, which names
it: ``…/CA/Santa_Clara/…`` applies California's district table; else a contest-rules file says
``portion = ""`` for a district wholly in the county). A state's file (``ElectionVoterTurnout`` by county) sees its contests whole.

Rules: a candidate contest elects the ``voteFor`` choices with the most votes (plurality,
EC §15452 in California; the common rule elsewhere); a question (``isQuestion="true"``) is a
measure whose threshold the file does not state: anything from a majority to two-thirds,
settled only where all agree (:func:`racedesk.rules.california.unstated_measure_rule`). Where
the real rule is known (a primary's runoff condition, a measure's threshold) a rules file says so
(:mod:`racedesk.sources.rules_file`).

Reading large files: a county's file is tens to hundreds of MB, almost all of it per-precinct
``<Precinct votes=…/>`` leaves, and the vote type that holds them states their total. The file
is read without ever building its tree: (1) the inside of every ``<VoteType>`` is cut out of the
bytes, leaving a small skeleton (every contest, choice and vote type with its totals), which is
streamed with the hardened ``iterparse`` of :mod:`racedesk.sources.safety`, each element
cleared once read (this also refuses entities and external DTDs); (2) every cut-out inside is
then proved well-formed XML by libxml2 with a parser target that keeps nothing, on two threads
(libxml2 releases the GIL). Together the two passes read every byte of the file as XML.
``benchmarks/clarity_vs_clarify.py`` measures this against ``clarify``.

Polling: a Clarity site publishes ``current_ver.txt`` (a version number) beside its election;
:func:`detail_url` builds the ``detailxml.zip`` address of a version.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import msgspec
from lxml import etree

from racedesk.errors import InputError
from racedesk.model import (
    Choice,
    Contest,
    ContestCount,
    Election,
    ElectionKind,
    Release,
    Rule,
    sha256_hex,
)
from racedesk.rules import logic_for
from racedesk.rules.california import measure_rule
from racedesk.rules.county_part import STATE_COUNTIES, county_name_of, county_part
from racedesk.rules.places import plurality_rule
from racedesk.rules.state_law import with_state_law
from racedesk.rules.threshold import recall_question
from racedesk.sources import safety
from racedesk.sources.base import Parsed, WholeFile, slug
from racedesk.sources.plausible import checked_release
from racedesk.sources.rules_file import apply_rules

NAME = "clarity"
SOURCE = NAME

# Zone abbreviations seen in Clarity timestamps: the offset they state, and the place's zone.
_ZONES: dict[str, tuple[int, str]] = {
    "EST": (-5, "America/New_York"),
    "EDT": (-4, "America/New_York"),
    "CST": (-6, "America/Chicago"),
    "CDT": (-5, "America/Chicago"),
    "MST": (-7, "America/Denver"),
    "MDT": (-6, "America/Denver"),
    "PST": (-8, "America/Los_Angeles"),
    "PDT": (-7, "America/Los_Angeles"),
    "AKST": (-9, "America/Anchorage"),
    "AKDT": (-8, "America/Anchorage"),
    "HST": (-10, "Pacific/Honolulu"),
    "AST": (-4, "America/Puerto_Rico"),
    "UTC": (0, "UTC"),
    "GMT": (0, "UTC"),
}
_WRITE_IN = re.compile(r"^\s*write[- ]?ins?(\s+(totals?|votes?))?\s*$", re.IGNORECASE)
_OVER = {"overvotes", "over votes", "overvote"}
_UNDER = {"undervotes", "under votes", "undervote"}
_LEAVES = (b"<Precinct", b"<County")
_HEAD = {
    "Timestamp": "timestamp",
    "ElectionName": "name",
    "ElectionDate": "day",
    "Region": "region",
}
# Files above this size hash and check on two threads (libxml2 and hashlib release the GIL).
_THREADED = 8 * 1024 * 1024
# Left where the inside of a vote type was cut out, naming the cut (see ``_skeleton``).
_CUT = "racedesk-cut"


# --- sniffing and polling -------------------------------------------------------------------


def sniff(data: bytes, name: str) -> bool:
    """A ``detail.xml``/``detailxml.zip`` by name, or XML whose root is ``<ElectionResult>``."""
    lowered = name.lower().rsplit("/", 1)[-1]
    if lowered in ("detail.xml", "detailxml.zip") or (
        lowered.endswith(".xml") and b"<ElectionResult" in data[:4096]
    ):
        return True
    if data[:4] == b"PK\x03\x04":
        return b"detail.xml" in data[:512]
    return b"<ElectionResult" in data[:4096]


def election_base(url: str) -> str:
    """The address of a Clarity election, from any address of its site.

    ``https://results.enr.clarityelections.com/KY/Adair/15263/27401/Web01/en/summary.html``,
    ``…/KY/Adair/15263/current_ver.txt`` and ``…/GA/105369/web.264614/#/summary`` all give
    ``…/KY/Adair/15263/`` (or ``…/GA/105369/``): the path up to the election's number.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError("not an http(s) address of a Clarity site", where=url)
    segments = [s for s in parts.path.split("/") if s]
    for i, seg in enumerate(segments):
        low = seg.lower()
        if low.startswith("web") or low in ("reports", "json", "current_ver.txt") or "." in seg:
            segments = segments[:i]
            break
    numeric = [i for i, s in enumerate(segments) if s.isdigit()]
    if not numeric:
        raise InputError("the address names no Clarity election number", where=url)
    first = numeric[0]
    segments = segments[: first + 1]
    return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments) + "/", "", ""))


def current_version_url(url: str) -> str:
    """Where the site publishes its current version number."""
    return election_base(url) + "current_ver.txt"


def read_version(data: bytes, where: str) -> str:
    """The version number ``current_ver.txt`` holds (digits)."""
    text = data.decode("ascii", "replace").strip()
    if safety.read_count(text) is None:
        raise InputError(f"current_ver.txt holds {text[:40]!r}, not a version number", where=where)
    return text


def detail_url(url: str, version: str) -> str:
    """The ``detailxml.zip`` of ``version`` of the election at ``url``."""
    if safety.read_count(version) is None:
        raise InputError(f"{version!r} is not a Clarity version number", where=url)
    return f"{election_base(url)}{version}/reports/detailxml.zip"


# --- small readers --------------------------------------------------------------------------


def parse_timestamp(text: str, where: str) -> tuple[datetime, str]:
    """A Clarity timestamp ("11/13/2014 2:58:41 PM CST") as an aware datetime at the offset its
    zone abbreviation states, and the IANA zone of that abbreviation."""
    match = re.fullmatch(r"\s*(.+?\d\s*[AaPp][Mm])\s+([A-Za-z]{2,5})\s*", text or "")
    if not match:
        raise InputError(
            f"cannot read the timestamp {text!r} (expected like '11/13/2014 2:58:41 PM CST')",
            where=where,
        )
    zone = _ZONES.get(match.group(2).upper())
    if zone is None:
        raise InputError(
            f"unknown time zone {match.group(2)!r} in the timestamp {text!r}; known: "
            + ", ".join(sorted(_ZONES)),
            where=where,
        )
    try:
        naive = datetime.strptime(" ".join(match.group(1).split()), "%m/%d/%Y %I:%M:%S %p")
    except ValueError:
        raise InputError(f"cannot read the timestamp {text!r}", where=where) from None
    offset, iana = zone
    return naive.replace(tzinfo=timezone(timedelta(hours=offset), match.group(2).upper())), iana


def _date(text: str | None, where: str) -> date:
    try:
        return datetime.strptime((text or "").strip(), "%m/%d/%Y").date()
    except ValueError:
        raise InputError(
            f"cannot read the election date {text!r} (expected like 11/4/2014)", where=where
        ) from None


def _count(elem: etree._Element, attr: str, where: str, *, required: bool = True) -> int | None:
    text = elem.get(attr)
    if text is None:
        if required:
            raise InputError(f"<{elem.tag}> has no {attr}", where=where)
        return None
    value = safety.read_count(text)
    if value is None:
        raise InputError(
            f"{attr} of <{elem.tag}> is {text.strip()!r}, not a whole number ≥ 0", where=where
        )
    return value


def _parent_tag(elem: etree._Element) -> str:
    parent = elem.getparent()
    return str(parent.tag) if parent is not None else ""


def _slug(text: str) -> str:
    return slug(text) or "clarity"


def _kind(name: str) -> ElectionKind:
    low = name.lower()
    if "primary" in low:
        return "primary"
    if "special" in low or "runoff" in low:
        return "special"
    return "general"


# --- the skeleton -----------------------------------------------------------------------------


def _skeleton(data: bytes, where: str) -> tuple[bytes, list[tuple[int, int]]]:
    """``data`` with the inside of every ``<VoteType>`` cut out, and where each inside was.

    The per-jurisdiction leaves are the bulk of a precinct-level file; the vote type's own
    ``votes`` attribute is its total. Each cut inside is replaced by ``<racedesk-cut n="i"/>``;
    ``spans[i]`` is where it was, for counting the jurisdictions and for the rare file whose
    vote types state no total (their leaves are then summed).
    """
    parts: list[bytes] = []
    spans: list[tuple[int, int]] = []
    find = data.find
    pos = 0
    while True:
        i = find(b"<VoteType", pos)
        if i < 0:
            break
        after = data[i + 9 : i + 10]
        if after not in (b" ", b"\t", b"\r", b"\n", b">", b"/"):
            parts.append(data[pos : i + 9])
            pos = i + 9
            continue
        j = find(b">", i)
        if j < 0:
            raise InputError("the XML is cut short inside a <VoteType> tag", where=where)
        if data[j - 1 : j] == b"/":
            parts.append(data[pos : j + 1])
            pos = j + 1
            continue
        k = find(b"</VoteType>", j)
        if k < 0:
            raise InputError("the XML is cut short: a <VoteType> is never closed", where=where)
        parts.append(data[pos : j + 1])
        parts.append(b'<%s n="%d"/></VoteType>' % (_CUT.encode(), len(spans)))
        spans.append((j + 1, k))
        pos = k + 11
    parts.append(data[pos:])
    return b"".join(parts), spans


class _NoTree:
    """A parser target that keeps nothing: libxml2 checks the bytes, no tree is built."""

    def close(self) -> None:
        return None


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _as_ascii_compatible(data: bytes, where: str) -> tuple[bytes, str]:
    """The document in an encoding whose markup is ASCII (so that it can be cut by bytes), and
    that encoding. UTF-16 and UTF-32 documents are re-encoded as UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        declared = "utf-16"
    else:
        m = _DECLARED.match(data[:256])
        declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        raise InputError(
            f"the XML declares an unknown encoding {declared!r}", where=where
        ) from None
    if not codec.startswith(("utf-16", "utf-32")):
        return data, codec
    try:
        text = data.decode(declared)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the XML is not the {declared} it declares ({exc.reason} at byte {exc.start})",
            where=where,
        ) from None
    text = re.sub(
        r"""^(\ufeff)?(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*""", r"\2utf-8", text, count=1
    )
    return text.encode("utf-8"), "utf-8"


def _line_of(data: bytes, spans: list[tuple[int, int]], skeleton_line: int) -> int:
    """The line of the file that a line of its skeleton came from."""
    removed = 0
    pos = 0
    lines_before = 0
    for a, b in spans:
        lines_before += data.count(b"\n", pos, a)
        if lines_before + 1 - removed >= skeleton_line:
            break
        removed += data.count(b"\n", a, b)
        lines_before += data.count(b"\n", a, b)
        pos = b
    return skeleton_line + removed


def _check_spans(
    data: bytes,
    spans: list[tuple[int, int]],
    encoding: str,
    where: str,
    pool: ThreadPoolExecutor | None,
) -> None:
    """Prove the inside of every vote type well-formed XML content (the skeleton is proved by
    reading it). Each inside is parsed alone, so that no two can complete each other's markup.
    libxml2 releases the GIL: with a ``pool`` the work is shared with its threads."""

    def check(group: range) -> None:
        parser = safety.xml_parser(target=_NoTree(), encoding=encoding)
        for i in group:
            a, b = spans[i]
            try:
                etree.fromstring(b"<_>" + data[a:b] + b"</_>", parser)
            except etree.XMLSyntaxError as exc:
                line = data.count(b"\n", 0, a) + (getattr(exc, "lineno", 1) or 1)
                raise InputError(
                    f"not well-formed XML: {safety.xml_message(exc)}", where=f"{where}, line {line}"
                ) from None

    if pool is None:
        check(range(len(spans)))
        return
    half = len(spans) // 2
    other = pool.submit(check, range(half, len(spans)))
    check(range(half))
    other.result()


def _leaf_count(data: bytes, span: tuple[int, int]) -> int:
    """The number of per-jurisdiction leaves inside a vote type."""
    return sum(data.count(tag, span[0], span[1]) for tag in _LEAVES)


def _leaf_sum(data: bytes, span: tuple[int, int], where: str) -> int:
    """The sum of the votes of the leaves inside a vote type that states no total of its own."""
    root = safety.parse_xml(b"<VoteType>" + data[span[0] : span[1]] + b"</VoteType>", where)
    total = 0
    for leaf in root:
        value = safety.read_count(leaf.get("votes") or "")
        if value is None:
            raise InputError(
                f"<{leaf.tag} name={leaf.get('name')!r}> has no whole number of votes", where=where
            )
        total += value
    return total


# --- parse ---------------------------------------------------------------------------------------


class _Reader:
    """State while streaming one skeleton."""

    def __init__(self, data: bytes, spans: list[tuple[int, int]], where: str) -> None:
        self.data = data
        self.spans = spans
        self.where = where
        self.timestamp: str | None = None
        self.name: str | None = None
        self.day: str | None = None
        self.region: str | None = None
        self.registered: int | None = None
        self.ballots: int | None = None
        self.turnout = ""  # ElectionVoterTurnout (a state's file) or VoterTurnout (a county's)
        self.contests: list[Contest] = []
        self.counts: list[ContestCount] = []
        self.seen: set[str] = set()
        self._reset_contest()

    def _reset_contest(self) -> None:
        self.choices: list[Choice] = []
        self.votes: dict[str, int] = {}
        self.by_type: dict[str, dict[str, int]] = {}
        self.write_ins = 0
        self.over: int | None = None
        self.under: int | None = None
        self.first_span: tuple[int, int] | None = None
        self.pending: dict[str, int] = {}

    def vote_type(self, elem: etree._Element) -> None:
        name = " ".join((elem.get("name") or "").split())
        parent = _parent_tag(elem)
        here = f"{self.where}, vote type {name!r}"
        if not name:
            raise InputError("a <VoteType> has no name", where=here)
        span = None
        if len(elem):
            cut = elem[0]
            n = safety.read_count(cut.get("n") or "")
            if cut.tag != _CUT or len(elem) > 1 or n is None or n >= len(self.spans):
                raise InputError("unexpected content inside a <VoteType>", where=here)
            span = self.spans[n]
        if span is not None and self.first_span is None:
            self.first_span = span
        votes = _count(elem, "votes", here, required=False)
        if votes is None:
            if span is None:
                raise InputError(
                    "<VoteType> has neither votes nor per-jurisdiction counts", where=here
                )
            votes = _leaf_sum(self.data, span, here)
        if parent == "Choice":
            if name in self.pending:
                raise InputError("a choice has this vote type twice", where=here)
            self.pending[name] = votes
        elif parent == "Contest":
            low = name.lower()
            if low in _OVER:
                self.over = (self.over or 0) + votes
            elif low in _UNDER:
                self.under = (self.under or 0) + votes
            else:
                raise InputError(
                    "a contest-level vote type other than overvotes or undervotes", where=here
                )
        else:
            raise InputError("a <VoteType> outside a contest or choice", where=here)

    def choice(self, elem: etree._Element, contest_where: str) -> None:
        key = (elem.get("key") or "").strip()
        text = " ".join((elem.get("text") or "").split())
        here = f"{contest_where}, choice {key} ({text})"
        if not key:
            raise InputError("a <Choice> has no key", where=here)
        total = _count(elem, "totalVotes", here, required=False)
        pending, self.pending = self.pending, {}
        if total is None:
            if not pending:
                raise InputError("a <Choice> has neither totalVotes nor vote types", where=here)
            total = sum(pending.values())
        if _WRITE_IN.match(text):
            self.write_ins += total
            return
        if key in self.votes:
            raise InputError("two choices have this key", where=here)
        self.choices.append(Choice(id=key, name=text, party=(elem.get("party") or "").strip()))
        self.votes[key] = total
        for vt, v in pending.items():
            self.by_type.setdefault(vt, {})[key] = v

    def contest(self, elem: etree._Element) -> None:
        key = (elem.get("key") or "").strip()
        text = " ".join((elem.get("text") or "").split())
        here = f"{self.where}, contest {key} ({text})"
        if not key:
            raise InputError("a <Contest> has no key", where=here)
        if key in self.seen:
            raise InputError("two contests have this key", where=here)
        self.seen.add(key)
        if not self.choices:
            raise InputError("the contest has no choices", where=here)
        vote_for = _count(elem, "voteFor", here, required=False) or 1
        question = (elem.get("isQuestion") or "").strip().lower() == "true"
        if question:
            rule = measure_rule(None, recall=recall_question(text))
        else:
            rule = plurality_rule(vote_for)
        reported = _count(elem, "precinctsReported", here, required=False)
        if reported is None:
            reported = _count(elem, "precinctsReporting", here, required=False)
        total = _count(elem, "precinctsParticipating", here, required=False)
        if total is None and self.first_span is not None:
            n = _leaf_count(self.data, self.first_span)
            total = n or None
        ballots = None
        if vote_for == 1 and self.over is not None and self.under is not None:
            ballots = sum(self.votes.values()) + self.write_ins + self.over + self.under
        self.contests.append(
            Contest(
                id=key,
                title=text,
                kind=logic_for(rule).contest_kind,
                rule=rule,
                choices=tuple(self.choices),
            )
        )
        self.counts.append(
            ContestCount(
                contest_id=key,
                votes=self.votes,
                write_ins=self.write_ins,
                ballots=ballots,
                undervotes=self.under,
                overvotes=self.over,
                votes_by_type=self.by_type,
                precincts_reporting=reported,
                precincts_total=total,
            )
        )
        self._reset_contest()


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """Read a Clarity ``detail.xml`` (or the ``detailxml.zip`` holding it) into one release.

    Rejected with an :class:`InputError` naming ``where`` and the contest or choice: anything
    that is not a whole, well-formed Clarity document (cut short, wrong encoding, entities or
    an external DTD, an archive bomb: see :mod:`racedesk.sources.safety`), a timestamp without a
    known zone, a count that is not a whole number, duplicate keys, a contest without choices.
    """
    raw = data
    data, encoding = _as_ascii_compatible(safety.unpack(data, where, suffixes=(".xml",)), where)
    skeleton, spans = _skeleton(data, where)
    big = len(data) > _THREADED and (os.cpu_count() or 1) > 1
    with ThreadPoolExecutor(max_workers=1) if big else nullcontext() as pool:
        digest = pool.submit(sha256_hex, raw) if pool is not None and content_hash is None else None
        try:
            reader = _read_skeleton(skeleton, _Reader(data, spans, where), where)
        except InputError as exc:
            # Lines of the skeleton are not lines of the file: say which line of the file.
            m = re.match(r"^(.*), line (\d+)$", exc.where)
            if m is None or not spans:
                raise
            line = _line_of(data, spans, int(m.group(2)))
            raise type(exc)(
                exc.problem, where=f"{m.group(1)}, line {line}", hint=exc.hint
            ) from None
        _check_spans(data, spans, encoding, where, pool)
        if content_hash is None:
            content_hash = digest.result() if digest is not None else sha256_hex(raw)
    return _parsed(reader, content_hash, where, received_at, rules)


def _read_skeleton(skeleton: bytes, reader: _Reader, where: str) -> _Reader:
    tags = ("Timestamp", "ElectionName", "ElectionDate", "Region", "ElectionVoterTurnout",
            "VoterTurnout", "VoteType", "Choice", "Contest")  # fmt: skip
    contest_where = where
    first = True
    for event, elem in safety.iter_xml(skeleton, where, events=("start", "end"), tag=tags):
        if first:
            root = elem.getroottree().getroot()
            if root.tag != "ElectionResult":
                raise InputError(
                    f"not a Clarity detail.xml: the root is <{root.tag}>, not <ElectionResult>",
                    where=where,
                )
            first = False
        tag = elem.tag
        if event == "start":
            if tag == "Contest":
                contest_where = f"{where}, contest {elem.get('key')} ({elem.get('text')})"
            continue
        if tag == "VoteType":
            reader.where = contest_where
            reader.vote_type(elem)
        elif tag == "Choice":
            reader.choice(elem, contest_where)
        elif tag == "Contest":
            reader.where = where
            reader.contest(elem)
        elif tag in _HEAD:
            setattr(reader, _HEAD[tag], (elem.text or "").strip())
        elif _parent_tag(elem) == "ElectionResult":  # the election's turnout
            reader.turnout = tag
            reader.registered = _count(elem, "totalVoters", f"{where}, <{tag}>", required=False)
            reader.ballots = _count(elem, "ballotsCast", f"{where}, <{tag}>", required=False)
        elem.clear()
    if first:
        raise InputError("not a Clarity detail.xml: no <ElectionResult> content", where=where)
    return reader


#: A site's address kept in a file's path, as a mirror of the site keeps it:
#: ``…/results.enr.clarityelections.com/GA/Fulton/…`` or ``…/GA/Fulton/105430/…`` (the state's
#: postal code, the county, the election's number).
_MIRRORED: Final = re.compile(
    r"clarityelections\.com/([A-Za-z]{2})/|(?:^|[/\\])([A-Z]{2})[/\\][^/\\]+[/\\]\d{3,}(?:[/\\]|$)"
)


#: The states' postal codes: those whose counties racedesk counts, Alaska and New England's.
_POSTAL_CODES: Final = frozenset(STATE_COUNTIES) | {"AK", "CT", "MA", "ME", "NH", "RI", "VT"}


def site_state(where: str) -> str:
    """The state a Clarity site's address names (``https://results.enr.clarityelections.com/CA/
    Santa_Clara/116281/…`` → ``"ca"``), also where a file's path keeps that address as a mirror
    of the site does (``mirror/GA/Fulton/105430/…/detail.xml``); "" where none is named."""
    parts = urlsplit(where.strip())
    if parts.scheme not in ("http", "https"):
        kept = _MIRRORED.search(where)
        code = (kept.group(1) or kept.group(2)).upper() if kept else ""
        return code.lower() if code in _POSTAL_CODES else ""
    segments = [seg for seg in parts.path.split("/") if seg]
    first = segments[0] if segments else ""
    return first.lower() if re.fullmatch(r"[A-Za-z]{2}", first) else ""


def _county_file(reader: _Reader) -> bool:
    """True for a county's file: its turnout is by precinct (``VoterTurnout``), or it has none
    and its region is not a state's postal code ("AR")."""
    if reader.turnout:
        return reader.turnout == "VoterTurnout"
    region = (reader.region or "").strip()
    return bool(region) and not re.fullmatch(r"[A-Z]{2}", region)


def _parsed(
    reader: _Reader,
    content_hash: str,
    where: str,
    received_at: datetime | None,
    rules: Mapping[str, Rule] | None,
) -> Parsed:
    if reader.timestamp is None:
        raise InputError("no <Timestamp>: not a Clarity detail.xml", where=where)
    feed_time, zone = parse_timestamp(reader.timestamp, f"{where}, <Timestamp>")
    day = _date(reader.day, f"{where}, <ElectionDate>")
    region = reader.region or ""
    name = reader.name or f"{region} election".strip()
    contests = reader.contests
    if _county_file(reader):
        part, state = county_name_of(region), site_state(where)
        county = re.sub(r"\s+county$", "", region.strip(), flags=re.I)
        contests = [
            msgspec.structs.replace(
                c,
                portion=county_part(
                    c.title, part, state=state, county=_slug(county), year=day.year
                ),
            )
            for c in contests
        ]
    kind = _kind(name)
    state = region.strip() if re.fullmatch(r"[A-Z]{2}", region.strip()) else site_state(where)
    contests = [with_state_law(c, state, kind) for c in contests]
    election = Election(
        id=f"{SOURCE}:{_slug(region)}-{day.isoformat()}",
        title=name,
        date=day,
        jurisdiction=region,
        kind=kind,
        contests=apply_rules(contests, rules, where),
        registration=reader.registered or None,
        source=SOURCE,
        timezone=zone,
    )
    release = Release(
        election_id=election.id,
        source=SOURCE,
        feed_time=feed_time,
        received_at=received_at or datetime.now(tz=UTC),
        content_hash=content_hash,
        contests=tuple(reader.counts),
        ballots_counted=reader.ballots,
    )
    release = checked_release(release, where)
    return Parsed(election=election, releases=(release,))


# --- the adapter's verbs -----------------------------------------------------------------------

_verbs = WholeFile(parse)
read_election = _verbs.read_election
read_release = _verbs.read_release
release_reader = _verbs.release_reader
feed_folder = _verbs.feed_folder


__all__ = [
    "NAME",
    "current_version_url",
    "detail_url",
    "election_base",
    "feed_folder",
    "parse",
    "parse_timestamp",
    "read_election",
    "read_release",
    "read_version",
    "release_reader",
    "site_state",
    "sniff",
]
