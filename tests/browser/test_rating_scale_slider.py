"""ORS/SRS lines on a phone: with scripts, a slider beside each 0.0-10.0 field; an untouched
line stays empty (missing) and looks unanswered; without scripts the fields alone work. A
decimal comma, as a Spanish keyboard types it, is read as a decimal point (issue 18, #7).

SRS is licensed and off by default: the check-in is made for PHQ-9 and switched to SRS in the
database, as a practice that recorded its licence would have it (the licence page is #7's)."""

from __future__ import annotations

from decimal import Decimal

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


def untouched_looks(page, n: int) -> dict:
    """How line ``n`` looks: the slider (an empty dashed track, no thumb, while untouched: its
    own appearance), what it announces, and the field's text."""
    return page.evaluate(
        """n => {
            const slider = document.querySelectorAll("input.vas")[n];
            const field = document.querySelectorAll("input[data-vas]")[n];
            return {
                slider: slider && getComputedStyle(slider).appearance,
                announced: slider && slider.getAttribute("aria-valuetext"),
                placeholder_shown: field.matches(":placeholder-shown"),
                placeholder: field.placeholder,
            };
        }""",
        n,
    )


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
    numbers = page.locator("input[data-vas]")
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
    numbers = page.locator("input[data-vas]")
    for n, value in enumerate(["9", "8.5", "7", "10"]):
        numbers.nth(n).fill(value)
    page.get_by_role("button", name="Send answers").click()
    expect(page).to_have_url(live_server + srs_link.removesuffix("/1") + "/done")


def test_an_untouched_line_looks_unanswered_until_touched_or_typed(
    phone, live_server: str, app, srs_link: str
) -> None:
    page = phone.new_page()
    page.goto(live_server + srs_link)
    sliders, numbers = page.locator("input.vas"), page.locator("input[data-vas]")
    expect(sliders).to_have_count(4)
    unanswered = {
        "slider": "none",
        "announced": "Not answered yet",
        "placeholder_shown": True,
        "placeholder": "Not answered yet",
    }
    assert untouched_looks(page, 0) == unanswered
    numbers.nth(0).fill("3")
    assert untouched_looks(page, 0)["slider"] == "auto"
    assert untouched_looks(page, 0)["announced"] is None
    numbers.nth(0).fill("")
    assert untouched_looks(page, 0) == unanswered  # emptied again: unanswered again
    # A tap on the resting midpoint answers 5.0, though the slider's value does not change.
    box = sliders.nth(1).bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(numbers.nth(1)).to_have_value("5.0")
    assert untouched_looks(page, 1)["slider"] == "auto"
    numbers.nth(2).fill("8")
    page.get_by_role("button", name="Send answers").tap()
    prompt = page.get_by_role("alert")
    expect(prompt).to_contain_text("You skipped 2 questions")
    expect(prompt.get_by_role("link")).to_have_text(["Relationship", "Overall"])
    assert untouched_looks(page, 0) == unanswered  # still unanswered on the prompt's page
    assert stored_answers(app) == {"srs_goals": "5.0", "srs_approach": "8.0"}
    page.get_by_role("button", name="Send answers").tap()
    expect(page).to_have_url(live_server + srs_link.removesuffix("/1") + "/done")
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        assert (response.status, response.invalid_reason) == (
            "completed",
            "missing:srs_relationship",
        )


@pytest.fixture
def spanish_phone(browser):
    """A phone whose browser speaks Spanish (Spain): its keyboard's decimal separator is a comma."""
    context = browser.new_context(
        locale="es-ES", is_mobile=True, has_touch=True, viewport={"width": 390, "height": 664}
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def test_a_decimal_comma_typed_in_a_spanish_browser_is_seven_and_a_half(
    spanish_phone, live_server: str, app, srs_link: str
) -> None:
    page = spanish_phone.new_page()
    page.goto(live_server + srs_link)
    numbers = page.locator("input[data-vas]")
    for n, typed in enumerate(["7,5", "10", "0", "9,9"]):
        numbers.nth(n).click()
        page.keyboard.type(typed)
    expect(page.locator("input.vas").nth(0)).to_have_value("7.5")
    page.get_by_role("button", name="Send answers").tap()
    expect(page).to_have_url(live_server + srs_link.removesuffix("/1") + "/done")
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        assert response.answers == {
            "srs_relationship": "7.5",
            "srs_goals": "10.0",
            "srs_approach": "0.0",
            "srs_overall": "9.9",
        }
        assert response.total == Decimal("27.4")


def test_without_scripts_an_empty_line_says_so_and_a_comma_is_read(
    phone_without_scripts, live_server: str, app, srs_link: str
) -> None:
    page = phone_without_scripts.new_page()
    page.goto(live_server + srs_link)
    numbers = page.locator("input[data-vas]")
    assert untouched_looks(page, 3)["placeholder_shown"] is True
    expect(numbers.nth(3)).to_have_attribute("placeholder", "Not answered yet")
    for n, value in enumerate(["7,5", "0,0", "10,0"]):
        numbers.nth(n).fill(value)
    page.get_by_role("button", name="Send answers").click()
    expect(page.get_by_role("alert")).to_contain_text("You skipped 1 question")
    assert stored_answers(app) == {
        "srs_relationship": "7.5",
        "srs_goals": "0.0",
        "srs_approach": "10.0",
    }
