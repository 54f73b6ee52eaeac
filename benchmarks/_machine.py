"""The machine a benchmark ran on, printed with its figures, running a measured child process, and
finding the shared feed a benchmark replays."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}"


# Peak memory of the child itself: Linux's ``ru_maxrss`` also counts the parent's peak, which a
# child started by fork/vfork and exec inherits; ``VmHWM`` is the child's own high-water mark.
PEAK = """
import resource
def peak():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


def run_child(python: str, code: str, *args: str) -> dict[str, float]:
    """Run ``code`` (which may call ``peak()``) in a fresh ``python`` process and return the JSON
    object it prints last."""
    out = subprocess.run(
        [python, "-c", PEAK + code, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def general_feed(data: Path) -> Path:
    """The folder of the LA County 2024 general feed under ``data`` (``../shared/data``); the
    benchmark exits saying where it looked when it is not there."""
    folder = data / "lavote" / "4324-2024-general"
    if not folder.is_dir():
        sys.exit(f"the 2024 general feed is not at {folder} (set --data)")
    return folder
