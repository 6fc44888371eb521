"""Applying a checked EHR export: clients and appointments upserted by their practice refs.

Idempotent: importing the same file twice changes nothing the second time. A changed start time
or status is recorded in ``appointment_changes``. An existing client takes only the details the
file gives a value for: a column left out, or a blank cell, keeps what mbc has (an export
without the email column must not erase every client's email). Used by the admin upload and
the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients import services
from mbc.clients.csv_format import CheckedFile, Defaults, ImportRow, Problem, check_file
from mbc.clients.models import Appointment, Client
from mbc.clock import utcnow
from mbc.delivery import consent
from mbc.extensions import db
from mbc.practice.services import get_practice


@dataclass
class ImportSummary:
    clients_created: int = 0
    clients_updated: int = 0
    appointments_created: int = 0
    appointments_updated: int = 0
    appointments_unchanged: int = 0
    # client_ref -> the names of the client's fields this import changed
    client_changes: dict[str, list[str]] = field(default_factory=dict)
    # appointment_ref -> the names of the appointment's fields this import changed
    appointment_changes: dict[str, list[str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in vars(self).items() if isinstance(v, int)}


def default_date_format() -> str:
    """[decision] Month first for a US practice, day first elsewhere; the upload can say."""
    return "mdy" if get_practice().phone_region == "US" else "dmy"


def practice_defaults(date_format: str | None = None) -> Defaults:
    """What a row leaves out takes the practice's settings (new clients only)."""
    practice = get_practice()
    return Defaults(
        practice.phone_region,
        practice.default_language,
        practice.timezone,
        date_format or default_date_format(),
    )


def active_clinician_emails() -> set[str]:
    return set(_clinicians())


def conflicts_with_stored(rows: list[ImportRow]) -> list[Problem]:
    """Rows whose appointment ref belongs to another client in mbc (the push checks it too)."""
    return _conflicts_with_stored(rows)


def check_upload(data: bytes, date_format: str | None = None) -> CheckedFile:
    """Check a file against the practice's defaults, its clinicians and the stored appointments."""
    checked = check_file(data, practice_defaults(date_format), active_clinician_emails())
    if checked.ok:
        checked.errors.extend(_conflicts_with_stored(checked.rows))
    return checked


