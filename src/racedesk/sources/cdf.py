"""NIST SP 1500-100 v2 Election Results Reporting common data format (CDF), JSON and XML.

One ``ElectionReport`` is one release: its ``Election`` holds the contests (``CandidateContest``,
``BallotMeasureContest``, ``RetentionContest``, ``PartyContest``), their selections with
``VoteCounts`` per reporting unit and count type, ``OtherCounts`` (overvotes, undervotes,
write-ins) and county-wide ``BallotCounts`` (``BallotsCast``, ``BallotsOutstanding``). The
mapping both ways, and racedesk's extension for what the standard cannot say (kept in
``ExternalIdentifier`` entries of type ``other`` whose ``OtherType`` starts with ``racedesk-``),
are described in ``docs/cdf.md``; :mod:`racedesk.publish.cdf_export` writes the same mapping.

Reading:

- JSON is decoded as UTF-8 text (:func:`racedesk.sources.safety.decode_text`); XML goes through
  the hardened parser (:func:`racedesk.sources.safety.parse_xml`: no entities, no DTD, no
  network). Both become the same tree of plain dicts (the JSON form of the standard), read once.
- Counts are taken at the contest's ``ElectionDistrictId`` when the report gives them there,
  otherwise summed over the highest reporting units that have them (a unit composed into another
  listed unit is not counted twice); ``total`` counts win over the sum of the count types.
- Rules come from racedesk's extension when present; otherwise from ``VoteVariation``,
  ``NumberElected``, ``NumberRunoff``, ``VotesAllowed``, the measure ``Type`` and the
  ``PassageThreshold`` text; a contest-rules file (``rules``) overrides either.
- A report scoped to a county or smaller (``ElectionScopeId``'s ``Type``) sees only its part of
  a contest whose ``ElectionDistrictId`` is a state, the country, a seat in Congress or the
  legislature or a judicial district: ``Contest.portion`` names the scope ("Los Angeles
  County"), shown and never called, unless racedesk's extension says the portion
  (``racedesk-portion``, "" for whole).
- The election keeps the id the report gives it (``racedesk-election-id``), but its ``source``
  is ``cdf``: its payloads are CDF reports, which only this adapter reads.
- Candidates marked ``winner``/``projected-winner``/``advanced-to-runoff`` become call events
  from an outside source; ``BallotsOutstanding`` becomes an outstanding report, unless
  racedesk's extension says the figure was racedesk's own model estimate.

Anything that cannot be read raises :class:`~racedesk.errors.InputError` whose ``where`` names
the file (and contest) and whose ``problem`` says what is wrong; nothing is guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any, NamedTuple, get_args

from lxml import etree

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
    RoundCount,
    Rule,
    RuleKind,
    sha256_hex,
)
from racedesk.model.answers import CallEvent, CallStatus, Interval
from racedesk.rules import logic_for
from racedesk.rules.california import measure_rule, retention_rule
from racedesk.rules.county_part import county_name_of
from racedesk.rules.places import plurality_rule
from racedesk.sources import safety
from racedesk.sources.base import (
    MAX_PAYLOAD_BYTES,
    Parsed,
    WholeFile,
)
from racedesk.sources.plausible import checked_release

NAME = "cdf"
SOURCE = "cdf"
#: Largest report read (bytes); NIST CDF summary reports of a large county are a few MB.
MAX_BYTES = MAX_PAYLOAD_BYTES

#: The XML namespace of version 2 of the standard.
NAMESPACE = "http://itl.nist.gov/ns/voting/1500-100/v2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: JSON objects name their class as ``"@type": "ElectionResults.<Class>"``.
TYPE_PREFIX = "ElectionResults."
#: Version of racedesk's extension vocabulary (``ExternalIdentifier`` ``racedesk-extension``).
EXTENSION_VERSION = "1"


class Ext:
    """``OtherType`` names of racedesk's extension (``ExternalIdentifier``, ``Type`` other).

    Each is documented in ``docs/cdf.md``. Names ending in ``-low``/``-mid``/``-high`` are the
    bounds and central value of an interval; values are decimal text.
    """

    VERSION = "racedesk-extension"
    # ElectionReport: the release and the desk's state after it
    RELEASE_HASH = "racedesk-release-hash"
    RELEASE_SEQUENCE = "racedesk-release-sequence"
    RELEASE_STATUS = "racedesk-release-status"
    RELEASE_SOURCE = "racedesk-release-source"
    FEED_TIME = "racedesk-feed-time"
    USABLE = "racedesk-usable"
    PROBLEM = "racedesk-problem"
    MODEL_VERSION = "racedesk-model-version"
    VOTE_TYPE = "racedesk-vote-type"
    BALLOTS_LEFT = "racedesk-ballots-left"
    BALLOTS_LEFT_SOURCE = "racedesk-ballots-left-source"
    BALLOTS_LEFT_AS_OF = "racedesk-ballots-left-as-of"
    BALLOTS_LEFT_NOTE = "racedesk-ballots-left-note"
    # Election
    ELECTION_ID = "racedesk-election-id"
    ELECTION_SOURCE = "racedesk-source"
    TIMEZONE = "racedesk-timezone"
    # Contest, Candidate, BallotMeasureSelection: racedesk's own id
    ID = "racedesk-id"
    # BallotMeasureSelection: the party the source gives a measure's answer (the standard has none)
    PARTY = "racedesk-party"
    # Contest: the rule
    RULE = "racedesk-rule"
    SEATS = "racedesk-seats"
    VOTES_ALLOWED = "racedesk-votes-allowed"
    ADVANCE = "racedesk-advance"
    THRESHOLD = "racedesk-threshold"
    ALT_THRESHOLD = "racedesk-alt-threshold"
    CONDITION = "racedesk-condition"
    RULE_TEXT = "racedesk-rule-text"
    GROUP = "racedesk-group"
    # Contest: the part of its electorate the report's counts cover ("" or absent: the whole)
    PORTION = "racedesk-portion"
    # Contest: ballot counters the standard has no place for
    BALLOTS = "racedesk-ballots"
    FULL = "racedesk-full"
    PARTIAL = "racedesk-partial"
    UNUSED = "racedesk-unused"
    # Contest: the desk's state, projection and call
    VOTES_LEFT = "racedesk-votes-left"
    VOTES_LEFT_SOURCE = "racedesk-votes-left-source"
    OUTCOME = "racedesk-outcome"
    CALL_STATUS = "racedesk-call-status"
    CALL_CHOICE = "racedesk-call-choice"
    CALL_SENTENCE = "racedesk-call-sentence"
    CALL_EVENT = "racedesk-call-event"
    OUTCOME_PROBABILITY = "racedesk-outcome-probability"
    PROJECTION_MODEL = "racedesk-projection-model"
    PROJECTION_LEVEL = "racedesk-projection-level"
    PROJECTION_DRAWS = "racedesk-projection-draws"
    PROJECTION_SEED = "racedesk-projection-seed"
    # Candidate / BallotMeasureSelection: one choice's standing and projection
    STANDING = "racedesk-standing"
    GOAL = "racedesk-goal"
    NEEDS = "racedesk-needs"
    NEEDS_DENOMINATOR = "racedesk-needs-denominator"
    RIVAL = "racedesk-rival"
    FINAL_SHARE = "racedesk-final-share"
    PROBABILITY = "racedesk-probability"
    PROBABILITY_ALT = "racedesk-probability-alt"


#: Fields that hold a list (``maxOccurs="unbounded"`` in the XSD): always lists in the tree.
LIST_FIELDS = frozenset(
    [
        "AddressLine",
        "BallotCounts",
        "BallotStyle",
        "Candidate",
        "ContactInformation",
        "Contest",
        "ContestSelection",
        "CountStatus",
        "Election",
        "Email",
        "ExternalIdentifier",
        "Fax",
        "GpUnit",
        "Header",
        "Hours",
        "ImageUri",
        "InfoUri",
        "LogoUri",
        "MapUri",
        "MiddleName",
        "Office",
        "OfficeGroup",
        "OrderedContent",
        "OtherCounts",
        "Party",
        "PartyRegistration",
        "Person",
        "Phone",
        "Schedule",
        "SubOfficeGroup",
        "Text",
        "Uri",
        "VoteCounts",
    ]
)
#: Fields that hold references (``xsd:IDREFS``: space-separated in XML, a list in JSON).
IDREFS_FIELDS = frozenset(
    [
        "AuthorityIds",
        "CandidateIds",
        "ComposingGpUnitIds",
        "ContestIds",
        "ElectionOfficialPersonIds",
        "EndorsementPartyIds",
        "GpUnitIds",
        "LeaderPersonIds",
        "OfficeHolderPersonIds",
        "OfficeIds",
        "OrderedContestSelectionIds",
        "PartyIds",
        "PartyScopeGpUnitIds",
        "PrimaryPartyIds",
    ]
)
#: XML attributes and the JSON property each one becomes.
XML_ATTRIBUTES = {
    "ObjectId": "@id",
    "Label": "Label",
    "Language": "Language",
    "Annotation": "Annotation",
}

#: Call statuses that are calls (the others say no call has been made).
CALLED_STATUSES = frozenset(
    {"called", "runoff", "advanced", "passed", "failed", "winner not leading"}
)
_CALL_STATUSES = frozenset(get_args(CallStatus))
_RULE_KINDS = frozenset(get_args(RuleKind))

#: Standard count types (``CountItemType``) a vote-type name maps to, and back.
COUNT_TYPES = {
    "absentee": "absentee",
    "absentee-mail": "absentee-mail",
    "mail": "absentee-mail",
    "vote by mail": "absentee-mail",
    "absentee-in-person": "absentee-in-person",
    "early": "early",
    "early vote": "early",
    "election-day": "election-day",
    "election day": "election-day",
    "provisional": "provisional",
    "uocava": "uocava",
    "absentee-fwab": "absentee-fwab",
}
#: Our name for in-person ballots county-wide (``BallotCounts`` ``Type`` other).
IN_PERSON = "in-person"


# --- ids ---------------------------------------------------------------------------------------

_NCNAME_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")


def object_id(prefix: str, *parts: str) -> str:
    """An ``ObjectId`` (an XML ``NCName``) for racedesk ids: ``prefix.part.part``.

    Characters other than ASCII letters, digits and ``-`` are written ``_hex_``, so that
    different ids never share an ``ObjectId`` (the exact id also travels in ``racedesk-id``).
    """
    escaped = ("".join(ch if ch in _NCNAME_SAFE else f"_{ord(ch):x}_" for ch in p) for p in parts)
    return ".".join((prefix, *escaped))


# --- reading the tree --------------------------------------------------------------------------

Node = dict[str, Any]


def _class(node: Node) -> str:
    kind = node.get("@type")
    return kind.removeprefix(TYPE_PREFIX) if isinstance(kind, str) else ""


def _nodes(node: Node, key: str, where: str) -> list[Node]:
    """The objects of a list field (absent = none); anything else there is an InputError."""
    value = node.get(key)
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(f"{key} should be a list of objects", where=where)
    return value


def _str(node: Node, key: str, where: str, *, required: bool = False) -> str | None:
    value = node.get(key)
    if value is None:
        if required:
            raise InputError(f"{key} is missing", where=where)
        return None
    if not isinstance(value, str):
        raise InputError(f"{key} should be text, not {type(value).__name__}", where=where)
    return value


def _refs(node: Node, key: str, where: str) -> list[str]:
    value = node.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{key} should be a list of ids", where=where)
    return value


def _show(value: Any) -> str:
    """A value as it appears in an error message, cut to a readable length."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _number(value: Any, where: str, what: str) -> int:
    """A count: a whole, non-negative number (JSON number or XML decimal text)."""
    if isinstance(value, bool):
        raise InputError(f"{what} is {_show(value)}, not a number", where=where)
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
        except ValueError:
            raise InputError(f"{what} is {_show(value)}, not a number", where=where) from None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InputError(f"{what} is {_show(value)}, not a whole number", where=where)
        value = int(value)
    if not isinstance(value, int):
        raise InputError(f"{what} is {_show(value)}, not a number", where=where)
    if value < 0:
        raise InputError(f"{what} is negative ({value})", where=where)
    return value


