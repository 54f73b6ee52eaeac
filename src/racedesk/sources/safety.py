"""Limits every adapter puts on outside bytes before and while it reads them.

A results file comes from a server racedesk does not control, so each adapter reads it through
these few functions and nothing else:

- :func:`read_file` reads a file from disk, refusing one larger than the limit before reading it;
- :func:`check_size` refuses a payload larger than the limit (``base.MAX_PAYLOAD_BYTES``);
- :func:`unpack` returns the bytes of a payload, decompressing a gzip stream or taking the member
  of a zip archive (:func:`gunzip`, :func:`unzip`) under a size limit **and** a
  compression-ratio limit, checked while decompressing (an archive's own stated sizes can lie);
- :func:`refuse_duplicate_keys` refuses JSON with a key twice in one object (decoders keep the
  last value silently);
- :func:`read_count` reads a count (ASCII digits, at most 15 of them);
- :func:`decode_text` decodes text (CSV, fixed-width) as UTF-8, with a clear error naming the
  byte and line when the file is in another encoding, binary, or cut inside a character;
- :func:`xml_parser`, :func:`parse_xml` and :func:`iter_xml` read XML with a hardened lxml
  parser (``resolve_entities=False``, ``no_network=True``, no DTD loading, libxml2's size
  limits on) and reject any document that declares entities (external entities, expansion bombs
  such as "billion laughs") or names an external DTD: results files never need either.

Every refusal is an :class:`~racedesk.errors.UnsafeInputError` (a payload that could harm the
machine) or an :class:`~racedesk.errors.InputError` (one that is merely unreadable), whose
``where`` names the file and whose ``problem`` says why.
"""

from __future__ import annotations

import io
import json
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import msgspec
from lxml import etree

from racedesk.errors import InputError, UnsafeInputError
from racedesk.sources.base import MAX_PAYLOAD_BYTES

#: Largest decompressed/compressed ratio accepted once the output passes ``RATIO_FLOOR``.
#: Results compress about 10–25× (the samples here; a generated 198 MB precinct-level file,
#: all zeros or not); decompression bombs compress hundreds to millions of times.
MAX_RATIO = 200
#: Output size under which the ratio is not checked (tiny files compress arbitrarily well).
RATIO_FLOOR = 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1024 * 1024


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MiB"


# --- sizes -------------------------------------------------------------------------------------


