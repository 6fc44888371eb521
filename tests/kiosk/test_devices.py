"""Enrolling a kiosk: a device cookie bound to a server record, revocable, audit-logged."""

from __future__ import annotations

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.kiosk import devices
from mbc.kiosk.models import KioskDevice
from tests.helpers import submit, text_of
from tests.kiosk.helpers import enrolled_kiosk


def _set_cookie_header(response) -> str:
    return next(v for k, v in response.headers.items() if k == "Set-Cookie" and "mbc_kiosk" in v)


def test_enrolling_sets_a_long_lived_http_only_cookie_and_stores_only_its_hash(
    app, admin, as_admin
) -> None:
    response = submit(as_admin, "/admin/kiosks", {"name": "Waiting room tablet"})
    assert response.status_code == 302 and response.location.endswith("/kiosk/")
    cookie = _set_cookie_header(response)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/kiosk" in cookie
    assert "Max-Age=34560000" in cookie  # 400 days
    token = cookie.split(";")[0].split("=", 1)[1]
    with app.app_context():
        device = db.session.scalar(select(KioskDevice))
        assert device.name == "Waiting room tablet"
        assert device.token_hash == devices.digest(token) and token not in device.token_hash
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "kiosk.enrol" in actions


def test_the_cookie_is_secure_in_production(app) -> None:
    from flask import Response

    app.config["ENV"] = "production"
    with app.test_request_context():
        response = Response()
        devices.set_cookie(response, "t")
    assert "Secure" in response.headers["Set-Cookie"]


def test_enrolling_signs_the_admin_out_of_the_device(app, admin) -> None:
    kiosk = enrolled_kiosk(app, admin.email)
    assert kiosk.get("/home").status_code == 302  # to sign-in: no staff session is left


def test_the_start_page_shows_no_names_and_no_schedule(app, make, admin, clinician_a) -> None:
    make.client(clinician_a, first_name="Zelda", last_name="Quixote")
    kiosk = enrolled_kiosk(app, admin.email)
    page = kiosk.get("/kiosk/")
    html = text_of(page)
    assert page.status_code == 200 and "Type the 6-digit code" in html
    assert "Zelda" not in html and "Quixote" not in html and "Clinician A" not in html
    assert page.headers["Cache-Control"] == "no-store"


def test_an_unknown_device_gets_a_clear_page(web) -> None:
    page = web.get("/kiosk/")
    assert page.status_code == 403 and "not set up as a kiosk" in text_of(page)
    web.set_cookie("mbc_kiosk", "made-up", path="/kiosk")
    assert "not set up as a kiosk" in text_of(web.get("/kiosk/"))


def test_a_revoked_device_stops_at_once_and_the_revocation_is_audited(app, admin, as_admin) -> None:
    kiosk = enrolled_kiosk(app, admin.email)
    with app.app_context():
        device_id = db.session.scalar(select(KioskDevice.id))
    listing = text_of(as_admin.get("/admin/kiosks"))
    assert "Waiting room tablet" in listing and "In use" in listing
    submit(as_admin, f"/admin/kiosks/{device_id}/revoke", {}, form_url="/admin/kiosks")
    page = kiosk.get("/kiosk/")
    assert page.status_code == 403 and "switched off" in text_of(page)
    assert "Switched off" in text_of(as_admin.get("/admin/kiosks"))
    with app.app_context():
        assert db.session.get(KioskDevice, device_id).revoked_at is not None
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "kiosk.revoke" in actions


def test_clinicians_cannot_enrol_or_revoke(app, as_clinician) -> None:
    assert as_clinician.get("/admin/kiosks").status_code == 403


def test_last_seen_is_kept(app, admin, clock) -> None:
    kiosk = enrolled_kiosk(app, admin.email)
    clock.advance(minutes=5)
    kiosk.get("/kiosk/")
    with app.app_context():
        assert db.session.scalar(select(KioskDevice.last_seen_at)) == clock.at
