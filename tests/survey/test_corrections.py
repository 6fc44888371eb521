"""A client goes back and changes answers they already sent: until the whole check-in is
completed the new answers count, and an alert the old ones raised stays, with the change."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from mbc.assessments.models import AlertChange, CheckIn
from mbc.delivery.models import Message
from mbc.extensions import db
from tests.helpers import text_of
from tests.survey.helpers import alerts, answer, gad7, phq9, responses


def all_zero() -> dict[str, str]:
    return phq9(total_on_item=0, item9=0)


def changes(app) -> list[AlertChange]:
    with app.app_context():
        return list(db.session.scalars(select(AlertChange).order_by(AlertChange.id)))


def test_edits_after_back_replace_the_answers_and_are_scored_again(
    app, web, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    answer(web, link, 1, all_zero())
    back = answer(web, link, 2, {}, action="back")
    assert back.headers["Location"] == f"/s/{link}/1"
    assert 'name="phq9_1" value="0" checked' in text_of(web.get(f"/s/{link}/1"))
    edited = {**all_zero(), "phq9_1": "3", "phq9_2": "3"}
    sent = answer(web, link, 1, edited)
    assert sent.headers["Location"] == f"/s/{link}/2"
    [phq] = [r for r in responses(app) if r.instrument_code == "phq9"]
    assert phq.answers["phq9_1"] == 3 and phq.answers["phq9_2"] == 3
    assert phq.total == Decimal(6) and phq.severity == "mild" and phq.status == "completed"
    page = text_of(web.get(f"/s/{link}/1"))
    assert 'name="phq9_1" value="3" checked' in page and 'name="phq9_2" value="3" checked' in page


def test_a_corrected_item9_sends_no_crisis_page_and_the_alert_stays_with_the_change(
    app, web, client_en, make, clinician_a
) -> None:
    _, link = make.check_in(client_en)
    first = answer(web, link, 1, phq9(total_on_item=0, item9=1))
    assert first.headers["Location"] == f"/s/{link}/support"
    answer(web, link, 2, {}, action="back")
    corrected = answer(web, link, 1, all_zero())
    assert corrected.headers["Location"] == f"/s/{link}/2"  # not the crisis page again
    [alert] = alerts(app)
    assert alert.kind == "critical_item" and alert.status == "open"
    assert alert.detail["item"] == "phq9_9" and alert.detail["answer"] == 1
    [change] = changes(app)
    assert (change.alert_id, change.item, change.answer) == (alert.id, "phq9_9", 0)
    [phq] = [r for r in responses(app) if r.instrument_code == "phq9"]
    assert phq.answers["phq9_9"] == 0 and "critical_item" not in phq.flags


def test_endorsing_item9_on_a_changed_page_raises_and_notifies_at_once(
    app, web, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    answer(web, link, 1, all_zero())
    assert alerts(app) == []
    answer(web, link, 2, {}, action="back")
    changed = answer(web, link, 1, phq9(total_on_item=0, item9=2))
    assert changed.headers["Location"] == f"/s/{link}/support"
    [alert] = alerts(app)
    assert alert.kind == "critical_item" and alert.detail["answer"] == 2
    with app.app_context():
        notices = db.session.scalars(select(Message).where(Message.alert_id == alert.id)).all()
    assert notices, "the clinician is told at once"


def test_sending_the_same_answers_again_changes_nothing(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    answer(web, link, 1, phq9(item9=1))
    answer(web, link, 2, {}, action="back")
    again = answer(web, link, 1, phq9(item9=1))
    assert again.headers["Location"] == f"/s/{link}/support"
    assert len(alerts(app)) == 1 and changes(app) == []


def test_a_completed_check_in_shows_its_pages_read_only(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    stale = web.get(f"/s/{link}/1")  # a tab still open on page 1
    answer(web, link, 1, phq9(total_on_item=1))
    answer(web, link, 2, gad7(1))
    page = web.get(f"/s/{link}/1")
    html = text_of(page)
    assert page.status_code == 200 and "can no longer be changed" in html
    assert 'method="post" action="/s/' + link + '/1"' not in html
    assert 'name="phq9_1" value="1" checked' in html
    token = text_of(stale).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    late = web.post(
        f"/s/{link}/1", data={"csrf_token": token, "action": "next", **phq9(total_on_item=3)}
    )
    assert "these changes were not saved" in text_of(late)
    [phq] = [r for r in responses(app) if r.instrument_code == "phq9"]
    assert phq.answers["phq9_1"] == 1


def test_the_skip_prompt_comes_once_per_page_even_after_back_and_next(
    app, web, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    answer(web, link, 1, phq9())
    partial = {k: v for k, v in gad7(2).items() if k != "gad7_3"}
    prompted = answer(web, link, 2, partial)
    assert prompted.status_code == 200 and "You skipped 1 question:" in text_of(prompted)
    answer(web, link, 2, partial, action="back")
    assert answer(web, link, 1, phq9()).headers["Location"] == f"/s/{link}/2"
    sent = answer(web, link, 2, partial)
    assert sent.status_code == 302 and sent.headers["Location"] == f"/s/{link}/done"
    gad = next(r for r in responses(app) if r.instrument_code == "gad7")
    assert gad.status == "completed" and gad.is_prorated


def test_a_wrong_value_shows_the_page_again_with_the_answers_kept(
    app, web, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    page = answer(web, link, 1, {**phq9(total_on_item=2), "phq9_4": "7"})
    html = text_of(page)
    assert page.status_code == 422 and "not one of the choices" in html
    assert 'name="phq9_1" value="2" checked' in html  # nothing typed is lost
    assert 'href="#q-phq9_4"' in html and 'method="post"' in html
    assert all(r.status == "draft" and not r.answers for r in responses(app))


def test_a_cancelled_sessions_link_says_it_was_cancelled(app, web, client_es, make) -> None:
    check_in, link = make.check_in(client_es)
    with app.app_context():
        db.session.get(CheckIn, check_in.id).status = "revoked"  # what cancelling does
        db.session.commit()
    page = web.get(f"/s/{link}/1")
    assert page.status_code == 410 and "Esta sesión se canceló" in text_of(page)
