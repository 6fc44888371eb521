"""A clinician who forgot their password, in Chromium: asks for a link, gets it by email (a real
SMTP server on 127.0.0.1), chooses a new password on the page it opens, and signs in with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.auth.test_password_reset import NEW_PASSWORD, reset_link
from tests.browser.journeys import journey, sign_in
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import tick

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


@journey("auth.forgot_password", "auth.reset_password")
def test_clinician_resets_a_forgotten_password(
    page, live_server: str, app, smtp, clinician_a
) -> None:
    page.goto(f"{live_server}/signin")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(clinician_a.email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_text("If that address belongs to a staff account")).to_be_visible()
    tick(app)

    page.goto(live_server + reset_link(smtp, clinician_a.email))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your password is changed. Sign in with it now."
    )
    sign_in(page, live_server, clinician_a.email, NEW_PASSWORD)
    expect(page.get_by_role("link", name="My clients", exact=True)).to_be_visible()
