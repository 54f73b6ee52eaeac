"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Every table is append-only: rows are inserted, never updated or deleted (``docs/store.md``).
The count rows (``contest_counts``, ``choice_counts``: ~1,300 rows per LA release) name their
release by ``release_key`` without a foreign key: only ``commit_release`` writes them, in their
release's own transaction, and checking the key of every row doubled the cost of writing them on
PostgreSQL.
Times are kept as whole microseconds since 1970-01-01 UTC (``*_us``, exact and comparable on
both backends) beside the name of their zone (``*_tz``: an IANA name such as
``America/Los_Angeles``, ``UTC``, or a fixed offset ``-08:00``), so that a release comes back
with the very timestamp it was read with. Payload bytes are kept as received, compressed with
Zstandard (``racedesk.store.compression``; zlib in databases written before); snapshots and
definitions are msgspec's MessagePack and JSON compressed with zlib, except the contest states
of a snapshot, which are kept as they are (compressing them took longer than the rest of a
commit).

The migrations in ``racedesk.store.migrations`` create these tables; a test checks that the
two agree on both backends.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(referred_table_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    }
)

#: Elections by id, each with a small integer ``election_key`` (1, 2, …) from which its
#: releases' keys are made; their definitions are versioned in ``election_definitions``.
elections = Table(
    "elections",
    metadata,
    Column("election_id", String(200), primary_key=True),
    Column("election_key", Integer, nullable=False, unique=True),
    Column("stored_us", BigInteger, nullable=False),
)

#: A release's key: its election's key × 2²⁴ + its sequence, known before it is written, so
#: that the count rows can be made outside the write transaction.
RELEASE_KEY_SHIFT = 24

