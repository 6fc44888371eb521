"""A client answers a check-in on a phone, by tapping, in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.survey.helpers import alerts, responses

pytestmark = pytest.mark.browser


def tap_answers(page, label: str, count: int) -> None:
    """Tap ``label`` in the first ``count`` questions of the page."""
    fieldsets = page.locator("fieldset")
    for n in range(count):
        fieldsets.nth(n).get_by_text(label, exact=True).tap()


def test_phq9_and_gad7_by_tapping_with_no_accessibility_problems(
    phone, live_server: str, app, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}")
    expect(page.get_by_role("heading", name="A short check-in before your session")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Start").tap()
    expect(page.get_by_text("Questionnaire 1 of 2")).to_be_visible()
    assert axe_violations(page) == []
    tap_answers(page, "Several days", 8)
    page.locator("fieldset").nth(8).get_by_text("Not at all", exact=True).tap()
    page.locator("fieldset").nth(9).get_by_text("Somewhat difficult").tap()
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    tap_answers(page, "Not at all", 7)
    page.get_by_role("button", name="Send answers").tap()
    page.wait_for_url(f"{live_server}/s/{link}/done")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert axe_violations(page) == []
    stored = responses(app)
    assert [(r.instrument_code, r.total) for r in stored] == [("phq9", 8), ("gad7", 0)]
    assert stored[0].answers["phq9_difficulty"] == 1
    assert alerts(app) == []


def test_tap_targets_are_at_least_44_pixels(phone, live_server: str, client_en, make) -> None:
    _, link = make.check_in(client_en, ("phq9",))
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    for target in page.locator("label.opt, button").all():
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, target.inner_text()


def test_resume_after_closing_the_page(phone, live_server: str, client_en, make) -> None:
    _, link = make.check_in(client_en)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    tap_answers(page, "Not at all", 9)
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    page.close()
    again = phone.new_page()
    again.goto(f"{live_server}/s/{link}")
    assert again.url == f"{live_server}/s/{link}/2"
    expect(again.get_by_text("Questionnaire 2 of 2")).to_be_visible()


def test_skipped_questions_prompt_once(phone, live_server: str, app, client_en, make) -> None:
    _, link = make.check_in(client_en, ("gad7",))
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    tap_answers(page, "Several days", 5)
    page.get_by_role("button", name="Send answers").tap()
    expect(page.get_by_text("You skipped 2 questions:")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send answers").tap()
    page.wait_for_url(f"{live_server}/s/{link}/done")
    assert responses(app)[0].is_prorated is False  # 2 missing: GAD-7 is unscorable
    assert responses(app)[0].invalid_reason == "too_many_missing"


def test_spanish_check_in_and_switching_language(phone, live_server: str, client_es, make) -> None:
    _, link = make.check_in(client_es, ("phq9",))
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    expect(page.get_by_text("Poco interés o placer en hacer cosas")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="English").tap()
    expect(page.get_by_text("Little interest or pleasure in doing things")).to_be_visible()


def test_item9_shows_crisis_resources(phone, live_server: str, app, client_en, make) -> None:
    _, link = make.check_in(client_en)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    tap_answers(page, "Not at all", 8)
    page.locator("fieldset").nth(8).get_by_text("More than half the days").tap()
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/support")
    expect(page.get_by_role("heading", name="Help is available now")).to_be_visible()
    assert page.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Continue the check-in").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    assert [a.kind for a in alerts(app)] == ["critical_item"]


def test_expired_and_tampered_links(phone, live_server: str, client_en, make, clock) -> None:
    _, link = make.check_in(client_en)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link[:-4]}abcd")
    expect(page.get_by_role("heading", name="This link isn't valid")).to_be_visible()
    assert axe_violations(page) == []
    clock.advance(days=2)
    page.goto(f"{live_server}/s/{link}")
    expect(page.get_by_role("heading", name="This check-in has closed")).to_be_visible()


def test_works_with_javascript_turned_off(
    phone_without_scripts, live_server: str, app, client_en, make
) -> None:
    _, link = make.check_in(client_en, ("gad7",))
    page = phone_without_scripts.new_page()
    page.goto(f"{live_server}/s/{link}")
    page.get_by_role("link", name="Start").click()
    fieldsets = page.locator("fieldset")
    for n in range(7):
        fieldsets.nth(n).get_by_text("Nearly every day").click()
    page.get_by_role("button", name="Send answers").click()
    page.wait_for_url(f"{live_server}/s/{link}/done")
    assert responses(app)[0].total == 21
