"""Input limits: entities, expansion bombs, archive bombs, sizes, encodings, truncation.

Each payload is refused with an InputError (UnsafeInputError where it could harm the machine)
whose ``where`` names the file and whose ``problem`` says why, through the shared functions and
through the adapters that use them.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from racedesk.errors import InputError, UnsafeInputError
from racedesk.sources import ap, clarity, ets, openelections, safety

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE ElectionResult [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ElectionResult><Timestamp>&secret;</Timestamp></ElectionResult>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ElectionResult><Region>&lol9;</Region></ElectionResult>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE ElectionResult SYSTEM "http://example.com/evil.dtd">
<ElectionResult/>"""


# --- XML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (XXE, ("declares entities (secret)",)),
        # libxml2's amplification limit may stop the declarations before racedesk sees them.
        (LAUGHS, ("declares entities (lol", "entity expansion refused")),
        (EXTERNAL_DTD, ("external DTD",)),
    ],
    ids=["xxe", "billion-laughs", "external-dtd"],
)
def test_xml_entities_and_dtds_are_refused_everywhere(
    payload: bytes, words: tuple[str, ...]
) -> None:
    for read in (
        lambda: safety.parse_xml(payload, "evil.xml"),
        lambda: list(safety.iter_xml(payload, "evil.xml")),
        lambda: list(safety.iter_xml(io.BytesIO(payload), "evil.xml", tag="Region")),
        lambda: clarity.parse(payload, where="evil.xml"),
    ):
        with pytest.raises(UnsafeInputError) as err:
            read()
        assert err.value.where.startswith("evil.xml")
        assert any(w in err.value.problem for w in words), err.value.problem


def test_the_hardened_parser_cannot_be_loosened() -> None:
    parser = safety.xml_parser(resolve_entities=True, no_network=False, huge_tree=True)
    from lxml import etree

    root = etree.fromstring(XXE, parser)
    # The entity stays a reference: the file's content is never read into the document.
    assert "root:" not in etree.tostring(root).decode()


def test_xml_cut_short_names_the_file_and_the_line() -> None:
    payload = b'<?xml version="1.0"?>\n<ElectionResult>\n  <Timestamp>1/1/2020 1:00:00 PM EST</Time'
    with pytest.raises(InputError) as err:
        safety.parse_xml(payload, "short.xml")
    assert err.value.where == "short.xml, line 3"
    assert "cut short" in err.value.problem


def test_xml_in_another_encoding_than_declared_is_refused() -> None:
    payload = '<?xml version="1.0" encoding="utf-8"?><ElectionResult><Region>Peña</Region></ElectionResult>'
    with pytest.raises(InputError) as err:
        safety.parse_xml(payload.encode("latin-1"), "latin.xml")
    assert err.value.where.startswith("latin.xml")
    assert "encoding" in err.value.problem


def test_empty_and_non_xml_payloads_say_so() -> None:
    with pytest.raises(InputError, match="empty"):
        safety.parse_xml(b"  \n", "blank.xml")
    with pytest.raises(InputError, match="not XML"):
        safety.parse_xml(b"hello", "hello.xml")


# --- sizes --------------------------------------------------------------------------------------


def test_a_payload_over_the_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafeInputError) as err:
        safety.check_size(b"x" * 2048, "big.json", limit=1024)
    assert err.value.where == "big.json"
    assert "over the limit of" in err.value.problem
    path = tmp_path / "big.xml"
    path.write_bytes(b"x" * 4096)
    with pytest.raises(UnsafeInputError) as err:
        safety.read_file(path, limit=1024)
    assert err.value.where == str(path)
    assert safety.read_file(path, limit=4096) == b"x" * 4096


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        safety.read_file(tmp_path / "nope.xml")
    assert "cannot read the file" in err.value.problem


# --- archives ----------------------------------------------------------------------------------


def _zip(name: str, content: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, content)
    return buf.getvalue()


def test_a_gzip_bomb_is_refused_by_its_ratio() -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(UnsafeInputError) as err:
        safety.unpack(bomb, "detail.xml.gz")
    assert err.value.where == "detail.xml.gz"
    assert "decompression bomb" in err.value.problem


