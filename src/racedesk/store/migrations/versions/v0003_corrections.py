"""Corrections and what takes effect between releases: ``release_events`` (a held release
confirmed by an editor or by the next release, the registrar's certification, a report of
ballots left taking effect) and ``revised_snapshots`` (a release's snapshot made again when one
of them changes the desk's answers, dated when it was made).

Existing databases gain two empty tables; nothing else changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.String(200)
_TZ = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "release_events",
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("made_us", sa.BigInteger(), nullable=False),
        sa.Column("made_tz", _TZ, nullable=False),
        sa.Column("made_by", _ID, nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("election_id", "event_id", name="pk_release_events"),
        sa.ForeignKeyConstraint(
            ["election_id"], ["elections.election_id"], name="fk_release_events_elections"
        ),
    )
    op.create_table(
        "revised_snapshots",
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("release_key", sa.BigInteger(), nullable=False),
        sa.Column("made_us", sa.BigInteger(), nullable=False),
        sa.Column("made_tz", _TZ, nullable=False),
        sa.Column("cause", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("states", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("election_id", "sequence", "revision", name="pk_revised_snapshots"),
        sa.ForeignKeyConstraint(
            ["release_key"], ["releases.release_key"], name="fk_revised_snapshots_releases"
        ),
    )
    op.create_index(
        "ix_revised_snapshots_election_id_made_us", "revised_snapshots", ["election_id", "made_us"]
    )


def downgrade() -> None:
    op.drop_index("ix_revised_snapshots_election_id_made_us", table_name="revised_snapshots")
    op.drop_table("revised_snapshots")
    op.drop_table("release_events")
