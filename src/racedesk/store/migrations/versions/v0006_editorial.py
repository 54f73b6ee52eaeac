"""Editorial control (issue 18, item 1; ``docs/editors.md``): ``editorial_events``, editors'
approvals, holds and rejections of the desk's calls, their calls and rescinds by hand, and the
desk-wide publishing mode (rows with ``election_id`` "").

Existing databases gain one empty table; nothing else changes (with no act stored, the desk
publishes as before: the mode is ``auto``).

Revision ID: 0006_editorial
Revises: 0005_money
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_editorial"
down_revision = "0005_money"
branch_labels = None
depends_on = None

_ID = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "editorial_events",
        sa.Column("election_id", _ID, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("act", sa.String(16), nullable=False),
        sa.Column("contest_id", _ID, nullable=False),
        sa.Column("target", sa.Integer(), nullable=True),
        sa.Column("made_us", sa.BigInteger(), nullable=False),
        sa.Column("made_tz", sa.String(64), nullable=False),
        sa.Column("made_by", _ID, nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("election_id", "event_id", name="pk_editorial_events"),
    )


def downgrade() -> None:
    op.drop_table("editorial_events")
