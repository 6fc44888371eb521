"""Every paged list on a practice's worth of data, in Chromium: filter, page forward and back, and
a bookmark past the end (or absurdly large) showing the last page rather than an error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import journey, sign_in

pytestmark = pytest.mark.browser
HUGE = "99999999999999999999999"


def _last_page(pager) -> int:  # type: ignore[no-untyped-def]
    text = pager.get_by_text(re.compile(r"Page \d+ of \d+")).inner_text()
    return int(text.rsplit(" ", 1)[1])


@journey("admin.clients")
def test_admin_pages_through_the_client_list(page, practice) -> None:
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_label("Status").select_option(label="All")
    page.get_by_role("button", name="Filter").click()
    pager = page.get_by_role("navigation", name="Pages")
    expect(pager).to_contain_text("Page 1 of")
    expect(page.locator("tbody tr")).to_have_count(50)
    pages = _last_page(pager)
    assert pages >= 4  # 200 clients, 50 a page

    pager.get_by_role("link", name="Next").click()
    expect(pager).to_contain_text(f"Page 2 of {pages}")
    assert "status=all" in page.url  # the filter travels with the page
    pager.get_by_role("link", name="Previous").click()
    expect(pager).to_contain_text(f"Page 1 of {pages}")

    for beyond in (str(pages + 5), HUGE):
        page.goto(f"{practice.url}/admin/clients?status=all&page={beyond}")
        expect(pager).to_contain_text(f"Page {pages} of {pages}")
        expect(pager.get_by_role("link", name="Next")).to_have_count(0)

    page.get_by_label("Name or reference").fill("DEMO-015")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(10)  # DEMO-0150 to DEMO-0159
    page.get_by_role("link", name="Edit DEMO-0150").click()
    expect(page.get_by_label("Client reference")).to_have_value("DEMO-0150")


@journey("admin.audit_log")
def test_admin_pages_through_and_filters_the_audit_log(page, practice) -> None:
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    page.get_by_role("link", name="Audit log").click()
    pager = page.get_by_role("navigation", name="Pages")
    expect(pager).to_contain_text("Page 1 of")
    pages = _last_page(pager)
    assert pages >= 10  # 500 events and more, 50 a page
    pager.get_by_role("link", name="Next").click()
    expect(pager).to_contain_text(f"Page 2 of {pages}")

    page.get_by_label("Action").fill("client.view")
    page.get_by_label("Who").fill(practice.clinician_email)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr").first).to_contain_text(practice.clinician_email)
    expect(pager).to_contain_text("Page 1 of")
    pager.get_by_role("link", name="Next").click()
    expect(pager).to_contain_text("Page 2 of")
    assert "action=client.view" in page.url
    for row in page.locator("tbody tr").all():
        expect(row).to_contain_text("client.view")

    page.goto(f"{practice.url}/admin/audit?page={HUGE}")
    expect(pager.get_by_role("link", name="Next")).to_have_count(0)
    expect(pager).to_contain_text(re.compile(r"Page (\d+) of \1\b"))


def test_clinician_filters_a_long_caseload(page, practice) -> None:
    sign_in(page, practice.url, practice.clinician_email, practice.clinician_password)
    page.get_by_role("link", name="My clients", exact=True).click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 60  # a third of the practice, with shared care
