"""The demo: the practice plan sends PHQ-9 and GAD-7 before every session, so a scheduler pass
right after seeding puts check-in links in the development outbox."""

from __future__ import annotations

from sqlalchemy import select

from mbc.delivery.models import PlanRule
from mbc.extensions import db
from tests.delivery.helpers import check_ins, sent, tick


def test_seeded_demo_sends_check_ins_for_the_next_sessions(app) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--clients", "20", "--weeks", "2"])
    assert result.exit_code == 0, result.output
    assert "/dev/outbox" in result.output
    with app.app_context():
        [rule] = db.session.scalars(select(PlanRule)).all()
        assert (rule.scope, rule.rule, rule.instruments) == (
            "practice",
            "every_session",
            ["phq9", "gad7"],
        )
    report = tick(app)
    assert report.planning.planned > 0 and report.sending.sent > 0
    planned = [c for c in check_ins(app) if c.status == "open"]  # not the seeded history
    assert planned and all(
        [a.instrument_code for a in c.assignments] == ["phq9", "gad7"] for c in planned
    )
    assert {e.channel for e in sent(app)} <= {"sms", "email"} and sent(app)


def test_the_demo_has_score_histories_and_alerts_to_look_at(app) -> None:
    from mbc.assessments.models import Alert, Response

    result = app.test_cli_runner().invoke(args=["seed-demo", "--clients", "24", "--weeks", "8"])
    assert "completed check-in(s) of score history" in result.output
    with app.app_context():
        responses = db.session.scalars(select(Response)).all()
        kinds = set(db.session.scalars(select(Alert.kind)))
    assert responses and all(r.status == "completed" and r.is_valid for r in responses)
    assert {r.instrument_code for r in responses} == {"phq9", "gad7", "pcl5", "satisfaction"}
    assert {"critical_item", "reliable_deterioration"} <= kinds


def test_the_demo_history_has_sent_messages_and_some_unanswered_check_ins(app) -> None:
    """So the admin's completion funnel shows a practice's numbers, not a perfect one."""
    from mbc.assessments.models import CheckIn
    from mbc.delivery.models import Message

    app.test_cli_runner().invoke(args=["seed-demo", "--clients", "24", "--weeks", "8"])
    with app.app_context():
        past = db.session.scalars(select(CheckIn).where(CheckIn.status != "open")).all()
        messages = db.session.scalars(
            select(Message).where(Message.kind.in_(("invitation", "reminder")))
        ).all()
    invited = {m.check_in_id for m in messages if m.kind == "invitation"}
    assert invited == {c.id for c in past}
    assert {m.status for m in messages} <= {"sent", "delivered"}
    assert all(m.sent_at is not None and m.provider_id for m in messages)
    unanswered = [c for c in past if c.completed_at is None]
    assert 0 < len(unanswered) < len(past) / 4
    reminded = {m.check_in_id for m in messages if m.kind == "reminder"}
    assert set(c.id for c in unanswered) <= reminded


def test_the_demo_has_satisfaction_surveys_for_the_admin_page(app) -> None:
    from mbc.assessments.models import Response

    app.test_cli_runner().invoke(args=["seed-demo", "--clients", "24", "--weeks", "8"])
    with app.app_context():
        surveys = db.session.scalars(
            select(Response).where(Response.instrument_code == "satisfaction")
        ).all()
    assert len(surveys) >= 5  # enough for the page's minimum group size
    assert all(s.status == "completed" and s.is_valid for s in surveys)
    assert all(1 <= float(s.total) <= 5 for s in surveys)
    assert any(s.answers.get("satisfaction_comment") for s in surveys)
