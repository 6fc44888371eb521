"""Instrument licences: who holds the licence and its date (ORS and SRS need all three)

Revision ID: f7settings01
Revises: f6reports001
Create Date: 2026-11-23 16:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f7settings01"
down_revision: str | None = "f6reports001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("instrument_licences", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("holder", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("licensed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instrument_licences", schema=None) as batch_op:
        batch_op.drop_column("licensed_on")
        batch_op.drop_column("holder")
