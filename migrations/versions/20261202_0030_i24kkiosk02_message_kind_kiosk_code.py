"""kiosk mode: a message kind for the check-in code texted on request

Revision ID: i24kkiosk02
Revises: i24kkiosk01
Create Date: 2026-12-02 00:20:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "i24kkiosk02"
down_revision: str | None = "i24kkiosk01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "invitation",
    "reminder",
    "alert",
    "password_reset",
    "auto_reply",
    "progress_link",
    "pulse_invitation",
    "pulse_reminder",
)
AFTER = (*BEFORE, "kiosk_code")


def _kinds(kinds: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{k}'" for k in kinds)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint("message_kind", type_="check")
        batch_op.create_check_constraint("message_kind", f"kind IN ({listed})")


def upgrade() -> None:
    _kinds(AFTER)


def downgrade() -> None:
    kiosk = "SELECT id FROM messages WHERE kind = 'kiosk_code'"
    op.execute(f"DELETE FROM dev_outbox WHERE message_id IN ({kiosk})")
    op.execute(f"DELETE FROM messages WHERE id IN ({kiosk})")
    _kinds(BEFORE)
