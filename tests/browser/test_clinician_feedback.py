"""A clinician before a session, in a real browser: today's clients and their status, a client's
chart, acknowledging a critical alert, and the print view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import journey
from tests.browser.test_staff_signin import sign_in
from tests.clinician.history import clients_with_history
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@journey("alerts.acknowledge")
def test_clinician_sees_status_opens_a_chart_acknowledges_and_prints(
    page, live_server: str, app, make, clinician_a
) -> None:
    # six clients with five weekly check-ins each; the sixth (index 5) endorsed item 9 last time
    ids = clients_with_history(app, make, clinician_a, 6, weeks=5)
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    alerts = page.get_by_role("region", name="1 open alert")
    expect(alerts).to_contain_text("Thoughts of self-harm endorsed")
    sessions = page.locator("li.session")
    expect(sessions).to_have_count(6)
    expect(sessions.first).to_contain_text("No check-in planned")
    expect(sessions.first).to_contain_text("Patient Health Questionnaire (PHQ-9)")

    page.get_by_role("link", name="Pat History000").first.click()
    expect(page.get_by_role("heading", name="Pat History000")).to_be_visible()
    phq9 = page.locator("section.instrument").filter(has=page.locator("#i-phq9"))
    expect(phq9.locator("svg circle.point")).to_have_count(5)
    expect(phq9.locator("table.data tbody tr")).to_have_count(5)

    page.goto(f"{live_server}/clients/{ids[5]}")
    page.get_by_role("link", name="Details").first.click()
    page.get_by_label("What did you do?").fill("Phoned the client; safety plan reviewed.")
    page.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    expect(page.get_by_text("Acknowledged by")).to_be_visible()
    page.goto(f"{live_server}/home")
    expect(page.get_by_text("open alert")).to_have_count(0)

    page.goto(f"{live_server}/clients/{ids[0]}")
    page.get_by_role("link", name="Print view to share with the client").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.locator("svg circle.point").first).to_be_visible()
    expect(page.get_by_text("History001")).to_have_count(0)
