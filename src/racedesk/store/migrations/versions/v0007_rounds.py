"""Ranked-choice rounds (issue 19, item 2): ``contest_counts.rounds`` holds a ranked-choice
contest's rounds as the county published them with a release (JSON, NULL for any other
contest). Existing rows gain NULL: nothing stored changes.

Revision ID: 0007_rounds
Revises: 0006_editorial
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_rounds"
down_revision = "0006_editorial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contest_counts", sa.Column("rounds", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("contest_counts", "rounds")
