"""Supervision, each clinician's own view, and staff retention and time off, in Chromium as
the person who uses each page, on the practice-sized demo practice (Dana Brooks supervises
Alice Nguyen and Ben Okafor there)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mbc.demo.seed import SUPERVISOR
from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey, sign_in

pytestmark = pytest.mark.browser


def _staff_page(page, practice, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Staff").click()
    page.locator("#main").get_by_role("link", name=name, exact=True).click()


@journey(
    "admin.staff_supervisees",
    "admin.staff_employment",
    "admin.staff_time_off_add",
    "admin.staff_time_off_delete",
)
def test_admin_assigns_a_supervisee_and_records_employment_and_leave(page, practice) -> None:
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    _staff_page(page, practice, "Carmen Ruiz")
    supervision = page.locator("form", has=page.get_by_role("button", name="Set supervisees"))
    supervision.get_by_label("Ben Okafor").check()
    page.get_by_role("button", name="Set supervisees").click()
    expect(page.get_by_role("status")).to_have_text("Supervisees saved.")
    expect(page.get_by_label("Ben Okafor")).to_be_checked()
    page.get_by_label("Ben Okafor").uncheck()  # back as it was: other journeys share the data
    page.get_by_role("button", name="Set supervisees").click()
    expect(page.get_by_role("status")).to_have_text("Supervisees saved.")

    page.get_by_label("Start date").fill("2022-06-01")
    page.get_by_label("Paid time off a year (days)").fill("21.5")
    page.get_by_role("button", name="Record employment details").click()
    expect(page.get_by_role("status")).to_have_text("Employment details saved.")
    page.get_by_label("First day").fill("2026-12-28")
    page.get_by_label("Last day", exact=True).fill("2026-12-30")
    page.get_by_label("Amount").fill("3")
    page.get_by_label("Kind of time off").select_option(label="Annual leave (paid time off)")
    page.get_by_role("button", name="Add time off").click()
    expect(page.get_by_role("status")).to_have_text("Time off added.")
    row = page.locator("tr", has_text="Dec 28, 2026")
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("status")).to_have_text("Time off removed.")
    expect(page.locator("tr", has_text="Dec 28, 2026")).to_have_count(0)


@journey("admin.time_off_import_page")
def test_admin_imports_time_off_and_reads_the_staff_report(page, practice) -> None:
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Import time off").click()
    csv = (
        "email,starts_on,ends_on,amount,unit,kind,ref\n"
        "alice@demo.example.org,2026-10-05,2026-10-06,2,days,annual_leave,JOURNEY-1\n"
        "ben@demo.example.org,2026-10-07,,4,hours,sick,JOURNEY-2\n"
    )
    page.get_by_label("CSV file").set_input_files(
        {"name": "leave.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("already in mbc")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Staff retention and time off").click()
    expect(page.get_by_role("heading", name="Headcount and retention by team")).to_be_visible()
    expect(page.get_by_role("heading", name="Leave allowance used by team")).to_be_visible()
    expect(page.get_by_role("heading", name="Leavers by reason")).to_be_visible()
    assert axe_violations(page) == []


@journey("supervision.goal_add", "supervision.goal_note", "supervision.goal_update")
def test_supervisor_reviews_a_supervisee_and_records_a_goal(page, practice) -> None:
    sign_in(page, practice.url, SUPERVISOR[0], practice.clinician_password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Supervision").click()
    page.get_by_role("link", name="Review with Alice Nguyen").click()
    expect(page.get_by_role("heading", name="Case consultation")).to_be_visible()
    expect(page.get_by_role("heading", name="Outcomes: PHQ-9")).to_be_visible()
    expect(page.get_by_role("heading", name="Documentation completion")).to_be_visible()
    page.get_by_label("From").fill("2026-09-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("2026-09-01 to")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Kind of goal").select_option(label="Professional development")
    page.get_by_label("Goal", exact=True).fill("Present a case at the team meeting")
    page.get_by_label("Review date").fill("2027-01-15")
    page.get_by_role("button", name="Record the goal").click()
    expect(page.get_by_role("status")).to_have_text("Goal recorded.")
    page.get_by_role("link", name="Present a case at the team meeting").first.click()
    page.get_by_label("Progress note").fill("Chose the case; slides drafted.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_role("status")).to_have_text("Note added.")
    expect(page.get_by_text("Chose the case; slides drafted.")).to_be_visible()
    page.get_by_label("Status").select_option(label="Achieved")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Changes saved.")
    expect(page.locator("dl.facts")).to_contain_text("Achieved")


@journey("supervision.my_goals")
def test_clinician_reads_their_own_outcomes_and_records_a_goal(page, practice) -> None:
    sign_in(page, practice.url, practice.clinician_email, practice.clinician_password)
    page.get_by_role("link", name="My outcomes").click()
    expect(page.get_by_text("one input among many about your work")).to_be_visible()
    expect(page.get_by_role("heading", name="Outcomes: PHQ-9")).to_be_visible()
    expect(page.get_by_role("heading", name="Team goals")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()
    expect(page.get_by_role("heading", name="My goals")).to_be_visible()
    page.get_by_label("Kind of goal").select_option(label="Practice metrics")
    page.get_by_label("Goal", exact=True).fill("Notes done within a day of each session")
    page.get_by_label("Review date").fill("2027-02-01")
    page.get_by_role("button", name="Record the goal").click()
    expect(page.get_by_role("status")).to_have_text("Goal recorded.")
    expect(
        page.get_by_role("link", name="Notes done within a day of each session").first
    ).to_be_visible()
    assert axe_violations(page) == []


def test_supervisor_reads_a_supervisees_client_and_alert_without_acting(page, practice) -> None:
    """A supervisor supports the supervisee: the client page and its alerts are read-only."""
    sign_in(page, practice.url, SUPERVISOR[0], practice.clinician_password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    page.locator(".alert-urgent a, .alerts a[href*='/alerts/']").first.click()
    expect(page.get_by_text("You see this alert as the clinician's supervisor")).to_be_visible()
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My clients").click()
    page.locator("#main a[href*='/clients/']").first.click()
    expect(page.get_by_text("You see this client as their clinician's supervisor")).to_be_visible()
    for words in ("Pause the plan", "Resume the plan", "Create a check-in link"):
        expect(page.get_by_role("button", name=words)).to_have_count(0)
    assert axe_violations(page) == []
