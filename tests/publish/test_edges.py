"""The web app's edges (issue 17, item 6; F6, F12, F13): limits of the server on real sockets,
the headers of every response, /docs from racedesk's own files, one error shape."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from racedesk.desk import Desk
from racedesk.publish.web import server
from racedesk.publish.web.app import create_app
from racedesk.publish.web.server import DeskServer, server_config

from .conftest import DA, free_port

E = "lavote:4324"


@pytest.fixture(scope="module")
def app(general_desk: Desk) -> FastAPI:
    return create_app(general_desk, token=None)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture
def running(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The app under :func:`server_config`'s limits on a free port, heads due within 0.5 s."""
    monkeypatch.setattr(server, "HEAD_TIMEOUT", 0.5)
    port = free_port()
    config = server_config(app, "127.0.0.1", port)
    config.log_level = "warning"
    uv = DeskServer(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.02)
    yield port
    uv.should_exit = True
    thread.join(timeout=10)


def _closed_within(sock: socket.socket, seconds: float) -> bytes | None:
    """What the server sent before closing ``sock`` within ``seconds``; None if it did not."""
    sock.settimeout(seconds)
    got = b""
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except TimeoutError:
        return None
    return got


def test_a_head_larger_than_64_kib_is_refused(running: int) -> None:
    """F6: 32 MB of one unfinished header each took 35 MB of the server's memory."""
    with socket.create_connection(("127.0.0.1", running)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        try:
            for _ in range(64):
                sock.sendall(b"a" * 65536)
        except OSError:  # the server closed while the header was still coming
            pass
        try:
            answer = _closed_within(sock, 5)
        except ConnectionResetError:
            answer = b""
    assert answer is not None, "the connection was kept open"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400")


def test_a_head_that_does_not_arrive_in_time_is_closed(running: int) -> None:
    """F6: none of 3,000 slow connections was closed in 40 s."""
    with socket.create_connection(("127.0.0.1", running)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert _closed_within(sock, 5) == b""
        assert time.monotonic() - started < 3
    with socket.create_connection(("127.0.0.1", running)) as sock:  # a prompt request is served
        sock.sendall(b"GET /api/elections HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert (_closed_within(sock, 10) or b"").startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize(
    "path", ["/", f"/elections/{E}", f"/api/elections/{E}/contests/{DA}", "/static/racedesk.css",
             "/nope", "/docs", "/openapi.json"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'unsafe-eval';" in csp  # no inline script, no other origin


def test_api_docs_load_nothing_from_another_origin(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "cdn." not in page and "http" not in page.replace('href="/', "").split("<body")[0]
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css",
                  "/static/docs.js"):  # fmt: skip
        assert asset in page
        assert client.get(asset).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status", "where"),
    [
        ("GET", "/api/nope", 404, "/api/nope"),
        ("OPTIONS", f"/api/elections/{E}/releases", 405, f"/api/elections/{E}/releases"),
        ("GET", f"/api/elections/{E}/contests/{DA}?release=-1", 422, "query.release"),
        ("GET", f"/api/elections/{E}/contests/{DA}?release=x", 422, "query.release"),
    ],
)
def test_framework_errors_have_the_desk_s_shape(
    client: TestClient, method: str, path: str, status: int, where: str
) -> None:
    """F13: these answered FastAPI's {"detail": …}."""
    answer = client.request(method, path)
    assert answer.status_code == status
    body = answer.json()
    assert set(body) == {"error"} and body["error"]["problem"]
    assert body["error"]["where"] == where
    if status == 405:
        assert answer.headers["allow"]  # kept from the framework's answer


def test_static_export_leaves_out_the_api_docs(general_site: tuple[Path, object]) -> None:
    out, _ = general_site
    assert not list((out / "static").rglob("swagger-ui*"))
