#!/usr/bin/env bash
# Runs uv wherever `scripts/setup.sh` installed it (on PATH, in ~/.local/bin, or as a module of
# the machine's Python), with the machine's Python 3.11 and never a downloaded one.
export UV_PYTHON_DOWNLOADS=never
if command -v uv >/dev/null 2>&1; then exec uv "$@"; fi
if [[ -x "$HOME/.local/bin/uv" ]]; then exec "$HOME/.local/bin/uv" "$@"; fi
for py in python3.11 python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -m uv --version >/dev/null 2>&1; then exec "$py" -m uv "$@"; fi
done
echo "uv is not installed: run scripts/setup.sh (make setup) first" >&2
exit 127
