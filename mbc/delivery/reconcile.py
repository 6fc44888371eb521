"""Settling messages left in ``sending`` by a process that stopped mid-send.

Never sent blindly again: for SMS the provider is asked what it holds for that number in the
claim's window, from the claim until now (each body holds a link of its own, so its SHA-256
identifies the message), paging through however many other messages the number has had. Found:
it was sent. The provider answers and has nothing: it was not, and the message goes back to the
queue. A look-up that fails or runs too long decides nothing (the message waits, then is marked
unconfirmed). Email over SMTP cannot be looked up, but each email records (``handed_at``, its
own commit) the moment it is handed to the server: one never handed goes back to the queue, and
only the one in flight when the process stopped is marked failed as unconfirmed, for an admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from mbc.delivery import stages
from mbc.delivery.backends import Backends
from mbc.delivery.failures import SendError
from mbc.delivery.models import DevOutboxEntry, Message
from mbc.extensions import db

# A live worker finishes a send within its provider time-out (15-20 s); rows claimed longer ago
# than this belong to a process that stopped.
STALE_AFTER = timedelta(minutes=5)
# Give up asking a provider that keeps failing to answer.
GIVE_UP_AFTER = timedelta(hours=1)
# Twilio's clock and ours may differ a little: the look-up window is widened by this much.
CLOCK_SKEW = timedelta(minutes=2)
UNCONFIRMED = "unconfirmed: the sending process stopped mid-send; not resent, please check"


@dataclass
class ReconcileStats:
    confirmed_sent: int = 0
    requeued: int = 0
    unconfirmed: int = 0
    waiting: int = 0


def reconcile_stale(now: datetime, backends: Backends) -> ReconcileStats:
    stats = ReconcileStats()
    stale = list(
        db.session.scalars(
            select(Message)
            .where(Message.status == "sending", Message.claimed_at < now - STALE_AFTER)
            .order_by(Message.id)
            .limit(500)
        )
    )
    for message in stale:
        _settle(message, now, backends, stats)
        db.session.commit()
    return stats


def _settle(message: Message, now: datetime, backends: Backends, stats: ReconcileStats) -> None:
    if message.body_sha256 is None or message.recipient is None:
        _requeue(message, now, stats)  # stopped before anything was rendered: nothing went out
        return
    if message.channel == "sms" or backends.email.name == "console":
        try:
            found = _find(message, now, backends)
        except SendError:
            if now - (message.claimed_at or now) > GIVE_UP_AFTER:
                _unconfirmed(message, stats)
            else:
                stats.waiting += 1
            return
        if found is None:
            _requeue(message, now, stats)
        else:
            message.status, message.provider_id = "sent", found[:64]
            message.sent_at = message.sent_at or message.claimed_at
            message.last_error = "reconciled: the provider had it"
            stages.accepted([message.id])
            stats.confirmed_sent += 1
        return
    if message.handed_at is None:  # claimed, never handed to the SMTP server: send it again
        _requeue_unhanded(message, now, stats)
        return
    _unconfirmed(message, stats)


def _find(message: Message, now: datetime, backends: Backends) -> str | None:
    if message.channel == "email":  # only the console backend can be asked
        entry = db.session.scalar(
            select(DevOutboxEntry.id).where(DevOutboxEntry.message_id == message.id)
        )
        return None if entry is None else f"console-email-{entry}"
    assert message.body_sha256 is not None
    claimed = message.claimed_at or message.created_at
    return backends.sms.find_sent(
        str(message.recipient), message.body_sha256, claimed - CLOCK_SKEW, now + CLOCK_SKEW
    )


def _requeue(message: Message, now: datetime, stats: ReconcileStats) -> None:
    message.status, message.due_at = "pending", max(now, message.scheduled_at)
    message.attempts = max(0, message.attempts - 1)
    message.last_error = "reconciled: not found at the provider; queued again"
    stats.requeued += 1


def _requeue_unhanded(message: Message, now: datetime, stats: ReconcileStats) -> None:
    """Back to the queue, in one guarded statement: should a slow but live process hand it to
    the server meanwhile (``outbox.hand_over`` guards on the same row), it is left to settle."""
    requeued = db.session.execute(
        update(Message)
        .where(Message.id == message.id, Message.status == "sending", Message.handed_at.is_(None))
        .values(
            status="pending",
            due_at=max(now, message.scheduled_at),
            attempts=max(0, message.attempts - 1),
            last_error="reconciled: never handed to the mail server; queued again",
        )
        .execution_options(synchronize_session=False)
    )
    if requeued.rowcount:
        stats.requeued += 1
    else:
        stats.waiting += 1


def _unconfirmed(message: Message, stats: ReconcileStats) -> None:
    message.status, message.last_error = "failed", UNCONFIRMED
    stats.unconfirmed += 1
