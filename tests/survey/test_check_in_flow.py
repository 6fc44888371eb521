"""A client answers a check-in from a link: the happy paths."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import event, select

from mbc.assessments.models import CheckIn
from mbc.extensions import db
from tests.helpers import text_of
from tests.survey.helpers import alerts, answer, gad7, phq9, responses


def test_one_minute_is_singular_whatever_the_number_of_questions(web, client_en, make) -> None:
    _, link = make.check_in(client_en, instruments=("who5",))
    assert "5 questions, about 1 minute." in text_of(web.get(f"/s/{link}"))


def test_intro_names_the_practice_and_the_size_never_the_client(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    page = web.get(f"/s/{link}")
    html = text_of(page)
    assert page.status_code == 200
    assert "16 questions, about 3 minutes." in html
    assert "Zelda" not in html and "Quixote" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["X-Robots-Tag"].startswith("noindex")


def test_answering_both_questionnaires_stores_two_scored_responses(
    app, web, client_en, make
) -> None:
    check_in, link = make.check_in(client_en)
    first = answer(web, link, 1, phq9(total_on_item=2))
    assert first.status_code == 302 and first.headers["Location"] == f"/s/{link}/2"
    page = text_of(web.get(f"/s/{link}/2"))
    assert "Questionnaire 2 of 2" in page and "Feeling nervous, anxious, or on edge" in page
    second = answer(web, link, 2, gad7(3))
    assert second.headers["Location"] == f"/s/{link}/done"
    assert "Your answers have been sent to your clinician." in text_of(web.get(f"/s/{link}/done"))
    stored = responses(app)
    assert [(r.instrument_code, r.instrument_version, r.status) for r in stored] == [
        ("phq9", "1", "completed"),
        ("gad7", "1", "completed"),
    ]
    assert stored[0].total == Decimal(16) and stored[0].severity == "moderately-severe"
    assert stored[0].answers["phq9_difficulty"] == 1 and stored[0].channel == "sms"
    assert stored[1].total == Decimal(21) and "meets_cutoff" in stored[1].flags
    assert all(r.opened_at and r.started_at and r.completed_at for r in stored)
    with app.app_context():
        assert db.session.get(CheckIn, check_in.id).status == "completed"
    assert alerts(app) == []


def test_a_completed_link_says_already_done(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en, ("gad7",))
    answer(web, link, 1, gad7())
    page = web.get(f"/s/{link}")
    assert page.status_code == 200 and "Already done, thank you" in text_of(page)


def test_reopening_the_link_returns_to_where_the_client_was(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    answer(web, link, 1, phq9())
    later = app.test_client()  # the page was closed; a new visit from the SMS link
    response = later.get(f"/s/{link}")
    assert response.status_code == 302 and response.headers["Location"] == f"/s/{link}/2"


def test_answers_on_a_page_are_kept_when_going_back(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    answer(web, link, 1, phq9())
    back = answer(web, link, 2, {"gad7_1": "2"}, action="back")
    assert back.headers["Location"] == f"/s/{link}/1"
    page = text_of(web.get(f"/s/{link}/2"))
    assert 'name="gad7_1" value="2" checked' in page


def test_skipped_questions_get_one_gentle_prompt_then_may_be_sent(
    app, web, client_en, make
) -> None:
    _, link = make.check_in(client_en, ("gad7",))
    partial = {k: v for k, v in gad7(2).items() if k != "gad7_3"}
    prompt = answer(web, link, 1, partial)
    html = text_of(prompt)
    assert prompt.status_code == 200
    assert "You skipped 1 question:" in html and "Worrying too much about different things" in html
    assert responses(app)[0].status == "draft"
    sent = answer(web, link, 1, partial, confirm_skips="1")
    assert sent.headers["Location"] == f"/s/{link}/done"
    stored = responses(app)[0]
    assert stored.status == "completed" and stored.is_prorated and stored.total == Decimal(14)


def test_submitting_twice_stores_one_response(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en, ("phq9", "gad7"))
    url = f"/s/{link}/1"
    token = text_of(web.get(url)).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    data = {"csrf_token": token, "action": "next", **phq9(item9=1)}
    first, second = web.post(url, data=data), web.post(url, data=data)  # double tap
    assert first.status_code == second.status_code == 302
    assert len(responses(app)) == 1 and len(alerts(app)) == 1


def test_scores_are_shown_only_when_the_practice_allows(app, web, client_en, make) -> None:
    from mbc.practice.services import get_practice

    _, link = make.check_in(client_en, ("gad7",))
    answer(web, link, 1, gad7(1))
    assert "out of 21" not in text_of(web.get(f"/s/{link}/done"))
    with app.app_context():
        get_practice().show_scores_to_clients = True
        db.session.commit()
    assert (
        "<strong>Generalized Anxiety Disorder scale (GAD-7)</strong>: 7 out of 21 (mild)"
        in text_of(web.get(f"/s/{link}/done"))
    )


def test_a_check_in_records_the_link_channel_and_pinned_version(app, client_en, make) -> None:
    check_in, _ = make.check_in(client_en, ("pcl5",), channel="email")
    with app.app_context():
        stored = db.session.scalar(select(CheckIn).where(CheckIn.id == check_in.id))
        [assignment] = stored.assignments
        assert (assignment.instrument_code, assignment.instrument_version) == ("pcl5", "1")
        assert stored.channel == "email" and len(stored.token_hash) == 64


def test_a_page_reads_its_check_in_and_the_practice_in_one_query(app, web, client_en, make) -> None:
    """Every round trip costs the phone waiting for the page: the check-in, its questionnaires
    and answers, and the practice's name and contact come back in one SELECT."""
    _, link = make.check_in(client_en)
    web.get(f"/s/{link}/1")  # the first view creates the draft
    executed: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        executed.append(statement.lstrip().split()[0].upper())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert web.get(f"/s/{link}/1").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert executed == ["SELECT"]
