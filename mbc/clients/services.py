"""Creating and changing clients and appointments, with their audit trail.

Both the admin pages and the EHR import go through these functions, so a change is recorded the
same way whoever makes it. They flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, AppointmentChange, CareTeamMember, Client
from mbc.clock import utcnow
from mbc.extensions import db

CLIENT_FIELDS = (
    "client_ref",
    "first_name",
    "last_name",
    "phone",
    "email",
    "preferred_channel",
    "language",
    "timezone",
    "status",
    "primary_clinician_id",
    "team_id",
)


class ClientConflict(ValueError):
    pass


def default_channel(phone: str | None, email: str | None) -> str:
    """SMS when there is a phone number, else email."""
    return "sms" if phone or not email else "email"


def create_client(values: dict[str, Any], *, source: str, actor: StaffUser | None = None) -> Client:
    ref = values["client_ref"]
    if db.session.scalar(select(Client.id).where(Client.client_ref == ref)) is not None:
        raise ClientConflict(f"a client with reference {ref} already exists")
    client = Client(**{k: values[k] for k in CLIENT_FIELDS if k in values})
    if "preferred_channel" not in values:
        client.preferred_channel = default_channel(client.phone, client.email)
    db.session.add(client)
    db.session.flush()
    audit.record("client.create", client_id=client.id, detail={"source": source}, actor=actor)
    return client


def update_client(
    client: Client, values: dict[str, Any], *, source: str, actor: StaffUser | None = None
) -> list[str]:
    """Apply ``values``; returns the names of the fields that changed (audited, values are not)."""
    changed = [k for k in CLIENT_FIELDS if k in values and getattr(client, k) != values[k]]
    for name in changed:
        setattr(client, name, values[name])
    if "status" in changed:
        client.discharged_at = utcnow() if client.status == "discharged" else None
        if client.status == "discharged":
            from mbc.assessments.check_ins import close_for_discharge  # assessments need clients

            close_for_discharge(client.id)
    if changed:
        db.session.flush()
        audit.record(
            "client.update",
            client_id=client.id,
            detail={"source": source, "fields": changed},
            actor=actor,
        )
    return changed


def set_care_team(client: Client, user_ids: set[int], *, actor: StaffUser | None = None) -> bool:
    current = {m.user_id for m in client.care_team}
    if current == user_ids:
        return False
    client.care_team[:] = [m for m in client.care_team if m.user_id in user_ids]
    for user_id in sorted(user_ids - current):
        client.care_team.append(CareTeamMember(user_id=user_id))
    db.session.flush()
    audit.record(
        "client.care_team",
        client_id=client.id,
        detail={"added": sorted(user_ids - current), "removed": sorted(current - user_ids)},
        actor=actor,
    )
    return True


@dataclass(frozen=True)
class AppointmentValues:
    appointment_ref: str
    client_id: int
    clinician_id: int
    starts_at: datetime
    status: str = "scheduled"


def create_appointment(
    values: AppointmentValues, *, source: str, actor: StaffUser | None = None
) -> Appointment:
    ref = values.appointment_ref
    if db.session.scalar(select(Appointment.id).where(Appointment.appointment_ref == ref)):
        raise ClientConflict(f"an appointment with reference {ref} already exists")
    appointment = Appointment(
        appointment_ref=ref,
        client_id=values.client_id,
        clinician_id=values.clinician_id,
        starts_at=values.starts_at,
        status=values.status,
    )
    db.session.add(appointment)
    db.session.flush()
    audit.record(
        "appointment.create",
        client_id=values.client_id,
        target=f"appointment:{appointment.id}",
        detail={"source": source},
        actor=actor,
    )
    return appointment


def update_appointment(
    appointment: Appointment,
    values: AppointmentValues,
    *,
    source: str,
    actor: StaffUser | None = None,
) -> list[str]:
    """Apply changes; a new start time or status is kept in ``appointment_changes``."""
    now = utcnow()
    changed: list[str] = []
    if appointment.starts_at != values.starts_at:
        _record_change(
            appointment, "starts_at", appointment.starts_at, values.starts_at, source, actor
        )
        appointment.starts_at = values.starts_at
        appointment.rescheduled_at = now
        changed.append("starts_at")
    if appointment.status != values.status:
        _record_change(appointment, "status", appointment.status, values.status, source, actor)
        appointment.status = values.status
        appointment.status_changed_at = now
        changed.append("status")
    if appointment.clinician_id != values.clinician_id:
        appointment.clinician_id = values.clinician_id
        changed.append("clinician_id")
    if changed:
        db.session.flush()
        audit.record(
            "appointment.update",
            client_id=appointment.client_id,
            target=f"appointment:{appointment.id}",
            detail={"source": source, "fields": changed},
            actor=actor,
        )
    return changed


def _record_change(
    appointment: Appointment,
    field: str,
    old: object,
    new: object,
    source: str,
    actor: StaffUser | None,
) -> None:
    db.session.add(
        AppointmentChange(
            appointment_id=appointment.id,
            changed_at=utcnow(),
            field=field,
            old_value=_as_text(old),
            new_value=_as_text(new),
            source=source,
            changed_by_id=actor.id if actor else None,
        )
    )


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else str(value)
