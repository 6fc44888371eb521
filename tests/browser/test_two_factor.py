"""Two-factor sign-in in a real browser: a member of staff enrols (reading the key from the page,
as they would type it into an app), signs out and back in with a code, then with a recovery code;
an admin makes it compulsory, enrols, and resets a colleague who lost their phone.

The server runs on the test's frozen clock, so pyotp here computes the code the app would show."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from mbc.auth import two_factor
from mbc.auth.models import StaffUser
from mbc.extensions import db
from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

CODE_LABEL = "Code from your authenticator app, or a recovery code"


def password_step(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.set_default_timeout(10_000)
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in code")).to_be_visible()


def enrol_on_page(page, clock) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """On the enrolment page: read the key, type the app's code, keep the recovery codes."""
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("The 6-digit code the app shows now").fill(pyotp.TOTP(secret).at(clock()))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    return secret, codes


@journey("auth.two_factor_enrol", "auth.signin_code", "auth.two_factor_new_codes")
def test_staff_member_enrols_then_signs_in_with_a_code(
    page, live_server: str, clock, clinician_a
) -> None:
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.get_by_role("link", name="Clinician A").click()
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    assert axe_violations(page) == []
    secret, _codes = enrol_on_page(page, clock)
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_text("10 unused recovery codes left.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    clock.advance(seconds=30)
    password_step(page, live_server, clinician_a.email)
    assert axe_violations(page) == []
    page.get_by_label(CODE_LABEL).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right, or was used already.")).to_be_visible()
    page.get_by_label(CODE_LABEL).fill(pyotp.TOTP(secret).at(clock()))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/home")

    page.goto(f"{live_server}/account/two-factor")
    form = page.locator("form", has=page.get_by_role("button", name="Make new recovery codes"))
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_text("Your earlier recovery codes no longer work.")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").locator("li")).to_have_count(10)


@journey("auth.two_factor_off")
def test_staff_member_signs_in_with_a_recovery_code_then_turns_it_off(
    page, live_server: str, app, clock, clinician_a
) -> None:
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.goto(f"{live_server}/account/two-factor")
    _secret, codes = enrol_on_page(page, clock)
    page.get_by_role("button", name="Sign out").click()

    password_step(page, live_server, clinician_a.email)
    page.get_by_label(CODE_LABEL).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/home")
    expect(page.get_by_text("You used a recovery code; 9 left.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    password_step(page, live_server, clinician_a.email)  # the same code again is refused
    page.get_by_label(CODE_LABEL).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right, or was used already.")).to_be_visible()
    page.get_by_label(CODE_LABEL).fill(codes[1])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server}/home")

    page.goto(f"{live_server}/account/two-factor")
    form = page.locator("form", has=page.get_by_role("button", name="Turn off two-factor sign-in"))
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Turn off two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in is off.")).to_be_visible()
    with app.app_context():
        assert not db.session.get(StaffUser, clinician_a.id).two_factor_enabled


@pytest.fixture
def other_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US")
    yield context.new_page()
    context.close()


@journey("admin.staff_two_factor_reset", "admin.practice_settings")
def test_admin_requires_it_enrols_and_resets_a_colleague(
    page, other_page, live_server: str, app, clock, admin, clinician_a
) -> None:
    with app.app_context():  # the colleague enrolled earlier and has lost their phone
        user = db.session.get(StaffUser, clinician_a.id)
        two_factor.begin_enrolment(user)
        assert two_factor.confirm_enrolment(user, pyotp.TOTP(user.totp_secret).at(clock()))
        db.session.commit()

    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Two-factor sign-in required for").select_option("Everyone")
    page.get_by_role("button", name="Save settings").click()
    # covered now, and not enrolled: nothing else until they are
    expect(page.get_by_text("The practice requires two-factor sign-in")).to_be_visible()
    expect(page).to_have_url(f"{live_server}/account/two-factor")
    page.get_by_role("link", name="Overview").click()
    expect(page).to_have_url(f"{live_server}/account/two-factor")
    enrol_on_page(page, clock)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(
        page.get_by_text("The practice requires two-factor sign-in for your account.")
    ).to_be_visible()

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Clinician A").click()
    expect(page.get_by_text("On since")).to_be_visible()
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.get_by_text("Tick the box to confirm you checked who is asking.")).to_be_visible()
    page.get_by_label("I have checked that this request comes from them").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in for Clinician A is cleared")).to_be_visible()
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(page.get_by_text("Off.", exact=True)).to_be_visible()

    # the colleague signs in with the password alone and is sent to enrol again
    sign_in(other_page, live_server, clinician_a.email, PASSWORD)
    expect(other_page).to_have_url(f"{live_server}/account/two-factor")
    enrol_on_page(other_page, clock)
