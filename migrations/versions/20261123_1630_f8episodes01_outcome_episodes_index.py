"""Outcomes report: an index giving a client's first and latest valid score in one probe each

Revision ID: f8episodes01
Revises: f7settings01
Create Date: 2026-11-23 16:30:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f8episodes01"
down_revision: str | None = "f7settings01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_responses_outcome_episodes",
            ["instrument_code", "client_id", "completed_at", "id"],
            unique=False,
            postgresql_include=["status", "is_valid", "total", "severity"],
        )


def downgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_responses_outcome_episodes",
            postgresql_include=["status", "is_valid", "total", "severity"],
        )