def _count_field(node: Node, key: str, where: str) -> int | None:
    value = node.get(key)
    return None if value is None else _number(value, where, key)


def _itext(value: Any, where: str, what: str) -> str:
    """The English (else the first) text of an ``InternationalizedText``."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise InputError(f"{what} should be an InternationalizedText", where=where)
    texts = _nodes(value, "Text", f"{where}, {what}")
    if not texts:
        raise InputError(f"{what} has no Text", where=where)
    chosen = next(
        (t for t in texts if str(t.get("Language", "")).lower().startswith("en")), texts[0]
    )
    content = chosen.get("Content", "")
    if not isinstance(content, str):
        raise InputError(f"{what} has a Text that is not text", where=where)
    return content


def extensions(node: Node, where: str) -> dict[str, list[tuple[str, str]]]:
    """racedesk's extension entries of an object: ``OtherType`` → [(``Label``, ``Value``)]."""
    found: dict[str, list[tuple[str, str]]] = {}
    for ident in _nodes(node, "ExternalIdentifier", where):
        other = ident.get("OtherType")
        if ident.get("Type") != "other" or not isinstance(other, str):
            continue
        if not other.startswith("racedesk-"):
            continue
        value = ident.get("Value", "")
        label = ident.get("Label", "")
        if not isinstance(value, str) or not isinstance(label, str):
            raise InputError(f"extension {other} should hold text", where=where)
        found.setdefault(other, []).append((label, value))
    return found