def test_a_gzip_stream_over_the_size_limit_is_refused() -> None:
    data = gzip.compress(os.urandom(3 * 1024 * 1024))
    with pytest.raises(UnsafeInputError, match="more than the limit"):
        safety.gunzip(data, "big.gz", limit=1024 * 1024)
    assert len(safety.gunzip(data, "big.gz")) == 3 * 1024 * 1024


def test_a_zip_bomb_is_refused_before_inflating() -> None:
    bomb = _zip("detail.xml", b"\0" * (64 * 1024 * 1024))
    with pytest.raises(UnsafeInputError) as err:
        clarity.parse(bomb, where="detailxml.zip")
    assert err.value.where == "detailxml.zip → detail.xml"
    assert "decompression bomb" in err.value.problem


def test_a_zip_whose_stated_size_lies_is_refused() -> None:
    real = b"<a>" + b"1" * (5 * 1024 * 1024) + b"</a>"
    data = bytearray(_zip("detail.xml", real))
    # Make both headers claim the member is 100 bytes.
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)
    with pytest.raises(InputError) as err:
        safety.unzip(bytes(data), "liar.zip", limit=1024 * 1024)
    assert err.value.where.startswith("liar.zip")


def test_an_archive_needs_the_member_asked_for() -> None:
    two = io.BytesIO()
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("a.xml", "<a/>")
        z.writestr("b.xml", "<b/>")
    with pytest.raises(InputError, match=r"expected one \.xml in the zip archive, found 2"):
        safety.unzip(two.getvalue(), "two.zip", suffixes=(".xml",))
    assert safety.unzip(two.getvalue(), "two.zip", member="b.xml") == ("b.xml", b"<b/>")


