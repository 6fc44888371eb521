"""Inbound SMS: replies stored per client (``inbound_messages``), the automatic answer as a
message kind, clients found by phone number, and consent events of an address linked to its
clients (the opt-ins and opt-outs recorded without one before)

Revision ID: g1inbound001
Revises: g1revise001
Create Date: 2026-12-01 21:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "g1inbound001"
down_revision: str | None = "g1revise001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("invitation", "reminder", "alert", "password_reset")
NEW_KINDS = (*OLD_KINDS, "auto_reply")


def _kind(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values,
        name="message_kind",
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
    )


# An event without a client, for an address that clients have: one event per such client
# (written out here, not imported: a migration must not change when the application does).
OF_ADDRESS = """
FROM consent_events AS e JOIN clients AS c
  ON (e.channel = 'sms' AND c.phone = e.address) OR (e.channel = 'email' AND c.email = e.address)
WHERE e.client_id IS NULL
"""
LINK_EVENTS = f"""
INSERT INTO consent_events (client_id, channel, address, event, source, recorded_at,
                            recorded_by_id)
SELECT c.id, e.channel, e.address, e.event, e.source, e.recorded_at, e.recorded_by_id
{OF_ADDRESS}
"""
DROP_UNLINKED = f"""
DELETE FROM consent_events WHERE id IN (SELECT e.id {OF_ADDRESS})
"""


def upgrade() -> None:
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=True),
        sa.Column("from_number", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(length=1600), nullable=False),
        sa.Column(
            "keyword",
            sa.Enum(
                "opt_out",
                "opt_in",
                "help",
                name="inbound_keyword",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_inbound_messages_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["seen_by_id"],
            ["staff_users.id"],
            name=op.f("fk_inbound_messages_seen_by_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_messages")),
        sa.UniqueConstraint(
            "message_sid", "client_id", name=op.f("uq_inbound_messages_message_sid")
        ),
    )
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inbound_messages_client_id_received_at", ["client_id", "received_at"], unique=False
        )
        batch_op.create_index(
            "uq_inbound_messages_message_sid_unmatched",
            ["message_sid"],
            unique=True,
            sqlite_where=sa.text("client_id IS NULL"),
            postgresql_where=sa.text("client_id IS NULL"),
        )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_phone"), ["phone"], unique=False)
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(NEW_KINDS), existing_type=_kind(OLD_KINDS), existing_nullable=False
        )
    op.execute(LINK_EVENTS)
    op.execute(DROP_UNLINKED)


def downgrade() -> None:
    # The consent events stay linked to their clients: the history is as true as before.
    auto_replies = "SELECT id FROM messages WHERE kind = 'auto_reply'"
    op.execute(f"DELETE FROM dev_outbox WHERE message_id IN ({auto_replies})")
    op.execute("DELETE FROM messages WHERE kind = 'auto_reply'")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", type_=_kind(OLD_KINDS), existing_type=_kind(NEW_KINDS), existing_nullable=False
        )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_phone"))
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_inbound_messages_message_sid_unmatched",
            sqlite_where=sa.text("client_id IS NULL"),
            postgresql_where=sa.text("client_id IS NULL"),
        )
        batch_op.drop_index("ix_inbound_messages_client_id_received_at")
    op.drop_table("inbound_messages")