def apply_rows(
    rows: list[ImportRow],
    *,
    actor: StaffUser | None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Upsert every row; the caller commits once, so a failure leaves nothing half-written."""
    summary = ImportSummary()
    clinicians = _clinicians()
    clients = _existing_clients({str(r.client["client_ref"]) for r in rows})
    appointments = _existing_appointments({r.appointment_ref for r in rows})
    for row in rows:
        clinician_id = clinicians[row.clinician_email]
        client = _upsert_client(row, clinician_id, clients, summary, actor)
        _apply_consent(client, row, actor)
        if clinician_id != client.primary_clinician_id:
            services.set_care_team(
                client, {m.user_id for m in client.care_team} | {clinician_id}, actor=actor
            )
        _upsert_appointment(row, client, clinician_id, appointments, summary, actor)
        if progress:
            progress(1)
    audit.record("import.appointments", detail=summary.counts(), actor=actor)
    db.session.flush()
    return summary


def preview_rows(checked: CheckedFile, *, actor: StaffUser | None) -> ImportSummary:
    """What importing the file's good rows would add and change, with nothing written: the rows
    are applied and the transaction is rolled back, so the preview is exactly the import.
    The caller must have nothing else pending in the session."""
    refused = {p.line for p in checked.errors}
    try:
        return apply_rows([r for r in checked.rows if r.line not in refused], actor=actor)
    finally:
        db.session.rollback()


def _upsert_client(
    row: ImportRow,
    clinician_id: int,
    clients: dict[str, Client],
    summary: ImportSummary,
    actor: StaffUser | None,
) -> Client:
    ref = str(row.client["client_ref"])
    client = clients.get(ref)
    if client is None:
        values = dict(row.client, primary_clinician_id=clinician_id, status="active")
        if row.channel:
            values["preferred_channel"] = row.channel
        client = services.create_client(values, source="import", actor=actor)
        clients[ref] = client
        summary.clients_created += 1
        return client
    values = {k: v for k, v in row.client.items() if k == "client_ref" or k in row.given}
    phone, email = values.get("phone", client.phone), values.get("email", client.email)
    chosen = phone if client.preferred_channel == "sms" else email
    if row.channel:
        values["preferred_channel"] = row.channel
    elif not chosen:
        values["preferred_channel"] = services.default_channel(phone, email)
    changed = services.update_client(client, values, source="import", actor=actor)
    if changed:
        summary.clients_updated += 1
        summary.client_changes.setdefault(ref, []).extend(
            name for name in changed if name not in summary.client_changes.get(ref, [])
        )
    return client


def _upsert_appointment(
    row: ImportRow,
    client: Client,
    clinician_id: int,
    appointments: dict[str, Appointment],
    summary: ImportSummary,
    actor: StaffUser | None,
) -> None:
    values = services.AppointmentValues(
        appointment_ref=row.appointment_ref,
        client_id=client.id,
        clinician_id=clinician_id,
        starts_at=row.starts_at,
        status=row.status,
    )
    existing = appointments.get(row.appointment_ref)
    if existing is None:
        created = services.create_appointment(values, source="import", actor=actor)
        created.documentation_completed_at = row.documentation_completed_at
        appointments[row.appointment_ref] = created
        summary.appointments_created += 1
        return
    changed = services.update_appointment(existing, values, source="import", actor=actor)
    if _documented(existing, row):
        changed = [*changed, "documentation_completed_at"]
    if changed:
        summary.appointments_updated += 1
        summary.appointment_changes[row.appointment_ref] = changed
    else:
        summary.appointments_unchanged += 1


def _documented(appointment: Appointment, row: ImportRow) -> bool:
    """Take the file's documentation time when it gives one (a blank keeps what mbc has)."""
    when = row.documentation_completed_at
    if when is None or appointment.documentation_completed_at == when:
        return False
    appointment.documentation_completed_at = when
    return True


def _apply_consent(client: Client, row: ImportRow, actor: StaffUser | None) -> None:
    """``yes``/``no`` columns are recorded as given. Without them, a contact detail the practice
    supplies counts as consent for that channel (it collected it at intake), unless a decision
    is already on record: an earlier ``no`` is never turned into a yes by omission."""
    now = utcnow()
    for channel, address in (("sms", client.phone), ("email", client.email)):
        answer = row.consent.get(channel)
        if answer is None:
            if not address or consent.has_decision(client.id, channel):
                continue
            answer = True
        consent.set_consent(
            client, channel, answer, source="import", now=now, actor_id=actor.id if actor else None
        )


def _clinicians() -> dict[str, int]:
    rows = db.session.execute(
        select(func.lower(StaffUser.email), StaffUser.id).where(
            StaffUser.role == "clinician", StaffUser.is_active.is_(True)
        )
    )
    return {email: user_id for email, user_id in rows}


def _existing_clients(refs: set[str]) -> dict[str, Client]:
    found = db.session.scalars(select(Client).where(Client.client_ref.in_(refs)))
    return {c.client_ref: c for c in found}


def _existing_appointments(refs: set[str]) -> dict[str, Appointment]:
    found = db.session.scalars(select(Appointment).where(Appointment.appointment_ref.in_(refs)))
    return {a.appointment_ref: a for a in found}


def _conflicts_with_stored(rows: list[ImportRow]) -> list[Problem]:
    """An appointment ref already used for another client is an error, not a silent move."""
    stored = db.session.execute(
        select(Appointment.appointment_ref, Client.client_ref)
        .join(Client, Appointment.client_id == Client.id)
        .where(Appointment.appointment_ref.in_({r.appointment_ref for r in rows}))
    )
    owner = {appointment_ref: client_ref for appointment_ref, client_ref in stored}
    return [
        Problem(
            r.line,
            "appointment_ref",
            f"{r.appointment_ref} belongs to client {owner[r.appointment_ref]} in mbc",
        )
        for r in rows
        if r.appointment_ref in owner and owner[r.appointment_ref] != r.client["client_ref"]
    ]
