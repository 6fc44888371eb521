"""Completion funnel: each check-in's stages (started, message sent, delivered, first reminder)
kept on its row, filled in from the responses and messages already stored; the client's
first check-in found from the index alone

Revision ID: f9stages001
Revises: f8episodes01
Create Date: 2026-11-23 18:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f9stages001"
down_revision: str | None = "f8episodes01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same rules as mbc.delivery.stages, written out: a migration must not change when the
# application's code does.
BACKFILL_STARTED = """
UPDATE check_ins SET started_at = (
    SELECT min(responses.started_at) FROM assignments
    JOIN responses ON responses.assignment_id = assignments.id
    WHERE assignments.check_in_id = check_ins.id
)
WHERE EXISTS (
    SELECT 1 FROM assignments
    JOIN responses ON responses.assignment_id = assignments.id
    WHERE assignments.check_in_id = check_ins.id AND responses.started_at IS NOT NULL
)
"""
OF_CHECK_IN = (
    "FROM messages WHERE messages.check_in_id = check_ins.id "
    "AND messages.kind IN ('invitation', 'reminder')"
)
BACKFILL_MESSAGES = f"""
UPDATE check_ins SET
    message_sent = COALESCE((
        SELECT max(CASE WHEN messages.status IN ('sent', 'delivered') THEN 1 ELSE 0 END)
        {OF_CHECK_IN}), 0) = 1,
    message_delivered = COALESCE((
        SELECT max(CASE WHEN messages.status = 'delivered'
            OR (messages.channel = 'email' AND messages.status = 'sent') THEN 1 ELSE 0 END)
        {OF_CHECK_IN}), 0) = 1,
    first_reminder_at = (
        SELECT min(CASE WHEN messages.kind = 'reminder'
            AND messages.status IN ('sent', 'delivered') THEN messages.sent_at END)
        {OF_CHECK_IN})
WHERE EXISTS (SELECT 1 {OF_CHECK_IN})
"""


def upgrade() -> None:
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("message_sent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("message_delivered", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("first_reminder_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.drop_index("ix_check_ins_client_id_opens_at")
        batch_op.create_index(
            "ix_check_ins_client_id_opens_at", ["client_id", "opens_at", "id"], unique=False
        )
    op.execute(BACKFILL_STARTED)
    op.execute(BACKFILL_MESSAGES)


def downgrade() -> None:
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_index("ix_check_ins_client_id_opens_at")
        batch_op.create_index(
            "ix_check_ins_client_id_opens_at", ["client_id", "opens_at"], unique=False
        )
        batch_op.drop_column("first_reminder_at")
        batch_op.drop_column("message_delivered")
        batch_op.drop_column("message_sent")
        batch_op.drop_column("started_at")
