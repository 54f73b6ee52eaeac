"""Recall and initiative petitions: their definitions (``petitions``), their stages kept as
releases are (``petition_stages``: filed, sample, count progress, full count, outcome, each with
its date and the raw payload it was read from) and the ledger of their verdicts
(``petition_events``). Nothing existing changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ID = sa.String(200)
_HASH = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "petitions",
        sa.Column("petition_id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", _HASH, nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("petition_id", "version", name="pk_petitions"),
    )
    op.create_table(
        "petition_stages",
        sa.Column("petition_id", _ID, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(64), nullable=False),
        sa.Column("on_date", sa.String(10), nullable=True),
        sa.Column("digest", _HASH, nullable=False),
        sa.Column("content_hash", _HASH, nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("petition_id", "sequence", name="pk_petition_stages"),
        sa.UniqueConstraint("petition_id", "digest", name="uq_petition_stages_petition_id_digest"),
        sa.ForeignKeyConstraint(
            ["content_hash"], ["raw_payloads.content_hash"], name="fk_petition_stages_raw_payloads"
        ),
    )
    op.create_table(
        "petition_events",
        sa.Column("petition_id", _ID, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(64), nullable=False),
        sa.Column("stage_sequence", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.String(10), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("petition_id", "event_id", name="pk_petition_events"),
    )


def downgrade() -> None:
    op.drop_table("petition_events")
    op.drop_table("petition_stages")
    op.drop_table("petitions")
