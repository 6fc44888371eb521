"""Staff sign in and out in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import journey
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@journey("auth.signin", "auth.signout")
def test_admin_signs_in_and_out(page, live_server: str, admin) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.wait_for_url(f"{live_server}/admin/")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/signin")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto(f"{live_server}/admin/")
    assert page.url.startswith(f"{live_server}/signin")


def test_clinician_signs_in_and_opens_a_client(page, live_server: str, make, clinician_a) -> None:
    make.client(clinician_a, first_name="Jordan", last_name="Rivera")
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    page.get_by_role("link", name="My clients", exact=True).click()
    page.get_by_role("link", name="Jordan Rivera").click()
    expect(page.get_by_role("heading", name="Jordan Rivera")).to_be_visible()


def test_wrong_password_is_explained(page, live_server: str, clinician_a) -> None:
    sign_in(page, live_server, clinician_a.email, "not the password at all")
    expect(
        page.get_by_text("That email and password do not match an active account.")
    ).to_be_visible()


def test_after_the_free_tries_the_page_says_how_long_to_wait_then_the_right_password_works(
    page, live_server: str, app, clock, clinician_a
) -> None:
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        sign_in(page, live_server, clinician_a.email, "not the password at all")
        expect(page.get_by_text("do not match an active account")).to_be_visible()
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    expect(page.get_by_text("wait 1 second(s), then try again")).to_be_visible()
    assert page.url.startswith(f"{live_server}/signin")  # the right password was not checked
    clock.advance(seconds=1)
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
