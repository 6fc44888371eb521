"""An admin imports the EHR export twice in Chromium: the second file, with only the required
columns and one changed language, keeps every other detail and says what changed per client."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import journey, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
FULL = (
    "client_ref,first_name,last_name,phone,email,language,timezone,clinician_email,"
    "appointment_ref,starts_at\n"
    "C-1,Pat,Lee,(415) 555-2671,pat@example.com,es,America/Chicago,a@example.org,A-1,"
    "2026-11-24T15:00:00-05:00\n"
    "C-2,Sam,Roe,,sam@example.com,en,,a@example.org,A-2,2026-11-24T16:00:00-05:00\n"
)
SHORT = (
    "client_ref,first_name,last_name,language,clinician_email,appointment_ref,starts_at\n"
    "C-1,Pat,Lee,,a@example.org,A-1,2026-11-24T15:00:00-05:00\n"
    "C-2,Sam,Roe,es,a@example.org,A-3,2026-12-01T16:00:00-05:00\n"
)


def _upload(page, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("CSV file exported from your EHR").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Import").click()


@journey("admin.import_appointments")
def test_admin_reimports_a_shorter_file_without_losing_details(
    page, live_server: str, admin, clinician_a
) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Import", exact=True).click()
    _upload(page, "ehr.csv", FULL)
    done = page.get_by_role("status").filter(has_text="Import complete")
    expect(done).to_contain_text("Clients created: 2")

    _upload(page, "ehr-short.csv", SHORT)
    expect(done).to_contain_text("Clients updated: 1")
    expect(done).to_contain_text("Appointments created: 1")
    changes = page.get_by_role("table", name="What changed for existing clients")
    expect(changes.get_by_role("row")).to_have_count(2)  # the header and C-2
    expect(changes.get_by_role("row", name="C-2")).to_contain_text("language")

    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name="Pat Lee").click()
    facts = page.locator("dl.facts")
    for kept in ("+14155552671", "pat@example.com", "Spanish", "America/Chicago"):
        expect(facts).to_contain_text(kept)
    expect(page.get_by_text("nothing can be sent")).to_have_count(0)
