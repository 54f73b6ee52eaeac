"""The first schema: elections, raw payloads, quarantine, releases and their counts, snapshots,
contest states, the call ledger and outstanding reports.

Revision ID: 0001
Revises:
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.String(200)
_HASH = sa.String(64)
_TZ = sa.String(64)


def upgrade() -> None:
    # This is longer than 80 lines on purpose: a revision is the schema as it was first
    # written, one create_table per table read top to bottom, and is never edited once released.
    op.create_table(
        "elections",
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("election_key", sa.Integer(), nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("election_id", name="pk_elections"),
        sa.UniqueConstraint("election_key", name="uq_elections_election_key"),
    )
    op.create_table(
        "election_definitions",
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", _HASH, nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("definition", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("election_id", "version", name="pk_election_definitions"),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.election_id"], name="fk_election_definitions_elections"
        ),
    )
    op.create_table(
        "raw_payloads",
        sa.Column("content_hash", _HASH, nullable=False),
        sa.Column("source", _ID, nullable=False),
        sa.Column("received_us", sa.BigInteger(), nullable=False),
        sa.Column("received_tz", _TZ, nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name="pk_raw_payloads"),
    )
    op.create_table(
        "quarantine",
        sa.Column("quarantine_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("content_hash", _HASH, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", _ID, nullable=False),
        sa.Column("received_us", sa.BigInteger(), nullable=False),
        sa.Column("received_tz", _TZ, nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("quarantine_id", name="pk_quarantine"),
        sa.UniqueConstraint("content_hash", "reason", name="uq_quarantine_content_hash_reason"),
        sa.ForeignKeyConstraint(
            ["content_hash"], ["raw_payloads.content_hash"], name="fk_quarantine_raw_payloads"
        ),
    )
    op.create_table(
        "releases",
        sa.Column("release_key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("content_hash", _HASH, nullable=False),
        sa.Column("source", _ID, nullable=False),
        sa.Column("feed_us", sa.BigInteger(), nullable=False),
        sa.Column("feed_tz", _TZ, nullable=False),
        sa.Column("received_us", sa.BigInteger(), nullable=False),
        sa.Column("received_tz", _TZ, nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("ballots_counted", sa.BigInteger(), nullable=True),
        sa.Column("ballots_mail", sa.BigInteger(), nullable=True),
        sa.Column("ballots_in_person", sa.BigInteger(), nullable=True),
        sa.Column("usable", sa.Boolean(), nullable=False),
        sa.Column("correction", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("release_key", name="pk_releases"),
        sa.UniqueConstraint("election_id", "sequence", name="uq_releases_election_id_sequence"),
        sa.UniqueConstraint(
            "election_id", "content_hash", name="uq_releases_election_id_content_hash"
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.election_id"], name="fk_releases_elections"
        ),
    )
    op.create_index("ix_releases_election_id_feed_us", "releases", ["election_id", "feed_us"])
    op.create_table(
        "contest_counts",
        sa.Column("release_key", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contest_id", _ID, nullable=False),
        sa.Column("write_ins", sa.BigInteger(), nullable=False),
        sa.Column("ballots", sa.BigInteger(), nullable=True),
        sa.Column("full_ballots", sa.BigInteger(), nullable=True),
        sa.Column("partial_ballots", sa.BigInteger(), nullable=True),
        sa.Column("undervotes", sa.BigInteger(), nullable=True),
        sa.Column("overvotes", sa.BigInteger(), nullable=True),
        sa.Column("unused", sa.Text(), nullable=False),
        sa.Column("votes_by_type", sa.Text(), nullable=True),
        sa.Column("precincts_reporting", sa.BigInteger(), nullable=True),
        sa.Column("precincts_total", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("release_key", "position", name="pk_contest_counts"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "choice_counts",
        sa.Column("release_key", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contest_id", _ID, nullable=False),
        sa.Column("choice_id", _ID, nullable=False),
        sa.Column("votes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("release_key", "position", name="pk_choice_counts"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "snapshots",
        sa.Column("release_key", sa.BigInteger(), nullable=False),
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("feed_us", sa.BigInteger(), nullable=False),
        sa.Column("feed_tz", _TZ, nullable=False),
        sa.Column("usable", sa.Boolean(), nullable=False),
        sa.Column("model_version", _ID, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("release_key", name="pk_snapshots"),
        sa.UniqueConstraint("election_id", "sequence", name="uq_snapshots_election_id_sequence"),
        sa.ForeignKeyConstraint(
            ["release_key"], ["releases.release_key"], name="fk_snapshots_releases"
        ),
    )
    op.create_index("ix_snapshots_election_id_feed_us", "snapshots", ["election_id", "feed_us"])
    op.create_table(
        "contest_states",
        sa.Column("release_key", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contest_id", _ID, nullable=False),
        sa.Column("usable", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("release_key", "position", name="pk_contest_states"),
    )
    op.create_index(
        "ix_contest_states_contest_id_release_key", "contest_states", ["contest_id", "release_key"]
    )
    op.create_table(
        "call_events",
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contest_id", _ID, nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("choices", sa.Text(), nullable=False),
        sa.Column("release_sequence", sa.Integer(), nullable=False),
        sa.Column("release_hash", _HASH, nullable=False),
        sa.Column("release_us", sa.BigInteger(), nullable=False),
        sa.Column("release_tz", _TZ, nullable=False),
        sa.Column("approved_by", _ID, nullable=False),
        sa.Column("rescinds", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("election_id", "event_id", name="pk_call_events"),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.election_id"], name="fk_call_events_elections"
        ),
    )
    op.create_index(
        "ix_call_events_election_id_release_us", "call_events", ["election_id", "release_us"]
    )
    op.create_table(
        "outstanding_reports",
        sa.Column("report_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("as_of_us", sa.BigInteger(), nullable=False),
        sa.Column("as_of_tz", _TZ, nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("digest", _HASH, nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("report_id", name="pk_outstanding_reports"),
        sa.UniqueConstraint(
            "election_id", "digest", name="uq_outstanding_reports_election_id_digest"
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.election_id"], name="fk_outstanding_reports_elections"
        ),
    )
    op.create_index(
        "ix_outstanding_reports_election_id_as_of_us",
        "outstanding_reports",
        ["election_id", "as_of_us"],
    )


def downgrade() -> None:
    for index, table in (
        ("ix_outstanding_reports_election_id_as_of_us", "outstanding_reports"),
        ("ix_call_events_election_id_release_us", "call_events"),
        ("ix_contest_states_contest_id_release_key", "contest_states"),
        ("ix_snapshots_election_id_feed_us", "snapshots"),
        ("ix_releases_election_id_feed_us", "releases"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "outstanding_reports",
        "call_events",
        "contest_states",
        "snapshots",
        "choice_counts",
        "contest_counts",
        "releases",
        "quarantine",
        "raw_payloads",
        "election_definitions",
        "elections",
    ):
        op.drop_table(table)