def _one(ext: Mapping[str, list[tuple[str, str]]], key: str) -> str | None:
    values = ext.get(key)
    return values[0][1] if values else None


def _ext_int(ext: Mapping[str, list[tuple[str, str]]], key: str, where: str) -> int | None:
    value = _one(ext, key)
    return None if value is None else _number(value, where, key)


def _float(value: str, where: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"{what} {_show(value)} is not a number", where=where) from None
    if not math.isfinite(number):
        raise InputError(f"{what} {_show(value)} is not a finite number", where=where)
    return number


def _ext_interval(
    ext: Mapping[str, list[tuple[str, str]]], key: str, where: str
) -> Interval | None:
    parts = [_one(ext, f"{key}-{end}") for end in ("low", "mid", "high")]
    if all(p is None for p in parts):
        return None
    if any(p is None for p in parts):
        raise InputError(f"{key} needs -low, -mid and -high", where=where)
    low, mid, high = (_float(p, where, key) for p in parts if p is not None)
    return Interval(low=low, mid=mid, high=high)


def _ext_time(value: str | None, where: str, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{what} {_show(value)} is not an ISO 8601 date and time", where=where
        ) from None
    if moment.tzinfo is None:
        raise InputError(f"{what} {_show(value)} has no time zone", where=where)
    return moment


# --- bytes → tree ------------------------------------------------------------------------------


def _json_tree(data: bytes, where: str) -> Node:
    import msgspec

    text = safety.decode_text(data, where, what="CDF JSON file")
    try:
        root = msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        message = str(exc)
        if "truncated" in message.lower():
            raise InputError(
                f"the file is cut short: not a whole JSON document ({message})", where=where
            ) from None
        raise InputError(f"not valid JSON: {message}", where=where) from None
    except RecursionError:
        raise InputError(
            "the JSON is nested too deeply to be a results report", where=where
        ) from None
    if not isinstance(root, dict):
        raise InputError("the JSON is not an object, so not an ElectionReport", where=where)
    safety.refuse_duplicate_keys(text, where)
    _refuse_string_counts(root, where)
    return root


#: The fields of a CDF JSON report that hold counts: JSON numbers there, never strings (the
#: XML form writes every value as text; the JSON form's schema says ``integer``).
_JSON_COUNTS = frozenset(
    {
        "Count",
        "Round",
        "BallotsCast",
        "BallotsOutstanding",
        "BallotsRejected",
        "VotersRegistered",
        "VotesAllowed",
        "NumberElected",
        "NumberRunoff",
        "Undervotes",
        "Overvotes",
        "WriteIns",
        "SubUnitsReported",
        "TotalSubUnits",
    }
)


def _refuse_string_counts(root: Node, where: str) -> None:
    """An :class:`InputError` for the first count written as a JSON string (``"Count": "123"``),
    naming the field and the value; walked without recursion (the tree may be deep)."""
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _JSON_COUNTS and isinstance(value, str):
                    raise InputError(
                        f"{key} is the string {_show(value)}, not a number: counts in a CDF "
                        "JSON report are JSON numbers",
                        where=where,
                    )
                if isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))


def _local(tag: Any) -> tuple[str | None, str]:
    if not isinstance(tag, str):
        return None, ""
    qname = etree.QName(tag)
    return qname.namespace, qname.localname


def _xml_node(el: etree._Element, where: str) -> Any:
    attrs: Node = {}
    for key, value in el.attrib.items():
        namespace, name = _local(key)
        if namespace == XSI and name == "type":
            attrs["@type"] = TYPE_PREFIX + str(value).rsplit(":", 1)[-1]
        elif namespace is None:
            attrs[XML_ATTRIBUTES.get(name, name)] = str(value)
    children = [c for c in el if isinstance(c.tag, str)]
    if not children:
        text = el.text or ""
        if attrs:
            attrs["Content"] = text
            return attrs
        return text
    node: Node = attrs
    for child in children:
        _, name = _local(child.tag)
        value = _xml_node(child, where)
        if name in IDREFS_FIELDS:
            if not isinstance(value, str):
                raise InputError(f"{name} should be a list of ids", where=where)
            node.setdefault(name, []).extend(value.split())
        elif name in LIST_FIELDS:
            node.setdefault(name, []).append(value)
        elif name in node:
            raise InputError(f"element {name} appears twice in {_local(el.tag)[1]}", where=where)
        else:
            node[name] = value
    return node


def _xml_tree(data: bytes, where: str) -> Node:
    root = safety.parse_xml(data, where)
    namespace, name = _local(root.tag)
    if name != "ElectionReport":
        raise InputError(f"the XML root is <{name}>, not a NIST CDF <ElectionReport>", where=where)
    if namespace not in (None, NAMESPACE):
        raise InputError(
            f"the XML namespace is {_show(namespace)}, not version 2 of NIST SP 1500-100 ({NAMESPACE})",
            where=where,
        )
    node = _xml_node(root, where)
    if not isinstance(node, dict):
        raise InputError("the ElectionReport is empty", where=where)
    node["@type"] = TYPE_PREFIX + "ElectionReport"
    return node


def _strip(data: bytes) -> bytes:
    return data[3:].lstrip() if data.startswith(b"\xef\xbb\xbf") else data.lstrip()


# --- the adapter -------------------------------------------------------------------------------


_INSTANCE = re.compile(rb'"@type"\s*:\s*"ElectionResults\.')


def sniff(data: bytes, name: str) -> bool:
    """True for a NIST CDF ElectionReport: JSON naming ``ElectionResults.`` classes, or XML in
    the standard's namespace."""
    head = _strip(data[:65536])
    if head.startswith(b"{"):
        return _INSTANCE.search(head) is not None
    if head.startswith(b"<"):
        return NAMESPACE.encode() in head[:8192] and b"ElectionReport" in head[:8192]
    return False


