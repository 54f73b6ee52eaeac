#!/usr/bin/env bash
# Installs everything racedesk and its tests need, on a fresh Debian machine with Python 3.11:
# the system packages (Chromium for browser tests, the PostgreSQL server), uv, and the locked
# Python environment in .venv. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
if ((${#need_apt[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing ${need_apt[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: cannot install ${need_apt[*]} (not root, no sudo); browser or PostgreSQL tests will skip" >&2
  fi
fi

if ! bash scripts/uv.sh --version >/dev/null 2>&1; then
  echo "setup: installing uv from PyPI"
  python3.11 -m pip install --quiet --user uv 2>/dev/null || python3.11 -m pip install --quiet uv
fi
bash scripts/uv.sh sync --frozen --quiet --python python3.11

# The README's next steps say `uv run racedesk …` in a fresh shell: put uv on the PATH where a
# user-level install left it off.
if ! command -v uv >/dev/null 2>&1 && [[ -x "$HOME/.local/bin/uv" ]]; then
  if [[ -w /usr/local/bin ]]; then
    ln -sf "$HOME/.local/bin/uv" /usr/local/bin/uv
  else
    echo "setup: uv is in ~/.local/bin, which is not on your PATH: add it, or run .venv/bin/racedesk" >&2
  fi
fi
