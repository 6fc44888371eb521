"""ORS/SRS lines on a phone: with scripts, a slider beside each 0.0-10.0 number field; an
untouched line stays empty (missing); without scripts the number fields alone work.

SRS is licensed and off by default: the check-in is made for PHQ-9 and switched to SRS in the
database, as a practice that recorded its licence would have it (the licence page is #7's)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mbc.assessments.models import Assignment, Response
from mbc.extensions import db
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def srs_link(app, make, client_en) -> str:
    check_in, token = make.check_in(client_en, ("phq9",))
    with app.app_context():
        assignment = db.session.scalars(
            select(Assignment).where(Assignment.check_in_id == check_in.id)
        ).one()
        assignment.instrument_code, assignment.instrument_version = "srs", "1"
        db.session.commit()
    return f"/s/{token}/1"


def stored_answers(app) -> dict:
    with app.app_context():
        return db.session.scalars(select(Response)).one().answers


def test_the_slider_sets_the_number_and_untouched_lines_stay_missing(
    phone, live_server: str, app, srs_link: str
) -> None:
    page = phone.new_page()
    page.goto(live_server + srs_link)
    sliders = page.locator("input.vas")
    expect(sliders).to_have_count(4)
    assert axe_violations(page) == []
    sliders.nth(0).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    numbers = page.locator("input[type=number]")
    expect(numbers.nth(0)).to_have_value("5.2")
    expect(numbers.nth(1)).to_have_value("")
    numbers.nth(1).fill("7.5")
    expect(sliders.nth(1)).to_have_value("7.5")
    page.get_by_role("button", name="Send answers").tap()
    expect(page.get_by_text("You skipped")).to_be_visible()
    # The two lines never touched are missing, not the slider's resting midpoint.
    assert stored_answers(app) == {"srs_relationship": "5.2", "srs_goals": "7.5"}


def test_without_scripts_there_is_no_slider_and_numbers_work(
    phone_without_scripts, live_server: str, app, srs_link: str
) -> None:
    page = phone_without_scripts.new_page()
    page.goto(live_server + srs_link)
    expect(page.locator("input.vas")).to_have_count(0)
    numbers = page.locator("input[type=number]")
    for n, value in enumerate(["9", "8.5", "7", "10"]):
        numbers.nth(n).fill(value)
    page.get_by_role("button", name="Send answers").click()
    expect(page).to_have_url(live_server + srs_link.removesuffix("/1") + "/done")