def parse(
    data: bytes,
    *,
    where: str,
    received_at: datetime | None = None,
    rules: Mapping[str, Rule] | None = None,
    content_hash: str | None = None,
) -> Parsed:
    """Read one NIST CDF ``ElectionReport`` (JSON or XML) into an election and one release.

    ``rules`` (a contest-rules file, by contest id) overrides the rules the report states or
    implies. See the module docstring and ``docs/cdf.md`` for the mapping.
    """
    safety.check_size(data, where, MAX_BYTES)
    head = _strip(data[:64])
    if head.startswith((b"{", b"[")):
        tree = _json_tree(data, where)
    elif head.startswith(b"<"):
        tree = _xml_tree(data, where)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the file is UTF-16; NIST CDF files are read as UTF-8", where=where)
    elif not head:
        raise InputError("the file is empty", where=where)
    else:
        raise InputError("neither JSON nor XML: not a NIST CDF ElectionReport", where=where)
    return _Report(tree, data, where, received_at, rules, content_hash).parsed()


# --- the report --------------------------------------------------------------------------------

_ELECTION_TYPES: dict[str, ElectionKind] = {
    "general": "general",
    "primary": "primary",
    "partisan-primary-closed": "primary",
    "partisan-primary-open": "primary",
    "special": "special",
    "runoff": "general",
    "other": "general",
}
#: Reporting units no wider than a county (``ReportingUnitType``): a report scoped to one sees
#: only its part of a contest of a wider unit.
_LOCAL_UNITS = frozenset({"county", "city", "municipality", "town", "township", "village",
                          "borough", "ward", "precinct", "county-council", "city-council"})  # fmt: skip
#: Units that reach beyond a county, or may: the contest's whole is not in a local report.
_WIDER_UNITS = frozenset({"country", "state", "congressional", "state-house", "state-senate",
                          "judicial"})  # fmt: skip
_STATUS_TO_RELEASE = {"certified": "certified", "correction": "correction", "recount": "recount"}


class _Head(NamedTuple):
    """What a report says of its election: ids, name, date, type, scope and issuer."""

    election_id: str
    title: str
    day: date
    etype: str
    scope: str | None
    issuer: str
    jurisdiction: str
    registration: int | None


