"""With ``show_scores_to_clients`` on, a client who finishes on a phone reads each questionnaire's
name, the score out of its maximum and the band in words, in their language; the satisfaction
survey (not a validated measure) gets no score line."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.browser.test_check_in_phone import tap_answers

pytestmark = pytest.mark.browser


@pytest.fixture
def scores_shown(app) -> None:
    with app.app_context():
        get_practice().show_scores_to_clients = True
        db.session.commit()


def answer_satisfaction(page, agree: str, send: str) -> None:
    fieldsets = page.locator("fieldset")
    for n in range(fieldsets.count()):
        fieldsets.nth(n).get_by_text(agree, exact=True).tap()
    page.get_by_role("button", name=send).tap()


def test_english_scores_in_words_and_none_for_satisfaction(
    phone, live_server: str, client_en, make, scores_shown
) -> None:
    _, link = make.check_in(client_en, ("phq9", "satisfaction"))
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    tap_answers(page, "More than half the days", 6)  # 12: moderate
    for n in range(6, 9):
        page.locator("fieldset").nth(n).get_by_text("Not at all", exact=True).tap()
    page.locator("fieldset").nth(9).get_by_text("Somewhat difficult").tap()
    page.get_by_role("button", name="Next").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    answer_satisfaction(page, "Strongly agree", "Send answers")
    page.wait_for_url(f"{live_server}/s/{link}/done")
    scores = page.locator("ul.scores li")
    expect(scores).to_have_count(1)
    expect(scores.first).to_have_text(
        "Patient Health Questionnaire (PHQ-9): 12 out of 27 (moderate)"
    )
    body = page.locator("main").inner_text()
    assert "How are we doing" not in body and "SATISFACTION" not in body.upper()


def test_spanish_scores_in_words(phone, live_server: str, client_es, make, scores_shown) -> None:
    _, link = make.check_in(client_es, ("gad7", "satisfaction"))
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/1")
    tap_answers(page, "Varios días", 7)  # 7: mild
    page.get_by_role("button", name="Siguiente").tap()
    page.wait_for_url(f"{live_server}/s/{link}/2")
    answer_satisfaction(page, "De acuerdo", "Enviar respuestas")
    page.wait_for_url(f"{live_server}/s/{link}/done")
    expect(page.get_by_role("heading", name="Sus puntuaciones")).to_be_visible()
    scores = page.locator("ul.scores li")
    expect(scores).to_have_count(1)
    expect(scores.first).to_have_text(
        "Escala del trastorno de ansiedad generalizada (GAD-7): 7 de 21 (leve)"
    )
