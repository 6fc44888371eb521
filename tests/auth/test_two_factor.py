"""Two-factor sign-in: enrolment, the code after the password (throttled, each code once),
recovery codes, the practice setting that requires it, and an admin's reset.

Codes are computed here with pyotp from the secret the page shows, at the app's frozen clock."""

from __future__ import annotations

import re

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.auth import two_factor
from mbc.auth.models import RecoveryCode, StaffUser
from mbc.clock import FrozenClock
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of

WRONG_CODE = "That code is not right, or was used already."


def enrol(web: FlaskClient, clock: FrozenClock) -> tuple[str, list[str]]:
    """Enrol the signed-in user as they would: read the key, type the app's code."""
    page = text_of(web.get("/account/two-factor"))
    match = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert match, page
    assert "<svg" in page  # the QR code, inline
    secret = match.group(1).replace(" ", "")
    code = pyotp.TOTP(secret).at(clock())
    response = submit(
        web, "/account/two-factor/enrol", {"code": code}, form_url="/account/two-factor"
    )
    assert response.status_code == 200, text_of(response)
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", text_of(response))
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def password_step(web: FlaskClient, email: str, address: str = "203.0.113.5"):
    return submit(
        web,
        "/signin",
        {"email": email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": address},
    )


def code_step(web: FlaskClient, code: str, address: str = "203.0.113.5"):
    return submit(web, "/signin/code", {"code": code}, environ_base={"REMOTE_ADDR": address})


def enrolled(app: Flask, clock: FrozenClock, user: StaffUser) -> tuple[str, list[str]]:
    web = signin(app.test_client(), user.email, PASSWORD)
    secret, codes = enrol(web, clock)
    clock.advance(seconds=30)  # the enrolment's own code is spent
    return secret, codes


def test_after_enrolment_sign_in_asks_for_the_code(
    app: Flask, web: FlaskClient, clock: FrozenClock, clinician_a
) -> None:
    secret, _codes = enrolled(app, clock, clinician_a)
    response = password_step(web, clinician_a.email)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin/code")
    assert web.get("/home").status_code == 302  # not signed in by the password alone
    assert "Sign-in code" in text_of(web.get("/signin/code"))

    response = code_step(web, pyotp.TOTP(secret).at(clock()))
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert web.get("/home").status_code == 200
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "signin").order_by(AuditEvent.id.desc())
        ).first()
        assert event.detail == {"second_step": "totp"}
        assert secret not in str(event.detail)


def test_the_code_must_come_within_five_minutes_of_the_password(
    app: Flask, web: FlaskClient, clock: FrozenClock, clinician_a
) -> None:
    secret, _codes = enrolled(app, clock, clinician_a)
    password_step(web, clinician_a.email)
    clock.advance(minutes=5, seconds=1)
    response = web.get("/signin/code")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert "the time for the code ran out" in text_of(web.get("/signin"))
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', text_of(web.get("/signin"))
    )
    late = web.post(
        "/signin/code", data={"csrf_token": token.group(1), "code": pyotp.TOTP(secret).at(clock())}
    )
    assert late.status_code == 302 and web.get("/home").status_code == 302  # not signed in


def test_a_code_one_step_old_is_accepted_two_steps_old_refused(
    app: Flask, web: FlaskClient, clock: FrozenClock, clinician_a
) -> None:
    secret, _codes = enrolled(app, clock, clinician_a)
    clock.advance(seconds=30)  # the step before now was not the enrolment's
    password_step(web, clinician_a.email)
    old = pyotp.TOTP(secret).at(clock(), counter_offset=-2)
    assert code_step(web, old).status_code == 401
    previous = pyotp.TOTP(secret).at(clock(), counter_offset=-1)
    assert code_step(web, previous).status_code == 302


def test_wrong_codes_count_as_failed_tries_for_the_account(
    app: Flask, web: FlaskClient, clock: FrozenClock, clinician_a
) -> None:
    secret, _codes = enrolled(app, clock, clinician_a)
    assert password_step(web, clinician_a.email).status_code == 302
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"] - 1):  # the password was one
        response = code_step(web, "000000")
        assert response.status_code == 401 and WRONG_CODE in text_of(response)
    slowed = code_step(web, pyotp.TOTP(secret).at(clock()))
    assert slowed.status_code == 429 and "wait 1 second(s)" in text_of(slowed)
    # the right password again does not buy fresh guesses at the code
    assert password_step(web, clinician_a.email).status_code == 429
    clock.advance(seconds=1)
    assert password_step(web, clinician_a.email).status_code == 302
    # that password counted too (the account is not cleared before the code): the wait grows
    assert code_step(web, pyotp.TOTP(secret).at(clock())).status_code == 429
    clock.advance(seconds=2)
    assert code_step(web, pyotp.TOTP(secret).at(clock())).status_code == 302


