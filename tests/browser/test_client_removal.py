"""An admin removes a client for good in a real browser: the wrong reference is refused, the
exact one removes the client, and the list no longer has them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey
from tests.browser.test_staff_signin import sign_in
from tests.clients.lifecycle_data import client_with_history, where_found
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@journey("admin.client_remove")
def test_admin_removes_a_client_for_good(
    page, live_server: str, app, make, admin, clinician_a
) -> None:
    client = client_with_history(
        make, clinician_a, client_ref="EHR-Rm-9", first_name="Osvaldo", last_name="Thistlewood"
    )
    make.client(clinician_a, client_ref="EHR-Keep-1", first_name="Beatrix", last_name="Hollis")
    sign_in(page, live_server, admin.email, PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name="Edit EHR-Rm-9").click()
    section = page.get_by_role("region", name="Remove this client for good")
    expect(section).to_contain_text("It cannot be undone.")
    assert axe_violations(page) == []

    section.get_by_label("Type the client's reference to confirm").fill("ehr-rm-9")
    section.get_by_role("button", name="Remove for good").click()
    expect(
        page.get_by_text("That is not this client's reference: nothing was removed.")
    ).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Type the client's reference to confirm").fill("EHR-Rm-9")
    page.get_by_role("button", name="Remove for good").click()
    expect(page.get_by_role("heading", name="Client removed")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to clients").click()
    expect(page.get_by_role("link", name="Beatrix Hollis")).to_be_visible()
    expect(page.get_by_text("Thistlewood")).to_have_count(0)
    assert where_found(app, ["EHR-Rm-9", "Osvaldo", "Thistlewood", client.email]) == []
