"""Admin: the practice and team plans, and messages needing attention."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from mbc.delivery.models import Message, PlanRule
from mbc.extensions import db
from tests.delivery.helpers import tick
from tests.helpers import submit, text_of

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def stored_rules(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(PlanRule).order_by(PlanRule.id))
        return [(r.scope, r.team_id, r.rule, r.instruments) for r in rows]


def test_admin_sets_the_practice_and_a_team_plan(app, as_admin, make) -> None:
    team = make.team("North")
    form = {"practice-rule": "every_session", "practice-instruments": ["phq9", "gad7"]}
    assert submit(as_admin, "/admin/plans/rules", form, form_url="/admin/plans").status_code == 302
    team_form = {
        f"team{team.id}-rule": "first_session",
        f"team{team.id}-instruments": ["pcl5"],
        "team_id": str(team.id),
    }
    submit(as_admin, "/admin/plans/rules", team_form, form_url="/admin/plans")
    assert stored_rules(app) == [
        ("practice", None, "every_session", ["phq9", "gad7"]),
        ("team", team.id, "first_session", ["pcl5"]),
    ]
    html = text_of(as_admin.get("/admin/plans"))
    assert "Team plan: North" in html and "before the first session" in html


def test_licensed_instruments_cannot_be_planned_until_enabled(app, as_admin) -> None:
    form = {"practice-rule": "every_session", "practice-instruments": ["ors"]}
    submit(as_admin, "/admin/plans/rules", form, form_url="/admin/plans")
    assert stored_rules(app) == []


def test_admin_removes_a_rule(app, as_admin, make) -> None:
    rule = make.plan_rule()
    url = f"/admin/plans/rules/{rule.id}/delete"
    assert submit(as_admin, url, {}, form_url="/admin/plans").status_code == 302
    assert stored_rules(app) == []


def test_a_clinician_cannot_change_the_practice_plan(app, as_clinician, make) -> None:
    rule = make.plan_rule()
    form = {"practice-rule": "every_session", "practice-instruments": ["phq9"]}
    response = submit(as_clinician, "/admin/plans/rules", form, form_url="/home")
    assert response.status_code == 403
    response = submit(as_clinician, f"/admin/plans/rules/{rule.id}/delete", {}, form_url="/home")
    assert response.status_code == 403
    assert len(stored_rules(app)) == 1


def test_failed_messages_are_listed_for_admins(app, as_admin, make, clinician_a) -> None:
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, phone=None, preferred_channel="email", client_ref="C-FAIL")
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    app.config["EMAIL_BACKEND"] = "smtp"
    app.config["SMTP_PORT"] = 9
    for _ in range(6):  # every attempt fails until mbc gives up
        tick(app)
        with app.app_context():
            message = db.session.scalars(select(Message).where(Message.kind == "invitation")).one()
            message.due_at = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
            db.session.commit()
    html = text_of(as_admin.get("/admin/messages"))
    assert "C-FAIL" in html and "gave up after 6 attempts" in html
    assert "Messages needing attention (1)" in text_of(as_admin.get("/admin/"))


def test_a_rule_can_have_its_own_timing_and_the_scheduler_follows_it(
    app, as_admin, make, client_en
) -> None:
    form = {
        "practice-rule": "every_session",
        "practice-instruments": ["phq9"],
        "practice-invite_hours_before": "48",
        "practice-reminder_hours_before": "0",
    }
    submit(as_admin, "/admin/plans/rules", form, form_url="/admin/plans")
    html = text_of(as_admin.get("/admin/plans"))
    assert "invited 48 h before" in html and "no reminder" in html
    make.appointment(client_en, starts_at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    tick(app)  # 46 hours ahead: inside a 48-hour invitation window, and no reminder
    with app.app_context():
        kinds = db.session.scalars(select(Message.kind)).all()
    assert kinds == ["invitation"]
