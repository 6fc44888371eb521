"""Staff sign-in: what a member of staff sees when it works and when it does not."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.auth.models import StaffUser
from mbc.clock import FrozenClock
from mbc.extensions import db
from tests.factories import PASSWORD, Factory
from tests.helpers import csrf_token, signin, submit, text_of

WRONG = "That email and password do not match an active account."


def attempt(web, email: str, password: str, address: str = "203.0.113.5"):
    token = csrf_token(web, "/signin")
    return web.post(
        "/signin",
        data={"csrf_token": token, "email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_clinician_signs_in_to_their_caseload(web, clinician_a: StaffUser) -> None:
    response = attempt(web, clinician_a.email, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert "My clients" in text_of(web.get("/home"))


def test_admin_signs_in_to_the_overview(web, admin: StaffUser) -> None:
    response = attempt(web, "  ADMIN@example.org ", PASSWORD)  # case and spaces forgiven
    assert response.headers["Location"] == "/admin/"


def test_wrong_password_and_unknown_user_get_the_same_message(web, clinician_a) -> None:
    wrong = attempt(web, clinician_a.email, "not the password")
    unknown = attempt(web, "nobody@example.org", "whatever-it-is")
    assert wrong.status_code == unknown.status_code == 401
    assert WRONG in text_of(wrong) and WRONG in text_of(unknown)


def test_inactive_account_cannot_sign_in(web, make: Factory) -> None:
    user = make.user(email="gone@example.org", active=False)
    assert attempt(web, user.email, PASSWORD).status_code == 401


def test_missing_csrf_token_is_refused_with_a_clear_message(web, clinician_a) -> None:
    response = web.post("/signin", data={"email": clinician_a.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "sent without its security token" in text_of(response)
    assert web.get("/home").status_code == 302  # not signed in


def test_an_account_is_slowed_after_its_free_tries_but_others_are_not(
    web, app: Flask, clock: FrozenClock, clinician_a, clinician_b
) -> None:
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert attempt(web, clinician_a.email, "wrong-password-1").status_code == 401
    slowed = attempt(web, clinician_a.email, "wrong-password-1")
    assert slowed.status_code == 429
    assert "wait 1 second(s), then try again" in text_of(slowed)
    # during the wait even the right password is not checked
    assert attempt(web, clinician_a.email, PASSWORD).status_code == 429
    # another account from the same address is not affected
    assert attempt(app.test_client(), clinician_b.email, PASSWORD).status_code == 302
    clock.advance(seconds=1)
    assert attempt(web, clinician_a.email, PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_wait_up_to_the_lock_time(
    web, app: Flask, clock: FrozenClock, clinician_a
) -> None:
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        attempt(web, clinician_a.email, "wrong-password-1")
    cap = app.config["SIGNIN_LOCK_MINUTES"] * 60
    waits = []
    for _ in range(12):
        slowed = attempt(web, clinician_a.email, "wrong-password-1")
        assert slowed.status_code == 429
        seconds = int(text_of(slowed).split("wait ")[1].split(" second")[0])
        waits.append(seconds)
        clock.advance(seconds=seconds)
        assert attempt(web, clinician_a.email, "wrong-password-1").status_code == 401
    assert waits[:10] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    assert waits[10:] == [cap, cap]


def test_someone_elses_guesses_only_slow_the_real_user(
    app: Flask, clock: FrozenClock, clinician_a
) -> None:
    attacker, clinician = app.test_client(), app.test_client()
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"] + 1):
        attempt(attacker, clinician_a.email, "guess-guess-1", address="192.0.2.66")
    assert attempt(clinician, clinician_a.email, PASSWORD).status_code == 429
    clock.advance(seconds=2)  # seconds, not the 15 minutes a lock-out took
    assert attempt(clinician, clinician_a.email, PASSWORD).status_code == 302


def test_an_address_is_slowed_after_failures_across_many_accounts(
    web, app: Flask, clock: FrozenClock, clinician_a
) -> None:
    for n in range(app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"]):
        attempt(web, f"guess{n}@example.org", "wrong-password-1", address="198.51.100.7")
    assert attempt(web, clinician_a.email, PASSWORD, address="198.51.100.7").status_code == 429
    assert attempt(web, clinician_a.email, PASSWORD, address="198.51.100.8").status_code == 302
    clock.advance(seconds=1)
    other = app.test_client()
    assert attempt(other, clinician_a.email, PASSWORD, address="198.51.100.7").status_code == 302


def test_successful_sign_ins_from_one_address_do_not_slow_it(
    app: Flask, make: Factory, clinician_a
) -> None:
    """A practice behind one address: only failures count towards its free tries."""
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"] + 5):
        assert attempt(app.test_client(), clinician_a.email, PASSWORD).status_code == 302


def test_the_count_restarts_when_its_window_is_over(
    web, app: Flask, clock: FrozenClock, clinician_a
) -> None:
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        attempt(web, clinician_a.email, "wrong-password-1")
    # quiet for a whole window once the last wait (1 s) ended
    clock.advance(minutes=app.config["SIGNIN_WINDOW_MINUTES"], seconds=2)
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert attempt(web, clinician_a.email, "wrong-password-1").status_code == 401


def test_idle_session_is_signed_out_with_a_message(web, app: Flask, clock, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    clock.advance(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 1)
    assert web.get("/home").status_code == 200  # activity restarts the idle timer
    clock.advance(minutes=app.config["IDLE_TIMEOUT_MINUTES"] + 1)
    response = web.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    page = text_of(web.get(response.headers["Location"]))
    assert "signed out after 30 minutes without activity" in page


def test_a_check_in_opened_in_the_same_browser_does_not_keep_a_staff_session_alive(
    web, app: Flask, clock, make, clinician_a, client_en
) -> None:
    """A client answering on the clinic's tablet is not the clinician being active."""
    _, link = make.check_in(client_en, ("phq9",))
    signin(web, clinician_a.email, PASSWORD)
    clock.advance(minutes=app.config["IDLE_TIMEOUT_MINUTES"] - 1)
    assert web.get(f"/s/{link}/1").status_code == 200
    clock.advance(minutes=2)
    response = web.get("/home")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")


