"""A kiosk as a test client sees it: enrolled by an admin, a session check-in for today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from mbc.assessments.models import CheckIn
from mbc.assessments.services import create_check_in
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.kiosk import codes
from tests.factories import PASSWORD
from tests.helpers import csrf_token, signin, submit

# Today (the tests' clock: Monday 2026-11-23, 12:00 in New York) at 14:00 New York time.
TODAY_SESSION = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


def enrolled_kiosk(app: Flask, admin_email: str, name: str = "Waiting room tablet") -> FlaskClient:
    """A browser on which an admin enrolled the device (and was signed out)."""
    kiosk = signin(app.test_client(), admin_email, PASSWORD)
    response = submit(kiosk, "/admin/kiosks", {"name": name})
    assert response.status_code == 302 and response.location.endswith("/kiosk/")
    return kiosk


def session_check_in(
    app: Flask,
    make,
    client: Client,
    *,
    starts_at: datetime = TODAY_SESSION,
    instruments: tuple[str, ...] = ("phq9", "gad7"),
) -> CheckIn:
    appointment = make.appointment(client, starts_at=starts_at)
    with app.app_context():
        check_in, _token = create_check_in(
            db.session.get(Client, client.id),
            list(instruments),
            opens_at=starts_at - timedelta(hours=24),
            closes_at=starts_at + timedelta(hours=1),
            channel="sms",
            appointment_id=appointment.id,
            session_starts_at=starts_at,
        )
        db.session.commit()
        return check_in


def code_of(app: Flask, check_in: CheckIn) -> str:
    with app.app_context():
        stored = db.session.get(CheckIn, check_in.id)
        found = codes.codes_for([stored])[check_in.id]
        db.session.commit()
        return found


def enter_code(kiosk: FlaskClient, code: str):
    token = csrf_token(kiosk, "/kiosk/")
    return kiosk.post("/kiosk/", data={"csrf_token": token, "code": code})


def kiosk_answer(kiosk: FlaskClient, step: int, answers: dict, **extra):
    url = f"/kiosk/step/{step}"
    data = {"csrf_token": csrf_token(kiosk, url), "action": "next", **answers, **extra}
    return kiosk.post(url, data=data)
