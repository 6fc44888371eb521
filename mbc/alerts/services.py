"""Raising, notifying, acknowledging, resolving and escalating alerts.

An alert is created in the same transaction as the response that raised it, and so is the
outbox message that tells the clinician (for a critical item), so neither can be lost. Messages
carry a link to sign in and nothing about the client. A critical alert that nobody acknowledges
in time (``OfficeHours.escalation_due``) goes to the practice's designated admins, and that is
audit-logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mbc.alerts.office_hours import OfficeHours
from mbc.assessments.models import Alert
from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.db import insert_ignoring
from mbc.delivery.models import Message
from mbc.extensions import db
from mbc.practice.services import get_practice

# Kinds that notify the clinician at once and escalate when not acknowledged in time.
URGENT_KINDS = ("critical_item",)
NOTE_MAX = 2000


class AlertError(ValueError):
    """An action the alert's state does not allow (e.g. acknowledging twice)."""


def raise_alert(
    *,
    client_id: int,
    kind: str,
    now: datetime,
    response_id: int | None = None,
    instrument_code: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Alert | None:
    """Add the alert unless this response already raised one of this kind; notify when urgent.

    Returns the new alert, or None when it existed. The caller commits with the response.
    """
    if response_id is not None:
        existing = db.session.scalar(
            select(Alert.id).where(Alert.response_id == response_id, Alert.kind == kind)
        )
        if existing is not None:
            return None
    alert = Alert(
        client_id=client_id,
        response_id=response_id,
        kind=kind,
        status="open",
        created_at=now,
        instrument_code=instrument_code,
        detail=detail or {},
    )
    db.session.add(alert)
    db.session.flush()
    if kind in URGENT_KINDS:
        clinician = db.session.scalar(
            select(StaffUser)
            .join(Client, Client.primary_clinician_id == StaffUser.id)
            .where(Client.id == client_id)
        )
        if clinician is not None and clinician.is_active:
            enqueue_notices(alert, [clinician], "notify", now)
    return alert


def has_open(client_id: int, kind: str, instrument_code: str | None) -> bool:
    """Whether the client already has an open alert of this kind for this instrument."""
    return (
        db.session.scalar(
            select(Alert.id).where(
                Alert.client_id == client_id,
                Alert.kind == kind,
                Alert.instrument_code == instrument_code,
                Alert.status == "open",
            )
        )
        is not None
    )


def enqueue_notices(
    alert: Alert, recipients: Iterable[StaffUser], purpose: str, now: datetime
) -> int:
    """One outbox message per recipient and channel (email; SMS too with a mobile number).

    The dedupe key makes a repeat (two scheduler processes escalating at once) a no-op.
    """
    rows = []
    for user in recipients:
        channels = [("email", user.email)] + ([("sms", user.phone)] if user.phone else [])
        for channel, address in channels:
            rows.append(
                {
                    "kind": "alert",
                    "channel": channel,
                    "recipient": address,
                    "language": user.preferred_language,
                    "staff_user_id": user.id,
                    "alert_id": alert.id,
                    "dedupe_key": f"alert:{alert.id}:{purpose}:{user.id}:{channel}",
                    "scheduled_at": now,
                    "due_at": now,
                    "status": "pending",
                    "attempts": 0,
                }
            )
    if rows:
        db.session.execute(insert_ignoring(Message.__table__, "dedupe_key"), rows)
    return len(rows)


def is_escalation(dedupe_key: str) -> bool:
    """Whether an alert message (keyed by ``enqueue_notices``) is an escalation notice."""
    return ":escalate:" in dedupe_key


def acknowledge(alert: Alert, user: StaffUser, note: str, now: datetime) -> None:
    """The clinician has seen it and says what they did; recorded with who and when."""
    if alert.status != "open":
        raise AlertError("already acknowledged")
    alert.status = "acknowledged"
    alert.acknowledged_at, alert.acknowledged_by_id = now, user.id
    alert.note = note.strip()[:NOTE_MAX]
    audit.record("alert.acknowledged", client_id=alert.client_id, target=f"alert:{alert.id}")


def resolve(alert: Alert, user: StaffUser, note: str, now: datetime) -> None:
    """Closed for good (after acknowledgement, or at once with a note)."""
    if alert.status == "resolved":
        raise AlertError("already resolved")
    if alert.status == "open":
        acknowledge(alert, user, note, now)
    alert.status = "resolved"
    alert.resolved_at, alert.resolved_by_id = now, user.id
    alert.resolution_note = note.strip()[:NOTE_MAX]
    audit.record("alert.resolved", client_id=alert.client_id, target=f"alert:{alert.id}")


def escalate_due(now: datetime) -> int:
    """Send every urgent alert past its escalation time to the designated admins; returns how
    many alerts escalated. Locked rows are skipped, so two scheduler processes never both do it.
    """
    practice = get_practice()
    hours = OfficeHours.of(practice)
    query = select(Alert).where(
        Alert.status == "open", Alert.kind.in_(URGENT_KINDS), Alert.escalated_at.is_(None)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    due = [
        alert
        for alert in db.session.scalars(query.order_by(Alert.created_at))
        if hours.escalation_due(alert.created_at, practice.alert_escalation_minutes) <= now
    ]
    if not due:
        db.session.commit()
        return 0
    admins = list(
        db.session.scalars(
            select(StaffUser).where(StaffUser.role == "admin", StaffUser.is_active.is_(True))
        )
    )
    designated = [a for a in admins if a.receives_escalations]
    # Nobody designated must not mean nobody told: then every active admin is.
    recipients = designated or admins
    for alert in due:
        enqueue_notices(alert, recipients, "escalate", now)
        alert.escalated_at = now
        audit.record(
            "alert.escalated",
            client_id=alert.client_id,
            target=f"alert:{alert.id}",
            detail={
                "to": [u.id for u in recipients],
                "designated": bool(designated),
            },
        )
    db.session.commit()
    return len(due)
