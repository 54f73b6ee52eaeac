#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest (unit, real-data, PostgreSQL, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
UV="bash scripts/uv.sh"
echo "== lint (ruff)"
$UV run --frozen ruff check src tests benchmarks
echo "== types (mypy)"
$UV run --frozen mypy
echo "== PostgreSQL for the tests"
if eval "$(bash scripts/postgres.sh)"; then
  echo "PostgreSQL: ${RACEDESK_TEST_PG:-none}"
else
  echo "PostgreSQL could not be started: its tests will skip" >&2
fi
export RACEDESK_TEST_PG=${RACEDESK_TEST_PG:-}
echo "== tests (pytest)"
$UV run --frozen pytest -n 2 "$@"