def test_truncated_archives_are_refused() -> None:
    gz = gzip.compress(b"<ElectionResult/>" * 1000)
    with pytest.raises(InputError, match="cut short"):
        safety.unpack(gz[: len(gz) // 2], "half.gz")
    zipped = _zip("detail.xml", b"<ElectionResult/>" * 1000)
    with pytest.raises(InputError) as err:
        safety.unpack(zipped[: len(zipped) // 2], "half.zip")
    assert err.value.where.startswith("half.zip")


# --- text ----------------------------------------------------------------------------------------


def test_text_in_another_encoding_names_the_byte_and_line() -> None:
    data = "county,office\nLos Angeles,Peña\n".encode("latin-1")
    with pytest.raises(InputError) as err:
        safety.decode_text(data, "results.csv", what="CSV file")
    assert err.value.where == "results.csv"
    # docs/formats.md quotes this message.
    assert (
        err.value.problem
        == "the CSV file is not UTF-8: byte 0xf1 at offset 28 (line 2); save it as UTF-8"
    )


def test_utf16_binary_and_cut_characters_are_refused_with_their_reason() -> None:
    with pytest.raises(InputError, match="UTF-16"):
        safety.decode_text("office\n".encode("utf-16"), "x.csv")
    with pytest.raises(InputError, match="binary data"):
        safety.decode_text(b"office\n\0\0", "x.csv")
    with pytest.raises(InputError, match="cut short inside a character"):
        safety.decode_text("Peña".encode()[:-2], "x.csv")
    assert safety.decode_text(b"\xef\xbb\xbfoffice", "x.csv") == "office"


def test_each_adapter_refuses_a_wrong_encoding_naming_the_file() -> None:
    with pytest.raises(InputError) as err:
        ets.parse("000ET2798      PEÑA".encode("latin-1"), where="feed.ets")
    assert err.value.where == "feed.ets" and "not UTF-8" in err.value.problem
    with pytest.raises(InputError) as err:
        openelections.parse(
            "office,candidate,votes\nMayor,Peña,1\n".encode("latin-1"),
            where="20201103__ca__general__county.csv",
        )
    assert "not UTF-8" in err.value.problem
    with pytest.raises(InputError) as err:
        ap.parse(
            '{"electionDate": "2020-11-03", "x": "Peña", "races": []}'.encode("latin-1"),
            where="ap.json",
        )
    assert err.value.where == "ap.json" and "UTF-8" in err.value.problem


# --- counts --------------------------------------------------------------------------------------


def test_read_count_takes_plain_ascii_counts_only() -> None:
    assert safety.read_count(" 1131 ") == 1131
    assert safety.read_count("1,131") is None
    assert safety.read_count("1,131", grouped=True) == 1131
    assert safety.read_count("12,345,678", grouped=True) == 12_345_678
    for bad in ("", "-1", "1.0", "1,13", "²", "٣", "9" * 16, "9" * 5000, "1 131"):
        assert safety.read_count(bad, grouped=True) is None, bad


def test_a_json_key_given_twice_is_refused_naming_it() -> None:
    from racedesk.sources.safety import refuse_duplicate_keys

    refuse_duplicate_keys(b'{"Data": [{"Value": 1}, {"Value": 2}]}', "ok.json")
    with pytest.raises(InputError) as twice:
        refuse_duplicate_keys(b'{"Data": [{"Value": 1, "Value": 900000}]}', "r.json")
    assert twice.value.where == "r.json"
    assert twice.value.problem == (
        "the JSON has the key 'Value' twice in one object: which value is meant cannot be told"
    )


# JSON as a results feed writes it: objects, lists, counts, and strings that may hold colons,
# quotes, backslashes and characters outside ASCII.
_keys = st.text(alphabet='ab:"\\é', max_size=3)
_leaves = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | _keys
_trees = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)


def _with_a_key_twice(tree: object, value: object) -> bytes | None:
    """``tree`` written as JSON with the first key of its first object (depth first) given a
    second time, holding ``value``; None when it has no object with a key."""
    if isinstance(tree, dict):
        if tree:
            key = next(iter(tree))
            body = ", ".join(
                [json.dumps(key) + ": " + json.dumps(v) for k, v in tree.items()]
                + [json.dumps(key) + ": " + json.dumps(value)]
            )
            return b"{" + body.encode() + b"}"
        return None
    if isinstance(tree, list):
        for i, item in enumerate(tree):
            inner = _with_a_key_twice(item, value)
            if inner is not None:
                parts = [json.dumps(x).encode() for x in tree]
                parts[i] = inner
                return b"[" + b", ".join(parts) + b"]"
    return None


@given(tree=_trees, value=_leaves, ascii_only=st.booleans())
@settings(max_examples=300, deadline=None)
def test_the_colon_count_never_clears_a_document_with_a_key_twice(
    tree: object, value: object, ascii_only: bool
) -> None:
    raw = json.dumps(tree, ensure_ascii=ascii_only).encode()
    # a document without a key twice: cleared by the count unless it has a \u escape
    assert safety.no_key_twice_by_colons(raw) is (b"\\u" not in raw)
    safety.refuse_duplicate_keys(raw, "ok.json")
    twice = _with_a_key_twice(tree, value)
    if twice is not None:
        assert not safety.no_key_twice_by_colons(twice)
        with pytest.raises(InputError, match="twice in one object"):
            safety.refuse_duplicate_keys(twice, "r.json")


def test_an_escaped_colon_cannot_hide_a_key_given_twice() -> None:
    # \u003a decodes to a colon the document does not spell: counted again, the colons would
    # balance the key that was dropped, so a document with \u escapes is read object by object
    masked = b'{"Value": 1, "Value": 900000, "note": "\\u003a"}'
    kept = b'{"Value":900000,"note":":"}'  # what a decoder keeps, written out again
    assert masked.count(b":") == kept.count(b":") == 3
    assert not safety.no_key_twice_by_colons(masked)
    with pytest.raises(InputError, match="'Value' twice"):
        safety.refuse_duplicate_keys(masked, "r.json")
    with pytest.raises(InputError, match="'Value' twice"):
        safety.refuse_duplicate_keys(masked.decode(), "r.json")


def test_a_real_release_is_cleared_by_the_colon_count(shared_data: Path) -> None:
    folder = shared_data / "lavote" / "4324-2024-general" / "releases"
    raw = (folder / "2024-11-05T20-56-08.json").read_bytes()
    assert safety.no_key_twice_by_colons(raw)
    safety.refuse_duplicate_keys(raw, "ok.json")
