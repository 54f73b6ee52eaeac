#!/usr/bin/env bash
# Starts the machine's PostgreSQL cluster (Debian's package; initdb refuses to run as root, so
# the system cluster is used), creates a role and a database for the tests, and prints
# `export RACEDESK_TEST_PG=postgresql+psycopg://…` for the caller to eval.
set -uo pipefail
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [[ -z "$ver" ]]; then echo "no PostgreSQL server installed" >&2; exit 1; fi
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
  if [[ $(id -u) -eq 0 ]]; then pg_createcluster "$ver" main >/dev/null 2>&1 || true; fi
fi
if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
  if [[ $(id -u) -eq 0 ]]; then
    pg_ctlcluster "$ver" main start >/dev/null 2>&1 || { echo "cannot start PostgreSQL $ver" >&2; exit 1; }
  else
    sudo pg_ctlcluster "$ver" main start >/dev/null 2>&1 || { echo "cannot start PostgreSQL $ver" >&2; exit 1; }
  fi
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
as_pg() { if [[ $(id -u) -eq 0 ]]; then su postgres -c "$*"; else sudo -u postgres bash -c "$*"; fi; }
for i in $(seq 1 30); do as_pg "psql -p $port -qAtc 'select 1'" >/dev/null 2>&1 && break; sleep 0.5; done
as_pg "psql -p $port -qAtc \"select 1 from pg_roles where rolname='racedesk'\"" | grep -q 1 \
  || as_pg "psql -p $port -qc \"create role racedesk login superuser password 'racedesk'\"" >/dev/null
as_pg "psql -p $port -qAtc \"select 1 from pg_database where datname='racedesk_test'\"" | grep -q 1 \
  || as_pg "psql -p $port -qc 'create database racedesk_test owner racedesk'" >/dev/null
echo "export RACEDESK_TEST_PG=postgresql+psycopg://racedesk:racedesk@127.0.0.1:$port/racedesk_test"
