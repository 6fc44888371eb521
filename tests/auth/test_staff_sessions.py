"""Staff sessions live on the server: a copied cookie is only as good as its row, which sign-out,
account changes and "sign out everywhere" end at once, and which dies when idle or too old."""

from __future__ import annotations

import hashlib

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from mbc.audit.models import AuditEvent
from mbc.auth import reset
from mbc.auth.models import StaffSession, StaffUser
from mbc.clock import FrozenClock
from mbc.extensions import db
from tests.admin.test_staff_settings import edit_form
from tests.delivery.helpers import tick
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of

COOKIE = "mbc_session"


def copy_of(app: Flask, web: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of ``web``'s session cookie (a thief's)."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, web.get_cookie(COOKIE).value)
    return thief


def signed_in(web: FlaskClient) -> bool:
    response = web.get("/home")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def sessions_of(app: Flask, user: StaffUser) -> list[StaffSession]:
    with app.app_context():
        return list(db.session.scalars(select(StaffSession).where(StaffSession.user_id == user.id)))


def test_the_cookie_holds_a_random_token_and_the_server_only_its_hash(
    app, web, clinician_a
) -> None:
    signin(web, clinician_a.email, PASSWORD)
    data = app.session_interface.get_signing_serializer(app).loads(web.get_cookie(COOKIE).value)
    token = data["_user_id"]
    assert str(clinician_a.id) not in token.split(":") and len(token) >= 43
    [row] = sessions_of(app, clinician_a)
    assert row.id == hashlib.sha256(token.encode()).hexdigest()
    assert row.address == "127.0.0.1" and row.user_agent.startswith("Werkzeug")


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, web, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    thief = copy_of(app, web)
    assert signed_in(thief)
    submit(web, "/signout", {}, form_url="/home")
    assert not signed_in(web)
    response = thief.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert "This session was ended." in text_of(thief.get(response.headers["Location"]))
    assert not signed_in(thief)


def test_a_cookie_used_every_25_minutes_still_dies_at_the_absolute_lifetime(
    app, web, clock: FrozenClock, clinician_a
) -> None:
    signin(web, clinician_a.email, PASSWORD)
    thief = copy_of(app, web)
    lifetime = app.config["SESSION_MAX_HOURS"] * 60
    minutes = 0
    while minutes + 25 < lifetime:
        clock.advance(minutes=25)
        minutes += 25
        assert signed_in(thief), f"signed out after {minutes} minutes"
    clock.advance(minutes=25)  # past 12 hours
    response = thief.get("/home")
    assert response.status_code == 302
    assert "signed out after 12 hours" in text_of(thief.get(response.headers["Location"]))
    for _ in range(30):  # and it stays dead for the rest of the day
        clock.advance(minutes=25)
        assert not signed_in(thief)


def test_the_idle_limit_is_kept_on_the_server(app, web, clock, clinician_a, admin) -> None:
    def admin_page() -> str:
        as_admin = signin(app.test_client(), admin.email, PASSWORD)
        return text_of(as_admin.get(f"/admin/settings/staff/{clinician_a.id}"))

    signin(web, clinician_a.email, PASSWORD)
    copy = copy_of(app, web)
    idle = app.config["IDLE_TIMEOUT_MINUTES"]
    clock.advance(minutes=idle - 1)
    assert signed_in(web)  # activity on one copy keeps the session alive for both
    clock.advance(minutes=idle - 1)
    assert signed_in(copy)
    page = admin_page()
    assert "Sign out everywhere" in page and "Not signed in anywhere." not in page
    clock.advance(minutes=idle + 1)
    page = admin_page()
    assert "Not signed in anywhere." in page  # idle on the server, not just in a cookie
    assert not signed_in(copy) and not signed_in(web)


