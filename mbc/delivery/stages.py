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


def _of_check_in(column: Any) -> Any:
    """A scalar subquery over the (outer) check-in's invitations and reminders."""
    return (
        select(column)
        .where(Message.check_in_id == CheckIn.id, Message.kind.in_(FUNNEL_KINDS))
        .correlate(CheckIn)
        .scalar_subquery()
    )


def stage_values() -> dict[str, Any]:
    """The SET clause that recomputes each updated check-in's stages from its messages."""
    accepted = Message.status.in_(SENT)
    delivered = or_(
        Message.status == "delivered", and_(Message.channel == "email", Message.status == "sent")
    )
    reminder = and_(Message.kind == "reminder", accepted)
    return {
        "message_sent": func.coalesce(_of_check_in(func.max(case((accepted, 1), else_=0))), 0) == 1,
        "message_delivered": func.coalesce(_of_check_in(func.max(case((delivered, 1), else_=0))), 0)
        == 1,
        "first_reminder_at": _of_check_in(func.min(case((reminder, Message.sent_at)))),
    }


def refresh(check_in_ids: list[int]) -> None:
    """Recompute the stages of these check-ins (None ids, from staff messages, are ignored)."""
    ids = sorted({i for i in check_in_ids if i is not None})
    if ids:
        _update(CheckIn.id.in_(ids))


def refresh_for_messages(message_ids: list[int]) -> None:
    """Recompute the stages of the check-ins these messages belong to."""
    if message_ids:
        owners = select(Message.check_in_id).where(Message.id.in_(message_ids))
        _update(CheckIn.id.in_(owners.scalar_subquery()))


def _update(condition: Any) -> None:
    db.session.execute(
        update(CheckIn)
        .where(condition)
        .values(stage_values())
        .execution_options(synchronize_session=False)
    )
