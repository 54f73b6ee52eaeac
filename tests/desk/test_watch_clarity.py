"""``racedesk watch clarity:URL`` against a local server that publishes versions like a Clarity site."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from racedesk.desk import open_desk
from racedesk.desk.watch import watch_clarity
from racedesk.model import sha256_hex


def _zipped(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("detail.xml", xml)
    return out.getvalue()


class _Site:
    """Serves ``current_ver.txt`` from a list of versions (one per request, the last repeated)
    and each version's ``reports/detailxml.zip``."""

    def __init__(self, versions: list[str], files: dict[str, bytes]) -> None:
        self.versions = versions
        self.files = files
        self.asked = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("/current_ver.txt"):
                    body = site.versions[min(site.asked, len(site.versions) - 1)].encode()
                    site.asked += 1
                else:
                    version = self.path.split("/")[-3]
                    if version not in site.files:
                        self.send_error(404)
                        return
                    body = site.files[version]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/KY/Greenup/15263/"

    def __enter__(self) -> _Site:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def county_xml(shared_data: Path) -> bytes:
    return (shared_data / "formats" / "clarity" / "county.xml").read_bytes()


@pytest.fixture
def site(county_xml: bytes) -> Iterator[_Site]:
    cut = _zipped(county_xml[: len(county_xml) // 2])
    with _Site(["7", "7", "8"], {"7": _zipped(county_xml), "8": cut}) as s:
        yield s


def test_watch_clarity_stores_a_new_version_once_and_quarantines_garbage(
    site: _Site, tmp_path: Path
) -> None:
    desk = open_desk(f"sqlite:///{tmp_path / 'clarity.sqlite'}")
    lines: list[str] = []
    seen = watch_clarity(
        desk, f"clarity:{site.url}".split(":", 1)[1], interval=0, max_polls=3, say=lines.append
    )
    assert seen == {"stored": 1, "not-modified": 1, "garbage": 1}
    (election,) = desk.elections()
    (stored,) = desk.releases(election.id)
    assert stored.release.content_hash == sha256_hex(site.files["7"])
    assert desk.store.raw(stored.release.content_hash) is not None
    (kept,) = desk.store.quarantined()
    assert kept.content_hash == sha256_hex(site.files["8"])
    assert kept.origin.endswith("/8/reports/detailxml.zip")
    assert lines[0].startswith("stored: version 7")


def test_watch_clarity_reports_a_site_that_fails(tmp_path: Path) -> None:
    desk = open_desk(f"sqlite:///{tmp_path / 'down.sqlite'}")
    with _Site(["not a number"], {}) as s:
        lines: list[str] = []
        seen = watch_clarity(desk, s.url, interval=0, max_polls=1, say=lines.append)
    assert seen == {"error": 1}
    assert "not a version number" in lines[0]
    assert desk.elections() == []
