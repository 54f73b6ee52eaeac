"""Releases of an election joined from several sources (issue 15, item 4): ``releases.parts``
holds each source's latest release a joined release is made of (JSON: source, feed time, payload
hash, county-wide counters), NULL for an election of one source. Existing rows gain NULL:
nothing stored changes.

Revision ID: 0008_parts
Revises: 0007_rounds
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_parts"
down_revision = "0007_rounds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("releases", sa.Column("parts", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("releases", "parts")
