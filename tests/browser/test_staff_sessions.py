"""Staff sessions in a real browser: a member of staff sees where they are signed in and signs
out everywhere else; an admin signs a colleague out everywhere. Each other browser's next page is
the sign-in page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def other_page(browser):  # type: ignore[no-untyped-def]
    """A second browser (its own cookies), as on another computer."""
    context = browser.new_context(locale="en-US")
    yield context.new_page()
    context.close()


def signed_out(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/home")
    page.wait_for_url(lambda url: "/signin" in url)
    expect(page.get_by_text("This session was ended. Please sign in again.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


@journey("auth.end_other_sessions")
def test_staff_member_signs_out_everywhere_else(
    page, other_page, live_server: str, clinician_a
) -> None:
    sign_in(other_page, live_server, clinician_a.email, PASSWORD)
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.get_by_role("link", name="Clinician A").click()
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    rows = page.locator("table.sessions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="This browser")).to_have_count(1)
    expect(rows.first).to_contain_text("127.0.0.1")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_text("Signed out of 1 other session.")).to_be_visible()
    expect(rows).to_have_count(1)
    signed_out(other_page, live_server)
    page.get_by_role("link", name="Today").click()
    expect(page).to_have_url(f"{live_server}/home")  # this browser is still signed in


@journey("admin.staff_signout_everywhere")
def test_admin_signs_a_colleague_out_everywhere(
    page, other_page, live_server: str, admin, clinician_a
) -> None:
    sign_in(other_page, live_server, clinician_a.email, PASSWORD)
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("row", name="Ada Admin")).to_contain_text("1 session")
    page.get_by_role("link", name="1 session Clinician A").click()  # "Signed in now"
    expect(page.get_by_role("heading", name="Signed-in sessions")).to_be_visible()
    expect(page.locator("table.sessions tbody tr")).to_have_count(1)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_text("Clinician A is signed out of 1 session.")).to_be_visible()
    expect(page.get_by_text("Not signed in anywhere.")).to_be_visible()
    signed_out(other_page, live_server)
    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()  # the admin stays in
