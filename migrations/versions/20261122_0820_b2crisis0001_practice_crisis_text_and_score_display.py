"""practice settings: crisis text per language, whether clients see their scores

Revision ID: b2crisis0001
Revises: a1c0re000001
Create Date: 2026-11-22 08:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b2crisis0001"
down_revision: str | None = "a1c0re000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("crisis_text_en", sa.String(length=2000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("crisis_text_es", sa.String(length=2000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "show_scores_to_clients", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_column("show_scores_to_clients")
        batch_op.drop_column("crisis_text_es")
        batch_op.drop_column("crisis_text_en")
