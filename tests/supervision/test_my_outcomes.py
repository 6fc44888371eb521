"""/me/outcomes: a clinician's own outcomes beside the practice's, private to them."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from tests.factories import PASSWORD, Factory
from tests.helpers import signin, text_of
from tests.supervision.conftest import Team, scored_clients
from tests.supervision.test_review import _row


def _phq9(page: str) -> str:
    return page.split("Outcomes: PHQ-9")[1].split("</section>")[0]


def test_clinician_sees_their_own_outcomes_beside_the_practice(app: Flask, team: Team) -> None:
    web = signin(app.test_client(), team.supervisee.email, PASSWORD)
    response = web.get("/me/outcomes?start=2026-09-01&end=2026-11-23")
    page = text_of(response)
    assert response.status_code == 200
    assert "one input among many" in page and "Only you and your supervisor" in page
    mine = _row(_phq9(page), "Morgan Mentee")
    assert " 5 " in mine and "100.0 %" in mine and "Severe 100%" in mine
    assert "50.0 %" in _row(_phq9(page), "Whole practice")
    assert "Caseload intensity by clinician" in page and "Completion funnel" in page
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "outcomes.own_view")
        ).one()
    assert event.actor_id == team.supervisee.id and event.detail["start"] == "2026-09-01"


def test_no_one_sees_a_colleagues_view(app: Flask, team: Team) -> None:
    web = signin(app.test_client(), team.colleague.email, PASSWORD)
    page = text_of(web.get(f"/me/outcomes?clinician={team.supervisee.id}"))
    assert "Morgan Mentee" not in page
    assert "0.0 %" in _row(_phq9(page), "Olu Colleague").split("Severe")[0]
    assert app.test_client().get("/me/outcomes").status_code == 302


def test_a_small_caseload_shows_n_but_no_figures(app: Flask, make: Factory, team: Team) -> None:
    newcomer = make.user(name="Nia New")
    scored_clients(app, make, newcomer, 2, 20, 5)
    page = text_of(signin(app.test_client(), newcomer.email, PASSWORD).get("/me/outcomes"))
    row = _row(_phq9(page), "Nia New")
    assert " 2 " in row and "Too few to show" in row and "%" not in row
    assert " 12 " in _row(_phq9(page), "Whole practice")


def test_team_goals_show_progress_and_say_when_met(app: Flask, make: Factory, team: Team) -> None:
    from mbc.reports.models import TeamGoal

    with app.app_context():
        db.session.add_all(
            [
                TeamGoal(
                    metric="reliable_improvement",
                    instrument_code="phq9",
                    target_percent=40,
                    period="quarter",
                ),
                TeamGoal(
                    metric="reliable_recovery",
                    instrument_code="phq9",
                    target_percent=90,
                    period="quarter",
                ),
            ]
        )
        db.session.commit()
    page = text_of(signin(app.test_client(), team.supervisee.email, PASSWORD).get("/me/outcomes"))
    goals = page.split('id="team-goals"')[1].split("</section>")[0]
    met, not_yet = goals.split("</li>")[:2]
    assert "50.0 %" in met and "Goal met" in met  # 5 of the practice's 10 improved
    assert "not yet" in not_yet and "Goal met" not in not_yet


def test_an_end_date_alone_moves_the_whole_period(app: Flask, team: Team) -> None:
    web = signin(app.test_client(), team.supervisee.email, PASSWORD)
    page = text_of(web.get("/me/outcomes?end=2026-06-30"))
    assert "2026-04-02 to 2026-06-30 (90 days)." in page
