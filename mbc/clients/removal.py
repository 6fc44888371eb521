"""Removing a client for good: every row that holds their data, then the client.

Used by the admin page (one client, typed confirmation) and by the retention purge
(``mbc clients purge``). What is left afterwards is the audit trail with its actions but without
the client: rows that named them lose the link, and one ``client.remove`` row records who removed
which internal id (a number, not personal data). It flushes; the caller commits, so a failure
part-way removes nothing.
"""

from __future__ import annotations

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.sql import Select

from mbc.assessments.models import Alert, AlertChange, Assignment, CheckIn, CheckInLink, Response
from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, AppointmentChange, CareTeamMember, Client
from mbc.delivery.models import (
    ClientPlan,
    ConsentEvent,
    ContactConsent,
    DevOutboxEntry,
    InboundMessage,
    Message,
    PlanRule,
    Suppression,
)
from mbc.extensions import db


def remove_client(client: Client, actor: StaffUser | None) -> None:
    """Delete ``client`` and everything that holds their data; audit-log the removal by id."""
    db.session.flush()  # the request's own audit rows first: they are forgotten below too
    client_id = client.id
    phone, email = _own_addresses(client)
    _delete_messages(client, phone, email)
    _delete_answers(client_id)
    _delete_contact_history(client_id, phone, email)
    appointments = select(Appointment.id).where(Appointment.client_id == client_id)
    db.session.execute(
        delete(AppointmentChange).where(AppointmentChange.appointment_id.in_(appointments))
    )
    db.session.execute(delete(Appointment).where(Appointment.client_id == client_id))
    db.session.execute(delete(PlanRule).where(PlanRule.client_id == client_id))
    db.session.execute(delete(ClientPlan).where(ClientPlan.client_id == client_id))
    db.session.execute(delete(CareTeamMember).where(CareTeamMember.client_id == client_id))
    _forget_in_audit(client_id)
    db.session.expunge(client)
    db.session.execute(delete(Client).where(Client.id == client_id))
    audit.record("client.remove", target=f"client:{client_id}", actor=actor)
    db.session.flush()


def _own_addresses(client: Client) -> tuple[str | None, str | None]:
    """The client's phone and email, each only when no other client shares it: an address
    another client uses keeps its suppressions and history, which are theirs too."""
    others = select(Client.id).where(Client.id != client.id).limit(1)
    phone, email = client.phone, client.email
    if phone and db.session.scalar(others.where(Client.phone == phone)) is not None:
        phone = None
    if (
        email
        and db.session.scalar(others.where(func.lower(Client.email) == email.lower())) is not None
    ):
        email = None
    return phone, email


def _addressed_to(column, phone: str | None, email: str | None):  # type: ignore[no-untyped-def]
    """A filter for rows whose ``column`` is one of the client's own addresses."""
    terms = []
    if phone:
        terms.append(column == phone)
    if email:
        terms.append(func.lower(column) == email.lower())
    return or_(*terms) if terms else None


def _delete_messages(client: Client, phone: str | None, email: str | None) -> None:
    """Messages to the client, and staff notices about their alerts, with the links and the
    development outbox copies (whose bodies may name them)."""
    check_ins = select(CheckIn.id).where(CheckIn.client_id == client.id)
    alerts = select(Alert.id).where(Alert.client_id == client.id)
    mine = [
        Message.client_id == client.id,
        Message.check_in_id.in_(check_ins),
        Message.alert_id.in_(alerts),
    ]
    # An automatic answer to their number from before it was theirs names the number (in the
    # recipient and the dedupe key) but no client.
    to_them = _addressed_to(Message.recipient, phone, email)
    if to_them is not None:
        mine.append(and_(Message.client_id.is_(None), Message.staff_user_id.is_(None), to_them))
    messages: Select = select(Message.id).where(or_(*mine))
    outbox = [DevOutboxEntry.message_id.in_(messages)]
    outbox += [DevOutboxEntry.body.contains(text) for text in (client.client_ref, client.full_name)]
    addressed = _addressed_to(DevOutboxEntry.recipient, phone, email)
    if addressed is not None:
        outbox.append(addressed)
    db.session.execute(delete(DevOutboxEntry).where(or_(*outbox)))
    db.session.execute(
        delete(CheckInLink).where(
            or_(CheckInLink.check_in_id.in_(check_ins), CheckInLink.message_id.in_(messages))
        )
    )
    db.session.execute(delete(Message).where(Message.id.in_(messages.scalar_subquery())))


def _delete_answers(client_id: int) -> None:
    """Check-ins, assignments, responses and the alerts they raised (with their changes)."""
    alerts = select(Alert.id).where(Alert.client_id == client_id)
    db.session.execute(delete(AlertChange).where(AlertChange.alert_id.in_(alerts)))
    db.session.execute(delete(Alert).where(Alert.client_id == client_id))
    db.session.execute(delete(Response).where(Response.client_id == client_id))
    db.session.execute(delete(Assignment).where(Assignment.client_id == client_id))
    from mbc.kiosk.removal import delete_kiosk_rows

    delete_kiosk_rows(select(CheckIn.id).where(CheckIn.client_id == client_id))
    db.session.execute(delete(CheckIn).where(CheckIn.client_id == client_id))


def _delete_contact_history(client_id: int, phone: str | None, email: str | None) -> None:
    """Consents, consent history, text replies and suppressions of the client's own addresses
    (an unmatched reply or opt-out from their number goes too: it can only be theirs now)."""
    db.session.execute(delete(ContactConsent).where(ContactConsent.client_id == client_id))
    db.session.execute(delete(InboundMessage).where(InboundMessage.client_id == client_id))
    db.session.execute(delete(ConsentEvent).where(ConsentEvent.client_id == client_id))
    for table, column in (
        (InboundMessage, InboundMessage.from_number),
        (ConsentEvent, ConsentEvent.address),
        (Suppression, Suppression.address),
    ):
        addressed = _addressed_to(column, phone, email)
        if addressed is not None:
            db.session.execute(delete(table).where(addressed))


def _forget_in_audit(client_id: int) -> None:
    """Audit rows keep their action, time and actor but no longer point at the client; the
    hash chain is sealed again over the changed rows, so ``mbc audit verify`` still passes."""
    audit.redact_client(client_id)
