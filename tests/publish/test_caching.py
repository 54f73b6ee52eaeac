"""Compression and cache headers (issue 18, item 7) on the real 2024 general: pages and JSON are
gzip-compressed and carry an ETag with ``Cache-Control: no-cache``; asking again with the ETag
gives a 304 until a release changes the answer; static files are kept an hour; event streams,
errors and writes are left alone."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from racedesk.publish.web.app import create_app
from racedesk.publish.web.caching import DYNAMIC, STATIC, etag_of

from .conftest import DA, TOKEN, Feed, LiveServer, ingest, new_desk

E = "lavote:4324"


@pytest.fixture(scope="module")
def client(general_app: FastAPI) -> TestClient:
    return TestClient(general_app)


class Sent:
    """A response as sent: its status, headers and body's bytes (not decompressed)."""

    def __init__(self, response: httpx.Response, content: bytes) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = content


def _raw(client: TestClient, path: str, **headers: str) -> Sent:
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip", **headers}) as got:
        return Sent(got, b"".join(got.iter_raw()))


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "text/html"),
        (f"/elections/{E}", "text/html"),
        (f"/elections/{E}/contests/{DA}", "text/html"),
        (f"/api/elections/{E}", "application/json"),
        (f"/api/elections/{E}/contests/{DA}/history", "application/json"),
    ],
)
def test_pages_and_documents_are_compressed_and_tagged(
    client: TestClient, path: str, kind: str
) -> None:
    got = _raw(client, path)
    assert got.status_code == 200 and got.headers["content-type"].startswith(kind)
    assert got.headers["content-encoding"] == "gzip"
    assert got.headers["cache-control"] == DYNAMIC
    body = gzip.decompress(got.content)
    assert got.headers["etag"] == etag_of(body)
    assert got.headers["vary"] == "Accept-Encoding"
    # the ETag is of the document, whatever the encoding
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == body
    assert plain.headers["etag"] == got.headers["etag"]
    again = _raw(client, path, **{"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == got.headers["etag"]
    assert client.get(path, headers={"If-None-Match": 'W/"else"'}).status_code == 200


def test_the_overview_of_the_2024_general_is_sent_in_a_sixth_of_its_size(
    client: TestClient,
) -> None:
    got = _raw(client, f"/elections/{E}")
    plain = gzip.decompress(got.content)
    assert len(got.content) * 6 < len(plain), (len(got.content), len(plain))


def test_static_files_are_kept_an_hour(client: TestClient) -> None:
    got = _raw(client, "/static/racedesk.css")
    assert got.headers["cache-control"] == STATIC
    assert got.headers["content-encoding"] == "gzip"
    again = _raw(client, "/static/racedesk.css", **{"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304


def test_errors_and_small_answers_are_left_alone(client: TestClient) -> None:
    missing = _raw(client, "/api/elections/nope:1")
    assert missing.status_code == 404
    assert "etag" not in missing.headers and "content-encoding" not in missing.headers
    small = _raw(client, "/healthz")
    assert "content-encoding" not in small.headers  # under 1 KiB: not worth compressing


def test_a_new_release_changes_the_etag(tmp_path: Path, general_feed: Feed) -> None:
    """The ETag a client holds stops matching when a release changes the answer."""
    desk = new_desk(tmp_path, general_feed.election)
    ingest(desk, general_feed, 3)
    client = TestClient(create_app(desk, token=TOKEN))
    path = f"/api/elections/{E}/contests/{DA}"
    first = client.get(path)
    assert client.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    data = general_feed.releases[3][1]
    posted = client.post(
        f"/api/elections/{E}/releases",
        content=data,
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert posted.status_code == 201 and "etag" not in posted.headers
    after = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]


def test_event_streams_are_neither_compressed_nor_tagged(
    general_app: FastAPI, live_server: Callable[[FastAPI], LiveServer]
) -> None:
    """Over a real socket: the stream's first event arrives uncompressed, without an ETag."""
    url = f"{live_server(general_app).url}/api/elections/{E}/events"
    seen: dict[str, str] = {}
    done = threading.Event()
    with (
        httpx.Client(timeout=5.0) as http,
        http.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as got,
    ):
        seen = dict(got.headers)
        for line in got.iter_lines():
            if line.startswith("event: ready"):
                done.set()
                break
    assert done.is_set()
    assert seen["content-type"].startswith("text/event-stream")
    assert "content-encoding" not in seen and "etag" not in seen
    assert seen["cache-control"] == "no-cache"
