"""A client on a phone changes their mind: Back and a changed answer, a corrected item 9, a
language switch on the crisis page, five taps at once; and what the clinician then sees."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_staff_signin import sign_in
from tests.factories import PASSWORD
from tests.survey.helpers import alerts, responses

pytestmark = pytest.mark.browser


def tap(page, question: int, label: str) -> None:
    page.locator("fieldset").nth(question).get_by_text(label, exact=True).tap()


def tap_all(page, label: str, count: int) -> None:
    for n in range(count):
        tap(page, n, label)


def phq9_page(page, label: str, item9: str = "Not at all") -> None:
    """The nine PHQ-9 questions and the difficulty question."""
    tap_all(page, label, 8)
    tap(page, 8, item9)
    tap(page, 9, "Somewhat difficult")


def test_changes_after_back_are_kept_and_scored(
    phone, live_server: str, app, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    phq9_page(page, "Not at all")
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    page.get_by_role("button", name="Back").tap()
    page.wait_for_url(f"{live_server}/s/{link}/1")
    tap(page, 0, "Nearly every day")
    tap(page, 1, "Nearly every day")
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    [phq] = responses(app)[:1]
    assert (phq.answers["phq9_1"], phq.answers["phq9_2"], phq.total) == (3, 3, 6)
    page.goto(f"{live_server}/s/{link}/1")  # reopening shows the new answers
    expect(page.locator("fieldset").nth(0).get_by_label("Nearly every day")).to_be_checked()


def test_a_mistapped_item9_corrected_after_back_keeps_the_alert_for_the_clinician(
    phone, browser, live_server: str, app, client_en, make, clinician_a
) -> None:
    _, link = make.check_in(client_en)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    phq9_page(page, "Not at all", item9="Several days")  # a mis-tap
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/support")
    page.get_by_role("link", name="Continue the check-in").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    page.get_by_role("button", name="Back").tap()
    page.wait_for_url(f"{live_server}/s/{link}/1")
    tap(page, 8, "Not at all")
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")  # not the crisis page again
    [alert] = alerts(app)
    assert alert.status == "open"

    staff = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768})
    desk = staff.new_page()
    sign_in(desk, live_server, clinician_a.email, PASSWORD)
    desk.locator(".alert-urgent").get_by_role("link", name="Thoughts of self-harm endorsed").click()
    expect(desk.get_by_role("heading", name="Thoughts of self-harm endorsed")).to_be_visible()
    expect(desk.get_by_text("Answer: Several days (1)")).to_be_visible()
    expect(desk.get_by_text("The client changed this answer to Not at all (0)")).to_be_visible()
    assert axe_violations(desk) == []
    desk.get_by_label("What did you do?").fill("Called the client: a mis-tap, no current risk.")
    desk.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(desk.get_by_text("Alert acknowledged.")).to_be_visible()
    staff.close()


def test_tapping_espanol_on_the_crisis_page_shows_it_in_spanish(
    phone, live_server: str, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    phq9_page(page, "Not at all", item9="Nearly every day")
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/support")
    page.get_by_role("button", name="Español").tap()
    page.wait_for_url(f"{live_server}/s/{link}/support")
    expect(page.get_by_role("heading", name="Si necesita ayuda ahora")).to_be_visible()
    expect(page.get_by_role("link", name="Llamar al 988")).to_be_visible()


def test_five_taps_at_once_all_land_on_the_next_page(
    browser, live_server: str, app, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    # The page's own policy allows it no scripts of its own, so the five taps are sent by a
    # test script the policy is told to let through.
    phone = browser.new_context(locale="en-US", has_touch=True, is_mobile=True, bypass_csp=True)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    phq9_page(page, "Several days")
    landed = page.evaluate(
        """async () => {
            const form = document.querySelector("main form");  // its "action" button hides .action
            const body = new URLSearchParams(new FormData(form));
            body.set("action", "next");
            const url = form.getAttribute("action");
            const sends = [0, 1, 2, 3, 4].map(() =>
                fetch(url, {method: "POST", body, credentials: "same-origin"}));
            return (await Promise.all(sends)).map(r => new URL(r.url).pathname);
        }"""
    )
    assert landed == [f"/s/{link}/2"] * 5
    stored = [r for r in responses(app) if r.instrument_code == "phq9"]
    assert [(r.status, r.total) for r in stored] == [("completed", 8)]
    phone.close()


def test_a_finished_check_in_reopened_is_read_only(
    phone, live_server: str, client_en, make
) -> None:
    _, link = make.check_in(client_en, ("gad7",))
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    tap_all(page, "Several days", 7)
    page.get_by_role("button", name="Send answers").tap()
    page.wait_for_url(f"{live_server}/s/{link}/done")
    page.goto(f"{live_server}/s/{link}/1")
    expect(page.get_by_text("can no longer be changed")).to_be_visible()
    answered = page.locator('input[name="gad7_1"][value="1"]')
    expect(answered).to_be_checked()
    expect(answered).to_be_disabled()
    assert page.get_by_role("button", name="Send answers").count() == 0
    assert axe_violations(page) == []


def test_an_admin_discharging_a_client_closes_their_open_check_in(
    page, phone, live_server: str, app, make, admin, clinician_a, client_en
) -> None:
    _, link = make.check_in(client_en)
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/admin/clients/{client_en.id}/edit")
    page.get_by_label("Status").select_option(label="Discharged")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Discharged").first).to_be_visible()
    client_page = phone.new_page()
    client_page.goto(f"{live_server}/s/{link}/1")
    expect(client_page.get_by_role("heading", name="This check-in has closed")).to_be_visible()
