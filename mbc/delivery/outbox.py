"""The outbox: enqueueing messages once, and claiming due ones so that several scheduler
processes never take the same row.

A claim is one UPDATE guarded by ``status = 'pending'``; on PostgreSQL the rows are picked with
``FOR UPDATE SKIP LOCKED`` so competing processes take different rows instead of waiting. No
claim takes more than its limit (a test holds both databases to it).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import any_, case, func, select, update

from mbc.db import insert_ignoring
from mbc.delivery import stages
from mbc.delivery.models import Message
from mbc.extensions import db


def pending_row(row: dict[str, Any]) -> dict[str, Any]:
    """A message row as enqueued: ``row`` (kind, dedupe_key, language, scheduled_at and any
    ids, channel or recipient) completed with the defaults every column needs."""
    return {
        "status": "pending",
        "attempts": 0,
        "due_at": row["scheduled_at"],
        "client_id": None,
        "staff_user_id": None,
        "check_in_id": None,
        "alert_id": None,
        "channel": None,
        "recipient": None,
        **row,
    }


def _insert_new() -> Any:
    """INSERT that leaves out a row whose ``dedupe_key`` exists (Core, on the table: only Core
    reports such a row as not inserted)."""
    return insert_ignoring(Message.__table__, "dedupe_key")


def enqueue(
    *,
    kind: str,
    dedupe_key: str,
    language: str,
    scheduled_at: datetime,
    **ids: int | str | None,
) -> bool:
    """Add a pending message unless one with ``dedupe_key`` exists; True when added.
    ``ids``: client_id, staff_user_id, check_in_id, alert_id, channel, recipient."""
    row = pending_row(
        {
            "kind": kind,
            "dedupe_key": dedupe_key,
            "language": language,
            "scheduled_at": scheduled_at,
            **ids,
        }
    )
    statement = _insert_new().values(**row).returning(Message.__table__.c.id)
    return db.session.connection().execute(statement).first() is not None


def enqueue_many(rows: list[dict[str, Any]]) -> None:
    """Many pending messages in one statement; rows whose ``dedupe_key`` exists are left out."""
    if rows:
        db.session.connection().execute(_insert_new(), [pending_row(row) for row in rows])


def claim_due(now: datetime, limit: int) -> str | None:
    """Mark up to ``limit`` due messages ``sending`` under a fresh claim token; returns the token
    (None when nothing was due). The caller commits before calling any provider."""
    token = secrets.token_hex(8)
    due = (
        select(Message.id)
        .where(Message.status == "pending", Message.due_at <= now)
        .order_by(Message.due_at, Message.id)
        .limit(limit)
    )
    values = {
        "status": "sending",
        "claim_token": token,
        "claimed_at": now,
        "handed_at": None,
        "attempts": Message.attempts + 1,
    }
    if db.engine.dialect.name == "postgresql":
        # A materialised CTE: in "id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)" PostgreSQL
        # may run the subquery again per row, each time skipping the rows just locked, and so
        # claim far more than n. The rows are then found by primary key from an array: joined
        # to the CTE, a table whose statistics lag a burst of new rows (the planner thinks
        # one is pending) was scanned once per claimed row, a second per batch of 500.
        # No status re-check: the locked rows were re-checked as pending when locked.
        picked = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        ids = func.array(select(picked.c.id).scalar_subquery())
        statement = update(Message).where(Message.id == any_(ids))
    else:
        statement = update(Message).where(
            Message.id.in_(due.scalar_subquery()), Message.status == "pending"
        )
    result = db.session.execute(
        statement.values(**values).execution_options(synchronize_session=False)
    )
    return token if result.rowcount else None


def claimed(token: str) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.claim_token == token, Message.status == "sending")
            .order_by(Message.id)
        )
    )


def hand_over(message: Message, now: datetime) -> bool:
    """Record, in its own commit, that this email is about to be handed to the SMTP server, while
    its claim still holds (False: the claim was settled by reconciliation meanwhile; do not
    send). SMTP has no look-up, so this commit is what tells a stopped send from one that never
    started."""
    handed = db.session.execute(
        update(Message)
        .where(
            Message.id == message.id,
            Message.status == "sending",
            Message.claim_token == message.claim_token,
        )
        .values(handed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(handed.rowcount)


def mark_sent(provider_ids: dict[int, str], now: datetime) -> None:
    """Accepted by the provider: ``sent`` with the provider's id, in one statement for the group
    (a row per message cost a round trip and a statement's work each); then their check-ins'
    funnel stages, in one more."""
    if not provider_ids:
        return
    table = Message.__table__
    db.session.execute(
        update(table)
        .where(table.c.id.in_(list(provider_ids)), table.c.status == "sending")
        .values(
            status="sent",
            sent_at=now,
            last_error=None,
            provider_id=case(provider_ids, value=table.c.id),
        )
    )
    stages.accepted(list(provider_ids))


def cancel_pending(check_in_ids: list[int], status: str, reason: str) -> int:
    """Pending messages of these check-ins stop: ``cancelled`` or ``skipped``, with the reason."""
    if not check_in_ids:
        return 0
    result = db.session.execute(
        update(Message)
        .where(Message.check_in_id.in_(check_in_ids), Message.status == "pending")
        .values(status=status, skip_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