class _Report:
    """One ElectionReport tree being read."""

    def __init__(
        self,
        tree: Node,
        data: bytes,
        where: str,
        received_at: datetime | None,
        rules: Mapping[str, Rule] | None,
        content_hash: str | None = None,
    ) -> None:
        if "$schema" in tree or "definitions" in tree:
            raise InputError(
                "this is a JSON Schema (it defines the CDF's classes), not an ElectionReport",
                where=where,
            )
        if _class(tree) != "ElectionReport":
            raise InputError(
                'not a NIST CDF ElectionReport (no "@type": "ElectionResults.ElectionReport")',
                where=where,
            )
        self.tree = tree
        self.data = data
        self.where = where
        self.received_at = received_at
        self.overrides = dict(rules or {})
        self.ext = extensions(tree, where)
        self.vote_types = {label: value for label, value in self.ext.get(Ext.VOTE_TYPE, [])}
        self.hash = content_hash if content_hash is not None else sha256_hex(data)
        self.gpunits: dict[str, Node] = {}
        self._below: dict[str, set[str]] = {}  # unit → every unit composed into it
        for unit in _nodes(tree, "GpUnit", where):
            uid = _str(unit, "@id", f"{where}, GpUnit", required=True)
            assert uid is not None
            if uid in self.gpunits:
                raise InputError(f"GpUnit {uid} is defined twice", where=where)
            self.gpunits[uid] = unit
        self.parties: dict[str, str] = {}
        for party in _nodes(tree, "Party", where):
            pid = _str(party, "@id", f"{where}, Party", required=True)
            assert pid is not None
            self.parties[pid] = _itext(party.get("Name", ""), f"{where}, party {pid}", "Name")

    # --- pieces ---------------------------------------------------------------------------------

    def _descendants(self, unit: str) -> set[str]:
        cached = self._below.get(unit)
        if cached is not None:
            return cached
        seen: set[str] = set()
        stack = [unit]
        while stack:
            node = self.gpunits.get(stack.pop())
            if node is None:
                continue
            for child in _refs(node, "ComposingGpUnitIds", self.where):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        self._below[unit] = seen
        return seen

    def _top_units(self, units: set[str], scope: str | None) -> set[str]:
        """The units whose counts make a total: the scope alone when counted there, else the
        units not composed into another counted unit."""
        if scope is not None and scope in units:
            return {scope}
        inner: set[str] = set()
        for unit in units:
            inner |= self._descendants(unit) - {unit}
        return units - inner

    def vote_type_name(self, label: str) -> str:
        """The source's own name of a count type (``racedesk-vote-type``), else the CDF's."""
        return self.vote_types.get(label, label)

    def _party(self, pid: str | None, where: str) -> str:
        if pid is None:
            return ""
        if pid not in self.parties:
            raise UnknownReferenceError(f"party {pid} is not defined in the report", where=where)
        return self.parties[pid]

    # --- the whole ------------------------------------------------------------------------------

    def parsed(self) -> Parsed:
        """The report's election, its one release, the calls it states and the registrar's
        ballots outstanding (when it states them)."""
        where = self.where
        node = self._election_node()
        here = f"{where}, Election"
        head = self._head(node, here)
        feed_time = self._feed_time()
        contests, counts, calls = self._contests(node, head, feed_time, here)
        timezone = _one(extensions(node, here), Ext.TIMEZONE)
        election = Election(
            id=head.election_id,
            title=head.title,
            date=head.day,
            jurisdiction=head.jurisdiction,
            kind=_ELECTION_TYPES[head.etype],
            contests=tuple(contests),
            registration=head.registration,
            source=SOURCE,  # its payloads are CDF reports, whatever fed the issuer
            timezone=timezone or "America/Los_Angeles",
        )
        counted, mail, in_person, outstanding = self._ballot_counts(node, head.scope, here)
        status = _one(self.ext, Ext.RELEASE_STATUS)
        if status is None:
            status = _STATUS_TO_RELEASE.get(str(self.tree.get("Status")), "unofficial")
        release = Release(
            election_id=election.id,
            source=SOURCE,
            feed_time=feed_time,
            received_at=self.received_at or datetime.now(tz=feed_time.tzinfo),
            content_hash=self.hash,
            contests=tuple(counts),
            ballots_counted=counted,
            ballots_mail=mail,
            ballots_in_person=in_person,
            status=status,
        )
        release = checked_release(release, self.where)
        reports = self._reports(outstanding, counted, feed_time, head)
        return Parsed(election=election, releases=(release,), calls=tuple(calls), reports=reports)

    def _election_node(self) -> Node:
        """The report's one ``Election``."""
        elections = _nodes(self.tree, "Election", self.where)
        if not elections:
            raise InputError("the ElectionReport holds no Election", where=self.where)
        if len(elections) > 1:
            raise InputError(
                f"the ElectionReport holds {len(elections)} elections; racedesk reads one per report",
                where=self.where,
            )
        return elections[0]

    def _head(self, node: Node, here: str) -> _Head:
        """What the ``Election`` and the report say of the election itself."""
        where = self.where
        title = _itext(node.get("Name"), here, "Name") if node.get("Name") is not None else ""
        if not title:
            raise InputError("the Election has no Name", where=here)
        start = _str(node, "StartDate", here, required=True)
        try:
            day = date.fromisoformat(str(start)[:10])
        except ValueError:
            raise InputError(f"StartDate {_show(start)} is not a date", where=here) from None
        etype = _str(node, "Type", here) or "general"
        if etype not in _ELECTION_TYPES:
            raise InputError(f"unknown election Type {_show(etype)}", where=here)
        scope = _str(node, "ElectionScopeId", here)
        if scope is not None and scope not in self.gpunits:
            raise UnknownReferenceError(
                f"ElectionScopeId {scope} is not a GpUnit of the report", where=here
            )
        scope_unit = self.gpunits.get(scope) if scope is not None else None
        issuer = _str(self.tree, "Issuer", where) or ""
        abbreviation = _str(self.tree, "IssuerAbbreviation", where) or ""
        jurisdiction = issuer
        registration = None
        if scope_unit is not None:
            if scope_unit.get("Name") is not None:
                jurisdiction = _itext(scope_unit["Name"], f"{where}, GpUnit {scope}", "Name")
            registration = _count_field(scope_unit, "VotersRegistered", f"{where}, GpUnit {scope}")
        election_id = _one(extensions(node, here), Ext.ELECTION_ID)
        if election_id is None:
            slug = (
                re.sub(r"[^A-Za-z0-9-]+", "-", abbreviation or issuer or "report")
                .strip("-")
                .lower()
            )
            election_id = f"{SOURCE}:{slug or 'report'}-{day.isoformat()}"
        return _Head(election_id, title, day, etype, scope, issuer, jurisdiction, registration)

    def _contests(
        self, node: Node, head: _Head, feed_time: datetime, here: str
    ) -> tuple[list[Contest], list[ContestCount], list[CallEvent]]:
        """Every ``Contest`` of the election: the contests, the counts of those with results,
        and the calls the report states."""
        candidates = {}
        for cand in _nodes(node, "Candidate", here):
            cid = _str(cand, "@id", f"{here}, Candidate", required=True)
            assert cid is not None
            if cid in candidates:
                raise InputError(f"candidate {cid} is defined twice", where=here)
            candidates[cid] = cand
        contests: list[Contest] = []
        counts: list[ContestCount] = []
        calls: list[CallEvent] = []
        sequence = _ext_int(self.ext, Ext.RELEASE_SEQUENCE, self.where)
        seen: set[str] = set()
        for position, cnode in enumerate(_nodes(node, "Contest", here)):
            reader = _ContestReader(self, cnode, candidates, head.scope, position)
            contest, count = reader.read()
            if contest.id in seen:
                raise InputError(f"contest {contest.id} appears twice", where=here)
            seen.add(contest.id)
            contests.append(contest)
            if count is not None:
                counts.append(count)
            event = reader.call(contest, len(calls), feed_time, sequence, head.issuer)
            if event is not None:
                calls.append(event)
        if self.overrides:
            raise InputError(
                f"the rules file names contests the report does not have: {sorted(self.overrides)}",
                where=self.where,
            )
        return contests, counts, calls

    def _reports(
        self, outstanding: int | None, counted: int | None, feed_time: datetime, head: _Head
    ) -> tuple[OutstandingReport, ...]:
        """The registrar's ballots outstanding the report states, as an outstanding report
        (none when it states none, or when racedesk's own estimate was exported)."""
        where = self.where
        left_source = _one(self.ext, Ext.BALLOTS_LEFT_SOURCE)
        if outstanding is None or left_source not in (None, "registrar"):
            return ()
        as_of = _ext_time(_one(self.ext, Ext.BALLOTS_LEFT_AS_OF), where, Ext.BALLOTS_LEFT_AS_OF)
        return (
            OutstandingReport(
                as_of=as_of or feed_time,
                total=outstanding,
                counted_so_far=counted,
                election_date=head.day,
                note=_one(self.ext, Ext.BALLOTS_LEFT_NOTE)
                or "BallotsOutstanding of a NIST CDF report",
                source=f"{head.issuer or 'NIST CDF report'} ({where})",
            ),
        )

    def _feed_time(self) -> datetime:
        where = self.where
        stated = _ext_time(_one(self.ext, Ext.FEED_TIME), where, Ext.FEED_TIME)
        if stated is not None:
            return stated
        generated = _str(self.tree, "GeneratedDate", where, required=True)
        moment = _ext_time(generated, where, "GeneratedDate")
        assert moment is not None
        return moment

    def _ballot_counts(
        self, node: Node, scope: str | None, where: str
    ) -> tuple[int | None, int | None, int | None, int | None]:
        """Ballots counted (all, mail, in person) and outstanding at the election's scope."""
        by_unit: dict[str, dict[str, Node]] = {}
        for bc in _nodes(node, "BallotCounts", where):
            here = f"{where}, BallotCounts"
            unit = _str(bc, "GpUnitId", here, required=True)
            assert unit is not None
            if bc.get("Round") is not None:
                continue
            kind = _str(bc, "Type", here) or "total"
            if kind == "other":
                kind = _str(bc, "OtherType", here) or "other"
            if kind in by_unit.setdefault(unit, {}):
                raise InputError(
                    f"BallotCounts of type {kind} for {unit} appear twice", where=where
                )
            by_unit[unit][kind] = bc
        if not by_unit:
            return None, None, None, None
        units = self._top_units(set(by_unit), scope)

        def total(field: str, kinds: tuple[str, ...]) -> int | None:
            values = [
                _count_field(by_unit[u][k], field, f"{where}, BallotCounts {u} {k}")
                for u in units
                for k in kinds
                if k in by_unit[u]
            ]
            known = [v for v in values if v is not None]
            return sum(known) if known else None

        counted = total("BallotsCast", ("total",))
        if counted is None:
            counted = total("BallotsCast", tuple({k for u in units for k in by_unit[u]}))
        mail = total("BallotsCast", ("absentee-mail",))
        in_person = total("BallotsCast", (IN_PERSON,))
        if in_person is None:
            in_person = total("BallotsCast", ("election-day", "early", "absentee-in-person"))
        outstanding = total("BallotsOutstanding", ("total",))
        return counted, mail, in_person, outstanding


