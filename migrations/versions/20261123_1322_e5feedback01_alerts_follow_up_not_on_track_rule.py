"""alerts follow-up, not-on-track rule, office hours, staff phone

Revision ID: e5feedback01
Revises: d4deliv00001
Create Date: 2026-11-23 13:22:50+00:00

Existing rows take the defaults the models give new ones.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5feedback01"
down_revision: str | None = "d4deliv00001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instrument_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("detail", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolution_note", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_alerts_status_kind_created_at", ["status", "kind", "created_at"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_alerts_resolved_by_id_staff_users"),
            "staff_users",
            ["resolved_by_id"],
            ["id"],
        )

    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("not_on_track_sessions", sa.Integer(), nullable=False, server_default="6")
        )
        batch_op.add_column(
            sa.Column("not_on_track_weeks", sa.Integer(), nullable=False, server_default="8")
        )
        batch_op.add_column(
            sa.Column("office_hours_start", sa.Integer(), nullable=False, server_default="8")
        )
        batch_op.add_column(
            sa.Column("office_hours_end", sa.Integer(), nullable=False, server_default="18")
        )
        batch_op.add_column(
            sa.Column(
                "working_days", sa.String(length=20), nullable=False, server_default="0,1,2,3,4"
            )
        )
        batch_op.add_column(
            sa.Column("alert_escalation_minutes", sa.Integer(), nullable=False, server_default="60")
        )

    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column(
                "receives_escalations", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("receives_escalations")
        batch_op.drop_column("phone")

    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_column("alert_escalation_minutes")
        batch_op.drop_column("working_days")
        batch_op.drop_column("office_hours_end")
        batch_op.drop_column("office_hours_start")
        batch_op.drop_column("not_on_track_weeks")
        batch_op.drop_column("not_on_track_sessions")

    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_alerts_resolved_by_id_staff_users"), type_="foreignkey"
        )
        batch_op.drop_index("ix_alerts_status_kind_created_at")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("resolution_note")
        batch_op.drop_column("resolved_by_id")
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("detail")
        batch_op.drop_column("instrument_code")
