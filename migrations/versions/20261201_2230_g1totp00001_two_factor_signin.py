"""two-factor sign-in: a TOTP secret per staff user, single-use recovery codes, and the practice
setting that requires it

Revision ID: g1totp00001
Revises: g1retain001
Create Date: 2026-12-01 22:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "g1totp00001"
down_revision: str | None = "g1retain001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_users.id"], name=op.f("fk_recovery_codes_user_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "two_factor_required",
                sa.Enum(
                    "off",
                    "admins",
                    "everyone",
                    name="two_factor_required",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=False,
                server_default="off",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("practice_settings", schema=None) as batch_op:
        batch_op.drop_constraint("two_factor_required", type_="check")
        batch_op.drop_column("two_factor_required")
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))
    op.drop_table("recovery_codes")
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")
