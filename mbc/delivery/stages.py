"""A check-in's delivery stages, kept on its row for the completion funnel.

Whether a message for the check-in was accepted by the provider (``message_sent``), whether one
was delivered (``message_delivered``; email has no delivery receipts, so an accepted email
counts) and when the first reminder was accepted (``first_reminder_at``), over the check-in's
invitations and reminders. Counting a year of check-ins then needs no pass over the messages.

Whatever changes a message's status keeps them: a message accepted (sending, reconciliation)
or delivered (the Twilio status hook) moves its check-in forward in place, which commutes with
any other such move, so concurrent senders and hooks need no locks. A late "undelivered" report
can take a check-in back out of "sent": that recomputes the stages from the messages, under a
row lock (``refresh``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select, update

from mbc.assessments.models import CheckIn
from mbc.delivery.models import Message
from mbc.extensions import db

SENT = ("sent", "delivered")
FUNNEL_KINDS = ("invitation", "reminder")


def stage_rows(check_in_ids: list[int] | None) -> Any:
    """Per check-in (of ``check_in_ids``, or every one) with invitations or reminders: its
    stages, from one grouped pass over those messages."""
    accepted = Message.status.in_(SENT)
    delivered = or_(
        Message.status == "delivered", and_(Message.channel == "email", Message.status == "sent")
    )
    reminder = and_(Message.kind == "reminder", accepted)
    query = (
        select(
            Message.check_in_id.label("check_in_id"),
            func.max(case((accepted, 1), else_=0)).label("sent"),
            func.max(case((delivered, 1), else_=0)).label("delivered"),
            func.min(case((reminder, Message.sent_at))).label("first_reminder_at"),
        )
        .where(Message.check_in_id.is_not(None), Message.kind.in_(FUNNEL_KINDS))
        .group_by(Message.check_in_id)
    )
    if check_in_ids is not None:
        query = query.where(Message.check_in_id.in_(check_in_ids))
    return query.subquery("stages")


def accepted(message_ids: list[int]) -> None:
    """These messages were just accepted by the provider (``sent``, with ``sent_at``): their
    check-ins are sent, delivered if by email, and reminded from the earliest reminder.

    One UPDATE ... FROM these messages, grouped. Every value is the row's own value moved
    forward, so an UPDATE that waits for another transaction's lock applies to that
    transaction's result rather than overwriting it.
    """
    if not message_ids:
        return
    reminder_at = func.min(case((Message.kind == "reminder", Message.sent_at)))
    rows = (
        select(
            Message.check_in_id.label("check_in_id"),
            func.max(case((Message.channel == "email", 1), else_=0)).label("email"),
            reminder_at.label("reminder_at"),
        )
        .where(
            Message.id.in_(message_ids),
            Message.check_in_id.is_not(None),
            Message.kind.in_(FUNNEL_KINDS),
        )
        .group_by(Message.check_in_id)
        .subquery("accepted")
    )
    earlier = CheckIn.first_reminder_at.is_(None) | (rows.c.reminder_at < CheckIn.first_reminder_at)
    db.session.execute(
        update(CheckIn)
        .where(CheckIn.id == rows.c.check_in_id)
        .values(
            message_sent=True,
            message_delivered=CheckIn.message_delivered | (rows.c.email == 1),
            first_reminder_at=case(
                (rows.c.reminder_at.is_not(None) & earlier, rows.c.reminder_at),
                else_=CheckIn.first_reminder_at,
            ),
        )
        .execution_options(synchronize_session=False)
    )


def delivered(message: Message) -> None:
    """The carrier delivered this message: its check-in (if an invitation's or reminder's) was
    sent and delivered (the report may come before the sender recorded the acceptance)."""
    if message.check_in_id is not None and message.kind in FUNNEL_KINDS:
        db.session.execute(
            update(CheckIn)
            .where(CheckIn.id == message.check_in_id)
            .values(message_sent=True, message_delivered=True)
            .execution_options(synchronize_session=False)
        )


def refresh(check_in_ids: list[int]) -> None:
    """Recompute the stages of these check-ins (None ids, from staff messages, are ignored)."""
    ids = sorted({i for i in check_in_ids if i is not None})
    if ids:
        _update(ids)


def refresh_all() -> None:
    """Every check-in's stages, for a bulk load with nothing else writing (no row locks)."""
    _update(None)


def _update(check_in_ids: list[int] | None) -> None:
    """One UPDATE ... FROM the grouped stages (PostgreSQL; SQLite since 3.33). A check-in
    without invitations or reminders has no row there and keeps its defaults: nothing sent.

    On PostgreSQL the check-ins are locked first, in a statement of their own: the UPDATE
    then reads the messages in a snapshot taken after any other transaction writing the same
    check-in (a sender moving it forward, say) has committed, so it cannot write stages
    computed without the other's message. (An UPDATE that waits for a row lock still computes
    its FROM from the snapshot it started with.) SQLite has one writer at a time, so there is
    nothing to wait for.
    """
    if check_in_ids is not None and db.engine.dialect.name == "postgresql":
        db.session.execute(
            select(CheckIn.id)
            .where(CheckIn.id.in_(check_in_ids))
            .order_by(CheckIn.id)
            .with_for_update()
        )
    rows = stage_rows(check_in_ids)
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
