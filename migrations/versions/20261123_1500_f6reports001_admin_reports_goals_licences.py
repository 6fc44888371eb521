"""admin reports: team goals, instrument licences, report settings, staff capacity, period indexes

Revision ID: f6reports001
Revises: e5feedback01
Create Date: 2026-11-23 14:16:44.668079+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f6reports001"
down_revision: str | None = "e5feedback01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instrument_licences",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_users.id"],
            name=op.f("fk_instrument_licences_recorded_by_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_instrument_licences")),
    )
    op.create_table(
        "team_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column(
            "metric",
            sa.Enum(
                "follow_up_completion",
                "completion",
                "reliable_improvement",
                "reliable_recovery",
                name="goal_metric",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("instrument_code", sa.String(length=32), nullable=True),
        sa.Column("baseline_at_least", sa.Numeric(precision=6, scale=1), nullable=True),
        sa.Column("target_percent", sa.Integer(), nullable=False),
        sa.Column(
            "period",
            sa.Enum(
                "month", "quarter", name="goal_period", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_team_goals_created_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_goals_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_goals")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index("ix_appointments_starts_at", ["starts_at"], unique=False)

    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.create_index("ix_check_ins_opens_at", ["opens_at"], unique=False)

    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("min_group_size", sa.Integer(), nullable=False, server_default="5")
        )
        batch_op.add_column(
            sa.Column(
                "utilisation_warning_percent", sa.Integer(), nullable=False, server_default="75"
            )
        )
        batch_op.add_column(
            sa.Column("late_cancel_hours", sa.Integer(), nullable=False, server_default="24")
        )

    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weekly_capacity", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("weekly_capacity")

    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_column("late_cancel_hours")
        batch_op.drop_column("utilisation_warning_percent")
        batch_op.drop_column("min_group_size")

    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_index("ix_check_ins_opens_at")

    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_starts_at")

    op.drop_table("team_goals")
    op.drop_table("instrument_licences")
