"""The forms that choose questionnaires, in Chromium: each submits with one box ticked (a browser
must never demand all of them), and says in words when none is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import journey, sign_in

pytestmark = pytest.mark.browser
PHQ9 = "Patient Health Questionnaire (PHQ-9)"
GAD7 = "Generalized Anxiety Disorder scale (GAD-7)"
NONE_TICKED = "Choose at least one questionnaire."


def _open_a_client(page, practice, ref: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, practice.url, practice.clinician_email, practice.clinician_password)
    page.get_by_role("link", name="My clients", exact=True).click()
    page.get_by_label("Find a client").fill(ref)
    page.get_by_role("button", name="Show").click()
    page.locator("tbody tr").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ref)


@journey("clinician.check_in_link")
def test_clinician_makes_an_in_room_link_with_one_questionnaire(page, practice) -> None:
    _open_a_client(page, practice, "DEMO-0003")
    form = page.locator("form", has=page.get_by_role("button", name="Create a check-in link"))
    form.get_by_role("button", name="Create a check-in link").click()
    expect(page.get_by_role("alert")).to_have_text(NONE_TICKED)

    form.get_by_role("checkbox", name=PHQ9).check()
    form.get_by_role("button", name="Create a check-in link").click()
    expect(page.get_by_role("heading", name="Check-in link")).to_be_visible()
    assert "/s/" in page.get_by_label("Link").input_value()
    expect(page.locator(".qr svg")).to_be_visible()


@journey("clinician.send_now")
def test_clinician_sends_one_questionnaire_now(page, practice) -> None:
    _open_a_client(page, practice, "DEMO-0006")
    page.get_by_text("Send a check-in now").click()
    form = page.locator("form", has=page.get_by_role("button", name="Send now"))
    form.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("alert")).to_have_text(NONE_TICKED)

    page.get_by_text("Send a check-in now").click()
    form.get_by_role("checkbox", name=GAD7).check()
    form.get_by_role("button", name="Send now").click()
    expect(page.get_by_text("Check-in queued")).to_be_visible()


@journey("clinician.plan_rule_add", "clinician.plan_rule_remove", "clinician.plan_use_default")
def test_clinician_adds_a_rule_with_one_questionnaire(page, practice) -> None:
    _open_a_client(page, practice, "DEMO-0009")
    page.get_by_text("Add a rule to this client's plan").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add the rule"))
    form.get_by_label("When").select_option(label="Every N weeks (calendar)")
    form.get_by_label("N (sessions or weeks)").fill("4")
    form.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_role("alert")).to_have_text(NONE_TICKED)

    page.get_by_text("Add a rule to this client's plan").click()
    form.get_by_label("When").select_option(label="Every N weeks (calendar)")
    form.get_by_label("N (sessions or weeks)").fill("4")
    form.get_by_role("checkbox", name=GAD7).check()
    form.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_text("Plan updated.")).to_be_visible()
    expect(page.get_by_text("This client has their own plan.")).to_be_visible()
    rule = page.locator("ul.plan li", has_text="every 4 weeks")
    expect(rule).to_contain_text(GAD7)

    rule.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Plan updated.")).to_be_visible()
    expect(page.locator("ul.plan li", has_text="every 4 weeks")).to_have_count(0)
    page.get_by_role("button", name="Use the default plan").click()
    expect(page.get_by_text("This client now follows the default plan.")).to_be_visible()


@journey("admin.plan_rule_add", "admin.plan_rule_remove")
def test_admin_adds_a_team_rule_with_one_questionnaire(page, practice) -> None:
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    page.get_by_role("link", name="Plans", exact=True).click()
    team = page.locator("section", has=page.get_by_role("heading", name="Team plan: Trauma"))
    team.get_by_text("Add a rule").click()
    form = team.locator("form", has=page.get_by_role("button", name="Add the rule"))
    form.get_by_label("When").select_option(label="At discharge")
    form.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_role("alert")).to_have_text(NONE_TICKED)

    team.get_by_text("Add a rule").click()
    form.get_by_label("When").select_option(label="At discharge")
    form.get_by_role("checkbox", name=PHQ9).check()
    form.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_text("Plan updated.")).to_be_visible()
    rule = team.locator("ul.plan li", has_text="at discharge")
    expect(rule).to_contain_text(PHQ9)
    rule.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Plan updated.")).to_be_visible()
    expect(team.locator("ul.plan li", has_text="at discharge")).to_have_count(0)
