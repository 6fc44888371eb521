"""WHO-5 and BRCS in Chromium: a Spanish-speaking client answers WHO-5 on a phone (in English,
as no official Spanish is on file); the admin records permission for BRCS and plans it; the
clinician reads the WHO-5 chart with its <= 50 and <= 28 lines."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey, sign_in
from tests.factories import PASSWORD
from tests.survey.helpers import alerts, responses

pytestmark = pytest.mark.browser


def test_a_client_answers_who5_on_a_phone_and_the_clinician_reads_the_chart(
    phone, page, live_server: str, app, client_es, clinician_a, make
) -> None:
    _, link = make.check_in(client_es, ("who5",))
    mobile = phone.new_page()
    mobile.goto(f"{live_server}/s/{link}/1")
    expect(mobile.get_by_text("Over the last two weeks:")).to_be_visible()
    assert axe_violations(mobile) == []
    fieldsets = mobile.locator("fieldset")
    expect(fieldsets).to_have_count(5)
    for n, label in enumerate(
        ["Some of the time", "At no time", *["Less than half of the time"] * 3]
    ):
        fieldsets.nth(n).get_by_text(label, exact=True).tap()
    mobile.get_by_role("button", name="Enviar respuestas").tap()  # the page itself is Spanish
    mobile.wait_for_url(f"{live_server}/s/{link}/done")
    [stored] = responses(app)
    assert (stored.instrument_code, stored.total, stored.severity) == (
        "who5",
        28,
        "likely-depression",
    )
    assert stored.subscales == {"raw": 7} and stored.language == "en"
    assert set(stored.flags) == {"meets_cutoff", "low_item"} and alerts(app) == []

    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.goto(f"{live_server}/clients/{client_es.id}")
    section = page.locator("section.instrument", has_text="WHO-5 Well-Being Index")
    expect(section.get_by_text("28 · Likely depression").first).to_be_visible()
    legend = section.locator("ul.legend").first
    expect(legend).to_contain_text("≤ 50: screens positive, assess for depression")
    expect(legend).to_contain_text("≤ 28: likely depression")
    expect(section.get_by_text("Higher is better.").first).to_be_visible()
    expect(section.get_by_text("has no Spanish version yet")).to_be_visible()


@journey("admin.licence_record", "admin.plan_rule_add")
def test_admin_records_permission_for_brcs_and_plans_it(page, live_server: str, admin) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/admin/settings/instruments")
    brcs = page.locator("section.instrument", has_text="Brief Resilient Coping Scale")
    expect(brcs.get_by_text("No licence statement was found")).to_be_visible()
    expect(brcs.get_by_text("Off until a licence is recorded")).to_be_visible()
    brcs.get_by_text("Record the practice's licence to switch it on").click()
    brcs.get_by_label("Licence holder").fill("Riverside Counseling LLC")
    brcs.get_by_label("Licence number or agreement").fill("Authors' email of 2 Nov 2026")
    brcs.get_by_role("button", name="Record the licence").click()
    expect(page.get_by_role("status")).to_contain_text("Licence recorded")
    expect(brcs.get_by_text("On", exact=True)).to_be_visible()

    page.get_by_role("link", name="Plans", exact=True).click()
    practice = page.locator("section", has=page.get_by_role("heading", name="Practice plan"))
    practice.get_by_text("Add a rule").first.click()
    form = practice.locator("form", has=page.get_by_role("button", name="Add the rule"))
    form.get_by_label("When").select_option(label="Before every session")
    form.get_by_role("checkbox", name="Brief Resilient Coping Scale (BRCS)").check()
    form.get_by_role("checkbox", name="WHO-5 Well-Being Index").check()
    form.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_text("Plan updated.")).to_be_visible()
    expect(practice.locator("ul.plan li", has_text="BRCS")).to_contain_text("WHO-5")
