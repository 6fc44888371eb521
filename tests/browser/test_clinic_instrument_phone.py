"""A practice's own questionnaire (MBC_INSTRUMENTS_DIR) on a phone, in real Chromium: it reads
and answers like a built-in one, its critical answer opens the crisis page at once, and a link
to one the process has not loaded gets a clear page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mbc.instruments import registry
from tests.browser.conftest import axe_violations
from tests.instruments.clinic.helpers import drop
from tests.survey.helpers import alerts, responses

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(tmp_path: Path) -> Iterator[dict]:
    drop(tmp_path / "instruments")
    yield {"INSTRUMENTS_DIR": str(tmp_path / "instruments")}
    registry.configure(None)


def test_a_clinic_questionnaire_answered_on_a_phone_opens_the_crisis_page(
    phone, live_server: str, app, client_en, make
) -> None:
    _, link = make.check_in(client_en, ("clinic_mood",))
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    expect(page.get_by_role("heading", name="Riverside weekly check (RWC)")).to_be_visible()
    assert axe_violations(page) == []
    fieldsets = page.locator("fieldset")
    for n, label in enumerate(["A little", "A little", "Quite a lot", "Very much"]):
        fieldsets.nth(n).get_by_text(label, exact=True).tap()
    page.get_by_role("button", name="Send answers").tap()
    page.wait_for_url(f"{live_server}/s/{link}/support")
    expect(page.get_by_role("heading", name="Help is available now")).to_be_visible()
    [stored] = responses(app)
    assert (stored.instrument_code, stored.total) == ("clinic_mood", 6)  # 1 + 1 + 1 + 3
    assert [a.kind for a in alerts(app)] == ["critical_item"]


def test_a_link_to_an_unloaded_questionnaire_says_so(
    phone, live_server: str, app, client_en, make
) -> None:
    _, link = make.check_in(client_en, ("clinic_mood",))
    registry.configure(None)  # as if the practice removed the file and restarted
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}")
    expect(
        page.get_by_role("heading", name="This check-in cannot be opened right now")
    ).to_be_visible()
    expect(page.get_by_text("Your clinician has been told.")).to_be_visible()
    assert axe_violations(page) == []
    assert [a.kind for a in alerts(app)] == ["instrument_unavailable"]
