"""Payload bytes are kept as Zstandard frames, and zlib streams kept before still read back."""

from __future__ import annotations

import zlib

from store_support import Feed

from racedesk.store.compression import ZSTD_MAGIC, compress_payload, decompress_payload


def test_a_release_is_kept_as_a_zstandard_frame_a_twelfth_of_its_size(general: Feed) -> None:
    _, data = general.payloads[-1]
    kept = compress_payload(data)
    assert kept[:4] == ZSTD_MAGIC
    assert len(kept) < len(data) / 10
    assert decompress_payload(kept, len(data)) == data


def test_a_zlib_stream_kept_before_reads_back(general: Feed) -> None:
    _, data = general.payloads[-1]
    for level in (1, 6, 9):
        assert decompress_payload(zlib.compress(data, level), len(data)) == data


def test_empty_bytes_round_trip() -> None:
    assert decompress_payload(compress_payload(b""), 0) == b""
