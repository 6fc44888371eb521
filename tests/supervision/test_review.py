"""The supervisee review page: outcomes beside the practice's with n and case mix, the case
consultation list, intensity, completion and practice metrics; only for the supervisor."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from mbc.assessments.models import Alert
from mbc.audit.models import AuditEvent
from mbc.clock import utcnow
from mbc.extensions import db
from tests.factories import PASSWORD, Factory
from tests.helpers import signin, text_of
from tests.supervision.conftest import Team, scored_clients, statements


def _alert(app: Flask, client_id: int) -> None:
    with app.app_context():
        db.session.add(
            Alert(client_id=client_id, kind="not_on_track", status="open", created_at=utcnow())
        )
        db.session.commit()


def _row(page: str, label: str) -> str:
    match = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{label}.*?</tr>", page, re.S)
    assert match, label
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_supervisor_reviews_their_supervisee(app: Flask, team: Team) -> None:
    flagged = team.mentee_clients[0]
    _alert(app, flagged.id)
    _alert(app, team.colleague_clients[0].id)
    web = signin(app.test_client(), team.supervisor.email, PASSWORD)
    assert "Supervision" in text_of(web.get("/home"))
    assert "Review with Morgan Mentee" in text_of(web.get("/supervision"))
    response = web.get(f"/supervision/{team.supervisee.id}")
    page = text_of(response)
    assert response.status_code == 200
    assert "one input among many" in page
    # Outcomes: the supervisee's 5 clients all improved, the practice's 10 half of them.
    phq9 = page.split("Outcomes: PHQ-9")[1].split("</section>")[0]
    mine = _row(phq9, "Morgan Mentee")
    assert " 5 " in mine and "100.0 %" in mine and "Severe 100%" in mine
    practice = _row(phq9, "Whole practice")
    assert " 10 " in practice and "50.0 %" in practice
    # The case consultation list: the supervisee's flagged client only.
    consultation = page.split('id="consultation"')[1].split("</section>")[0]
    assert flagged.client_ref in consultation
    assert team.colleague_clients[0].client_ref not in consultation
    for heading in (
        "Caseload intensity by clinician",
        "Completion funnel",
        "Sessions",
        "Retention",
    ):
        assert heading in page
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "client.list", AuditEvent.actor_id == team.supervisor.id
            )
        ).all()
    [listed] = [e for e in events if e.detail.get("view") == "supervision_review"]
    assert listed.detail["client_ids"] == [flagged.id]
    assert listed.detail["supervisee"] == team.supervisee.id


def test_nobody_else_opens_the_review(app: Flask, team: Team, make: Factory) -> None:
    url = f"/supervision/{team.supervisee.id}"
    supervisor = signin(app.test_client(), team.supervisor.email, PASSWORD)
    assert supervisor.get(f"/supervision/{team.colleague.id}").status_code == 404
    for who in (team.colleague, team.supervisee):
        web = signin(app.test_client(), who.email, PASSWORD)
        assert web.get(url).status_code == 404
        assert "Supervision" not in text_of(web.get("/home")).split("</nav>")[0]
    admin = make.user(role="admin")
    assert signin(app.test_client(), admin.email, PASSWORD).get(url).status_code == 200


def test_a_bad_period_is_a_clear_error(app: Flask, team: Team) -> None:
    web = signin(app.test_client(), team.supervisor.email, PASSWORD)
    response = web.get(f"/supervision/{team.supervisee.id}?start=2026-11-20&end=2026-11-01")
    assert response.status_code == 400
    assert "The end date is before the start date." in text_of(response)


def test_review_reads_no_wellbeing_table_and_its_queries_do_not_grow(
    app: Flask, make: Factory, team: Team
) -> None:
    web = signin(app.test_client(), team.supervisor.email, PASSWORD)
    url = f"/supervision/{team.supervisee.id}"
    web.get(url)
    with statements(app) as small:
        web.get(url)
    scored_clients(app, make, team.supervisee, 15, 20, 19)
    with statements(app) as large:
        web.get(url)
    assert len(large) == len(small)
    assert not [s for s in large if "wellbeing" in s.lower() or "pulse" in s.lower()]
