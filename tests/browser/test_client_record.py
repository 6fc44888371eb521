"""A clinician downloads a client's whole record from the client's page in a real browser: the
FHIR Bundle (valid R4) and the CSV of every answer. (Links, not forms: no @journey tag.)"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_staff_signin import sign_in
from tests.factories import PASSWORD
from tests.fhir.helpers import answer_check_in, validated
from tests.survey.helpers import gad7, phq9

pytestmark = pytest.mark.browser


def test_clinician_downloads_the_clients_record(
    page, live_server: str, app, make, clinician_a, client_en
) -> None:
    answer_check_in(app, make, client_en, {"phq9": phq9(), "gad7": gad7()})
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.goto(f"{live_server}/clients/{client_en.id}")
    expect(
        page.get_by_role("link", name="FHIR bundle (for another provider's system)")
    ).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as fhir:
        page.get_by_role("link", name="FHIR bundle (for another provider's system)").click()
    bundle = validated(json.loads(fhir.value.path().read_text(encoding="utf-8")))
    assert bundle["type"] == "collection"
    assert fhir.value.suggested_filename == f"record-{client_en.client_ref}.json"
    with page.expect_download() as table:
        page.get_by_role("link", name="every answer (CSV)").click()
    text = table.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("response_id,client_ref,instrument")
    assert len(text.splitlines()) == 3  # the header, the PHQ-9 and the GAD-7
