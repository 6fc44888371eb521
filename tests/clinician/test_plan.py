"""The client's plan on the clinician's page: what applies, own rules, pause, resume, send now,
the messages sent and why a channel cannot be used."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.delivery.models import ClientPlan, Message, PlanRule
from mbc.extensions import db
from tests.delivery.helpers import messages, sent, tick
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def page(client_en) -> str:
    return f"/clients/{client_en.id}"


def test_the_page_shows_the_practice_plan_and_the_channel(as_clinician, make, page) -> None:
    make.plan_rule(("phq9", "gad7"))
    html = text_of(as_clinician.get(page))
    assert "follows the practice" in html and "before every session" in html
    assert "Messages go by:</strong>\ntext message" in html


def test_a_rule_added_by_the_clinician_starts_the_clients_own_plan_from_the_default(
    app, as_clinician, make, client_en, page
) -> None:
    make.plan_rule(("phq9",))
    form = {"rule-rule": "every_n_weeks", "rule-instruments": ["pcl5"], "rule-every_n": "4"}
    response = submit(as_clinician, f"{page}/plan/rules", form, form_url=page)
    assert response.status_code == 302
    with app.app_context():
        rules = db.session.scalars(
            select(PlanRule).where(PlanRule.client_id == client_en.id).order_by(PlanRule.id)
        ).all()
        assert [(r.rule, r.instruments, r.every_n) for r in rules] == [
            ("every_session", ["phq9"], None),
            ("every_n_weeks", ["pcl5"], 4),
        ]
        assert db.session.get(ClientPlan, client_en.id).custom
    html = text_of(as_clinician.get(page))
    assert "has their own plan" in html and "every 4 weeks" in html


def test_a_rule_needing_n_without_it_is_explained(app, as_clinician, page) -> None:
    form = {"rule-rule": "every_nth_session", "rule-instruments": ["phq9"]}
    response = submit(as_clinician, f"{page}/plan/rules", form, form_url=page)
    assert response.status_code == 302
    assert "Give N" in text_of(as_clinician.get(page))
    with app.app_context():
        assert db.session.scalars(select(PlanRule)).all() == []


def test_back_to_the_default_plan(app, as_clinician, make, client_en, page) -> None:
    make.plan_rule(("pcl5",), scope="client", client=client_en)
    assert submit(as_clinician, f"{page}/plan/default", {}, form_url=page).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(PlanRule)).all() == []
        assert not db.session.get(ClientPlan, client_en.id).custom


def test_pause_and_resume_are_audited(app, as_clinician, make, client_en, page) -> None:
    make.plan_rule(("phq9",))
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    assert submit(as_clinician, f"{page}/plan/pause", {}, form_url=page).status_code == 302
    assert "Paused since" in text_of(as_clinician.get(page))
    assert messages(app)[1].skip_reason == "plan_paused"
    assert submit(as_clinician, f"{page}/plan/resume", {}, form_url=page).status_code == 302
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("plan.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["plan.pause", "plan.resume"]


def test_send_now_goes_out_on_the_next_pass(app, as_clinician, client_en, page) -> None:
    form = {"send-instruments": ["gad7"]}
    assert submit(as_clinician, f"{page}/send-now", form, form_url=page).status_code == 302
    tick(app)
    assert len(sent(app)) == 1
    html = text_of(as_clinician.get(page))
    assert "Invitation" in html and "Sent" in html


def test_the_page_says_why_sms_cannot_be_used(app, as_clinician, make, clinician_a) -> None:
    from mbc.delivery.consent import suppress

    client = make.client(clinician_a, phone="+14155550100")
    with app.app_context():
        suppress("sms", "+14155550100", "opted_out", source="sms_keyword", now=datetime.now(UTC))
        db.session.commit()
    html = text_of(as_clinician.get(f"/clients/{client.id}"))
    assert "opted out of text messages (replied STOP)" in html


def test_skipped_messages_say_why(app, as_clinician, make, clinician_a) -> None:
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, consent=())
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    tick(app)
    html = text_of(as_clinician.get(f"/clients/{client.id}"))
    assert "Not sent" in html and "no consent to text messages; no consent to email" in html


@pytest.mark.parametrize(
    "action", ["plan/pause", "plan/resume", "plan/default", "send-now", "plan/rules"]
)
def test_another_clinicians_client_is_not_found(app, make, clinician_b, client_en, action):
    other = signin(app.test_client(), clinician_b.email, PASSWORD)
    response = submit(other, f"/clients/{client_en.id}/{action}", {}, form_url="/home")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Message)).all() == []
        assert db.session.get(ClientPlan, client_en.id) is None
