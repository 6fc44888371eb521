"""Staff password reset: the mail goes through the outbox (same sender as client mail); the link
works once, for a limited time, and says nothing about which addresses have accounts."""

from __future__ import annotations

import re

import pytest

from mbc.clock import FrozenClock
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import tick
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


def reset_link(smtp, address: str) -> str:
    [mail] = smtp.inbox.to(address)
    text = mail.get_body(("plain",)).get_content()
    return re.search(r"https://mbc\.test(/password/reset/\S+)", text).group(1)


def test_reset_by_email_then_sign_in_with_the_new_password(app, web, smtp, clinician_a) -> None:
    response = submit(web, "/password/forgot", {"email": "A@Example.org"})
    assert "If that address belongs to a staff account" in text_of(response)
    tick(app)
    [mail] = smtp.inbox.to(clinician_a.email)
    assert mail["From"] == "Riverside Counseling <checkins@riverside.example>"
    link = reset_link(smtp, clinician_a.email)
    form = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert submit(web, link, form).status_code == 302
    signin(app.test_client(), clinician_a.email, NEW_PASSWORD)
    assert web.get(link).status_code == 410  # used: the password it was made for is gone


def test_unknown_addresses_get_the_same_answer_and_no_mail(app, web, smtp) -> None:
    response = submit(web, "/password/forgot", {"email": "nobody@example.org"})
    assert "If that address belongs to a staff account" in text_of(response)
    tick(app)
    assert smtp.inbox.messages == []


def test_the_link_expires(app, web, smtp, clock: FrozenClock, clinician_a) -> None:
    submit(web, "/password/forgot", {"email": clinician_a.email})
    tick(app)
    link = reset_link(smtp, clinician_a.email)
    clock.advance(minutes=31)
    assert "expired or was already used" in text_of(web.get(link))


def test_a_weak_or_mismatched_password_is_explained(app, web, smtp, clinician_a) -> None:
    submit(web, "/password/forgot", {"email": clinician_a.email})
    tick(app)
    link = reset_link(smtp, clinician_a.email)
    response = submit(web, link, {"password": "short", "confirm": "short"})
    assert response.status_code == 400 and "at least 12 characters" in text_of(response)
    response = submit(web, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert "not the same" in text_of(response)
    signin(app.test_client(), clinician_a.email, PASSWORD)  # unchanged


def test_a_reset_signs_out_existing_sessions(app, web, smtp, as_clinician, clinician_a) -> None:
    submit(web, "/password/forgot", {"email": clinician_a.email})
    tick(app)
    link = reset_link(smtp, clinician_a.email)
    submit(web, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert as_clinician.get("/home").status_code == 302


def test_repeated_requests_are_slowed_down(app, web, clinician_a) -> None:
    for _ in range(5):
        submit(web, "/password/forgot", {"email": clinician_a.email})
    assert submit(web, "/password/forgot", {"email": clinician_a.email}).status_code == 429