CountKey = tuple[str, str | None]
_TOTAL: CountKey = ("total", None)


class _ContestReader:
    """One Contest of the report: its definition, counts and any call."""

    def __init__(
        self,
        report: _Report,
        node: Node,
        candidates: Mapping[str, Node],
        scope: str | None,
        position: int,
    ) -> None:
        self.report = report
        self.node = node
        self.candidates = candidates
        self.scope = scope
        raw_id = node.get("@id")
        label = raw_id if isinstance(raw_id, str) else f"#{position + 1}"
        self.where = f"{report.where}, contest {label}"
        self.ext = extensions(node, self.where)
        if not isinstance(raw_id, str) or not raw_id:
            raise InputError("the contest has no @id", where=self.where)
        self.id = _one(self.ext, Ext.ID) or raw_id
        if self.id != raw_id:
            self.where = f"{report.where}, contest {self.id}"
        self.choice_status: dict[str, str] = {}  # choice id → PostElectionStatus
        self.choice_ext: dict[str, dict[str, list[tuple[str, str]]]] = {}  # choice id → extension

    # --- definition -----------------------------------------------------------------------------

    def read(self) -> tuple[Contest, ContestCount | None]:
        node, where = self.node, self.where
        cls = _class(node)
        if cls not in (
            "CandidateContest",
            "BallotMeasureContest",
            "RetentionContest",
            "PartyContest",
        ):
            raise InputError(f"unknown contest class {_show(node.get('@type'))}", where=where)
        title = _str(node, "Name", where, required=True) or ""
        choices: list[Choice] = []
        writein_selections: list[Node] = []
        choice_selections: list[tuple[str, Node]] = []
        for sel in _nodes(node, "ContestSelection", where):
            sel_class = _class(sel)
            sel_id = _str(sel, "@id", f"{where}, ContestSelection", required=True)
            assert sel_id is not None
            here = f"{where}, selection {sel_id}"
            if sel_class == "CandidateSelection":
                cand_ids = _refs(sel, "CandidateIds", here)
                if sel.get("IsWriteIn") in (True, "true", "1") and not cand_ids:
                    writein_selections.append(sel)
                    continue
                choice = self._candidate_choice(sel_id, cand_ids, here)
            elif sel_class == "BallotMeasureSelection":
                sext = extensions(sel, here)
                if sel.get("Selection") is None:
                    raise InputError("the measure selection has no Selection text", where=here)
                choice = Choice(
                    id=_one(sext, Ext.ID) or sel_id,
                    name=_itext(sel["Selection"], here, "Selection"),
                    party=_one(sext, Ext.PARTY) or "",
                )
                self.choice_ext[choice.id] = sext
            elif sel_class == "PartySelection":
                names = [self.report._party(p, here) for p in _refs(sel, "PartyIds", here)]
                choice = Choice(
                    id=sel_id, name=" / ".join(names) or sel_id, party=" / ".join(names)
                )
            else:
                raise InputError(f"unknown selection class {_show(sel.get('@type'))}", where=here)
            if any(c.id == choice.id for c in choices):
                raise InputError(f"choice {choice.id} appears twice", where=where)
            choices.append(choice)
            choice_selections.append((choice.id, sel))
        kind, rule = self._rule(cls)
        rule = self.report.overrides.pop(self.id, rule)
        party_ids = _refs(node, "PrimaryPartyIds", where)
        contest = Contest(
            id=self.id,
            title=title,
            kind=kind,
            rule=rule,
            choices=tuple(choices),
            group=_one(self.ext, Ext.GROUP) or "",
            party=" / ".join(self.report._party(p, where) for p in party_ids),
            portion=self._portion(node),
            question=(
                _itext(self.node["FullText"], self.where, "FullText")
                if self.node.get("FullText") is not None
                else ""
            ),
        )
        return contest, self._count(choice_selections, writein_selections)

    def _portion(self, node: Node) -> str:
        """The part of the contest the report sees: as racedesk's extension states it, else as
        :meth:`_part_seen` reads it from the reporting units."""
        stated = _one(self.ext, Ext.PORTION)
        return stated if stated is not None else self._part_seen(node)

    def _part_seen(self, node: Node) -> str:
        """The part of the contest a local report sees, when the report does not say it
        (``racedesk-portion``): a report whose election scope is a county or smaller sees only
        its part of a contest whose district is a state, a country, a seat in Congress or the
        legislature or a judicial district (``ReportingUnitType``); "" otherwise."""
        scope = self.report.gpunits.get(self.scope or "")
        district = self.report.gpunits.get(_str(node, "ElectionDistrictId", self.where) or "")
        if scope is None or district is None or district is scope:
            return ""
        if _str(scope, "Type", self.where) not in _LOCAL_UNITS:
            return ""
        if _str(district, "Type", self.where) not in _WIDER_UNITS:
            return ""
        name = scope.get("Name")
        return county_name_of(
            _itext(name, self.where, "Name") if name is not None else str(self.scope)
        )

    def _candidate_choice(self, sel_id: str, cand_ids: list[str], where: str) -> Choice:
        if not cand_ids:
            raise InputError("the candidate selection names no candidate", where=where)
        names: list[str] = []
        party = ""
        choice_id: str | None = None
        status: str | None = None
        for cid in cand_ids:
            cand = self.candidates.get(cid)
            if cand is None:
                raise UnknownReferenceError(
                    f"candidate {cid} is not defined in the Election", where=where
                )
            chere = f"{self.report.where}, candidate {cid}"
            if cand.get("BallotName") is None:
                raise InputError("the candidate has no BallotName", where=chere)
            names.append(_itext(cand["BallotName"], chere, "BallotName"))
            if not party:
                party = self.report._party(_str(cand, "PartyId", chere), chere)
            cext = extensions(cand, chere)
            if len(cand_ids) == 1:
                choice_id = _one(cext, Ext.ID) or cid
            status = status or _str(cand, "PostElectionStatus", chere)
        final_id = choice_id or sel_id
        if status is not None:
            self.choice_status[final_id] = status
        if len(cand_ids) == 1:
            self.choice_ext[final_id] = cext
        return Choice(id=final_id, name=" / ".join(names), party=party)

    def _rule(self, cls: str) -> tuple[ContestKind, Rule]:
        node, where, ext = self.node, self.where, self.ext
        votes_allowed = _count_field(node, "VotesAllowed", where)
        elected = _count_field(node, "NumberElected", where)
        runoff = _count_field(node, "NumberRunoff", where)
        variation = _str(node, "VoteVariation", where)
        other_variation = (_str(node, "OtherVoteVariation", where) or "").strip().lower()
        threshold_text = ""
        if node.get("PassageThreshold") is not None:
            threshold_text = _itext(node["PassageThreshold"], where, "PassageThreshold")
        measure_type = _str(node, "Type", where) if cls == "BallotMeasureContest" else None
        kind: ContestKind
        if cls in ("CandidateContest", "PartyContest"):
            kind = "candidate"
        elif cls == "RetentionContest":
            kind = "retention"
        elif measure_type == "recall":
            kind = "recall"
        else:
            kind = "measure"
        stated = _one(ext, Ext.RULE)
        if stated is not None:
            if stated not in _RULE_KINDS:
                raise InputError(f"unknown racedesk rule {_show(stated)}", where=where)
            for key in (Ext.THRESHOLD, Ext.ALT_THRESHOLD):
                value = _one(ext, key)
                if value is not None:
                    try:
                        Fraction(value)
                    except (ValueError, ZeroDivisionError):
                        raise InputError(
                            f"{key} {_show(value)} is not a fraction", where=where
                        ) from None
            return kind, Rule(
                kind=stated,  # type: ignore[arg-type]
                seats=_ext_int(ext, Ext.SEATS, where) or elected or 1,
                votes_allowed=_ext_int(ext, Ext.VOTES_ALLOWED, where) or votes_allowed or 1,
                advance=_ext_int(ext, Ext.ADVANCE, where) or runoff or 0,
                threshold=_one(ext, Ext.THRESHOLD),
                alt_threshold=_one(ext, Ext.ALT_THRESHOLD),
                condition=_one(ext, Ext.CONDITION) or "",
                text=_one(ext, Ext.RULE_TEXT) or threshold_text,
            )
        if kind == "candidate":
            allowed = votes_allowed or 1
            seats = elected or 1
            if variation == "rcv":
                return kind, _ranked_rule(seats, allowed)
            seats = elected or allowed
            if variation == "majority":
                stated = f"the top {runoff}" if runoff else "the top two (the report does not say)"
                return kind, Rule(
                    kind="majority_or_runoff",
                    seats=seats,
                    votes_allowed=allowed,
                    advance=runoff or 2 * seats,
                    text=f"majority of votes cast elects; otherwise {stated} go to a runoff",
                )
            if re.fullmatch(r"top[- ]?two", other_variation):
                return kind, Rule(
                    kind="top_two",
                    seats=1,
                    votes_allowed=allowed,
                    advance=runoff or 2,
                    text="top two advance",
                )
            return kind, plurality_rule(seats, allowed)
        if kind == "recall":
            return kind, Rule(
                kind="recall", threshold="1/2", text=threshold_text or "Majority of votes cast"
            )
        if kind == "retention":
            return kind, retention_rule()
        return kind, measure_rule(threshold_text, variation=variation)

    # --- counts ---------------------------------------------------------------------------------

    def _unit_counts(self, sel: Node, where: str) -> dict[str, dict[CountKey, int]]:
        """A selection's counts: unit → (``Type``, ``OtherType``) → count (for ranked-choice
        reports, the first round only)."""
        rounds = [
            r for r in (vc.get("Round") for vc in _nodes(sel, "VoteCounts", where)) if r is not None
        ]
        first = min((_number(r, where, "Round") for r in rounds), default=None)
        out: dict[str, dict[CountKey, int]] = {}
        for vc in _nodes(sel, "VoteCounts", where):
            here = f"{where}, VoteCounts"
            if vc.get("Round") is not None and _number(vc["Round"], here, "Round") != first:
                continue
            unit = _str(vc, "GpUnitId", here, required=True)
            assert unit is not None
            kind = _str(vc, "Type", here) or "total"
            key = (kind, _str(vc, "OtherType", here) if kind == "other" else None)
            if vc.get("Count") is None:
                raise InputError("a VoteCounts has no Count", where=here)
            value = _number(vc["Count"], here, "Count")
            per_unit = out.setdefault(unit, {})
            if key in per_unit:
                raise InputError(f"two {key[1] or kind} counts for {unit}", where=here)
            per_unit[key] = value
        return out

    def _count(
        self, selections: list[tuple[str, Node]], writeins: list[Node]
    ) -> ContestCount | None:
        node, where, ext = self.node, self.where, self.ext
        scope = _str(node, "ElectionDistrictId", where) or self.scope
        per_choice = {
            cid: self._unit_counts(sel, f"{where}, choice {cid}") for cid, sel in selections
        }
        per_writein = [self._unit_counts(sel, f"{where}, write-ins") for sel in writeins]
        others: dict[str, Node] = {}
        for oc in _nodes(node, "OtherCounts", where):
            unit = _str(oc, "GpUnitId", f"{where}, OtherCounts", required=True)
            assert unit is not None
            if unit in others:
                raise InputError(f"two OtherCounts for {unit}", where=where)
            others[unit] = oc
        counted = {cid for cid, units in per_choice.items() if units}
        ballots = _ext_int(ext, Ext.BALLOTS, where)
        if not counted and not any(per_writein) and not others and ballots is None:
            return None
        if counted and counted != set(per_choice):
            missing = ", ".join(sorted(set(per_choice) - counted))
            raise InputError(
                f"no VoteCounts for {missing} while other choices have them", where=where
            )
        units: set[str] = set()
        for table in (*per_choice.values(), *per_writein):
            units |= set(table)
        top = self.report._top_units(units, scope)
        votes: dict[str, int] = {}
        by_type: dict[str, dict[str, int]] = {}  # vote type → choice id → votes
        for cid, table in per_choice.items():
            votes[cid] = 0
            for unit in top & set(table):
                types = table[unit]
                parts = {k: v for k, v in types.items() if k != _TOTAL}
                votes[cid] += types[_TOTAL] if _TOTAL in types else sum(parts.values())
                for (kind, other), v in parts.items():
                    name = self.report.vote_type_name(other or kind)
                    per_type = by_type.setdefault(name, {})
                    per_type[cid] = per_type.get(cid, 0) + v
        write_ins = 0
        for table in per_writein:
            for unit in top & set(table):
                types = table[unit]
                write_ins += types[_TOTAL] if _TOTAL in types else sum(types.values())
        other_top = self.report._top_units(set(others), scope)
        undervotes = overvotes = stated_writeins = None
        for unit in sorted(other_top):
            oc, here = others[unit], f"{where}, OtherCounts {unit}"
            u, o, w = (_count_field(oc, k, here) for k in ("Undervotes", "Overvotes", "WriteIns"))
            undervotes = None if u is None else (undervotes or 0) + u
            overvotes = None if o is None else (overvotes or 0) + o
            stated_writeins = None if w is None else (stated_writeins or 0) + w
        if not per_writein and stated_writeins is not None:
            write_ins = stated_writeins
        unused_text = _one(ext, Ext.UNUSED)
        unused = (
            tuple(_number(v, where, Ext.UNUSED) for v in unused_text.split()) if unused_text else ()
        )
        return ContestCount(
            contest_id=self.id,
            votes=votes,
            write_ins=write_ins,
            ballots=ballots,
            full=_ext_int(ext, Ext.FULL, where),
            partial=_ext_int(ext, Ext.PARTIAL, where),
            undervotes=undervotes,
            overvotes=overvotes,
            unused=unused,
            votes_by_type=by_type,
            precincts_reporting=_count_field(node, "SubUnitsReported", where),
            precincts_total=_count_field(node, "TotalSubUnits", where),
            rounds=self._rounds(selections, top),
        )

    def _rounds(self, selections: list[tuple[str, Node]], top: set[str]) -> tuple[RoundCount, ...]:
        """A ranked-choice contest's rounds: each choice's ``total`` ``VoteCounts`` by
        ``Round``, summed over the top units, the first round named "first choices" and the
        others "round N" (the standard has no names for them); none unless two rounds or more
        are given."""
        per_round: dict[int, dict[str, int]] = {}
        for cid, sel in selections:
            here = f"{self.where}, choice {cid}, VoteCounts"
            for vc in _nodes(sel, "VoteCounts", here):
                unit = _str(vc, "GpUnitId", here)
                if vc.get("Round") is None or unit not in top:
                    continue
                if (_str(vc, "Type", here) or "total") != "total" or vc.get("Count") is None:
                    continue
                tally = per_round.setdefault(_number(vc["Round"], here, "Round"), {})
                tally[cid] = tally.get(cid, 0) + _number(vc["Count"], here, "Count")
        if len(per_round) < 2:
            return ()
        numbers = sorted(per_round)
        return tuple(
            RoundCount(
                name="first choices" if n == numbers[0] else f"round {n}", tally=per_round[n]
            )
            for n in numbers
        )

    # --- calls ----------------------------------------------------------------------------------

    def call(
        self,
        contest: Contest,
        event_id: int,
        feed_time: datetime,
        sequence: int | None,
        issuer: str,
    ) -> CallEvent | None:
        """The report's call on this contest, as a ledger event from an outside source: racedesk's
        ``racedesk-call-status`` when present, else the candidates' ``PostElectionStatus``."""
        ext, where = self.ext, self.where
        status = _one(ext, Ext.CALL_STATUS)
        choices: tuple[str, ...]
        if status is not None:
            if status not in _CALL_STATUSES:
                raise InputError(f"unknown call status {_show(status)}", where=where)
            if status not in CALLED_STATUSES:
                return None
            choices = tuple(v for _, v in ext.get(Ext.CALL_CHOICE, []))
            reason = _one(ext, Ext.CALL_SENTENCE) or f"{issuer or 'the report'}: {status}"
        else:
            winners = tuple(
                c.id
                for c in contest.choices
                if self.choice_status.get(c.id) in ("winner", "projected-winner")
            )
            advanced = tuple(
                c.id
                for c in contest.choices
                if self.choice_status.get(c.id) == "advanced-to-runoff"
            )
            if advanced:
                status = logic_for(contest.rule).advance_status
                choices = advanced
            elif winners:
                status, choices = "called", winners
            else:
                return None
            names = ", ".join(contest.choice(c).name for c in choices)
            reason = f"{issuer or 'The report'} marks {names} as {self.choice_status[choices[0]]}."
        probability = None
        for cid in choices:
            value = _one(self.choice_ext.get(cid, {}), Ext.PROBABILITY)
            if value is not None:
                probability = _float(value, where, Ext.PROBABILITY)
                break
        vendor = _str(self.report.tree, "VendorApplicationId", self.report.where) or "NIST CDF"
        return CallEvent(
            event_id=event_id,
            contest_id=contest.id,
            status=status,  # type: ignore[arg-type]
            choices=choices,
            release_hash=self.report.hash,
            release_sequence=sequence if sequence is not None else -1,
            release_time=feed_time,
            votes_left=_ext_interval(ext, Ext.VOTES_LEFT, where),
            hurdle=None,
            probability=probability,
            model_version=_one(self.report.ext, Ext.MODEL_VERSION) or vendor,
            reason=reason,
            approved_by=f"outside: {issuer or 'a NIST CDF report'}",
            outside=f"a NIST CDF report issued by {issuer}" if issuer else "a NIST CDF report",
        )


