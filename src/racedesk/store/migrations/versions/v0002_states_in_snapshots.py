"""Contest states move into their snapshot's row: ``snapshots.states`` holds the MessagePack
array of a release's contest states, and the ``contest_states`` table (a row per contest per
release) goes.

Writing 373 state rows of ~1.25 KB and their index took about half of an LA release's commit;
one uncompressed blob takes a fraction of a millisecond. Nothing else read the rows one by one
but ``contest_history``, which now picks its contest out of each snapshot's array.

Existing databases keep every state: each snapshot's array is made of its rows' MessagePack, in
their ``position`` order, untouched (an array is its length followed by its items). The
downgrade makes the rows again from the arrays.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import msgspec
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.String(200)


class _StateRow(msgspec.Struct):
    """What the ``contest_states`` rows kept beside a state (the rest of it is ignored)."""

    contest_id: str
    outcome: str
    usable: bool = True


_raw_states = msgspec.msgpack.Decoder(list[msgspec.Raw])
_state_rows = msgspec.msgpack.Decoder(_StateRow)
_pack = msgspec.msgpack.Encoder()


def upgrade() -> None:
    op.add_column("snapshots", sa.Column("states", sa.LargeBinary(), nullable=True))
    conn = op.get_bind()
    keys = conn.execute(sa.text("SELECT release_key FROM snapshots ORDER BY release_key"))
    for key in keys.scalars().all():
        rows = conn.execute(
            sa.text("SELECT state FROM contest_states WHERE release_key = :key ORDER BY position"),
            {"key": key},
        ).scalars()
        states = _pack.encode([msgspec.Raw(row) for row in rows])
        conn.execute(
            sa.text("UPDATE snapshots SET states = :states WHERE release_key = :key"),
            {"states": states, "key": key},
        )
    with op.batch_alter_table("snapshots") as batch:
        batch.alter_column("states", existing_type=sa.LargeBinary(), nullable=False)
    if conn.dialect.name == "postgresql":
        # Kept out of line but not compressed, as the rows were (pglz would take longer than
        # the rest of the commit).
        op.execute("ALTER TABLE snapshots ALTER COLUMN states SET STORAGE EXTERNAL")
    op.drop_index("ix_contest_states_contest_id_release_key", table_name="contest_states")
    op.drop_table("contest_states")


def downgrade() -> None:
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
    conn = op.get_bind()
    table = sa.table(
        "contest_states",
        sa.column("release_key"),
        sa.column("position"),
        sa.column("contest_id"),
        sa.column("usable"),
        sa.column("outcome"),
        sa.column("state"),
    )
    found = conn.execute(sa.text("SELECT release_key, states FROM snapshots ORDER BY release_key"))
    for key, states in found.all():
        rows = []
        for position, raw in enumerate(_raw_states.decode(states)):
            state = bytes(raw)
            row = _state_rows.decode(state)
            rows.append(
                {
                    "release_key": key,
                    "position": position,
                    "contest_id": row.contest_id,
                    "usable": row.usable,
                    "outcome": row.outcome,
                    "state": state,
                }
            )
        if rows:
            conn.execute(table.insert(), rows)
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("states")
