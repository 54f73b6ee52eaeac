"""A local stand-in for the LA County results feed, for testing the poller.

``FeedServer`` listens on 127.0.0.1 (a free port) and answers the two endpoints of
``racedesk.sources.lavote.endpoints``:

- ``GetElectionData?electionID=N``: the election definition (after ``election_failures``
  answers of HTTP 503);
- ``GetCounterData?electionID=N``: the next :class:`Step` of its script on every request (the
  last step again once the script is done). A step is a payload (by default with an ``ETag``
  and, for a readable release, a ``Last-Modified`` from its feed time, answering 304 to a
  matching conditional request) or an HTTP error status.

It records every request (path, query and headers) so that tests can check what was asked.
``release_steps(folder)`` turns a shared feed folder's releases into steps, in order.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

LA_TIME = ZoneInfo("America/Los_Angeles")


@dataclass(frozen=True)
class Step:
    """One answer of the counter endpoint.

    ``status`` other than 200 answers that status with a short text body. ``conditional=False``
    makes the step ignore ``If-None-Match``/``If-Modified-Since`` (a CDN node that does not honour
    them). ``headers`` are added to the answer (e.g. ``Retry-After``).
    """

    body: bytes = b""
    status: int = 200
    conditional: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'

    @property
    def last_modified(self) -> str | None:
        try:
            stamp = json.loads(self.body)["TimeStamp"]
            local = datetime.strptime(stamp, "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=LA_TIME)
        except (ValueError, KeyError, TypeError):
            return None
        return format_datetime(local.astimezone(UTC), usegmt=True)


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


def release_steps(folder: Path) -> list[Step]:
    """Every release of a shared feed folder (``releases/*.json``), as steps in file order."""
    return [
        Step(body=p.read_bytes(), name=p.name) for p in sorted((folder / "releases").glob("*.json"))
    ]


def error(status: int, **headers: str) -> Step:
    return Step(status=status, headers=dict(headers), name=f"HTTP {status}")


class FeedServer:
    """The feed on 127.0.0.1; use as a context manager. ``base_url`` is what the poller takes."""

    def __init__(
        self,
        election_data: bytes,
        steps: list[Step],
        *,
        election_failures: int = 0,
    ) -> None:
        if not steps:
            raise ValueError("a feed needs at least one step")
        self.election_data = election_data
        self.steps = steps
        self.election_failures = election_failures
        self.requests: list[Request] = []
        self.counter_requests = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/ElectionResults"

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_step(self) -> Step:
        with self._lock:
            step = self.steps[min(self.counter_requests, len(self.steps) - 1)]
            self.counter_requests += 1
            return step

    def _election_answer(self) -> tuple[int, bytes]:
        with self._lock:
            failing = self.election_failures > 0
            if failing:
                self.election_failures -= 1
        return (503, b"Service Unavailable") if failing else (200, self.election_data)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        feed = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                with feed._lock:
                    feed.requests.append(
                        Request(url.path, parse_qs(url.query), dict(self.headers.items()))
                    )
                if url.path.endswith("/GetElectionData"):
                    status, body = feed._election_answer()
                    self._send(status, body, {})
                elif url.path.endswith("/GetCounterData"):
                    self._counters(feed._next_step())
                else:
                    self._send(404, b"Not Found", {})

            def _counters(self, step: Step) -> None:
                if step.status != 200:
                    self._send(step.status, b"error", step.headers)
                    return
                validators = {"ETag": step.etag}
                if step.last_modified:
                    validators["Last-Modified"] = step.last_modified
                if step.conditional and self.headers.get("If-None-Match") == step.etag:
                    self._send(304, b"", {**validators, **step.headers})
                    return
                self._send(200, step.body, {**validators, **step.headers})

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for key, value in headers.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
