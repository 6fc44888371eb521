"""Answering on a kiosk: the check-in's own pages, nothing left behind, the front desk told."""

from __future__ import annotations

from sqlalchemy import select

from mbc.assessments.models import Alert, CheckIn, Response
from mbc.extensions import db
from mbc.kiosk.assets import content_security_policy
from mbc.kiosk.models import KioskVisit
from tests.helpers import csrf_token, submit, text_of
from tests.kiosk.helpers import code_of, enrolled_kiosk, enter_code, kiosk_answer, session_check_in
from tests.survey.helpers import gad7, phq9


def _started(app, make, admin, client, **kwargs):
    check_in = session_check_in(app, make, client, **kwargs)
    kiosk = enrolled_kiosk(app, admin.email)
    assert enter_code(kiosk, code_of(app, check_in)).status_code == 302
    return kiosk, check_in


def _visits(app) -> list[KioskVisit]:
    with app.app_context():
        return list(db.session.scalars(select(KioskVisit).order_by(KioskVisit.id)))


def test_finishing_stores_the_answers_and_returns_to_the_start_page(
    app, make, admin, client_en
) -> None:
    kiosk, check_in = _started(app, make, admin, client_en)
    page = kiosk.get("/kiosk/step/1")
    html = text_of(page)
    assert "Questionnaire 1 of 2" in html and "/s/" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert kiosk_answer(kiosk, 1, phq9()).location.endswith("/kiosk/step/2")
    finished = kiosk_answer(kiosk, 2, gad7())
    assert finished.location.endswith("/kiosk/done")
    start = kiosk.get("/kiosk/done", follow_redirects=True)
    assert "Thank you. Your answers have been sent" in text_of(start)
    assert '<meta http-equiv="refresh" content="15;url=/kiosk/">' in text_of(start)
    with app.app_context():
        assert db.session.get(CheckIn, check_in.id).status == "completed"
        assert {r.status for r in db.session.scalars(select(Response))} == {"completed"}
    assert _visits(app)[0].end_reason == "finished"
    # Back to the answers: the visit is over, every kiosk address leads to the start page.
    for url in ("/kiosk/step/1", "/kiosk/step/2", "/kiosk/check-in", "/kiosk/support"):
        back = kiosk.get(url)
        assert back.status_code == 302 and back.location.endswith("/kiosk/"), url


def test_the_pages_are_in_the_clients_language_and_can_switch(app, make, admin, client_es) -> None:
    kiosk, _ = _started(app, make, admin, client_es)
    assert "Cuestionario 1 de 2" in text_of(kiosk.get("/kiosk/step/1"))
    switched = submit(
        kiosk, "/kiosk/language", {"language": "en", "here": "1"}, form_url="/kiosk/step/1"
    )
    assert switched.location.endswith("/kiosk/step/1")
    assert "Questionnaire 1 of 2" in text_of(kiosk.get("/kiosk/step/1"))


def test_the_idle_timer_is_set_by_config_with_a_no_script_fallback(
    app, make, admin, client_en
) -> None:
    app.config.update(KIOSK_IDLE_SECONDS=7, KIOSK_IDLE_WARNING_SECONDS=4)
    kiosk, _ = _started(app, make, admin, client_en)
    page = kiosk.get("/kiosk/step/1")
    html = text_of(page)
    assert '<meta name="mbc-kiosk-idle" content="7 4 /kiosk/reset?idle=1">' in html
    assert '<noscript><meta http-equiv="refresh" content="7;url=/kiosk/reset?idle=1">' in html
    assert "go back to the start in 3 seconds" in html
    assert page.headers["Content-Security-Policy"] == content_security_policy()
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]


