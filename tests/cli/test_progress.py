"""Progress on long commands and the demo's port (issue 18, item 7): ``ingest``, ``export-site``
and ``backtest`` draw rich's bar on standard error when it is a terminal (a pseudo-terminal
here), never with ``--quiet`` or when standard error is not a terminal, and standard output stays
the command's answer; ``make demo PORT=…`` serves the dashboard on that port."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from racedesk.settings import REPO_ROOT

CLI = [sys.executable, "-c", "from racedesk.cli import main; main()"]
ESCAPE = b"\x1b["


def _run(*args: str, terminal: bool) -> tuple[bytes, bytes]:
    """Run racedesk with ``args``: its standard output, and its standard error (a
    pseudo-terminal when ``terminal``, else a pipe)."""
    if not terminal:
        done = subprocess.run([*CLI, *args], capture_output=True, timeout=300, check=True)
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    err = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            err += chunk
        elif proc.poll() is not None:
            break
    assert proc.stdout is not None
    out = proc.stdout.read()
    assert proc.wait(timeout=300) == 0, err.decode(errors="replace")
    os.close(master)
    return out, err


@pytest.fixture(scope="module")
def scenario_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("progress") / "desk.sqlite")
    out, err = _run("ingest", "scenario:la-da-2020", "--db", db, terminal=True)
    assert b"4 releases stored" in out and ESCAPE not in out
    # the bar of each canvass, on standard error, drawn to its end, then cleared
    assert b"storing scenario:la-da-2020-primary" in err and b"4/4" in err
    assert b"storing scenario:la-da-2020-general" in err
    return db


def test_export_site_shows_its_pages_on_a_terminal(scenario_db: str, tmp_path: Path) -> None:
    out, err = _run("export-site", str(tmp_path / "site"), "--db", scenario_db, terminal=True)
    assert out.startswith(b"wrote the site of scenario:la-da-2020-general") and ESCAPE not in out
    assert b"writing contest pages" in err and b"1/1" in err


def test_no_bar_with_quiet_or_off_a_terminal(scenario_db: str, tmp_path: Path) -> None:
    out, err = _run("export-site", str(tmp_path / "a"), "--db", scenario_db, "-q", terminal=True)
    assert out.startswith(b"wrote the site") and err == b""
    out, err = _run("export-site", str(tmp_path / "b"), "--db", scenario_db, terminal=False)
    assert out.startswith(b"wrote the site") and err == b""
    out, err = _run("ingest", "scenario:la-da-2020", "--db", scenario_db, "--quiet", terminal=True)
    assert b"0 releases stored, 4 already known" in out and err == b""


def test_backtest_shows_its_releases_on_a_terminal() -> None:
    out, err = _run("backtest", "scenario:la-da-2020", terminal=True)
    assert b"scenario:la-da-2020-general: 1 contests, 1 called, 0 wrong calls" in out
    assert b"replaying scenario:la-da-2020-primary" in err and b"4/4" in err
    out, err = _run("backtest", "scenario:la-da-2020", terminal=False)
    assert b"0 wrong calls" in out and err == b""


def test_make_demo_passes_its_port_on() -> None:
    dry = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    assert "racedesk demo --port 8123" in dry.stdout
    default = subprocess.run(["make", "-n", "demo"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert "racedesk demo --port 8000" in default.stdout


def test_racedesk_demo_serves_the_dashboard_on_the_port_given() -> None:
    from publish.conftest import free_port

    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "demo", "--port", str(port), "--pace", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        page = None
        while time.monotonic() < deadline and page is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2.0)
            except httpx.HTTPError:
                time.sleep(0.2)
        assert page is not None and page.status_code == 200
        assert "Los Angeles County" in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
