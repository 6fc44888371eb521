"""Kiosk mode on a waiting-room tablet (820x1180, touch), in real Chromium: an admin enrols the
tablet, a client types the code from the front desk and answers, the tablet goes back to its
start page when they finish or walk away, Back shows nothing of them, wrong codes are slowed,
and a switched-off tablet stops."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey, sign_in
from tests.factories import PASSWORD
from tests.kiosk.helpers import code_of, session_check_in
from tests.survey.helpers import alerts, responses

pytestmark = pytest.mark.browser

TABLET = {
    "viewport": {"width": 820, "height": 1180},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/16.0 Mobile/15E148 Safari/604.1",
}
START = "Check in for your appointment"


@pytest.fixture
def tablet(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US", **TABLET)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def enrol(tablet, base: str, admin_email: str) -> None:  # type: ignore[no-untyped-def]
    """The admin, on the tablet itself: Settings, Kiosks, enrol (which signs them out)."""
    sign_in(tablet, base, admin_email, PASSWORD)
    tablet.get_by_role("link", name="Settings").tap()
    tablet.get_by_role("link", name="Kiosks").tap()
    tablet.get_by_label("Name of this device").fill("Waiting room tablet")
    tablet.get_by_role("button", name="Enrol this device and sign out").tap()
    tablet.wait_for_url(f"{base}/kiosk/")
    expect(tablet.get_by_role("heading", name=START)).to_be_visible()


def type_code(tablet, code: str) -> None:  # type: ignore[no-untyped-def]
    tablet.get_by_label("Your check-in code").fill(code)
    tablet.get_by_role("button", name="Start", exact=True).tap()


def tap_answers(page, label: str, count: int) -> None:  # type: ignore[no-untyped-def]
    fieldsets = page.locator("fieldset")
    for n in range(count):
        fieldsets.nth(n).get_by_text(label, exact=True).tap()


def phq9_page(tablet, *, item9: str = "Not at all") -> None:  # type: ignore[no-untyped-def]
    tap_answers(tablet, "Several days", 8)
    tablet.locator("fieldset").nth(8).get_by_text(item9, exact=True).tap()
    tablet.locator("fieldset").nth(9).get_by_text("Somewhat difficult").tap()
    tablet.get_by_role("button", name="Next").tap()


@journey("kiosk_staff.kiosk_enrol", "kiosk.start", "kiosk.step", "kiosk.language")
@journey("kiosk_staff.code_sms")
def test_enrol_a_tablet_then_a_client_checks_in_with_the_code_and_finishes(
    tablet, page, live_server: str, app, make, admin, client_en, clock
) -> None:
    check_in = session_check_in(app, make, client_en)
    # The front desk sees the code beside today's session, and can text it.
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Today").click()
    row = page.locator("li.session", has_text=client_en.client_ref)
    code = code_of(app, check_in)
    expect(row.locator(".kiosk-code-line .code")).to_have_text(f"{code[:3]} {code[3:]}")
    row.get_by_role("button", name=f"Text the code to {client_en.client_ref}").click()
    expect(
        page.get_by_text(f"The check-in code will be texted to {client_en.client_ref}.")
    ).to_be_visible()

    enrol(tablet, live_server, admin.email)
    assert axe_violations(tablet) == []
    html = tablet.content()
    assert client_en.first_name not in html and client_en.client_ref not in html
    for _ in range(app.config["KIOSK_MAX_BAD_CODES"]):  # a wrong code, then slowed
        type_code(tablet, "000000" if code != "000000" else "111111")
    expect(tablet.get_by_text(re.compile("Too many codes that did not work"))).to_be_visible()
    clock.advance(seconds=2)
    type_code(tablet, code)
    tablet.wait_for_url(f"{live_server}/kiosk/check-in")
    tablet.get_by_role("link", name="Start", exact=True).tap()
    tablet.wait_for_url(f"{live_server}/kiosk/step/1")
    assert axe_violations(tablet) == []  # the check-in's page with the kiosk's footer
    tablet.get_by_role("button", name="Español").tap()
    expect(tablet.get_by_text("Cuestionario 1 de 2")).to_be_visible()
    tablet.get_by_role("button", name="English").tap()
    phq9_page(tablet)
    tablet.wait_for_url(f"{live_server}/kiosk/step/2")
    tap_answers(tablet, "Not at all", 7)
    tablet.get_by_role("button", name="Send answers").tap()
    tablet.wait_for_url(f"{live_server}/kiosk/?done=1")
    expect(tablet.get_by_text("Thank you. Your answers have been sent")).to_be_visible()
    assert [(r.instrument_code, r.total) for r in responses(app)] == [("phq9", 8), ("gad7", 0)]
    # Back, and Back again: the start page each time, never the answers.
    for _ in range(2):
        tablet.go_back()
        expect(tablet.get_by_role("heading", name=START)).to_be_visible()
        expect(tablet.locator("fieldset")).to_have_count(0)


@journey("kiosk_staff.kiosk_revoke")
def test_idle_reset_back_button_crisis_and_a_switched_off_tablet(
    tablet, page, live_server: str, app, make, admin, client_en
) -> None:
    app.config.update(KIOSK_IDLE_SECONDS=4, KIOSK_IDLE_WARNING_SECONDS=2)
    check_in = session_check_in(app, make, client_en)
    code = code_of(app, check_in)
    enrol(tablet, live_server, admin.email)
    type_code(tablet, code)
    tablet.get_by_role("link", name="Start", exact=True).tap()
    phq9_page(tablet)  # saved; on page 2 the client walks away
    tablet.wait_for_url(f"{live_server}/kiosk/step/2")
    tablet.locator("fieldset").nth(0).get_by_text("Several days", exact=True).tap()
    expect(tablet.get_by_role("alert").filter(has_text="Are you still there?")).to_be_visible()
    tablet.wait_for_url(f"{live_server}/kiosk/", timeout=15_000)
    expect(tablet.get_by_role("heading", name=START)).to_be_visible()
    tablet.go_back()
    expect(tablet.get_by_role("heading", name=START)).to_be_visible()
    expect(tablet.locator("fieldset")).to_have_count(0)

    # The client comes back and answers item 9: the crisis page, and the front desk is told.
    type_code(tablet, code)
    tablet.wait_for_url(re.compile(r"/kiosk/step/2$"))  # resumes where the answers stopped
    tablet.get_by_role("button", name="Back", exact=True).tap()
    tablet.wait_for_url(f"{live_server}/kiosk/step/1")
    phq9_page(tablet, item9="More than half the days")
    tablet.wait_for_url(f"{live_server}/kiosk/support")
    expect(tablet.get_by_text("Please go to the front desk now")).to_be_visible()
    assert axe_violations(tablet) == []
    assert [a.kind for a in alerts(app)] == ["critical_item"]
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/admin/messages")
    banner = page.get_by_role("alert").filter(has_text="Someone in the waiting room needs you now")
    expect(banner).to_contain_text(client_en.client_ref)
    expect(banner).to_contain_text("Waiting room tablet")

    # Switched off from the admin's desk: the tablet stops at once.
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Kiosks").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Switch off Waiting room tablet").click()
    expect(
        page.get_by_text("Waiting room tablet can no longer be used as a kiosk.")
    ).to_be_visible()
    tablet.reload()
    expect(tablet.get_by_role("heading", name="This kiosk has been switched off")).to_be_visible()


def test_without_javascript_the_page_still_goes_back_to_the_start(
    browser, live_server: str, app, make, admin, client_en
) -> None:
    """The no-script fallback: a meta refresh after the idle time (set small here)."""
    from mbc.clock import utcnow
    from mbc.extensions import db
    from mbc.kiosk import devices

    app.config.update(KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_WARNING_SECONDS=1)
    check_in = session_check_in(app, make, client_en)
    code = code_of(app, check_in)
    with app.app_context():
        _device, token = devices.enrol("Tablet", db.session.get(type(admin), admin.id), utcnow())
        db.session.commit()
    context = browser.new_context(locale="en-US", java_script_enabled=False, **TABLET)
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "mbc_kiosk", "value": token, "url": f"{live_server}/kiosk/"}])
    tablet = context.new_page()
    tablet.goto(f"{live_server}/kiosk/")
    type_code(tablet, code)
    tablet.wait_for_url(f"{live_server}/kiosk/check-in")
    tablet.wait_for_url(f"{live_server}/kiosk/", timeout=10_000)
    expect(tablet.get_by_role("heading", name=START)).to_be_visible()
    context.close()
