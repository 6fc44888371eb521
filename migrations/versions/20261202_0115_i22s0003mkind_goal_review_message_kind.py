"""messages: a goal_review kind, for reminders of agreed goals' review dates (#22)

Revision ID: i22s0003mkind
Revises: i22s0002goal
Create Date: 2026-12-02 01:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i22s0003mkind"
down_revision: str | None = "i22s0002goal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    "invitation",
    "reminder",
    "alert",
    "password_reset",
    "auto_reply",
    "progress_link",
    "pulse_invitation",
    "pulse_reminder",
    "kiosk_code",
)
NEW_KINDS = (*OLD_KINDS, "goal_review")


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values,
        name="message_kind",
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
    )


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(NEW_KINDS), existing_type=_kind(OLD_KINDS), existing_nullable=False
        )


def downgrade() -> None:
    reminders = "SELECT id FROM messages WHERE kind = 'goal_review'"
    op.execute(f"DELETE FROM dev_outbox WHERE message_id IN ({reminders})")
    op.execute("DELETE FROM messages WHERE kind = 'goal_review'")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(OLD_KINDS), existing_type=_kind(NEW_KINDS), existing_nullable=False
        )
