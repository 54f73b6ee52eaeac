"""Which adapter reads a source: from an explicit format, a scheme, the file's name, or its bytes.

:func:`adapter_for` decides, in this order:

1. an explicit format (``--format clarity``; see :data:`FORMATS` for names and aliases);
2. a scheme naming the format: ``lavote:4324``, ``clarity:https://results.enr…``, ``ap:FILE``,
   ``cdf:FILE`` …;
3. the file's name: an LA County feed folder (``election_data.json`` + ``releases/``) or
   ``election_data.json``; ``detail.xml``/``detailxml.zip``; ``*.ets``; ``*.csv``;
4. the bytes (compressed payloads are looked into): ``000ET`` lines, ``<ElectionResult>``, a
   NIST CDF ``ElectionReport`` (XML namespace or JSON ``@type``), an AP payload (``races``,
   ``electionDate``), an LA County feed payload, an OpenElections header.

Every adapter has ``NAME``, ``sniff(data, name)`` and ``parse(data, *, where, received_at,
rules)`` (:class:`racedesk.sources.base.Adapter`). The NIST CDF adapter
(``racedesk.sources.cdf``) is imported only when it is needed.
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import cast

from racedesk.errors import InputError
from racedesk.model import Rule
from racedesk.sources import ap, clarity, ets, lavote, openelections, safety
from racedesk.sources.base import Adapter, Parsed

#: Format names a user may give, with their aliases.
FORMATS: dict[str, tuple[str, ...]] = {
    "lavote": ("la", "lavote-json"),
    "clarity": ("clarity-xml", "enr", "scytl"),
    "cdf": ("cdf-json", "cdf-xml", "nist", "nist-cdf"),
    "ap": ("ap-json", "ap-v2", "ap-v3"),
    "openelections": ("oe", "openelections-csv"),
    "ets": ("la-ets",),
}
_ALIASES = {alias: name for name, aliases in FORMATS.items() for alias in (name, *aliases)}


class LavoteAdapter:
    """The LA County RR/CC feed as an adapter (its module, :mod:`racedesk.sources.lavote`, reads
    the two payloads; a release needs its election, so a feed is read as a folder)."""

    NAME = "lavote"

    def sniff(self, data: bytes, name: str) -> bool:
        head = data[:4096].lstrip()
        if not head.startswith(b"{"):
            return False
        body = data[:65536]
        return b'"Data"' in body and (b'"ReferenceType"' in body or b'"ContestGroups"' in body)

    def parse(
        self,
        data: bytes,
        *,
        where: str,
        received_at: datetime | None = None,
        rules: Mapping[str, Rule] | None = None,
    ) -> Parsed:
        """An ``election_data.json`` gives the election and no release. A counter release alone
        cannot be read: it names candidates by number only."""
        if b'"ContestGroups"' in data[:65536]:
            return Parsed(election=lavote.read_election(data, where, rules), releases=())
        raise InputError(
            "an LA County counter release cannot be read without its election",
            where=where,
            hint="ingest the feed folder (election_data.json + releases/), or the release into "
            "an election racedesk already has",
        )

    def parse_folder(self, folder: Path, rules: Mapping[str, Rule] | None = None) -> Parsed:
        """A feed folder laid out like ``../shared/data/lavote/*``: the election and its releases."""
        election, files = lavote.load_folder(folder, rules)
        releases = tuple(lavote.read_release(d, election, where=str(p)) for p, d in files)
        return Parsed(election=election, releases=releases)


LAVOTE = LavoteAdapter()


def _module(name: str) -> Adapter:
    if name == "lavote":
        return LAVOTE
    if name == "cdf":
        return cast(Adapter, importlib.import_module("racedesk.sources.cdf"))
    modules: dict[str, Adapter] = {
        "clarity": clarity,
        "ap": ap,
        "openelections": openelections,
        "ets": ets,
    }
    return modules[name]


def format_name(fmt: str) -> str:
    """The canonical name of a format or alias (``cdf-json`` → ``cdf``)."""
    name = _ALIASES.get(fmt.strip().lower())
    if name is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown format {fmt!r} (known: {known})", where="--format")
    return name


def split_scheme(source: str) -> tuple[str | None, str]:
    """``("clarity", "https://…")`` for ``clarity:https://…``; ``(None, source)`` when the source
    names no format (a path, a plain URL, a Windows drive letter)."""
    head, sep, rest = source.partition(":")
    if sep and head.lower() in _ALIASES and len(head) > 1:
        return _ALIASES[head.lower()], rest
    return None, source


def _by_name(source: str) -> str | None:
    path = Path(source)
    if lavote.is_feed_folder(path):
        return "lavote"
    name = source.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0].lower()
    if name == "election_data.json":
        return "lavote"
    if name in ("detail.xml", "detailxml.zip"):
        return "clarity"
    if name.endswith(".ets"):
        return "ets"
    if name.endswith(".csv"):
        return "openelections"
    return None


def _head(data: bytes, size: int = 65536) -> tuple[bytes, str]:
    """The first bytes of the payload itself (looking into gzip and zip), and a member name."""
    if data.startswith(b"\x1f\x8b"):
        try:
            return zlib.decompressobj(wbits=31).decompress(data, size), ""
        except zlib.error:
            return b"", ""
    if data.startswith(b"PK\x03\x04"):
        # The first local header: name length at 26, extra length at 28, name from 30.
        n = int.from_bytes(data[26:28], "little")
        member = data[30 : 30 + n].decode("utf-8", "replace")
        extra = int.from_bytes(data[28:30], "little")
        method = int.from_bytes(data[8:10], "little")
        body = data[30 + n + extra :]
        if method == 8:
            try:
                return zlib.decompressobj(wbits=-15).decompress(body, size), member
            except zlib.error:
                return b"", member
        return body[:size], member
    return data[:size], ""


_SNIFF_ORDER = ("ets", "clarity", "cdf", "ap", "lavote", "openelections")


def adapter_for(source: str, data: bytes | None = None, fmt: str | None = None) -> Adapter:
    """The adapter that reads ``source`` (a path, a ``format:…`` source, or a URL) whose bytes
    are ``data`` (when already read), or ``fmt`` when the user named one.

    Raises :class:`InputError` when the format is unknown or cannot be told, saying how to name
    it.
    """
    if fmt:
        return _module(format_name(fmt))
    scheme, rest = split_scheme(source)
    if scheme is not None:
        return _module(scheme)
    named = _by_name(rest)
    if named is not None:
        return _module(named)
    if data is not None:
        head, member = _head(data)
        for name in _SNIFF_ORDER:
            adapter = _module(name)
            if adapter.sniff(head, member or rest):
                return adapter
    known = ", ".join(sorted(FORMATS))
    raise InputError(
        "cannot tell the results format of this source",
        where=source,
        hint=f"name it with --format (one of {known})",
    )


def read(
    source: str,
    *,
    fmt: str | None = None,
    rules: Mapping[str, Rule] | None = None,
    reader: Callable[[Path], bytes] | None = None,
) -> Parsed:
    """Read a local source (a file, or an LA County feed folder) with the adapter it needs."""
    _, rest = split_scheme(source)
    path = Path(rest)
    if path.is_dir():
        adapter = adapter_for(source, None, fmt)
        if not isinstance(adapter, LavoteAdapter):
            raise InputError(f"a folder, not a {adapter.NAME} file", where=rest)
        return adapter.parse_folder(path, rules)
    data = (reader or safety.read_file)(path)
    return adapter_for(source, data, fmt).parse(data, where=rest, rules=rules)


__all__ = [
    "FORMATS",
    "LAVOTE",
    "LavoteAdapter",
    "adapter_for",
    "format_name",
    "read",
    "split_scheme",
]