def test_a_reset_ends_the_visit_and_an_old_form_saves_nothing(app, make, admin, client_en) -> None:
    kiosk, _ = _started(app, make, admin, client_en)
    old_token = csrf_token(kiosk, "/kiosk/step/1")
    assert kiosk.get("/kiosk/reset?idle=1").location.endswith("/kiosk/")
    assert _visits(app)[0].end_reason == "idle"
    assert kiosk.get("/kiosk/step/1").location.endswith("/kiosk/")
    posted = kiosk.post("/kiosk/step/1", data={"csrf_token": old_token, **phq9()})
    assert posted.status_code == 400 and "nothing was saved" in text_of(posted)
    with app.app_context():
        assert all(not r.answers for r in db.session.scalars(select(Response)))


def test_the_server_ends_a_visit_left_idle_even_if_the_page_did_not(
    app, make, admin, client_en, clock
) -> None:
    kiosk, _ = _started(app, make, admin, client_en)
    clock.advance(minutes=app.config["KIOSK_VISIT_IDLE_MINUTES"] + 1)
    assert kiosk.get("/kiosk/step/1").location.endswith("/kiosk/")
    assert _visits(app)[0].end_reason == "idle"


def test_a_new_code_ends_the_visit_on_screen(app, make, admin, client_en, client_es) -> None:
    kiosk, _ = _started(app, make, admin, client_en)
    other = session_check_in(app, make, client_es)
    kiosk.get("/kiosk/")  # the start page: whatever was on screen ends
    assert enter_code(kiosk, code_of(app, other)).status_code == 302
    first, second = _visits(app)
    assert first.end_reason == "reset" and second.ended_at is None


def test_a_critical_item_shows_the_crisis_page_and_tells_the_front_desk(
    app, make, admin, as_admin, as_clinician, client_en, clinician_b
) -> None:
    kiosk, _ = _started(app, make, admin, client_en)
    crisis = kiosk_answer(kiosk, 1, phq9(item9=2))
    assert crisis.location.endswith("/kiosk/support")
    page = text_of(kiosk.get("/kiosk/support"))
    assert "Please go to the front desk now" in page and "988" in page
    messages = text_of(as_admin.get("/admin/messages"))
    assert "Someone in the waiting room needs you now" in messages
    assert client_en.client_ref in messages and "Waiting room tablet" in messages
    home = text_of(as_clinician.get("/home"))
    assert "Someone in the waiting room needs you now" in home
    from tests.factories import PASSWORD
    from tests.helpers import signin

    other = signin(app.test_client(), clinician_b.email, PASSWORD)
    assert "waiting room needs you" not in text_of(other.get("/home"))
    with app.app_context():
        alert = db.session.scalar(select(Alert).where(Alert.kind == "critical_item"))
    submit(
        as_clinician,
        f"/alerts/{alert.id}/acknowledge",
        {"note": "Spoke with them."},
        form_url=f"/alerts/{alert.id}",
    )
    assert "waiting room needs you" not in text_of(as_admin.get("/admin/messages"))


def test_the_messages_page_audits_the_clients_its_banner_shows(
    app, make, admin, as_admin, client_en
) -> None:
    from mbc.audit.models import AuditEvent

    kiosk, _ = _started(app, make, admin, client_en)
    kiosk_answer(kiosk, 1, phq9(item9=1))
    as_admin.get("/admin/messages")
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "message.list")
        ).all()[-1]
    assert event.detail["client_ids"] == [client_en.id]


def test_a_questionnaire_this_server_cannot_load_gets_a_clear_page_and_an_alert(
    app, make, admin, client_en
) -> None:
    from mbc.assessments.models import Assignment

    kiosk, check_in = _started(app, make, admin, client_en)
    with app.app_context():  # e.g. a practice's own file removed since the check-in was made
        assignment = db.session.scalars(
            select(Assignment).where(Assignment.check_in_id == check_in.id)
        ).first()
        assignment.instrument_version = "99.0"
        db.session.commit()
    page = kiosk.get("/kiosk/check-in")
    assert page.status_code == 200
    assert "cannot be opened right now" in text_of(page) and "front desk" in text_of(page)
    with app.app_context():
        kinds = db.session.scalars(select(Alert.kind)).all()
    assert kinds == ["instrument_unavailable"]
    assert _visits(app)[0].end_reason == "reset"
