"""The demo practice, seeded as `make demo` seeds it, in Chromium: its admin saves every settings
form and edits every staff account, a client and an appointment, unchanged, and each save works
(the demo's addresses pass the app's own email check)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mbc.demo.seed import seed_demo, sign_ins
from mbc.extensions import db
from tests.browser.journeys import journey, sign_in

pytestmark = pytest.mark.browser
SAVED = re.compile(r"Settings saved\.|Changes saved\.|Nothing changed\.")


def _saved(page) -> None:  # type: ignore[no-untyped-def]
    expect(page.get_by_role("status")).to_have_text(SAVED)


@journey(
    "admin.practice_settings",
    "admin.staff_edit",
    "admin.staff_password_link",
    "admin.team_rename",
    "admin.team_add",
    "admin.team_delete",
    "admin.licence_record",
    "admin.client_edit",
    "admin.appointment_edit",
)
def test_the_demo_admin_saves_every_settings_form(page, live_server: str, app) -> None:
    with app.app_context():
        seed_demo(clients=6, weeks=2)
        db.session.commit()
    _role, email, password = sign_ins()[0]
    sign_in(page, live_server, email, password)

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Save settings").click()
    _saved(page)

    nav = page.get_by_role("navigation", name="Settings")
    nav.get_by_role("link", name="Staff").click()
    names = page.locator("tbody tr td:first-child a").all_inner_texts()
    assert len(names) == len(sign_ins())
    for name in names:
        nav.get_by_role("link", name="Staff").click()
        page.locator("#main").get_by_role("link", name=name, exact=True).click()
        page.get_by_role("button", name="Save").click()
        _saved(page)
    page.locator("#main").get_by_role("link", name=names[-1], exact=True).click()
    page.get_by_role("button", name="Email a link to choose a new password").click()
    expect(page.get_by_role("status")).to_contain_text("A password link")

    nav.get_by_role("link", name="Teams").click()
    page.get_by_label("Team name").fill("Couples")
    page.get_by_role("button", name="Add the team").click()
    expect(page.get_by_role("status")).to_have_text("Team Couples added.")
    couples = page.locator("tr", has=page.get_by_role("rowheader", name="Couples"))
    couples.get_by_label("New name for Couples").fill("Couples and Families")
    couples.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("status")).to_have_text("Team renamed.")
    page.get_by_role("button", name="Remove Couples and Families").click()
    expect(page.get_by_role("status")).to_have_text("Team removed.")

    nav.get_by_role("link", name="Instruments").click()
    srs = page.locator("section.instrument", has_text="Session Rating Scale")
    srs.get_by_text("Record the practice's licence to switch it on").click()
    srs.get_by_label("Licence holder").fill("Riverside Counseling (demo)")
    srs.get_by_label("Licence number or agreement").fill("DEMO-1")
    srs.get_by_role("button", name="Record the licence").click()
    expect(page.get_by_role("status")).to_contain_text("Licence recorded")

    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name="Edit DEMO-0001").click()
    page.get_by_role("button", name="Save").click()
    _saved(page)
    page.locator("a", has_text="Edit").filter(has_text="DEMO-0001-").first.click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Appointment saved.")
