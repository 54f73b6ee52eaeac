"""The release model's own arithmetic: a payload's content hash."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from racedesk.model import RawPayload, sha256_hex


def test_the_content_hash_is_the_sha256_of_the_bytes_asked_about() -> None:
    first, second = b'{"Data": []}', b'{"Data": [1]}'
    for data in (first, second, first, bytes(first), b""):
        assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
    changing = bytearray(first)
    assert sha256_hex(changing) == hashlib.sha256(first).hexdigest()
    changing[0:1] = b"["
    assert sha256_hex(changing) == hashlib.sha256(changing).hexdigest()


def test_a_raw_payload_is_addressed_by_its_hash() -> None:
    raw = RawPayload.of(b"abc", source="t", received_at=datetime(2024, 11, 5, tzinfo=UTC))
    assert raw.content_hash == hashlib.sha256(b"abc").hexdigest()