# --- the adapter's verbs -----------------------------------------------------------------------

_verbs = WholeFile(parse)
read_election = _verbs.read_election
read_release = _verbs.read_release
release_reader = _verbs.release_reader
feed_folder = _verbs.feed_folder


def _ranked_rule(seats: int, allowed: int) -> Rule:
    """A ranked-choice contest's rule where the report gives no racedesk rule: one seat is
    :mod:`racedesk.rules.ranked_choice`'s (its rounds, where the report publishes them, decide;
    its first choices alone never do); a ranked count of several seats is not one racedesk
    holds, so unknown."""
    if seats > 1:
        return Rule(kind="unknown", text=f"ranked choice for {seats} seats (VoteVariation rcv)")
    return Rule(
        kind="ranked_choice", votes_allowed=allowed, text="ranked choice (VoteVariation rcv)"
    )


__all__ = [
    "CALLED_STATUSES",
    "COUNT_TYPES",
    "EXTENSION_VERSION",
    "IDREFS_FIELDS",
    "IN_PERSON",
    "LIST_FIELDS",
    "NAME",
    "NAMESPACE",
    "TYPE_PREFIX",
    "XSI",
    "Ext",
    "extensions",
    "feed_folder",
    "object_id",
    "parse",
    "read_election",
    "read_release",
    "release_reader",
    "sniff",
]
