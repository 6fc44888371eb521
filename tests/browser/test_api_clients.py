"""An admin adds an API client for the EHR in a real browser, the token it shows works over
real HTTP, and revoking it on the same page stops it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey
from tests.browser.test_staff_signin import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def fhir_get(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


@journey("admin.api_client_add", "admin.api_client_revoke")
def test_admin_adds_an_api_client_whose_token_works_until_revoked(
    page, live_server: str, admin, client_en
) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/admin/settings")
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="API clients").click()
    page.get_by_label("Name of the system (e.g. the EHR)").fill("Riverside EHR")
    page.get_by_role("button", name="Add and show its token").click()
    expect(page.get_by_text("Choose at least one thing it may do.")).to_be_visible()
    assert axe_violations(page) == []  # the error state
    page.get_by_label("Read questionnaires, responses and scores (read:responses)").check()
    page.get_by_label("Push appointments (write:appointments)").check()
    page.get_by_role("button", name="Add and show its token").click()
    expect(page.get_by_text("Riverside EHR added. Copy its token now")).to_be_visible()
    token = page.get_by_role("textbox", name="Token").input_value()
    assert token.startswith("mbc_")
    assert axe_violations(page) == []
    row = page.get_by_role("row", name="Riverside EHR")
    expect(row).to_contain_text("read:responses, write:appointments")

    url = f"{live_server}/fhir/Patient?identifier={client_en.client_ref}"
    status, bundle = fhir_get(url, token)
    assert status == 200 and bundle["entry"][0]["resource"]["id"] == str(client_en.id)

    page.goto(f"{live_server}/admin/settings/api-clients")  # the token is shown once only
    expect(page.get_by_role("textbox", name="Token")).to_have_count(0)
    page.get_by_role("button", name="Revoke Riverside EHR").click()
    expect(page.get_by_text("Riverside EHR revoked: its token no longer works.")).to_be_visible()
    status, outcome = fhir_get(url, token)
    assert status == 401 and outcome["resourceType"] == "OperationOutcome"
