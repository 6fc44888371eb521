"""Read-side queries for client lists and pages; each runs a fixed number of statements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select

from mbc.auth.access import visible_clients
from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, AppointmentChange, Client
from mbc.extensions import db


def caseload(
    user: StaffUser, now: datetime, *, search: str = "", status: str | None = "active"
) -> Select[tuple[Client, datetime | None]]:
    """Clients ``user`` may see, each with the start of their next scheduled session."""
    upcoming = (
        select(Appointment.client_id, func.min(Appointment.starts_at).label("next_at"))
        .where(Appointment.status == "scheduled", Appointment.starts_at >= now)
        .group_by(Appointment.client_id)
        .subquery()
    )
    query = (
        visible_clients(user)
        .add_columns(upcoming.c.next_at)
        .outerjoin(upcoming, upcoming.c.client_id == Client.id)
    )
    if status:
        query = query.where(Client.status == status)
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Client.client_ref).like(like),
                func.lower(Client.first_name + " " + Client.last_name).like(like),
            )
        )
    return query.order_by(Client.last_name, Client.first_name, Client.id)


def appointments_of(client: Client) -> list[Appointment]:
    return list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.client_id == client.id)
            .order_by(Appointment.starts_at.desc())
        )
    )


def changes_of(client: Client) -> dict[int, list[AppointmentChange]]:
    rows = db.session.scalars(
        select(AppointmentChange)
        .join(Appointment, AppointmentChange.appointment_id == Appointment.id)
        .where(Appointment.client_id == client.id)
        .order_by(AppointmentChange.changed_at)
    )
    changes: dict[int, list[AppointmentChange]] = {}
    for change in rows:
        changes.setdefault(change.appointment_id, []).append(change)
    return changes