def test_sign_out_ends_the_session(web, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    response = submit(web, "/signout", {}, form_url="/home")
    assert response.status_code == 302
    assert "You have signed out." in text_of(web.get("/signin"))
    assert web.get("/home").status_code == 302


def test_sign_out_needs_the_csrf_token(web, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    assert web.post("/signout").status_code == 400
    assert web.get("/home").status_code == 200


def test_next_only_follows_local_paths(web, clinician_a) -> None:
    token = csrf_token(web, "/signin")
    data = {"csrf_token": token, "email": clinician_a.email, "password": PASSWORD}
    response = web.post("/signin?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/home"
    submit(web, "/signout", {}, form_url="/home")
    token = csrf_token(web, "/signin")
    response = web.post("/signin?next=/clients/1", data={**data, "csrf_token": token})
    assert response.headers["Location"] == "/clients/1"


@pytest.mark.parametrize(
    "target", ["/\\evil.example/x", "/\\/evil.example", "//evil.example", "/\tevil", "/\r\n/x"]
)
def test_next_refuses_what_a_browser_reads_as_another_site(web, clinician_a, target) -> None:
    """Browsers read a backslash as a slash and drop tabs and newlines, so ``/\\evil.example``
    is ``//evil.example``: another site."""
    token = csrf_token(web, "/signin")
    data = {"csrf_token": token, "email": clinician_a.email, "password": PASSWORD}
    response = web.post("/signin", query_string={"next": target}, data=data)
    assert response.headers["Location"] == "/home"


def test_sign_in_is_audited_without_the_password(web, app, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signin"))
        assert event.actor_id == clinician_a.id and event.ip_address == "127.0.0.1"
        assert PASSWORD not in str(event.detail)


def test_staff_pages_are_not_cached(web, clinician_a) -> None:
    signin(web, clinician_a.email, PASSWORD)
    response = web.get("/home")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