def test_activity_is_written_at_most_once_a_minute(app, web, clock, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    with app.app_context():
        engine = db.engine
    updates: list[str] = []

    def hook(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("UPDATE staff_sessions"):
            updates.append(statement)

    event.listen(engine, "before_cursor_execute", hook)
    try:
        for _ in range(3):
            clock.advance(seconds=15)
            assert signed_in(web)
        assert updates == []
        clock.advance(seconds=20)  # 65 seconds since sign-in
        assert signed_in(web) and len(updates) == 1
        assert signed_in(web) and len(updates) == 1
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    [row] = sessions_of(app, clinician_a)
    assert row.last_seen_at == clock()


def test_a_password_reset_signs_out_every_other_session_at_once(app, web, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    thief = copy_of(app, web)
    with app.app_context():
        link = f"/password/reset/{reset.reset_token(db.session.get(StaffUser, clinician_a.id))}"
    new = "a brand new passphrase"
    response = submit(app.test_client(), link, {"password": new, "confirm": new})
    assert response.status_code == 302
    assert not signed_in(thief) and not signed_in(web)
    assert all(s.revoked_at is not None for s in sessions_of(app, clinician_a))


def test_a_role_change_signs_the_person_out_everywhere(app, as_admin, clinician_a) -> None:
    laptop = signin(app.test_client(), clinician_a.email, PASSWORD)
    phone = signin(app.test_client(), clinician_a.email, PASSWORD)
    url = f"/admin/settings/staff/{clinician_a.id}"
    assert submit(as_admin, url, edit_form(clinician_a, role="admin")).status_code == 302
    assert not signed_in(laptop) and not signed_in(phone)
    assert signed_in(as_admin)  # the admin's own session is untouched


def test_switching_an_account_off_signs_the_person_out_everywhere(
    app, as_admin, clinician_a
) -> None:
    laptop = signin(app.test_client(), clinician_a.email, PASSWORD)
    url = f"/admin/settings/staff/{clinician_a.id}"
    assert submit(as_admin, url, edit_form(clinician_a, is_active="")).status_code == 302
    assert not signed_in(laptop)
    assert all(s.revoked_at is not None for s in sessions_of(app, clinician_a))


def test_a_name_change_leaves_the_sessions_alone(app, as_admin, clinician_a) -> None:
    laptop = signin(app.test_client(), clinician_a.email, PASSWORD)
    url = f"/admin/settings/staff/{clinician_a.id}"
    assert submit(as_admin, url, edit_form(clinician_a, name="Clinician Ay")).status_code == 302
    assert signed_in(laptop)


def test_sign_out_everywhere_else_keeps_this_browser(app, clinician_a, clinician_b) -> None:
    here = signin(app.test_client(), clinician_a.email, PASSWORD)
    there = signin(app.test_client(), clinician_a.email, PASSWORD)
    colleague = signin(app.test_client(), clinician_b.email, PASSWORD)
    page = text_of(here.get("/account/sessions"))
    assert page.count("This browser") == 1 and page.count("127.0.0.1") == 2
    response = submit(here, "/account/sessions/end-others", {}, form_url="/account/sessions")
    assert response.headers["Location"] == "/account/sessions"
    assert "Signed out of 1 other session." in text_of(here.get("/account/sessions"))
    assert signed_in(here) and not signed_in(there) and signed_in(colleague)
    with app.app_context():
        event_ = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "auth.signout_elsewhere")
        )
        assert event_.actor_id == clinician_a.id and event_.detail == {"sessions": 1}


def test_an_admin_signs_a_colleague_out_everywhere(app, as_admin, admin, clinician_a) -> None:
    laptop = signin(app.test_client(), clinician_a.email, PASSWORD)
    phone = signin(app.test_client(), clinician_a.email, PASSWORD)
    listing = text_of(as_admin.get("/admin/settings/staff"))
    assert f'/admin/settings/staff/{clinician_a.id}#sessions">2 sessions<' in listing
    url = f"/admin/settings/staff/{clinician_a.id}"
    response = submit(as_admin, f"{url}/sign-out-everywhere", {}, form_url=url)
    assert response.headers["Location"] == url
    page = text_of(as_admin.get(url))
    assert "Clinician A is signed out of 2 sessions." in page and "Not signed in anywhere." in page
    assert not signed_in(laptop) and not signed_in(phone) and signed_in(as_admin)
    with app.app_context():
        event_ = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "staff.signout_everywhere")
        )
        assert event_.actor_id == admin.id and event_.target == f"staff:{clinician_a.id}"
        assert event_.detail == {"sessions": 2}


def test_the_scheduler_deletes_sessions_past_their_lifetime(
    app, web, clock, clinician_a, clinician_b
) -> None:
    signin(web, clinician_a.email, PASSWORD)
    clock.advance(minutes=app.config["SESSION_MAX_HOURS"] * 60 - 20)
    later = signin(app.test_client(), clinician_b.email, PASSWORD)
    clock.advance(minutes=20)
    tick(app)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffSession)) == 1
    assert signed_in(later) and not signed_in(web)


def test_client_facing_pages_do_no_staff_session_work(app, web, make, clinician_a, client_en):
    """A check-in opened in a signed-in browser neither reads nor writes the staff session."""
    _, link = make.check_in(client_en, ("phq9",))
    signin(web, clinician_a.email, PASSWORD)
    with app.app_context():
        engine = db.engine
    touched: list[str] = []

    def hook(_conn, _cursor, statement, *_args) -> None:
        if "staff_sessions" in statement:
            touched.append(statement)

    event.listen(engine, "before_cursor_execute", hook)
    try:
        assert web.get(f"/s/{link}/1").status_code == 200
        assert touched == []
        assert signed_in(web) and touched  # a staff page does look the session up
    finally:
        event.remove(engine, "before_cursor_execute", hook)
