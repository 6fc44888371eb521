"""Agreed goals: recorded together, seen by the clinician and their supervisor only, with
progress notes by either, a status, and one reminder before the review date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.delivery.models import Message
from mbc.extensions import db
from mbc.supervision.models import AgreedGoal
from tests.conftest import TEST_NOW
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import messages, sent, tick
from tests.delivery.test_exactly_once import start_worker
from tests.factories import PASSWORD, Factory
from tests.helpers import signin, submit, text_of
from tests.supervision.conftest import Team
from tests.supervision.helpers import assign

TODAY = date(2026, 11, 23)  # TEST_NOW in the practice's time zone


def _goal(review_on: date, **values: str) -> dict:
    return {
        "kind": "clinical_skills",
        "title": "Use the PHQ-9 item 9 follow-up script",
        "description": "",
        "review_on": review_on.isoformat(),
        **values,
    }


def _add_as_supervisor(app: Flask, team: Team, review_on: date, **values: str):
    web = signin(app.test_client(), team.supervisor.email, PASSWORD)
    review = f"/supervision/{team.supervisee.id}"
    url = f"/supervision/{team.supervisee.id}/goals"
    return web, submit(web, url, _goal(review_on, **values), form_url=review)


def _goals(app: Flask) -> list[AgreedGoal]:
    with app.app_context():
        found = list(db.session.scalars(select(AgreedGoal).order_by(AgreedGoal.id)))
        for goal in found:
            _ = goal.notes
        db.session.expunge_all()
        return found


def test_recorded_together_and_seen_by_both(app: Flask, team: Team, make: Factory) -> None:
    boss, response = _add_as_supervisor(app, team, TODAY + timedelta(days=30))
    assert response.status_code == 302
    [goal] = _goals(app)
    assert goal.clinician_id == team.supervisee.id and goal.created_by_id == team.supervisor.id
    assert "Goal recorded." in text_of(boss.get(f"/supervision/{team.supervisee.id}"))
    mentee = signin(app.test_client(), team.supervisee.email, PASSWORD)
    assert goal.title in text_of(mentee.get("/me/goals"))
    assert goal.title in text_of(boss.get("/me/goals"))  # under "Goals with Morgan Mentee"
    # Progress notes by either, a status change by either.
    submit(mentee, f"/goals/{goal.id}/notes", {"body": "Used it twice."}, form_url="/me/goals")
    submit(boss, f"/goals/{goal.id}/notes", {"body": "Role-played it."}, form_url="/me/goals")
    update = {"status": "achieved", "review_on": goal.review_on.isoformat()}
    submit(mentee, f"/goals/{goal.id}/update", update, form_url="/me/goals")
    page = text_of(boss.get(f"/goals/{goal.id}"))
    assert "Used it twice." in page and "Role-played it." in page and "Achieved" in page
    [goal] = _goals(app)
    assert [n.author_id for n in goal.notes] == [team.supervisee.id, team.supervisor.id]
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("goal.%"))
        ).all()
    assert actions == ["goal.agree", "goal.note", "goal.note", "goal.update"]
    # Nobody else: a colleague, an admin (goals are between the two of them).
    for other in (team.colleague, make.user(role="admin")):
        web = signin(app.test_client(), other.email, PASSWORD)
        assert web.get(f"/goals/{goal.id}").status_code == 404
        assert goal.title not in text_of(web.get("/me/goals"))
        assert (
            submit(web, f"/goals/{goal.id}/notes", {"body": "x"}, form_url="/me/goals").status_code
            == 404
        )


def test_clinician_records_their_own_goal(app: Flask, team: Team) -> None:
    web = signin(app.test_client(), team.supervisee.email, PASSWORD)
    response = submit(web, "/me/goals", _goal(TODAY + timedelta(days=60), kind="practice_metrics"))
    assert response.status_code == 302
    assert [g.kind for g in _goals(app)] == ["practice_metrics"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"review_on": "2062-01-01"}, "Choose a review date within three years of today."),
        ({"review_on": "soon"}, "Not a valid date value."),
        ({"kind": "quota"}, "Not a valid choice."),
    ],
)
def test_a_bad_goal_saves_nothing_and_says_why(app: Flask, team: Team, values, message) -> None:
    web = signin(app.test_client(), team.supervisee.email, PASSWORD)
    response = submit(web, "/me/goals", {**_goal(TODAY), **values})
    assert response.status_code == 400 and message in text_of(response)
    assert _goals(app) == []


def test_a_supervisor_cannot_set_a_colleagues_goals(app: Flask, team: Team) -> None:
    web = signin(app.test_client(), team.supervisor.email, PASSWORD)
    url = f"/supervision/{team.colleague.id}/goals"
    response = submit(web, url, _goal(TODAY), form_url="/me/goals")
    assert response.status_code == 404 and _goals(app) == []


def _reminders(app: Flask) -> list[Message]:
    return messages(app, Message.kind == "goal_review")


def test_one_reminder_each_before_the_review_date(app: Flask, team: Team) -> None:
    _add_as_supervisor(app, team, TODAY + timedelta(days=3))  # due now
    _add_as_supervisor(app, team, TODAY + timedelta(days=4), title="Later")  # not yet
    _add_as_supervisor(app, team, TODAY - timedelta(days=1), title="Past")  # overdue: no email
    tick(app)
    tick(app)
    reminders = _reminders(app)
    assert sorted(m.staff_user_id for m in reminders) == sorted(
        [team.supervisee.id, team.supervisor.id]
    )
    assert {m.status for m in reminders} == {"sent"}
    [first, *_] = sent(app)
    assert "comes up for review" in first.body and "https://mbc.test/me/goals" in first.body
    assert "PHQ-9" not in first.body and "Morgan" not in first.body  # nothing of the goal
    # A new review date is a new reminder; a goal set aside gets none.
    [goal, later, _past] = _goals(app)
    web = signin(app.test_client(), team.supervisee.email, PASSWORD)
    new_date = {"status": "active", "review_on": (TODAY + timedelta(days=1)).isoformat()}
    submit(web, f"/goals/{goal.id}/update", new_date, form_url="/me/goals")
    aside = {"status": "set_aside", "review_on": later.review_on.isoformat()}
    submit(web, f"/goals/{later.id}/update", aside, form_url="/me/goals")
    tick(app)
    assert len(_reminders(app)) == 4


def test_three_scheduler_processes_send_each_reminder_once(
    app: Flask, make: Factory, twilio, smtp
) -> None:
    app.config.update(provider_settings(twilio, smtp))  # what the worker processes use
    boss = make.user(email="boss@example.org")
    mentees = [make.user(email=f"m{i}@example.org") for i in range(5)]
    assign(app, boss, *mentees)
    for mentee in mentees:
        web = signin(app.test_client(), mentee.email, PASSWORD)
        submit(web, "/me/goals", _goal(TODAY + timedelta(days=2)))
    workers = [start_worker(app, TEST_NOW) for _ in range(3)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], outputs
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(
        ["boss@example.org"] * 5 + [m.email for m in mentees]
    )
