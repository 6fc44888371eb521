"""Admin pages for clients, appointments and the import upload."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.clients.models import Appointment, AppointmentChange, Client
from mbc.extensions import db
from tests.helpers import csrf_token, submit, text_of


def client_form(clinician_id: int, **overrides: object) -> dict:
    data = {
        "client_ref": "EHR-100",
        "first_name": "Robin",
        "last_name": "Diaz",
        "phone": "(415) 555-2671",
        "email": "Robin@Example.com",
        "preferred_channel": "sms",
        "language": "es",
        "timezone": "America/Chicago",
        "status": "active",
        "primary_clinician_id": str(clinician_id),
        "team_id": "0",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_client(as_admin, app, clinician_a, clinician_b) -> None:
    form = client_form(clinician_a.id, care_team=[str(clinician_b.id)])
    response = submit(as_admin, "/admin/clients/new", form)
    assert response.status_code == 302
    with app.app_context():
        client = db.session.scalar(select(Client))
        assert client.phone == "+14155552671" and client.email == "Robin@example.com"
        assert client.language == "es" and client.timezone == "America/Chicago"
        assert [m.user_id for m in client.care_team] == [clinician_b.id]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"client.create", "client.care_team"} <= actions
    assert "Client added." in text_of(as_admin.get(response.headers["Location"]))


def test_bad_client_details_are_explained_and_nothing_is_saved(as_admin, app, clinician_a) -> None:
    form = client_form(clinician_a.id, phone="12", timezone="Mars/Base", email="nope")
    response = submit(as_admin, "/admin/clients/new", form)
    page = text_of(response)
    assert response.status_code == 400
    assert "Enter a valid email address." in page
    assert "Enter an IANA time zone" in page
    with app.app_context():
        assert db.session.scalar(select(Client)) is None


def test_phone_that_does_not_parse_is_explained(as_admin, app, clinician_a) -> None:
    response = submit(as_admin, "/admin/clients/new", client_form(clinician_a.id, phone="12"))
    assert response.status_code == 400
    assert "Enter a valid mobile phone number." in text_of(response)


def test_text_messages_need_a_phone(as_admin, clinician_a) -> None:
    response = submit(as_admin, "/admin/clients/new", client_form(clinician_a.id, phone=""))
    assert "Text messages need a mobile phone number." in text_of(response)


def test_duplicate_reference_is_refused(as_admin, make, clinician_a) -> None:
    make.client(clinician_a, client_ref="EHR-100")
    response = submit(as_admin, "/admin/clients/new", client_form(clinician_a.id))
    assert response.status_code == 400
    assert "A client with this reference already exists." in text_of(response)


def test_admin_edits_a_client_and_the_change_is_audited(
    as_admin, app, make, clinician_a, clinician_b
) -> None:
    client = make.client(clinician_a, client_ref="EHR-100")
    url = f"/admin/clients/{client.id}/edit"
    form = client_form(clinician_b.id, status="discharged")
    assert submit(as_admin, url, form).status_code == 302
    with app.app_context():
        saved = db.session.get(Client, client.id)
        assert saved.primary_clinician_id == clinician_b.id and saved.discharged_at is not None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "client.update"))
        assert "status" in event.detail["fields"] and event.detail["source"] == "admin"


def test_admin_adds_an_appointment_in_the_clients_time(as_admin, app, make, clinician_a) -> None:
    client = make.client(clinician_a, timezone="America/Los_Angeles")
    url = f"/admin/clients/{client.id}/appointments/new"
    form = {
        "appointment_ref": "EHR-A-1",
        "clinician_id": str(clinician_a.id),
        "starts_at": "2026-11-24T09:30",
        "status": "scheduled",
    }
    assert submit(as_admin, url, form).status_code == 302
    with app.app_context():
        appointment = db.session.scalar(select(Appointment))
        assert appointment.starts_at == datetime(2026, 11, 24, 17, 30, tzinfo=UTC)


def test_cancelling_an_appointment_records_the_change(as_admin, app, make, clinician_a) -> None:
    client = make.client(clinician_a)
    appointment = make.appointment(client, starts_at=datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    url = f"/admin/appointments/{appointment.id}/edit"
    form = {
        "appointment_ref": "ignored",
        "clinician_id": str(clinician_a.id),
        "starts_at": "2026-11-24T10:00",
        "status": "cancelled",
    }
    assert submit(as_admin, url, form).status_code == 302
    with app.app_context():
        saved = db.session.get(Appointment, appointment.id)
        assert saved.status == "cancelled"
        assert saved.appointment_ref == appointment.appointment_ref  # a ref never changes
        change = db.session.scalar(select(AppointmentChange))
        assert (change.field, change.old_value, change.new_value) == (
            "status",
            "scheduled",
            "cancelled",
        )
        assert change.changed_by_id is not None


def test_upload_imports_a_good_file(as_admin, app, clinician_a) -> None:
    data = (
        "client_ref,first_name,last_name,clinician_email,appointment_ref,starts_at\n"
        "C-1,Pat,Lee,a@example.org,A-1,2026-11-24T15:00:00-05:00\n"
    )
    token = csrf_token(as_admin, "/admin/import")
    response = as_admin.post(
        "/admin/import",
        data={"csrf_token": token, "file": (io.BytesIO(data.encode()), "export.csv")},
    )
    page = text_of(response)
    assert response.status_code == 200 and "Import complete" in page
    assert "Appointments created: 1" in page


def test_upload_of_a_bad_file_lists_problems_and_imports_nothing(
    as_admin, app, clinician_a
) -> None:
    data = (
        "client_ref,first_name,last_name,clinician_email,appointment_ref,starts_at,room\n"
        "C-1,Pat,Lee,a@example.org,A-1,tomorrow,4\n"
        "C-2,Sam,Ray,nobody@example.org,A-2,2026-11-24T15:00:00-05:00,5\n"
    )
    token = csrf_token(as_admin, "/admin/import")
    response = as_admin.post(
        "/admin/import",
        data={"csrf_token": token, "file": (io.BytesIO(data.encode()), "export.csv")},
    )
    page = text_of(response)
    assert response.status_code == 422
    assert "Nothing was imported: 2 problem(s) to fix" in page
    assert "&#39;tomorrow&#39; is not a date and time" in page
    assert "nobody@example.org is not an active clinician" in page
    assert "room: unknown column, ignored" in page
    with app.app_context():
        assert db.session.scalar(select(Client)) is None


def test_upload_without_a_file_is_explained(as_admin) -> None:
    response = submit(as_admin, "/admin/import", {})
    assert response.status_code == 400 and "This field is required." in text_of(response)


def test_oversized_upload_is_refused(as_admin, app) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024
    token = csrf_token(as_admin, "/admin/import")
    response = as_admin.post(
        "/admin/import", data={"csrf_token": token, "file": (io.BytesIO(b"x" * 4096), "big.csv")}
    )
    assert response.status_code == 413
    assert "too large" in text_of(response)


def test_consent_is_recorded_from_the_form_with_who_and_when(as_admin, app, clinician_a) -> None:
    from mbc.delivery.models import ConsentEvent, ContactConsent

    form = client_form(clinician_a.id, email="pat@example.com", sms_consent="y")
    assert submit(as_admin, "/admin/clients/new", form).status_code == 302
    with app.app_context():
        stored = {c.channel: c for c in db.session.scalars(select(ContactConsent))}
        assert stored["sms"].granted and not stored["email"].granted
        assert stored["sms"].source == "admin" and stored["sms"].recorded_by_id is not None
        client_id = db.session.scalars(select(Client.id)).one()
    edit = f"/admin/clients/{client_id}/edit"
    page = text_of(as_admin.get(edit))
    assert 'id="sms_consent" name="sms_consent" type="checkbox" value="y"' in page
    form = client_form(clinician_a.id, email="pat@example.com", email_consent="y")
    assert submit(as_admin, edit, form).status_code == 302
    with app.app_context():
        stored = {c.channel: c.granted for c in db.session.scalars(select(ContactConsent))}
        events = db.session.scalars(select(ConsentEvent.event).order_by(ConsentEvent.id)).all()
    assert stored == {"sms": False, "email": True}
    assert events == ["granted", "withdrawn", "withdrawn", "granted"]
