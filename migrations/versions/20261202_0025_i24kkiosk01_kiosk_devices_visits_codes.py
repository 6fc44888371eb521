"""kiosk mode: enrolled devices, visits on them, and the day's check-in codes (keyed hashes)

Revision ID: i24kkiosk01
Revises: i22wpulse001
Create Date: 2026-12-02 00:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i24kkiosk01"
down_revision: str | None = "i22wpulse001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kiosk_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_users.id"],
            name=op.f("fk_kiosk_devices_created_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["staff_users.id"],
            name=op.f("fk_kiosk_devices_revoked_by_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_devices")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kiosk_devices_token_hash")),
    )
    op.create_table(
        "kiosk_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "end_reason",
            sa.Enum(
                "finished",
                "idle",
                "reset",
                "revoked",
                name="kiosk_visit_end",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["check_in_id"], ["check_ins.id"], name=op.f("fk_kiosk_visits_check_in_id_check_ins")
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["kiosk_devices.id"],
            name=op.f("fk_kiosk_visits_device_id_kiosk_devices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_visits")),
    )
    op.create_index("ix_kiosk_visits_device_id_ended_at", "kiosk_visits", ["device_id", "ended_at"])
    op.create_index(
        "ix_kiosk_visits_check_in_id_started_at", "kiosk_visits", ["check_in_id", "started_at"]
    )
    op.create_table(
        "kiosk_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["check_in_id"], ["check_ins.id"], name=op.f("fk_kiosk_codes_check_in_id_check_ins")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_codes")),
        sa.UniqueConstraint("check_in_id", name=op.f("uq_kiosk_codes_check_in_id")),
        sa.UniqueConstraint("day", "code_hash", name="uq_kiosk_codes_day_code_hash"),
    )


def downgrade() -> None:
    op.drop_table("kiosk_codes")
    op.drop_index("ix_kiosk_visits_check_in_id_started_at", table_name="kiosk_visits")
    op.drop_index("ix_kiosk_visits_device_id_ended_at", table_name="kiosk_visits")
    op.drop_table("kiosk_visits")
    op.drop_table("kiosk_devices")
