"""audit log hash chain (prev_hash, hash; existing rows chained in id order) and the practice's
audit retention in years

Revision ID: h1auditchain1
Revises: g1sessions01
Create Date: 2026-12-01 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from mbc.audit.chain import GENESIS, HASHED, row_hash

revision: str = "h1auditchain1"
down_revision: str | None = "g1sessions01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000

TYPES = {"occurred_at": sa.DateTime(timezone=True), "detail": sa.JSON()}
events = sa.table(
    "audit_events",
    *(sa.column(name, TYPES.get(name)) for name in HASHED),
    sa.column("prev_hash"),
    sa.column("hash"),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("audit_retention_years", sa.Integer(), nullable=False, server_default="6")
        )
    _chain_existing(op.get_bind())


def _chain_existing(connection: sa.Connection) -> None:
    """Seal the rows already there, oldest id first, a batch at a time."""
    prev, after = GENESIS, 0
    while True:
        rows = connection.execute(
            sa.select(*(events.c[name] for name in HASHED))
            .where(events.c.id > after)
            .order_by(events.c.id)
            .limit(BATCH)
        ).all()
        updates = []
        for row in rows:
            digest = row_hash(row._mapping, prev)
            updates.append({"row_id": row.id, "prev_hash": prev, "hash": digest})
            prev = digest
        if updates:
            connection.execute(
                events.update()
                .where(events.c.id == sa.bindparam("row_id"))
                .values(prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
                updates,
            )
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_column("audit_retention_years")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
