"""The remaining staff forms, each submitted in Chromium as the person who uses it, with the
result checked on the page that follows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import journey, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@journey("admin.client_new", "admin.appointment_new")
def test_admin_adds_a_client_and_books_a_session(
    page, live_server: str, admin, clinician_a
) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name="Add a client").click()
    page.get_by_label("Client reference").fill("EHR-501")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Díaz")
    page.get_by_label("Mobile phone").fill("(415) 555-2671")
    page.get_by_label("Email", exact=True).fill("robin@example.com")
    page.get_by_label("Language").select_option(label="Spanish")
    page.get_by_label("Time zone").fill("America/Chicago")
    page.get_by_label("Primary clinician").select_option(label=clinician_a.name)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Client added.")
    expect(page.get_by_role("heading", name="Robin Díaz")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("+14155552671")

    page.get_by_role("link", name="Add appointment").click()
    page.get_by_label("Appointment reference").fill("APT-9001")
    page.get_by_label("Starts at (client's local time)").fill("2026-11-30T10:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Appointment added.")
    expect(page.locator("tr.upcoming")).to_contain_text(clinician_a.name)


@journey("clinician.plan_pause", "clinician.plan_resume")
def test_clinician_pauses_and_resumes_a_plan(page, practice) -> None:
    sign_in(page, practice.url, practice.clinician_email, practice.clinician_password)
    page.get_by_role("link", name="My clients", exact=True).click()
    page.get_by_label("Find a client").fill("DEMO-0012")
    page.get_by_role("button", name="Show").click()
    page.locator("tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("button", name="Pause the plan").click()
    expect(page.get_by_role("status")).to_contain_text("Plan paused")
    expect(page.get_by_text("Paused since")).to_be_visible()
    page.get_by_role("button", name="Resume the plan").click()
    expect(page.get_by_role("status")).to_have_text("Plan resumed.")
    expect(page.get_by_role("button", name="Pause the plan")).to_be_visible()


@journey("alerts.resolve")
def test_admin_acknowledges_and_resolves_an_alert(page, practice) -> None:
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    page.goto(f"{practice.url}/caseload")
    page.get_by_label("Show", exact=True).select_option(label="Alerts open")
    page.get_by_role("button", name="Show").click()
    page.locator("tbody a.badge.alert").first.click()
    page.get_by_label("What did you do?").fill("Called the client; next session brought forward.")
    page.get_by_role("button", name="Acknowledge and resolve").click()
    expect(page.get_by_role("status")).to_have_text("Alert resolved.")
    expect(page.get_by_text("Resolved by Alex Admin").first).to_be_visible()


@journey("admin.licence_withdraw")
def test_admin_withdraws_a_licence(page, live_server: str, admin) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/admin/settings/instruments")
    ors = page.locator("section.instrument", has_text="Outcome Rating Scale")
    ors.get_by_text("Record the practice's licence to switch it on").click()
    ors.get_by_label("Licence holder").fill("Riverside Counseling LLC")
    ors.get_by_label("Licence number or agreement").fill("2026-114")
    ors.get_by_role("button", name="Record the licence").click()
    ors.get_by_role("button", name="Withdraw the licence").click()
    expect(page.get_by_role("status")).to_contain_text("Licence withdrawn")
    expect(ors.get_by_text("Off until a licence is recorded")).to_be_visible()


@journey("reports.goals_page", "reports.goal_delete")
def test_admin_sets_and_removes_a_team_goal(page, live_server: str, admin, make) -> None:
    make.team("North")
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/admin/reports/goals")
    page.get_by_label("Team", exact=True).select_option(label="North")
    page.get_by_label("Goal", exact=True).select_option(label="Check-ins completed")
    page.get_by_label("Target (%)").fill("75")
    page.get_by_label("Period").select_option(label="This quarter")
    page.get_by_role("button", name="Add goal").click()
    expect(page.get_by_role("status")).to_have_text("Goal added.")
    row = page.get_by_role("row", name="North")
    expect(row).to_contain_text("≥ 75 %")
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("status")).to_have_text("Goal removed.")
    expect(page.get_by_text("No goals yet.")).to_be_visible()
