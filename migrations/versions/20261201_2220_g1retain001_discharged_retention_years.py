"""practice setting: years a discharged client's record is kept before the retention purge

Revision ID: g1retain001
Revises: h1auditchain1
Create Date: 2026-12-01 22:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "g1retain001"
down_revision: str | None = "h1auditchain1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "discharged_retention_years",
                sa.Integer(),
                nullable=False,
                server_default="7",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_column("discharged_retention_years")
