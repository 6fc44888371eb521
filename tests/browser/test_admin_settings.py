"""An admin in a real browser: the settings pages, a new colleague, a licence, and axe-core over
each settings page (including one showing errors)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey
from tests.browser.test_staff_signin import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@journey("admin.practice_settings", "admin.staff_new", "admin.licence_record")
def test_admin_adds_a_colleague_records_a_licence_and_fixes_a_setting(
    page, live_server: str, make, admin
) -> None:
    make.team("North")
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Office opens (hour, 0-23)").fill("18")
    page.get_by_label("Office closes (hour, 1-24)").fill("9")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The office must close after it opens.")).to_be_visible()
    assert axe_violations(page) == []  # the error state is accessible too
    page.get_by_label("Office opens (hour, 0-23)").fill("8")
    page.get_by_label("Office closes (hour, 1-24)").fill("17")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()

    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Add a staff member").click()
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("Dana Díaz")
    page.get_by_label("Email (used to sign in)").fill("dana@example.org")
    page.get_by_label("Team").select_option(label="North")
    page.get_by_label("Sessions a week this clinician plans to hold").fill("20")
    page.get_by_role("button", name="Add and send the email").click()
    expect(page.get_by_text("Dana Díaz added.")).to_be_visible()
    expect(page.get_by_role("row", name="Dana Díaz")).to_contain_text("North")
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Teams").click()
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Instruments").click()
    assert axe_violations(page) == []
    ors = page.locator("section.instrument", has_text="Outcome Rating Scale")
    ors.get_by_text("Record the practice's licence to switch it on").click()
    ors.get_by_label("Licence holder").fill("Riverside Counseling LLC")
    ors.get_by_label("Licence number or agreement").fill("2026-114")
    ors.get_by_role("button", name="Record the licence").click()
    expect(page.get_by_text("Licence recorded")).to_be_visible()
    expect(
        page.locator("section.instrument", has_text="Outcome Rating Scale").get_by_text(
            "On", exact=True
        )
    ).to_be_visible()
    page.get_by_role("link", name="version 1").first.click()
    assert axe_violations(page) == []


def test_admin_lets_clinicians_see_satisfaction_answers_and_the_client_is_told(
    page, phone, live_server: str, app, make, admin, client_en
) -> None:
    _, link = make.check_in(client_en, ("satisfaction",))
    client_page = phone.new_page()
    client_page.goto(f"{live_server}/s/{link}/1")
    expect(client_page.get_by_text("your clinician does not see your answers")).to_be_visible()

    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    box = page.get_by_label("Show each client's satisfaction survey answers to their clinicians")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(box).to_be_checked()
    assert axe_violations(page) == []

    client_page.reload()
    expect(
        client_page.get_by_text("your clinician sees your answers to this survey")
    ).to_be_visible()
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "practice.update")
        ).one()
        assert event.detail["fields"] == ["satisfaction_visible_to_clinician"]
