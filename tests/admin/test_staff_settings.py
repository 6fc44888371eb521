"""Admin settings, staff: an admin adds colleagues (who choose their own password from an email),
changes their details and switches accounts off, and can never lock the practice out."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.auth.models import StaffUser
from mbc.extensions import db
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import tick
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of

NEW = {
    "name": "Dana Díaz",
    "email": "Dana.Diaz@Example.org",
    "role": "clinician",
    "team_id": "0",
    "preferred_language": "es",
    "phone": "(212) 555-0142",
    "weekly_capacity": "22",
}


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


def account(app, email: str) -> StaffUser:
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert user is not None
        db.session.expunge(user)
        return user


def edit_form(user: StaffUser, **changes: str) -> dict:
    form = {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "team_id": str(user.team_id or 0),
        "preferred_language": user.preferred_language,
        "phone": user.phone or "",
        "weekly_capacity": "" if user.weekly_capacity is None else str(user.weekly_capacity),
        "is_active": "y" if user.is_active else "",
        "receives_escalations": "y" if user.receives_escalations else "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v != ""}


def test_a_new_colleague_chooses_their_own_password_from_an_email(app, as_admin, smtp) -> None:
    response = submit(as_admin, "/admin/settings/staff/new", NEW)
    assert response.status_code == 302
    user = account(app, "dana.diaz@example.org")
    assert (user.name, user.role, user.preferred_language) == ("Dana Díaz", "clinician", "es")
    assert (user.phone, user.weekly_capacity, user.is_active) == ("+12125550142", 22, True)
    tick(app)
    [mail] = smtp.inbox.to("dana.diaz@example.org")
    text = mail.get_body(("plain",)).get_content()
    assert "Se creó una cuenta" in text  # in her language, worded for a new account
    link = re.search(r"https://mbc\.test(/password/reset/\S+)", text).group(1)
    web = app.test_client()
    new_password = "a passphrase of her own"
    form = {"password": new_password, "confirm": new_password}
    assert submit(web, link, form).status_code == 302
    signin(app.test_client(), "dana.diaz@example.org", new_password)


def test_an_email_already_in_use_is_refused(app, as_admin, clinician_a) -> None:
    response = submit(as_admin, "/admin/settings/staff/new", {**NEW, "email": "A@example.org"})
    assert response.status_code == 400
    assert "Another account already uses this email address." in text_of(response)


def test_a_bad_phone_number_is_explained(app, as_admin) -> None:
    response = submit(as_admin, "/admin/settings/staff/new", {**NEW, "phone": "555"})
    assert response.status_code == 400
    assert "Enter a valid mobile phone number." in text_of(response)


def test_the_staff_list_shows_everyone_with_their_alert_channels(as_admin, clinician_a) -> None:
    page = text_of(as_admin.get("/admin/settings/staff"))
    assert "Clinician A" in page and "Ada Admin" in page and "Never" in page


def test_an_admin_edits_a_colleague_and_the_change_is_audit_logged(
    app, as_admin, make, clinician_a
) -> None:
    team = make.team("North")
    url = f"/admin/settings/staff/{clinician_a.id}"
    form = edit_form(clinician_a, team_id=str(team.id), weekly_capacity="18", name="Ann Smith")
    assert submit(as_admin, url, form).status_code == 302
    user = account(app, clinician_a.email)
    assert (user.name, user.team_id, user.weekly_capacity) == ("Ann Smith", team.id, 18)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.update"))
        assert event.detail == {"fields": ["name", "team_id", "weekly_capacity"]}


def test_switching_an_account_off_signs_the_person_out(app, as_admin, as_clinician, clinician_a):
    url = f"/admin/settings/staff/{clinician_a.id}"
    assert submit(as_admin, url, edit_form(clinician_a, is_active="")).status_code == 302
    assert as_clinician.get("/home").status_code == 302  # back to sign in
    response = submit(
        app.test_client(), "/signin", {"email": clinician_a.email, "password": PASSWORD}
    )
    assert response.status_code != 302


def test_escalations_go_only_to_admins(app, as_admin, clinician_a) -> None:
    url = f"/admin/settings/staff/{clinician_a.id}"
    submit(as_admin, url, edit_form(clinician_a, receives_escalations="y"))
    assert account(app, clinician_a.email).receives_escalations is False


def test_an_admin_cannot_lock_themselves_out(app, as_admin, admin, make) -> None:
    make.user(role="admin", email="other-admin@example.org")
    url = f"/admin/settings/staff/{admin.id}"
    for changes in ({"role": "clinician"}, {"is_active": ""}):
        response = submit(as_admin, url, edit_form(admin, **changes))
        assert response.status_code == 400
        assert "You cannot take away your own admin role" in text_of(response)
    user = account(app, admin.email)
    assert (user.role, user.is_active) == ("admin", True)


def test_an_admin_who_becomes_a_clinician_loses_the_admin_pages_at_once(app, as_admin, make):
    other = make.user(role="admin", email="other-admin@example.org")
    signed_in_as_other = signin(app.test_client(), other.email, PASSWORD)
    submit(as_admin, f"/admin/settings/staff/{other.id}", edit_form(other, role="clinician"))
    assert account(app, other.email).role == "clinician"
    assert signed_in_as_other.get("/admin/").status_code == 302  # signed out: signs in afresh


def test_a_password_link_is_sent_once_for_a_double_click(app, as_admin, smtp, clinician_a):
    url = f"/admin/settings/staff/{clinician_a.id}/password-link"
    form_url = f"/admin/settings/staff/{clinician_a.id}"
    first = submit(as_admin, url, {}, form_url=form_url, follow_redirects=True)
    second = submit(as_admin, url, {}, form_url=form_url, follow_redirects=True)
    assert "A password link is on its way to a@example.org." in text_of(first)
    assert "went to a@example.org a moment ago" in text_of(second)
    tick(app)
    [mail] = smtp.inbox.to(clinician_a.email)
    assert "Someone asked to reset the password" not in mail.get_body(("plain",)).get_content()


def test_a_clinician_cannot_manage_staff(app, as_clinician, clinician_b) -> None:
    url = f"/admin/settings/staff/{clinician_b.id}"
    response = submit(as_clinician, url, edit_form(clinician_b, role="admin"), form_url="/home")
    assert response.status_code == 403
    assert account(app, clinician_b.email).role == "clinician"