def test_a_code_already_used_in_its_step_is_refused(
    app: Flask, clock: FrozenClock, clinician_a
) -> None:
    secret, _codes = enrolled(app, clock, clinician_a)
    code = pyotp.TOTP(secret).at(clock())
    first = app.test_client()
    password_step(first, clinician_a.email)
    assert code_step(first, code).status_code == 302
    second = app.test_client()  # someone who saw the code, in the same 30 seconds
    password_step(second, clinician_a.email)
    response = code_step(second, code)
    assert response.status_code == 401 and WRONG_CODE in text_of(response)
    clock.advance(seconds=30)
    assert code_step(second, pyotp.TOTP(secret).at(clock())).status_code == 302


def test_a_recovery_code_signs_in_once(app: Flask, clock: FrozenClock, clinician_a) -> None:
    _secret, codes = enrolled(app, clock, clinician_a)
    web = app.test_client()
    password_step(web, clinician_a.email)
    response = code_step(web, codes[3].upper().replace("-", " "))  # read back from paper
    assert response.status_code == 302
    assert "You used a recovery code; 9 left." in text_of(web.get("/home"))
    submit(web, "/signout", {}, form_url="/home")
    password_step(web, clinician_a.email)
    assert code_step(web, codes[3]).status_code == 401
    assert code_step(web, codes[4]).status_code == 302
    with app.app_context():
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in codes for h in hashes)


def test_required_for_admins_sends_an_admin_to_enrolment_first(
    app: Flask, clock: FrozenClock, admin, clinician_a
) -> None:
    with app.app_context():
        get_practice().two_factor_required = "admins"
        db.session.commit()
    web = signin(app.test_client(), admin.email, PASSWORD)
    for page in ("/admin/", "/admin/settings", "/account/sessions"):
        response = web.get(page)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"
    assert "Set up two-factor sign-in" in text_of(web.get("/account/two-factor"))
    # a clinician is not covered
    assert signin(app.test_client(), clinician_a.email, PASSWORD).get("/home").status_code == 200

    enrol(web, clock)
    assert web.get("/admin/").status_code == 200
    # and it cannot be turned off while required
    response = submit(
        web,
        "/account/two-factor/off",
        {"off-password": PASSWORD},
        form_url="/account/two-factor",
        follow_redirects=True,
    )
    assert "it stays on" in text_of(response)
    with app.app_context():
        assert db.session.get(StaffUser, admin.id).two_factor_enabled


def test_turning_off_needs_the_password(app: Flask, clock: FrozenClock, clinician_a) -> None:
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    enrol(web, clock)
    off = "/account/two-factor/off"
    wrong = submit(web, off, {"off-password": "not-the-password"}, form_url="/account/two-factor")
    assert wrong.status_code == 302
    with app.app_context():
        assert db.session.get(StaffUser, clinician_a.id).two_factor_enabled
    submit(web, off, {"off-password": PASSWORD}, form_url="/account/two-factor")
    with app.app_context():
        user = db.session.get(StaffUser, clinician_a.id)
        assert not user.two_factor_enabled and user.totp_secret is None
        assert db.session.scalars(select(RecoveryCode)).all() == []


def test_new_recovery_codes_replace_the_old(app: Flask, clock: FrozenClock, clinician_a) -> None:
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    _secret, old = enrol(web, clock)
    response = submit(
        web,
        "/account/two-factor/recovery-codes",
        {"codes-password": PASSWORD},
        form_url="/account/two-factor",
    )
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", text_of(response))
    assert len(new) == 10 and response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        user = db.session.get(StaffUser, clinician_a.id)
        assert not two_factor.use_recovery_code(user, old[0])
        assert two_factor.use_recovery_code(user, new[0])


def test_admin_reset_clears_it_ends_the_sessions_and_is_audited(
    app: Flask, clock: FrozenClock, as_admin: FlaskClient, clinician_a
) -> None:
    secret, _codes = enrolled(app, clock, clinician_a)
    theirs = app.test_client()
    password_step(theirs, clinician_a.email)
    code_step(theirs, pyotp.TOTP(secret).at(clock()))
    assert theirs.get("/home").status_code == 200
    url = f"/admin/settings/staff/{clinician_a.id}"
    assert "Reset two-factor sign-in" in text_of(as_admin.get(url))

    unticked = submit(as_admin, f"{url}/two-factor-reset", {}, form_url=url)
    assert unticked.status_code == 302
    with app.app_context():
        assert db.session.get(StaffUser, clinician_a.id).two_factor_enabled

    submit(as_admin, f"{url}/two-factor-reset", {"confirm": "y"}, form_url=url)
    with app.app_context():
        user = db.session.get(StaffUser, clinician_a.id)
        assert user.totp_secret is None and user.totp_enabled_at is None
        assert db.session.scalars(select(RecoveryCode)).all() == []
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "staff.two_factor_reset")
        )
        assert event.target == f"staff:{clinician_a.id}" and event.detail == {"sessions": 2}
        assert secret not in str(event.detail)
    assert theirs.get("/home").status_code == 302  # signed out
    # the password alone signs them in again (enrolment only when the practice requires it)
    assert password_step(app.test_client(), clinician_a.email).headers["Location"] == "/home"