#: Every distinct definition an election was stored with (msgspec JSON, zlib), version 1, 2, …
election_definitions = Table(
    "election_definitions",
    metadata,
    Column("election_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("definition", LargeBinary, nullable=False),
    PrimaryKeyConstraint("election_id", "version"),
    ForeignKeyConstraint(["election_id"], ["elections.election_id"]),
)

#: Payload bytes as received, by SHA-256, compressed (``size`` is theirs before); kept before
#: parsing.
raw_payloads = Table(
    "raw_payloads",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("received_us", BigInteger, nullable=False),
    Column("received_tz", String(64), nullable=False),
    Column("origin", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

#: Rejected payloads: the bytes stay in ``raw_payloads``, the reason is here.
quarantine = Table(
    "quarantine",
    metadata,
    Column("quarantine_id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("source", String(200), nullable=False),
    Column("received_us", BigInteger, nullable=False),
    Column("received_tz", String(64), nullable=False),
    Column("origin", Text, nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    UniqueConstraint("content_hash", "reason"),
    ForeignKeyConstraint(["content_hash"], ["raw_payloads.content_hash"]),
)

#: One row per release; ``release_key`` (see :data:`RELEASE_KEY_SHIFT`) is the integer the
#: count, snapshot and state rows refer to. ``problems`` is the JSON list of its problems;
#: ``parts`` the JSON list of the sources' releases a joined election's release is made of.
releases = Table(
    "releases",
    metadata,
    Column("release_key", BigInteger, primary_key=True, autoincrement=False),
    Column("election_id", String(200), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("source", String(200), nullable=False),
    Column("feed_us", BigInteger, nullable=False),
    Column("feed_tz", String(64), nullable=False),
    Column("received_us", BigInteger, nullable=False),
    Column("received_tz", String(64), nullable=False),
    Column("status", String(64), nullable=False),
    Column("ballots_counted", BigInteger),
    Column("ballots_mail", BigInteger),
    Column("ballots_in_person", BigInteger),
    Column("usable", Boolean, nullable=False),
    Column("correction", Boolean, nullable=False),
    Column("problems", Text, nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("parts", Text),
    UniqueConstraint("election_id", "sequence"),
    UniqueConstraint("election_id", "content_hash"),
    ForeignKeyConstraint(["election_id"], ["elections.election_id"]),
    Index(None, "election_id", "feed_us"),
)

#: One row per contest per release: its counters, in the release's contest order
#: (``position``). ``unused`` is the NSEL list as JSON (``[3171, 549]``); ``votes_by_type``
#: is JSON or NULL when the format gave none; ``rounds`` (a ranked-choice contest's rounds,
#: ``[{"name": …, "tally": {…}}]``) likewise. Small rows, so SQLite keeps them in their key's
#: order (WITHOUT ROWID).
contest_counts = Table(
    "contest_counts",
    metadata,
    Column("release_key", BigInteger, nullable=False),
    Column("position", Integer, nullable=False),
    Column("contest_id", String(200), nullable=False),
    Column("write_ins", BigInteger, nullable=False),
    Column("ballots", BigInteger),
    Column("full_ballots", BigInteger),
    Column("partial_ballots", BigInteger),
    Column("undervotes", BigInteger),
    Column("overvotes", BigInteger),
    Column("unused", Text, nullable=False),
    Column("votes_by_type", Text),
    Column("precincts_reporting", BigInteger),
    Column("precincts_total", BigInteger),
    Column("rounds", Text),
    PrimaryKeyConstraint("release_key", "position"),
    sqlite_with_rowid=False,
)

#: One row per choice per contest per release: the votes, in the contests' order
#: (``position`` counts across the whole release).
choice_counts = Table(
    "choice_counts",
    metadata,
    Column("release_key", BigInteger, nullable=False),
    Column("position", Integer, nullable=False),
    Column("contest_id", String(200), nullable=False),
    Column("choice_id", String(200), nullable=False),
    Column("votes", BigInteger, nullable=False),
    PrimaryKeyConstraint("release_key", "position"),
    sqlite_with_rowid=False,
)

#: The desk's snapshot after each release: ``data`` is the snapshot without its contest states
#: (MessagePack, zlib), ``states`` the MessagePack array of its contest states, in the
#: snapshot's order, not compressed (one contest's history picks its state out of each).
snapshots = Table(
    "snapshots",
    metadata,
    Column("release_key", BigInteger, nullable=False),
    Column("election_id", String(200), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("feed_us", BigInteger, nullable=False),
    Column("feed_tz", String(64), nullable=False),
    Column("usable", Boolean, nullable=False),
    Column("model_version", String(200), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("states", LargeBinary, nullable=False),
    PrimaryKeyConstraint("release_key"),
    UniqueConstraint("election_id", "sequence"),
    ForeignKeyConstraint(["release_key"], ["releases.release_key"]),
    Index(None, "election_id", "feed_us"),
)

#: The call ledger: one row per event, never edited (a rescind is a new event).
call_events = Table(
    "call_events",
    metadata,
    Column("election_id", String(200), nullable=False),
    Column("event_id", Integer, nullable=False),
    Column("contest_id", String(200), nullable=False),
    Column("status", String(64), nullable=False),
    Column("choices", Text, nullable=False),
    Column("release_sequence", Integer, nullable=False),
    Column("release_hash", String(64), nullable=False),
    Column("release_us", BigInteger, nullable=False),
    Column("release_tz", String(64), nullable=False),
    Column("approved_by", String(200), nullable=False),
    Column("rescinds", Integer),
    Column("reason", Text, nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("election_id", "event_id"),
    ForeignKeyConstraint(["election_id"], ["elections.election_id"]),
    Index(None, "election_id", "release_us"),
)

#: The registrar's estimates of ballots left; ``digest`` makes storing one twice a no-op.
outstanding_reports = Table(
    "outstanding_reports",
    metadata,
    Column("report_id", Integer, primary_key=True, autoincrement=True),
    Column("election_id", String(200), nullable=False),
    Column("as_of_us", BigInteger, nullable=False),
    Column("as_of_tz", String(64), nullable=False),
    Column("total", BigInteger),
    Column("digest", String(64), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("election_id", "digest"),
    ForeignKeyConstraint(["election_id"], ["elections.election_id"]),
    Index(None, "election_id", "as_of_us"),
)

#: What the desk noted of a release after storing it (``racedesk.model.ReleaseEvent``): an
#: editor's or the next release's confirmation of a held release, a certification, a report of
#: ballots left taking effect. ``made_us`` is when it was made (as-of reads go by it); ``data``
#: the whole event (MessagePack).
release_events = Table(
    "release_events",
    metadata,
    Column("election_id", String(200), nullable=False),
    Column("event_id", Integer, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("made_us", BigInteger, nullable=False),
    Column("made_tz", String(64), nullable=False),
    Column("made_by", String(200), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("election_id", "event_id"),
    ForeignKeyConstraint(["election_id"], ["elections.election_id"]),
)

#: The desk's snapshot of a release made again after it was stored (a report of ballots left,
#: a confirmation, a certification: ``release_events``), revision 1, 2, … of that release's
#: snapshot; ``made_us`` is when (as-of reads take the latest made by then). Same blobs as
#: ``snapshots``.
revised_snapshots = Table(
    "revised_snapshots",
    metadata,
    Column("election_id", String(200), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("release_key", BigInteger, nullable=False),
    Column("made_us", BigInteger, nullable=False),
    Column("made_tz", String(64), nullable=False),
    Column("cause", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("states", LargeBinary, nullable=False),
    PrimaryKeyConstraint("election_id", "sequence", "revision"),
    ForeignKeyConstraint(["release_key"], ["releases.release_key"]),
    Index(None, "election_id", "made_us"),
)

#: Editors' acts on the desk's calls (``racedesk.model.editorial.EditorialAct``): approvals,
#: holds, rejections, calls and rescinds by hand, and the desk's publishing mode (its rows have
#: ``election_id`` "": the mode is desk-wide, so this table has no key to ``elections``).
#: ``made_us`` is when it was made (as-of reads go by it); ``data`` the whole act (MessagePack).
editorial_events = Table(
    "editorial_events",
    metadata,
    Column("election_id", String(200), nullable=False),
    Column("event_id", Integer, nullable=False),
    Column("act", String(16), nullable=False),
    Column("contest_id", String(200), nullable=False),
    Column("target", Integer),
    Column("made_us", BigInteger, nullable=False),
    Column("made_tz", String(64), nullable=False),
    Column("made_by", String(200), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("election_id", "event_id"),
)

#: Recall and initiative petitions (``racedesk.model.petition``): each distinct definition a
#: petition was stored with (msgspec JSON), version 1, 2, …
petitions = Table(
    "petitions",
    metadata,
    Column("petition_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("petition_id", "version"),
)

#: A petition's stages (filed, sample, count progress, full count, outcome), as releases are:
#: numbered 0, 1, … per petition, dated (``on_date``, ISO, NULL when the source gives no date),
#: naming the raw payload they were read from; ``digest`` (of the stage without its number and
#: its bytes' address) makes storing one twice a no-op.
petition_stages = Table(
    "petition_stages",
    metadata,
    Column("petition_id", String(200), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("stage", String(64), nullable=False),
    Column("on_date", String(10)),
    Column("digest", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("petition_id", "sequence"),
    UniqueConstraint("petition_id", "digest"),
    ForeignKeyConstraint(["content_hash"], ["raw_payloads.content_hash"]),
)

#: A petition's ledger: one row per change of its verdict, never edited.
petition_events = Table(
    "petition_events",
    metadata,
    Column("petition_id", String(200), nullable=False),
    Column("event_id", Integer, nullable=False),
    Column("verdict", String(64), nullable=False),
    Column("stage_sequence", Integer, nullable=False),
    Column("on_date", String(10)),
    Column("reason", Text, nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("petition_id", "event_id"),
)

#: Campaign-finance payloads (issue 21, ``docs/money.md``): their bytes are in ``raw_payloads``;
#: this row says they are filings and in which format (``netfile``, ``calaccess`` …).
money_payloads = Table(
    "money_payloads",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("format", String(40), nullable=False),
    Column("stored_us", BigInteger, nullable=False),
    ForeignKeyConstraint(["content_hash"], ["raw_payloads.content_hash"]),
)

#: The filings a money payload holds (one row per filing version), for status and the
#: amendment log; dates are ISO text (``start``/``end`` empty for a 24-hour report).
money_filings = Table(
    "money_filings",
    metadata,
    Column("content_hash", String(64), nullable=False),
    Column("position", Integer, nullable=False),
    Column("filer_id", String(200), nullable=False),
    Column("filer_name", Text, nullable=False),
    Column("form", String(20), nullable=False),
    Column("amendment", Integer, nullable=False),
    Column("filed", String(10), nullable=False),
    Column("start", String(10), nullable=False),
    Column("end", String(10), nullable=False),
    Column("committee_type", String(20), nullable=False),
    Column("filing_id", String(200), nullable=False),
    Column("lines", Integer, nullable=False),
    PrimaryKeyConstraint("content_hash", "position"),
    ForeignKeyConstraint(["content_hash"], ["money_payloads.content_hash"]),
    Index(None, "filer_id"),
)

#: Every table, in the order rows depend on each other (for dumps and counts).
TABLES: tuple[Table, ...] = (
    elections,
    election_definitions,
    raw_payloads,
    quarantine,
    releases,
    contest_counts,
    choice_counts,
    snapshots,
    call_events,
    outstanding_reports,
    release_events,
    revised_snapshots,
    petitions,
    petition_stages,
    petition_events,
    money_payloads,
    money_filings,
    editorial_events,
)
