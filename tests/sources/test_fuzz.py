"""Fuzzing the adapters: any input gives either a Parsed or an InputError, never another exception.

Inputs are arbitrary bytes and mutations of the real samples (cut short, bytes flipped, inserted,
deleted or repeated, compressed), so that the parsers are driven deep into their formats.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from racedesk.errors import InputError
from racedesk.settings import shared_data_dir
from racedesk.sources import ap, clarity, ets, openelections, registry, safety
from racedesk.sources.base import Parsed

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def _small_ets(path: Path) -> bytes:
    """A whole, valid .ets file cut from a sample: its header, three contests, its STAT page."""
    lines = path.read_bytes().decode().split("\r\n")
    head = [x for x in lines if x[:3] == "000"]
    body = [x for x in lines if x[:3] in ("001", "002", "059")]
    stat = [x for x in lines if x[5:9] == "STAT"]
    kept = [*head, *body, *stat]
    end = f"999EF{lines[0][5:9]}      {len(kept) + 1}".ljust(95)
    return "\r\n".join([*kept, end]).encode()


def _samples() -> dict[str, bytes]:
    root = shared_data_dir() / "formats"
    if not root.is_dir():
        return {}
    return {
        "clarity": (root / "clarity" / "precinct.xml").read_bytes(),
        "ap": (root / "ap" / "20121106_ak_prez.json").read_bytes(),
        "openelections": (
            root / "openelections" / "20201103__ca__general__alpine__precinct.csv"
        ).read_bytes(),
        "ets": _small_ets(root / "la-ets" / "2798mar20.ets"),
    }


SAMPLES = _samples()
PARSERS: dict[str, Callable[[bytes], Parsed]] = {
    "clarity": lambda d: clarity.parse(d, where="detail.xml"),
    "ap": lambda d: ap.parse(d, where="ap.json"),
    "openelections": lambda d: openelections.parse(
        d, where="20201103__ca__general__alpine__precinct.csv"
    ),
    "ets": lambda d: ets.parse(d, where="feed.ets"),
}


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` changed a few times: cut, flipped, inserted, deleted, repeated."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["cut", "flip", "insert", "delete", "repeat", "digit"]))
        if op == "cut":
            del data[i:]
        elif op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=12))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 40))]
        elif op == "repeat":
            j = min(len(data), i + draw(st.integers(1, 200)))
            data[j:j] = data[i:j]
        else:
            data[i : i + 1] = draw(
                st.sampled_from([b"-", b"9" * 30, b"\x00", b"&", b"<", b'"', b","])
            )
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        return gzip.compress(bytes(data))
    return bytes(data)


def _check(parse: Callable[[bytes], Parsed], data: bytes) -> None:
    try:
        result = parse(data)
    except InputError as exc:
        assert exc.problem and exc.where
        return
    assert isinstance(result, Parsed)


needs_samples = pytest.mark.skipif(
    not SAMPLES, reason=f"format samples not found under {shared_data_dir()}"
)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_the_unmutated_samples_parse(name: str) -> None:
    if not SAMPLES:
        pytest.skip(f"format samples not found under {shared_data_dir()}")
    assert isinstance(PARSERS[name](SAMPLES[name]), Parsed)


@needs_samples
@pytest.mark.parametrize("name", sorted(PARSERS))
def test_mutated_samples_give_a_parse_or_an_input_error(name: str) -> None:
    @FUZZ
    @given(data=mutated(SAMPLES[name]))
    def run(data: bytes) -> None:
        _check(PARSERS[name], data)

    run()


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_give_an_input_error(name: str, data: bytes) -> None:
    _check(PARSERS[name], data)


@FUZZ
@given(
    head=st.sampled_from(
        [
            b"",
            b"000ET2798",
            b"<ElectionResult>",
            b'{"electionDate":"2020-11-03","races":',
            b"office,candidate,votes\n",
            b"PK\x03\x04",
            b"\x1f\x8b",
        ]
    ),
    tail=st.binary(max_size=400),
)
def test_any_source_is_picked_and_read_or_refused(head: bytes, tail: bytes) -> None:
    data = head + tail
    with contextlib.suppress(InputError):
        registry.adapter_for("upload", data).parse(data, where="upload")


@FUZZ
@given(data=st.binary(max_size=2000), member=st.sampled_from(["detail.xml", "x.bin"]))
def test_archives_and_text_give_bytes_or_an_input_error(data: bytes, member: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, data)
    for payload in (
        buf.getvalue(),
        buf.getvalue()[: len(buf.getvalue()) // 2],
        gzip.compress(data)[:-3],
        data,
    ):
        with contextlib.suppress(InputError):
            safety.unpack(payload, "upload", suffixes=(".xml",))
    with contextlib.suppress(InputError):
        safety.decode_text(data, "upload")
