"""An admin imports the EHR export twice in Chromium: the second file, with only the required
columns and one changed language, keeps every other detail and says what changed per client."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mbc.clients.models import Appointment, Client
from mbc.extensions import db
from tests.browser.conftest import axe_violations
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


def _upload(page, name: str, text: str, button: str = "Import") -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("CSV file exported from your EHR").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name=button, exact=True).click()


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


# As a US EHR writes it: semicolons, a byte-order mark, month-first dates with AM/PM in the
# practice's time zone, FHIR statuses. A-1 moves, C-3 and A-4 are new, line 4 is refused.
EHR_SEMICOLON = (
    "\ufeffclient_ref;first_name;last_name;clinician_email;appointment_ref;starts_at;status\n"
    "C-1;Pat;Lee;a@example.org;A-1;11/24/2026 4:00 PM;booked\n"
    "C-3;Ana;Ruiz;a@example.org;A-4;12/01/2026 12:00 PM;booked\n"
    "C-3;Ana;Ruiz;a@example.org;A-5;03/08/2026 2:30 AM;booked\n"
)
EHR_FIXED = EHR_SEMICOLON.rsplit("C-3;Ana;Ruiz;a@example.org;A-5", 1)[0]


def _counts(app) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        # (sqlalchemy's ``func`` is not imported here: the journey finder reads every name)
        return (
            len(db.session.scalars(select(Client.id)).all()),
            len(db.session.scalars(select(Appointment.id)).all()),
        )


@journey("admin.import_appointments")
def test_admin_downloads_the_template_previews_an_ehr_file_then_imports_it(
    page, live_server: str, app, admin, clinician_a
) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Import", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a template (CSV)").click()
    template = download.value.path().read_bytes()
    assert download.value.suggested_filename == "mbc-import-template.csv"
    assert template.startswith(b"\xef\xbb\xbfclient_ref,first_name,last_name,clinician_email")
    assert b"12/01/2026 3:00 PM" in template

    _upload(page, "ehr.csv", FULL)
    expect(page.get_by_role("status").filter(has_text="Import complete")).to_be_visible()
    before = _counts(app)

    expect(page.get_by_label("How the file writes dates such as 12/01/2026")).to_have_value("mdy")
    page.get_by_label("How the file writes dates such as 12/01/2026").select_option("mdy")
    _upload(page, "ehr-semicolon.csv", EHR_SEMICOLON, button="Preview")
    preview = page.get_by_role("status").filter(has_text="Preview: nothing was written")
    for line in (
        "New clients: 1",
        "New appointments: 1",
        "Appointments changed: 1",
        "Appointments unchanged: 0",
        "Rows refused: 1",
    ):
        expect(preview).to_contain_text(line)
    changes = page.get_by_role("table", name="What changes for existing appointments")
    expect(changes.get_by_role("row", name="A-1")).to_contain_text("starts_at")
    refused = page.get_by_role("alert")
    expect(refused.get_by_role("row", name="4")).to_contain_text(
        "does not exist in America/New_York"
    )
    assert axe_violations(page) == []
    assert _counts(app) == before

    _upload(page, "ehr-fixed.csv", EHR_FIXED)
    done = page.get_by_role("status").filter(has_text="Import complete")
    expect(done).to_contain_text("Clients created: 1")
    expect(done).to_contain_text("Appointments created: 1")
    expect(done).to_contain_text("Appointments updated: 1")
    assert _counts(app) == (before[0] + 1, before[1] + 1)
    with app.app_context():
        moved = db.session.scalar(select(Appointment).where(Appointment.appointment_ref == "A-1"))
        assert moved.starts_at.hour == 21  # 4:00 PM in New York, in UTC
