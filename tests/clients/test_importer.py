"""Importing an EHR export: upserts by practice refs, records changes, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from mbc.audit.models import AuditEvent
from mbc.clients.importer import apply_rows, check_upload
from mbc.clients.models import Appointment, AppointmentChange, Client
from mbc.extensions import db

HEADER = (
    "client_ref,first_name,last_name,phone,email,language,timezone,clinician_email,"
    "appointment_ref,starts_at,status\n"
)


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def row(
    client="C-1",
    appt="A-1",
    when="2026-11-24T15:00:00-05:00",
    status="scheduled",
    clinician="a@example.org",
    name="Pat,Lee",
) -> str:
    return f"{client},{name},(415) 555-2671,pat@example.com,en,,{clinician},{appt},{when},{status}"


def run_import(app: Flask, data: bytes):
    with app.app_context():
        checked = check_upload(data)
        if not checked.ok:
            return checked, None
        summary = apply_rows(checked.rows, actor=None)
        db.session.commit()
        return checked, summary


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_first_import_creates_clients_and_appointments(app, clinician_a) -> None:
    data = csv(
        row(), row(appt="A-2", when="2026-12-01T15:00:00-05:00"), row(client="C-2", appt="A-3")
    )
    _, summary = run_import(app, data)
    assert (summary.clients_created, summary.appointments_created) == (2, 3)
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.client_ref == "C-1"))
        assert client.primary_clinician_id == clinician_a.id
        assert client.phone == "+14155552671" and client.preferred_channel == "sms"
        assert client.timezone == "America/New_York"  # the practice default


def test_reimporting_the_same_file_changes_nothing(app, clinician_a) -> None:
    data = csv(row(), row(client="C-2", appt="A-2"))
    run_import(app, data)
    events_before = count(app, AuditEvent)
    _, summary = run_import(app, data)
    assert (summary.clients_created, summary.clients_updated) == (0, 0)
    assert (summary.appointments_created, summary.appointments_updated) == (0, 0)
    assert summary.appointments_unchanged == 2
    assert count(app, Client) == 2 and count(app, Appointment) == 2
    assert count(app, AppointmentChange) == 0
    assert count(app, AuditEvent) == events_before + 1  # only the import itself


def test_a_changed_time_and_status_are_recorded(app, clinician_a) -> None:
    run_import(app, csv(row()))
    _, summary = run_import(app, csv(row(when="2026-11-25T10:00:00-05:00", status="cancelled")))
    assert summary.appointments_updated == 1
    with app.app_context():
        appointment = db.session.scalar(select(Appointment))
        assert appointment.starts_at == datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
        assert appointment.status == "cancelled"
        assert appointment.rescheduled_at and appointment.status_changed_at
        changes = {
            (c.field, c.old_value, c.new_value, c.source)
            for c in db.session.scalars(select(AppointmentChange))
        }
    assert changes == {
        ("starts_at", "2026-11-24T20:00:00+00:00", "2026-11-25T15:00:00+00:00", "import"),
        ("status", "scheduled", "cancelled", "import"),
    }


def test_updated_client_details_are_audited_by_field_name(app, clinician_a) -> None:
    run_import(app, csv(row()))
    _, summary = run_import(app, csv(row(name="Patricia,Lee")))
    assert summary.clients_updated == 1
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "client.update"))
        assert event.detail == {"source": "import", "fields": ["first_name"]}
        assert "Patricia" not in str(event.detail)


def test_a_second_clinician_joins_the_care_team(app, clinician_a, clinician_b) -> None:
    run_import(app, csv(row(), row(appt="A-2", clinician="b@example.org")))
    with app.app_context():
        client = db.session.scalar(select(Client))
        assert client.primary_clinician_id == clinician_a.id
        assert [m.user_id for m in client.care_team] == [clinician_b.id]


def test_a_file_with_one_bad_row_imports_nothing(app, clinician_a) -> None:
    checked, summary = run_import(app, csv(row(), row(client="C-2", appt="A-2", when="soon")))
    assert summary is None and [p.line for p in checked.errors] == [3]
    assert count(app, Client) == 0 and count(app, Appointment) == 0


def test_an_appointment_ref_of_another_client_is_refused(app, clinician_a) -> None:
    run_import(app, csv(row()))
    checked, summary = run_import(app, csv(row(client="C-9")))
    assert summary is None
    assert [str(p) for p in checked.errors] == [
        "line 2, appointment_ref: A-1 belongs to client C-1 in mbc"
    ]


def test_unknown_or_inactive_clinicians_are_refused(app, make) -> None:
    make.user(email="gone@example.org", active=False)
    checked, _ = run_import(app, csv(row(clinician="gone@example.org")))
    assert "gone@example.org is not an active clinician" in str(checked.errors[0])


REQUIRED_ONLY = "client_ref,first_name,last_name,clinician_email,appointment_ref,starts_at\n"


def test_a_file_without_the_optional_columns_keeps_the_clients_details(app, clinician_a) -> None:
    full = (
        f"{HEADER}C-1,Pat,Lee,(415) 555-2671,pat@example.com,es,America/Chicago,"
        "a@example.org,A-1,2026-11-24T15:00:00-05:00,scheduled\n"
    )
    run_import(app, full.encode())
    _, summary = run_import(
        app, (REQUIRED_ONLY + "C-1,Pat,Lee,a@example.org,A-2,2026-12-01T15:00:00-05:00\n").encode()
    )
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.client_ref == "C-1"))
        assert (client.phone, client.email) == ("+14155552671", "pat@example.com")
        assert (client.language, client.timezone) == ("es", "America/Chicago")
        assert client.preferred_channel == "sms"
    assert (summary.clients_updated, summary.appointments_created) == (0, 1)
    assert summary.client_changes == {}


def test_blank_cells_keep_the_stored_details_and_a_new_value_replaces_them(
    app, clinician_a
) -> None:
    run_import(
        app,
        csv(
            "C-1,Pat,Lee,(415) 555-2671,pat@example.com,es,America/Chicago,"
            "a@example.org,A-1,2026-11-24T15:00:00-05:00,scheduled"
        ),
    )
    blank = "C-1,Pat,Lee,,,,,a@example.org,A-1,2026-11-24T15:00:00-05:00,scheduled"
    _, summary = run_import(app, csv(blank))
    assert summary.client_changes == {}
    changed = "C-1,Pat,Lee,,pat@example.org,en,,a@example.org,A-1,2026-11-24T15:00:00-05:00,"
    _, summary = run_import(app, csv(changed))
    assert summary.clients_updated == 1
    assert summary.client_changes == {"C-1": ["email", "language"]}
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.client_ref == "C-1"))
        assert (client.phone, client.email) == ("+14155552671", "pat@example.org")
        assert (client.language, client.timezone) == ("en", "America/Chicago")
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "import.appointments")
        )
        assert "client_changes" not in event.detail  # each client.update event names them


def test_a_new_client_takes_the_practice_defaults_for_absent_columns(app, clinician_a) -> None:
    run_import(
        app, (REQUIRED_ONLY + "C-9,Sam,Roe,a@example.org,A-9,2026-12-01T15:00:00-05:00\n").encode()
    )
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.client_ref == "C-9"))
        assert (client.language, client.timezone) == ("en", "America/New_York")
        assert (client.phone, client.email) == (None, None)
