"""Which adapter reads a source: from an explicit format, a scheme, the file's name, or its bytes.

:func:`adapter_for` decides, in this order:

1. an explicit format (``--format clarity``; see :data:`FORMATS` for names and aliases);
2. a scheme naming the format: ``lavote:4324``, ``ca-sos:2024-03-05``,
   ``clarity:https://results.enr…``, ``ap:FILE``, ``cdf:FILE`` …;
3. the file's name: an LA County feed folder (``election_data.json`` + ``releases/``) or
   ``election_data.json``; a folder of the Secretary of State's feeds; ``detail.xml``/``detailxml.zip``; ``*.ets``; ``*.csv`` (OpenElections', or San Diego County's
   when its header says so); a San Diego County archive folder (``releases/*.csv``);
4. the bytes (compressed payloads are looked into): ``000ET`` lines, ``<ElectionResult>``, a
   NIST CDF ``ElectionReport`` (XML namespace or JSON ``@type``), an AP payload (``races``,
   ``electionDate``), an LA County feed payload, a state feed document or bundle, an
   OpenElections header.

Every adapter is a module with ``NAME``, ``sniff``, ``read_election``, ``read_release``,
``release_reader``, ``parse`` and ``feed_folder`` (:class:`racedesk.sources.base.Adapter`); an
election's releases are read by the adapter its ``source`` names (:func:`adapter_of`). The NIST
CDF adapter (``racedesk.sources.cdf``) is imported only when it is needed.
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import cast

from racedesk.errors import InputError
from racedesk.model import Election, Rule
from racedesk.sources import (
    ap,
    casos,
    clarity,
    ets,
    lavote,
    openelections,
    safety,
    sandiego,
    sf_rcv,
)
from racedesk.sources.base import Adapter, FolderRelease, Parsed

#: Format names a user may give, with their aliases.
FORMATS: dict[str, tuple[str, ...]] = {
    "lavote": ("la", "lavote-json"),
    "clarity": ("clarity-xml", "enr", "scytl"),
    "cdf": ("cdf-json", "cdf-xml", "nist", "nist-cdf"),
    "ap": ("ap-json", "ap-v2", "ap-v3"),
    "openelections": ("oe", "openelections-csv"),
    "ets": ("la-ets",),
    "ca-sos": ("casos", "sos-ca"),
    "sandiego": ("san-diego", "sdvote"),
    "sf-rcv": ("sf-ranked-choice",),
    "joint": ("joined",),
}
_ALIASES = {alias: name for name, aliases in FORMATS.items() for alias in (name, *aliases)}


def _module(name: str) -> Adapter:
    if name == "cdf":
        return cast(Adapter, importlib.import_module("racedesk.sources.cdf"))
    if name == "joint":
        return cast(Adapter, importlib.import_module("racedesk.sources.joint"))
    modules: dict[str, Adapter] = {
        "lavote": lavote,
        "clarity": clarity,
        "ap": ap,
        "openelections": openelections,
        "ets": ets,
        "ca-sos": cast(Adapter, casos),
        "sandiego": cast(Adapter, sandiego),
        "sf-rcv": sf_rcv,
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
    if sandiego.is_feed_folder(path):
        return "sandiego"
    if casos.is_feed_folder(path):
        return "ca-sos"
    if sf_rcv.is_feed_folder(path):
        return "sf-rcv"
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


_SNIFF_ORDER = (
    "joint",
    "ets",
    "clarity",
    "cdf",
    "ap",
    "lavote",
    "ca-sos",
    "sf-rcv",
    "sandiego",
    "openelections",
)


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
    if named == "openelections" and data is not None and sandiego.sniff(_head(data)[0], rest):
        return _module(sandiego.NAME)
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


#: The formats whose one payload holds an election and its release (``base.WholeFile``): a
#: payload of theirs is read whole, its definition compared with the stored one, by the CLI and
#: over HTTP alike (``Desk.take``).
WHOLE_FILE_FORMATS: frozenset[str] = frozenset(
    {"clarity", "cdf", "ap", "openelections", "ets", "joint"}
)


def feed_layout(folder: Path) -> str | None:
    """The format whose archive layout ``folder`` has (LA County's feed, San Diego's, the
    Secretary of State's, San Francisco's ranked-choice results), or None: then it may be a
    folder of one whole-file format's snapshots (``loader``)."""
    return _by_name(str(folder)) if folder.is_dir() else None


def holds_its_election(adapter: Adapter) -> bool:
    """Whether each payload ``adapter`` reads holds its election's definition too."""
    return adapter.NAME in WHOLE_FILE_FORMATS


def adapter_named(fmt: str) -> Adapter:
    """The adapter of a format a user names (``cdf``, or an alias such as ``cdf-json``)."""
    return _module(format_name(fmt))


def adapter_of(election: Election) -> Adapter:
    """The adapter that reads releases of ``election``: the one its ``source`` names."""
    return _module(format_name(election.source))


def read_folder(
    adapter: Adapter, folder: Path, rules: Mapping[str, Rule] | None = None
) -> tuple[Election, list[FolderRelease]]:
    """The election of a feed folder in ``adapter``'s layout and its releases' bytes, in order:
    its release files', or, for a format whose archive is one folder per feed (the state's),
    the releases the adapter makes of them."""
    if adapter.NAME == casos.NAME:
        return casos.folder_releases(folder, rules)
    files = adapter.feed_folder(folder)
    if files is None:
        raise InputError(f"a folder, not a {adapter.NAME} file", where=str(folder))
    election = adapter.read_election(safety.read_file(files.election), str(files.election), rules)
    return election, [FolderRelease(str(p), safety.read_file(p), None) for p in files.releases]


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
        election, files = read_folder(adapter, path, rules)
        read_one = adapter.release_reader(election)
        releases = tuple(read_one(f.data, where=f.origin, received_at=f.received_at) for f in files)
        return Parsed(election=election, releases=releases)
    data = (reader or safety.read_file)(path)
    return adapter_for(source, data, fmt).parse(data, where=rest, rules=rules)


__all__ = [
    "FORMATS",
    "adapter_for",
    "adapter_of",
    "feed_layout",
    "format_name",
    "read",
    "read_folder",
    "split_scheme",
]
