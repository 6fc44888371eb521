"""alert kind instrument_unavailable: a client opened a check-in whose questionnaire the running
process has not loaded (a practice's own definition removed, refused, or added without restart)

Revision ID: i23instr0001
Revises: i24p0000001
Create Date: 2026-12-02 00:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i23instr0001"
down_revision: str | None = "i24p0000001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "critical_item",
    "critical_item_unanswered",
    "reliable_deterioration",
    "alliance_concern",
    "not_on_track",
)
AFTER = (*BEFORE, "instrument_unavailable")


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values,
        name="alert_kind",
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in AFTER),
    )


def _set(values: tuple[str, ...], previous: tuple[str, ...]) -> None:
    # On SQLite the table is copied with the new CHECK; on PostgreSQL the constraint is replaced.
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=_kind(previous), type_=_kind(values), existing_nullable=False
        )


def upgrade() -> None:
    _set(AFTER, BEFORE)


def downgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM alert_changes WHERE alert_id IN (SELECT id FROM alerts WHERE kind = 'instrument_unavailable')"
        )
    )
    op.execute(sa.text("DELETE FROM alerts WHERE kind = 'instrument_unavailable'"))
    _set(BEFORE, AFTER)
