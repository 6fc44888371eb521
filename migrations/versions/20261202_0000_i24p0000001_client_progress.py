"""clients who see their own progress: the practice setting, the clinician's switch per client,
and the outbox's progress-link message

Revision ID: i24p0000001
Revises: g1totp00001
Create Date: 2026-12-02 00:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i24p0000001"
down_revision: str | None = "g1totp00001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("invitation", "reminder", "alert", "password_reset", "auto_reply")
NEW_KINDS = (*OLD_KINDS, "progress_link")


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values,
        name="message_kind",
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
    )


def upgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "client_progress_enabled", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("progress_visible", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(NEW_KINDS), existing_type=_kind(OLD_KINDS), existing_nullable=False
        )


def downgrade() -> None:
    progress_links = "SELECT id FROM messages WHERE kind = 'progress_link'"
    op.execute(f"DELETE FROM dev_outbox WHERE message_id IN ({progress_links})")
    op.execute("DELETE FROM messages WHERE kind = 'progress_link'")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(OLD_KINDS), existing_type=_kind(NEW_KINDS), existing_nullable=False
        )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("progress_visible")
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_column("client_progress_enabled")
