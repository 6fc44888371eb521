"""One round trip a check-in page: the stylesheet (and the slider script) come inside the HTML,
the favicon is a data URI, and the page still looks and works as before under its CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mbc.assessments.models import Assignment
from mbc.extensions import db
from tests.browser.test_check_in_phone import tap_answers

pytestmark = pytest.mark.browser


def watch(page) -> tuple[list[str], list[str]]:
    """Every request the page makes, and every CSP (or other) console error."""
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return requests, errors


def test_each_check_in_page_is_one_request(phone, live_server: str, client_en, make) -> None:
    _, link = make.check_in(client_en, ("phq9", "gad7"))
    page = phone.new_page()
    requests, errors = watch(page)
    response = page.goto(f"{live_server}/s/{link}/1")
    page.wait_for_load_state("load")
    assert requests == [f"{live_server}/s/{link}/1"]
    assert response.all_headers()["content-encoding"] == "gzip"  # and arrives compressed
    # The inlined stylesheet applies: answers are large tap targets with a border.
    option = page.locator("label.opt").first
    assert option.bounding_box()["height"] >= 44
    assert option.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    requests.clear()
    tap_answers(page, "Not at all", 9)
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    page.wait_for_load_state("load")
    # The POST and the redirected GET: one page, nothing else fetched.
    assert requests == [f"{live_server}/s/{link}/1", f"{live_server}/s/{link}/2"]
    assert errors == []


def test_the_slider_script_is_inline_and_allowed(phone, live_server: str, app, make, client_en):
    check_in, token = make.check_in(client_en, ("phq9",))
    with app.app_context():
        assignment = db.session.scalars(
            select(Assignment).where(Assignment.check_in_id == check_in.id)
        ).one()
        assignment.instrument_code, assignment.instrument_version = "srs", "1"
        db.session.commit()
    page = phone.new_page()
    requests, errors = watch(page)
    page.goto(f"{live_server}/s/{token}/1")
    page.wait_for_load_state("load")
    expect(page.locator("input[type=range]")).to_have_count(4)  # the script ran
    assert requests == [f"{live_server}/s/{token}/1"]
    assert errors == []
