"""The statements of an ingest as text for the backend's driver, and inserts of many rows.

An ingest writes a release's rows (about 1,300 of them for an LA County release) and reads the
latest sequence on every release: these statements are written once as the driver's own text,
with no SQL to compile on the way, and rows go in by the backend's fastest means.
"""

from __future__ import annotations

import sqlite3
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Table

from racedesk.store import schema as t

#: From how many rows PostgreSQL is sent a COPY rather than INSERTs.
COPY_FROM = 20


class Statements:
    """The statements of one backend (``sqlite`` or ``postgresql``), each written once."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self._text: dict[str, str] = {}
        #: How many parameters one SQLite statement may have (read from the driver once).
        self.variables: int | None = None

    def text(self, name: str, rows: int = 1) -> str:
        """The statement ``name`` (``latest``, ``notify``, ``put-raw``, ``outstanding``) as
        prepared text for the driver; a table's name gives its insert, of ``rows`` rows at
        once."""
        key = name if rows == 1 else f"{name}*{rows}"
        found = self._text.get(key)
        if found is None:
            mark = "?" if self.dialect == "sqlite" else "%s"
            if name == "latest":
                found = (
                    f"SELECT max(sequence), max(CASE WHEN content_hash = {mark} THEN 1 END)"
                    f" FROM releases WHERE election_id = {mark}"
                )
            elif name == "notify":
                found = f"SELECT pg_notify({mark}, {mark})"
            elif name == "put-raw":
                found = f"{self.text('raw_payloads')} ON CONFLICT DO NOTHING RETURNING size"
            elif name == "outstanding":
                found = (
                    f"SELECT data, as_of_tz FROM outstanding_reports WHERE election_id = {mark}"
                    f" AND as_of_us <= {mark} ORDER BY as_of_us, report_id"
                )
            else:
                table = t.metadata.tables[name]
                names = ", ".join(c.name for c in table.columns)
                marks = "(" + ", ".join(mark for _ in table.columns) + ")"
                found = f"INSERT INTO {name} ({names}) VALUES {', '.join([marks] * rows)}"
            self._text[key] = found
        return found

    def insert(self, conn: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows (tuples in the table's column order, plain ints, strings, bools and
        bytes) in the caller's transaction, by prepared statements through the driver: on
        SQLite a statement of many ``VALUES`` takes them all at once (up to the driver's limit
        of parameters; a statement per row took twice as long), on PostgreSQL a ``COPY`` (never
        a multi-VALUES insert, whose parameters are limited to 65,535)."""
        if not rows:
            return
        if len(rows) == 1:
            conn.exec_driver_sql(self.text(table.name), rows[0])
        elif self.dialect == "sqlite":
            per = self._sqlite_variables(conn) // len(table.columns)
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                values = tuple(chain.from_iterable(chunk))
                conn.exec_driver_sql(self.text(table.name, len(chunk)), values)
        elif len(rows) > COPY_FROM:
            names = ", ".join(c.name for c in table.columns)
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            conn.exec_driver_sql(self.text(table.name), rows)

    def _sqlite_variables(self, conn: Connection) -> int:
        """How many parameters one SQLite statement may have (32,766 since SQLite 3.32)."""
        if self.variables is None:
            driver = conn.connection.driver_connection
            self.variables = int(driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))  # type: ignore[union-attr]
        return self.variables


__all__ = ["COPY_FROM", "Statements"]
