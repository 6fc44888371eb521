"""The anonymous staff wellbeing pulse: schedule, windows, participation (deleted when a window
closes), anonymous responses and their item answers; two message kinds for its emails.

Revision ID: i22wpulse001
Revises: i23instr0001
Create Date: 2026-12-02 00:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i22wpulse001"
down_revision: str | None = "i23instr0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("invitation", "reminder", "alert", "password_reset", "auto_reply", "progress_link")
NEW_KINDS = (*OLD_KINDS, "pulse_invitation", "pulse_reminder")


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values,
        name="message_kind",
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
    )


def upgrade() -> None:
    op.create_table(
        "pulse_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminder_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminders_queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_windows")),
        sa.UniqueConstraint("opens_on", name=op.f("uq_pulse_windows_opens_on")),
    )
    with op.batch_alter_table("pulse_windows", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pulse_windows_closed_at_closes_at", ["closed_at", "closes_at"], unique=False
        )

    op.create_table(
        "pulse_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("who5_version", sa.String(length=16), nullable=False),
        sa.Column("who5_score", sa.Integer(), nullable=True),
        sa.Column("who5_band", sa.String(length=32), nullable=True),
        sa.Column("cbi_version", sa.String(length=16), nullable=False),
        sa.Column("cbi_score", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("cbi_band", sa.String(length=32), nullable=True),
        sa.Column("pulse_version", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_pulse_responses_team_id_teams"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["pulse_windows.id"],
            name=op.f("fk_pulse_responses_window_id_pulse_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_responses")),
    )
    with op.batch_alter_table("pulse_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_responses_window_id"), ["window_id"], unique=False
        )

    op.create_table(
        "pulse_window_teams",
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_pulse_window_teams_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["pulse_windows.id"],
            name=op.f("fk_pulse_window_teams_window_id_pulse_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("window_id", "team_id", name=op.f("pk_pulse_window_teams")),
    )
    op.create_table(
        "pulse_answers",
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["pulse_responses.id"],
            name=op.f("fk_pulse_answers_response_id_pulse_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["pulse_windows.id"],
            name=op.f("fk_pulse_answers_window_id_pulse_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "item_id", name=op.f("pk_pulse_answers")),
    )
    with op.batch_alter_table("pulse_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pulse_answers_window_id_item_id", ["window_id", "item_id"], unique=False
        )

    op.create_table(
        "pulse_participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("has_answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_users.id"],
            name=op.f("fk_pulse_participations_staff_user_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["pulse_windows.id"],
            name=op.f("fk_pulse_participations_window_id_pulse_windows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_participations")),
        sa.UniqueConstraint(
            "window_id", "staff_user_id", name=op.f("uq_pulse_participations_window_id")
        ),
    )
    with op.batch_alter_table("pulse_participations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_participations_staff_user_id"), ["staff_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pulse_participations_window_id"), ["window_id"], unique=False
        )

    op.create_table(
        "pulse_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("first_opens_on", sa.Date(), nullable=False),
        sa.Column("every_months", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("reminder_days_before_close", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_users.id"],
            name=op.f("fk_pulse_schedules_updated_by_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_schedules")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(NEW_KINDS), existing_type=_kind(OLD_KINDS), existing_nullable=False
        )


def downgrade() -> None:
    pulse = "SELECT id FROM messages WHERE kind IN ('pulse_invitation', 'pulse_reminder')"
    op.execute(f"DELETE FROM dev_outbox WHERE message_id IN ({pulse})")
    op.execute(f"DELETE FROM messages WHERE id IN ({pulse})")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(OLD_KINDS), existing_type=_kind(NEW_KINDS), existing_nullable=False
        )

    op.drop_table("pulse_schedules")
    with op.batch_alter_table("pulse_participations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_participations_window_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_participations_staff_user_id"))

    op.drop_table("pulse_participations")
    with op.batch_alter_table("pulse_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_pulse_answers_window_id_item_id")

    op.drop_table("pulse_answers")
    op.drop_table("pulse_window_teams")
    with op.batch_alter_table("pulse_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_responses_window_id"))

    op.drop_table("pulse_responses")
    with op.batch_alter_table("pulse_windows", schema=None) as batch_op:
        batch_op.drop_index("ix_pulse_windows_closed_at_closes_at")

    op.drop_table("pulse_windows")