def check_size(data: bytes, where: str, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """Return ``data`` unchanged, or refuse it when it is larger than ``limit`` bytes."""
    if len(data) > limit:
        raise UnsafeInputError(
            f"the payload is {_mib(len(data))}, over the limit of {_mib(limit)}", where=where
        )
    return data


def read_file(path: Path | str, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """The bytes of a file, refused before reading when it is larger than ``limit``."""
    where = str(path)
    try:
        with open(path, "rb") as fh:
            size = Path(path).stat().st_size
            if size > limit:
                raise UnsafeInputError(
                    f"the file is {_mib(size)}, over the limit of {_mib(limit)}", where=where
                )
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where=where) from None
    return check_size(data, where, limit)


# --- archives ----------------------------------------------------------------------------------


def _refuse_ratio(out: int, compressed: int, where: str, max_ratio: int) -> None:
    if out > RATIO_FLOOR and out > max_ratio * max(compressed, 1):
        raise UnsafeInputError(
            f"decompresses more than {max_ratio} times its size ({_mib(compressed)} → over "
            f"{_mib(out)}): refused as a decompression bomb",
            where=where,
        )


def _refuse_size(out: int, where: str, limit: int) -> None:
    if out > limit:
        raise UnsafeInputError(
            f"decompresses to more than the limit of {_mib(limit)}: refused", where=where
        )


def gunzip(
    data: bytes, where: str, *, limit: int = MAX_PAYLOAD_BYTES, max_ratio: int = MAX_RATIO
) -> bytes:
    """Decompress a gzip stream (all members) under a size and a ratio limit."""
    out = bytearray()
    rest = data
    try:
        while rest:
            inflater = zlib.decompressobj(wbits=31)
            pending = rest
            while pending:
                chunk = inflater.decompress(pending, _CHUNK)
                out += chunk
                _refuse_size(len(out), where, limit)
                _refuse_ratio(len(out), len(data), where, max_ratio)
                pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
            if not inflater.eof:
                raise InputError("the gzip stream is cut short", where=where)
            rest = inflater.unused_data.lstrip(b"\0")
            if rest and not rest.startswith(_GZIP_MAGIC):
                raise InputError("unexpected bytes after the end of the gzip stream", where=where)
    except zlib.error as exc:
        raise InputError(f"not a readable gzip stream ({exc})", where=where) from None
    return bytes(out)


def unzip(
    data: bytes,
    where: str,
    *,
    member: str | None = None,
    suffixes: Iterable[str] = (),
    limit: int = MAX_PAYLOAD_BYTES,
    max_ratio: int = MAX_RATIO,
) -> tuple[str, bytes]:
    """The name and bytes of one member of a zip archive, under a size and a ratio limit.

    The member is ``member`` when given, else the only file whose name ends with one of
    ``suffixes`` (case-insensitive), else the archive's only file. The limits are checked against
    the archive's stated sizes first and again while inflating, since stated sizes can lie.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise InputError(f"not a readable zip archive ({exc})", where=where) from None
    with archive:
        files = [i for i in archive.infolist() if not i.is_dir()]
        ends = tuple(s.lower() for s in suffixes)
        if member is not None:
            chosen = [i for i in files if i.filename == member]
        elif ends:
            chosen = [i for i in files if i.filename.lower().endswith(ends)]
        else:
            chosen = files
        if len(chosen) != 1:
            names = ", ".join(i.filename for i in files[:10]) or "none"
            wanted = member or (" or ".join(ends) if ends else "a single file")
            raise InputError(
                f"expected one {wanted} in the zip archive, found {len(chosen)} (files: {names})",
                where=where,
            )
        info = chosen[0]
        here = f"{where} → {info.filename}"
        if info.flag_bits & 0x1:
            raise InputError("the zip member is encrypted", where=here)
        _refuse_size(info.file_size, here, limit)
        _refuse_ratio(info.file_size, info.compress_size, here, max_ratio)
        out = bytearray()
        try:
            with archive.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    _refuse_size(len(out), here, limit)
                    _refuse_ratio(len(out), info.compress_size, here, max_ratio)
        except (
            zipfile.BadZipFile,
            zlib.error,
            lzma.LZMAError,
            EOFError,
            OSError,
            NotImplementedError,
        ) as exc:
            raise InputError(f"the zip member cannot be read ({exc})", where=here) from None
        return info.filename, bytes(out)


def is_compressed(data: bytes) -> bool:
    """True when ``data`` starts like a gzip stream or a zip archive."""
    return data.startswith((_GZIP_MAGIC, _ZIP_MAGIC))


def unpack(
    data: bytes,
    where: str,
    *,
    suffixes: Iterable[str] = (),
    limit: int = MAX_PAYLOAD_BYTES,
    max_ratio: int = MAX_RATIO,
) -> bytes:
    """The payload's own bytes: gunzipped or unzipped (see :func:`unzip` for ``suffixes``) when it
    is compressed, as is otherwise; always within ``limit``."""
    check_size(data, where, limit)
    if data.startswith(_GZIP_MAGIC):
        return gunzip(data, where, limit=limit, max_ratio=max_ratio)
    if data.startswith(_ZIP_MAGIC):
        return unzip(data, where, suffixes=suffixes, limit=limit, max_ratio=max_ratio)[1]
    return data


# --- text --------------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "UTF-8 with a byte-order mark"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode_text(data: bytes, where: str, *, what: str = "text file") -> str:
    """``data`` decoded as UTF-8 (a UTF-8 byte-order mark is dropped).

    Refused with an :class:`InputError` naming the offset and line: UTF-16 or other encodings,
    binary data (NUL bytes), a file cut inside a multi-byte character.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"the {what} is UTF-16; save it as UTF-8", where=where, hint="racedesk reads UTF-8"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            f"the {what} holds binary data (a NUL byte at offset {nul}, line {line})", where=where
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        if exc.end >= len(data) and exc.reason == "unexpected end of data":
            problem = f"the {what} is cut short inside a character (line {line})"
        else:
            problem = (
                f"the {what} is not UTF-8: byte 0x{bad} at offset {exc.start} (line {line}); "
                "save it as UTF-8"
            )
        raise InputError(problem, where=where) from None


# --- JSON ----------------------------------------------------------------------------------------


class _Twice(Exception):
    """A key met twice in one JSON object (raised out of the parser's hook)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_key_twice(pairs: list[tuple[str, object]]) -> None:
    if len(pairs) > 1 and len({key for key, _ in pairs}) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Twice(key)
            seen.add(key)


_any_json = msgspec.json.Decoder()
_json_out = msgspec.json.Encoder()


def no_key_twice_by_colons(raw: bytes) -> bool:
    """True when the JSON document ``raw`` certainly has no key twice in one object; False when
    it may (then only reading every object tells).

    Outside strings a colon follows each key and nothing else, so ``raw`` has one colon a key
    it spells plus the colons inside its strings. Decoded and written out again, it has one a
    key it keeps plus the colons of the strings it keeps, and it keeps one key of each pair
    met twice (JSON leaves which undefined; decoders keep the last). Without ``\\u`` escapes
    (``\\u003a`` is a colon that is not one in ``raw``) a string decoded has the colons it has
    in ``raw``, so the two counts are equal only when every key spelled was kept."""
    if b"\\" in raw and b"\\u" in raw:  # one byte is found far faster than two
        return False
    try:
        again = _json_out.encode(_any_json.decode(raw))
    except (msgspec.DecodeError, msgspec.EncodeError, UnicodeDecodeError, RecursionError):
        return False
    return raw.count(b":") == again.count(b":")


def refuse_duplicate_keys(data: bytes | str | memoryview | msgspec.Raw, where: str) -> None:
    """Nothing when no JSON object in ``data`` (a document its adapter already decoded) has a
    key twice; else an :class:`InputError` naming the key. JSON leaves two values of one key
    undefined and decoders keep the last one silently: a payload with ``"Value"`` twice has two
    counts for one counter, and which is meant cannot be told, so it is refused. The colons'
    count (:func:`no_key_twice_by_colons`) clears most documents at C speed; the rest are read
    object by object."""
    text = data if isinstance(data, str) else bytes(data).removeprefix(b"\xef\xbb\xbf")
    if no_key_twice_by_colons(text.encode() if isinstance(text, str) else text):
        return
    try:
        json.loads(text, object_pairs_hook=_no_key_twice)
    except _Twice as twice:
        raise InputError(
            f"the JSON has the key {twice.key!r} twice in one object: which value is meant "
            "cannot be told",
            where=where,
        ) from None
    except RecursionError:
        raise InputError("the JSON is nested too deeply", where=where) from None
    except ValueError as exc:  # what the adapter's decoder took but Python's does not
        raise InputError(f"not valid JSON: {exc}", where=where) from None


# --- counts --------------------------------------------------------------------------------------

#: Digits a count may have: far above any electorate, far below Python's limit on int parsing.
MAX_COUNT_DIGITS = 15
_COUNT = re.compile(r"[0-9]{1,15}")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3}){0,4}")


def read_count(text: str, *, grouped: bool = False) -> int | None:
    """A whole number ≥ 0 written in ASCII digits ("1131"; with ``grouped``, also "1,131"), or
    None for anything else: signs, decimals, other scripts' digits, more than 15 digits."""
    value = text.strip()
    if _COUNT.fullmatch(value):
        return int(value)
    if grouped and _GROUPED.fullmatch(value):
        return int(value.replace(",", ""))
    return None


# --- XML ---------------------------------------------------------------------------------------


def xml_parser(**options: object) -> etree.XMLParser:
    """A hardened lxml parser: no entity substitution, no network, no DTD loading, and
    libxml2's default limits on (no ``huge_tree``). ``options`` add to these (``remove_blank_text``
    …) but cannot loosen them."""
    safe = {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
    }
    merged = {**options, **safe}
    return etree.XMLParser(**merged)


def _refuse_dtd(tree: etree._ElementTree, where: str) -> None:
    info = tree.docinfo
    if info.system_url or info.public_id:
        raise UnsafeInputError(
            f"the XML names an external DTD ({info.system_url or info.public_id}); results "
            "files never need one: refused",
            where=where,
        )
    dtd = info.internalDTD
    if dtd is not None:
        names = [e.name for e in dtd.iterentities()]
        if names:
            shown = ", ".join(str(n) for n in names[:5]) + (" …" if len(names) > 5 else "")
            raise UnsafeInputError(
                f"the XML declares entities ({shown}): external entities and entity expansion "
                "are refused",
                where=where,
            )


def xml_message(exc: etree.XMLSyntaxError) -> str:
    """libxml2's message without lxml's trailing position ("…, line 3, column 7 (<string>…)")."""
    text = str(exc).strip()
    return re.sub(r",? line \d+, column \d+.*$", "", text, flags=re.DOTALL).strip() or text


def _ends_there(data: bytes, line: int, column: int) -> bool:
    """True when (line, column) is at the last characters of ``data``: where a file that was
    cut short makes the parser fail."""
    trimmed = data.rstrip()
    last = trimmed.count(b"\n") + 1
    if line < last:
        return False
    if line > last or last > 1:
        return True
    return column >= len(trimmed) - 2


def xml_error(exc: etree.XMLSyntaxError, where: str, data: bytes | None = None) -> InputError:
    """An :class:`InputError` saying in words what libxml2 found wrong in ``data``, naming the
    line (an :class:`UnsafeInputError` for entity expansion)."""
    text = xml_message(exc)
    lowered = text.lower()
    line = getattr(exc, "lineno", None) or None
    position = getattr(exc, "position", None) or (line or 0, 0)
    here = f"{where}, line {line}" if line else where
    if "amplification" in lowered or "entity loop" in lowered or "detected an entity" in lowered:
        return UnsafeInputError(f"entity expansion refused ({text})", where=here)
    if "encoding" in lowered or "out of allowed range" in lowered or "utf-8" in lowered:
        return InputError(
            f"the XML is not in the encoding it declares (UTF-8 unless it says otherwise): {text}",
            where=here,
        )
    if data is not None and not data.strip():
        return InputError("the file is empty", where=where)
    if "document is empty" in lowered or ("start tag expected" in lowered and line == 1):
        return InputError(f"not XML ({text})", where=where)
    if "extra content" not in lowered and (
        (data is None and "premature end" in lowered)
        or (data is not None and line is not None and _ends_there(data, line, position[1]))
    ):
        return InputError(f"the XML is cut short: not a whole document ({text})", where=here)
    return InputError(f"not well-formed XML: {text}", where=here)


def parse_xml(data: bytes, where: str, *, limit: int = MAX_PAYLOAD_BYTES) -> etree._Element:
    """Parse a whole XML document with the hardened parser and return its root element.

    For documents small enough to hold as a tree (a NIST CDF report); stream large ones with
    :func:`iter_xml`.
    """
    check_size(data, where, limit)
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise xml_error(exc, where, data) from None
    if root is None:
        raise InputError("the file is empty or not XML", where=where)
    _refuse_dtd(root.getroottree(), where)
    return root


def iter_xml(
    source: bytes | IO[bytes],
    where: str,
    *,
    events: tuple[str, ...] = ("end",),
    tag: str | Iterable[str] | None = None,
    limit: int = MAX_PAYLOAD_BYTES,
) -> Iterator[tuple[str, etree._Element]]:
    """Stream ``(event, element)`` pairs from XML with the hardened parser (lxml ``iterparse``).

    ``tag`` filters which elements are reported (the others are still parsed, at C speed). The
    document's DTD is checked at the first reported element and again at the end; entities are
    never substituted meanwhile. The caller clears the elements it has used
    (``elem.clear()``) so that memory stays flat whatever the file's size.
    """
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        check_size(data, where, limit)
        stream: IO[bytes] = io.BytesIO(data)
        raw: bytes | None = data
    else:
        stream = source
        raw = None
    parser = etree.iterparse(
        stream,
        events=events,
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    checked = False
    try:
        for event, elem in parser:
            if not checked:
                _refuse_dtd(elem.getroottree(), where)
                checked = True
            yield event, elem
    except etree.XMLSyntaxError as exc:
        raise xml_error(exc, where, raw) from None
    root = parser.root
    if root is None:
        raise InputError("the file is empty or not XML", where=where)
    _refuse_dtd(root.getroottree(), where)


__all__ = [
    "MAX_PAYLOAD_BYTES",
    "MAX_RATIO",
    "check_size",
    "decode_text",
    "gunzip",
    "is_compressed",
    "iter_xml",
    "parse_xml",
    "read_count",
    "read_file",
    "unpack",
    "unzip",
    "xml_error",
    "xml_parser",
]
