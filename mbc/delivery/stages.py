"""A check-in's delivery stages, kept on its row for the completion funnel.

Whether a message for the check-in was accepted by the provider (``message_sent``), whether one
was delivered (``message_delivered``; email has no delivery receipts, so an accepted email
counts) and when the first reminder was accepted (``first_reminder_at``). They are recomputed
from the check-in's invitations and reminders, never incremented, by whatever changes a
message's status (sending, the Twilio status hook, reconciliation), so a late "undelivered"
report takes a message back out of "sent" exactly as the messages say. Counting a year of
check-ins then needs no pass over the messages.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select, update

from mbc.assessments.models import CheckIn
from mbc.delivery.models import Message
from mbc.extensions import db

SENT = ("sent", "delivered")
FUNNEL_KINDS = ("invitation", "reminder")


def stage_rows(check_ins: Any) -> Any:
    """Per check-in of ``check_ins`` (a subquery of ids) with invitations or reminders: its
    stages, from one grouped pass over those messages."""
    accepted = Message.status.in_(SENT)
    delivered = or_(
        Message.status == "delivered", and_(Message.channel == "email", Message.status == "sent")
    )
    reminder = and_(Message.kind == "reminder", accepted)
    return (
        select(
            Message.check_in_id.label("check_in_id"),
            func.max(case((accepted, 1), else_=0)).label("sent"),
            func.max(case((delivered, 1), else_=0)).label("delivered"),
            func.min(case((reminder, Message.sent_at))).label("first_reminder_at"),
        )
        .where(Message.check_in_id.in_(check_ins), Message.kind.in_(FUNNEL_KINDS))
        .group_by(Message.check_in_id)
        .subquery("stages")
    )


def refresh(check_in_ids: list[int]) -> None:
    """Recompute the stages of these check-ins (None ids, from staff messages, are ignored)."""
    ids = sorted({i for i in check_in_ids if i is not None})
    if ids:
        _update(select(CheckIn.id).where(CheckIn.id.in_(ids)))


def refresh_for_messages(message_ids: list[int]) -> None:
    """Recompute the stages of the check-ins these messages belong to."""
    if message_ids:
        _update(select(Message.check_in_id).where(Message.id.in_(message_ids)))


def refresh_all() -> None:
    """Every check-in's stages (a bulk load's, say); a check-in without messages keeps none."""
    _update(select(CheckIn.id))


def _update(check_ins: Any) -> None:
    """One UPDATE ... FROM the grouped stages (PostgreSQL; SQLite since 3.33). A check-in
    without invitations or reminders has no row there and keeps its defaults: nothing sent."""
    rows = stage_rows(check_ins)
    db.session.execute(
        update(CheckIn)
        .where(CheckIn.id == rows.c.check_in_id)
        .values(
            message_sent=rows.c.sent == 1,
            message_delivered=rows.c.delivered == 1,
            first_reminder_at=rows.c.first_reminder_at,
        )
        .execution_options(synchronize_session=False)
    )
