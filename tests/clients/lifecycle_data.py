"""A client with a row in every table that can hold their data, for the removal, purge and
backup tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import String, Table, select
from sqlalchemy.types import JSON

from mbc.assessments.models import Alert, AlertChange, CheckInLink, Response
from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import AppointmentChange, Client
from mbc.db import Base
from mbc.delivery.models import (
    ConsentEvent,
    DevOutboxEntry,
    InboundMessage,
    Message,
    Suppression,
)
from mbc.extensions import db
from tests.factories import Factory

WHEN = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def client_with_history(make: Factory, clinician: StaffUser, **values: Any) -> Client:
    """A client with a session, a check-in answered, an alert, messages both ways, a reply,
    an opt-out, their own plan and audit rows."""
    client = make.client(clinician, care_team=(clinician,), **values)
    appointment = make.appointment(client)
    check_in, _token = make.check_in(client, ("phq9",))
    make.plan_rule(("gad7",), scope="client", client=client)
    with make.app.app_context():
        assignment = check_in.assignments[0]
        response = Response(
            assignment_id=assignment.id,
            client_id=client.id,
            instrument_code="phq9",
            instrument_version=assignment.instrument_version,
            language="en",
            channel="sms",
            status="completed",
            answers={"q9": 2, "note": f"{client.first_name} wrote this"},
            opened_at=WHEN,
            completed_at=WHEN,
            total=Decimal("18"),
        )
        db.session.add(response)
        db.session.flush()
        alert = Alert(
            client_id=client.id,
            response_id=response.id,
            kind="critical_item",
            created_at=WHEN,
            note=f"Called {client.full_name}",
            detail={"item": "q9"},
        )
        db.session.add(alert)
        db.session.flush()
        db.session.add(AlertChange(alert_id=alert.id, changed_at=WHEN, item="q9", answer=1))
        invitation = Message(
            kind="invitation",
            channel="sms",
            recipient=client.phone,
            language="en",
            client_id=client.id,
            check_in_id=check_in.id,
            dedupe_key=f"check_in:{check_in.id}:invitation",
            scheduled_at=WHEN,
            due_at=WHEN,
            status="sent",
        )
        notice = Message(
            kind="alert",
            channel="email",
            recipient=clinician.email,
            language="en",
            staff_user_id=clinician.id,
            alert_id=alert.id,
            dedupe_key=f"alert:{alert.id}:notice:{clinician.id}",
            scheduled_at=WHEN,
            due_at=WHEN,
        )
        auto_reply = Message(  # to their number before it was theirs: no client on it
            kind="auto_reply",
            channel="sms",
            recipient=client.phone,
            language="en",
            dedupe_key=f"auto_reply:{client.phone}:2026-08-22",
            scheduled_at=WHEN - timedelta(days=90),
            due_at=WHEN - timedelta(days=90),
            status="sent",
        )
        db.session.add_all([invitation, notice, auto_reply])
        db.session.flush()
        db.session.add_all(
            [
                CheckInLink(
                    check_in_id=check_in.id,
                    message_id=invitation.id,
                    token_hash=f"{client.id:064d}",
                    created_at=WHEN,
                ),
                DevOutboxEntry(
                    message_id=invitation.id,
                    channel="sms",
                    recipient=client.phone,
                    body=f"Hi {client.first_name}, your check-in",
                    sent_at=WHEN,
                ),
                DevOutboxEntry(
                    message_id=notice.id,
                    channel="email",
                    recipient=clinician.email,
                    subject="An alert",
                    body=f"An alert for {client.full_name} ({client.client_ref})",
                    sent_at=WHEN,
                ),
                InboundMessage(
                    message_sid=f"SM{client.id:032d}",
                    from_number=client.phone,
                    client_id=client.id,
                    body=f"This is {client.first_name}, I feel low",
                    received_at=WHEN,
                ),
                InboundMessage(  # before they were a client: matched nobody
                    message_sid=f"SN{client.id:032d}",
                    from_number=client.phone,
                    body="hello?",
                    received_at=WHEN - timedelta(days=90),
                ),
                ConsentEvent(
                    client_id=client.id,
                    channel="sms",
                    address=client.phone,
                    event="opted_out",
                    source="sms_keyword",
                    recorded_at=WHEN,
                ),
                Suppression(
                    channel="sms",
                    address=client.phone,
                    reason="opted_out",
                    source="sms_keyword",
                    since=WHEN,
                ),
                Suppression(
                    channel="email",
                    address=client.email,
                    reason="unsubscribed",
                    source="unsubscribe",
                    since=WHEN,
                ),
                AppointmentChange(
                    appointment_id=appointment.id,
                    changed_at=WHEN,
                    field="status",
                    old_value="scheduled",
                    new_value="cancelled",
                    source="admin",
                ),
            ]
        )
        audit.record("client.view", client_id=client.id, actor=clinician)
        audit.record("client.access_denied", target=f"client:{client.id}", actor=clinician)
        db.session.commit()
        return db.session.get(Client, client.id)


def text_columns(table: Table) -> list:
    return [c for c in table.columns if isinstance(c.type, String | JSON)]


def where_found(app: Flask, needles: list[str]) -> list[str]:
    """Every table.column (text or JSON, any table on the metadata) holding one of ``needles``."""
    found = []
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            columns = text_columns(table)
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    text = str(value) if value is not None else ""
                    found += [f"{table.name}.{column.name}" for n in needles if n in text]
    return found


def rows_pointing_at(app: Flask, client_id: int) -> list[str]:
    """Every column with a foreign key to clients.id whose rows hold ``client_id``."""
    found = []
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column.table.name == "clients" for fk in column.foreign_keys):
                    count = db.session.execute(
                        select(column).where(column == client_id).limit(1)
                    ).first()
                    if count is not None:
                        found.append(f"{table.name}.{column.name}")
    return found
