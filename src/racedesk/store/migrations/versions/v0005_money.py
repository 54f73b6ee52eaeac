"""Money: campaign-finance payloads and the filings they hold (issue 21, ``docs/money.md``).

The bytes stay in ``raw_payloads``; ``money_payloads`` marks a payload as filings of a format,
``money_filings`` lists each filing version it holds (filer, form, amendment, period, lines).

Revision ID: 0005_money
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_money"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "money_payloads",
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("stored_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_hash"],
            ["raw_payloads.content_hash"],
            name="fk_money_payloads_raw_payloads",
        ),
        sa.PrimaryKeyConstraint("content_hash", name="pk_money_payloads"),
    )
    op.create_table(
        "money_filings",
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filer_id", sa.String(200), nullable=False),
        sa.Column("filer_name", sa.Text(), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("amendment", sa.Integer(), nullable=False),
        sa.Column("filed", sa.String(10), nullable=False),
        sa.Column("start", sa.String(10), nullable=False),
        sa.Column("end", sa.String(10), nullable=False),
        sa.Column("committee_type", sa.String(20), nullable=False),
        sa.Column("filing_id", sa.String(200), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["content_hash"],
            ["money_payloads.content_hash"],
            name="fk_money_filings_money_payloads",
        ),
        sa.PrimaryKeyConstraint("content_hash", "position", name="pk_money_filings"),
    )
    op.create_index("ix_money_filings_filer_id", "money_filings", ["filer_id"])


def downgrade() -> None:
    op.drop_index("ix_money_filings_filer_id", table_name="money_filings")
    op.drop_table("money_filings")
    op.drop_table("money_payloads")
