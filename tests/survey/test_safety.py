"""PHQ-9 item 9: crisis resources at once, and an alert that cannot be lost."""

from __future__ import annotations

from flask import Flask

from mbc.extensions import db
from tests.helpers import text_of
from tests.survey.helpers import alerts, answer, phq9, responses


def test_endorsed_item9_shows_crisis_resources_next(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    sent = answer(web, link, 1, phq9(item9=1))
    assert sent.headers["Location"] == f"/s/{link}/support"
    page = text_of(web.get(sent.headers["Location"]))
    assert "call or text 988" in page and 'href="tel:911"' in page and 'href="sms:988"' in page
    assert f'href="/s/{link}/2"' in page  # the check-in can go on
    [alert] = alerts(app)
    assert (alert.kind, alert.status) == ("critical_item", "open")
    assert alert.response_id == responses(app)[0].id


def test_not_at_all_on_item9_shows_no_crisis_page(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    assert answer(web, link, 1, phq9(item9=0)).headers["Location"] == f"/s/{link}/2"
    assert alerts(app) == []


def test_crisis_resources_in_spanish(web, client_es, make) -> None:
    _, link = make.check_in(client_es, ("phq9",))
    sent = answer(web, link, 1, phq9(item9=3))
    page = text_of(web.get(sent.headers["Location"]))
    assert "Línea de Prevención del Suicidio y Crisis" in page and 'lang="es"' in page


def test_practice_crisis_text_replaces_the_default(app, web, client_en, make) -> None:
    from mbc.practice.services import get_practice

    with app.app_context():
        get_practice().crisis_text_en = "Call our on-call line at 555-0199 or dial 988."
        db.session.commit()
    _, link = make.check_in(client_en, ("phq9",))
    page = text_of(web.get(answer(web, link, 1, phq9(item9=2)).headers["Location"]))
    assert "Call our on-call line at 555-0199" in page


def test_item9_with_skipped_questions_shows_help_with_the_prompt_and_alerts(
    app, web, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    answers = {"phq9_1": "2", "phq9_9": "1"}
    page = answer(web, link, 1, answers)
    html = text_of(page)
    assert page.status_code == 200 and "You skipped 7 questions:" in html
    assert "If you need help now" in html
    assert [a.kind for a in alerts(app)] == ["critical_item"]  # even though still a draft
    assert responses(app)[0].status == "draft"


def test_unanswered_item9_raises_its_own_alert_on_completion(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en, ("phq9",))
    answers = {k: v for k, v in phq9().items() if k != "phq9_9"}
    answer(web, link, 1, answers, confirm_skips="1")
    assert [a.kind for a in alerts(app)] == ["critical_item_unanswered"]


def test_the_alert_survives_a_failure_after_the_response_is_saved(
    app: Flask, client_en, make
) -> None:
    """If anything after the commit fails (here: the crisis page), the alert is already stored."""
    _, link = make.check_in(client_en, ("phq9",))
    web = app.test_client()

    def broken_support(*args, **kwargs):
        raise RuntimeError("the page after the answers failed")

    app.view_functions["survey.support"] = broken_support
    sent = answer(web, link, 1, phq9(item9=1))
    assert web.get(sent.headers["Location"]).status_code == 500
    assert [a.kind for a in alerts(app)] == ["critical_item"]
    assert responses(app)[0].status == "completed"
