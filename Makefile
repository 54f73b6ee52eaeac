# Two commands for a newcomer: `make demo` and `make test`. Both install everything first.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := bash scripts/uv.sh
# The dashboard's port for `make demo` (make demo PORT=8080).
PORT ?= 8000

.PHONY: setup demo test lint types unit postgres

setup:
	@bash scripts/setup.sh

demo: setup
	$(UV) run --frozen racedesk demo --port $(PORT)

test: setup
	@bash scripts/test.sh

lint:
	$(UV) run --frozen ruff check src tests benchmarks
	$(UV) run --frozen ruff format --check src tests benchmarks

types:
	$(UV) run --frozen mypy
