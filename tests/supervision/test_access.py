"""A supervisor sees their supervisees' clients, and nobody else's; every view is audited."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.auth.access import visible_clients
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.supervision import services
from mbc.supervision.models import Supervision
from tests.factories import PASSWORD, Factory
from tests.helpers import signin, submit, text_of
from tests.supervision.helpers import assign


def _ids(app: Flask, user: StaffUser) -> set[int]:
    with app.app_context():
        who = db.session.get(StaffUser, user.id)
        return set(db.session.scalars(visible_clients(who).with_only_columns(Client.id)))


def test_supervisor_sees_supervisees_clients_and_no_one_elses(app: Flask, make: Factory) -> None:
    boss, mentee, other = (make.user(name=n) for n in ("Sup", "Mentee", "Other"))
    own = make.client(boss)
    mentees = make.client(mentee)
    shared_by_mentee = make.client(other, care_team=(mentee,))
    others = make.client(other)
    assert _ids(app, boss) == {own.id}
    assign(app, boss, mentee)
    assert _ids(app, boss) == {own.id, mentees.id, shared_by_mentee.id}
    # The supervisee still sees only their own; a third clinician is untouched.
    assert _ids(app, mentee) == {mentees.id, shared_by_mentee.id}
    assert _ids(app, other) == {shared_by_mentee.id, others.id}
    web = signin(app.test_client(), boss.email, PASSWORD)
    assert web.get(f"/clients/{others.id}").status_code == 404
    assert web.get(f"/clients/{mentees.id}").status_code == 200
    with app.app_context():
        viewed = db.session.scalars(
            select(AuditEvent.client_id).where(
                AuditEvent.action == "client.view", AuditEvent.actor_id == boss.id
            )
        ).all()
        denied = db.session.scalars(
            select(AuditEvent.client_id).where(AuditEvent.action == "client.access_denied")
        ).all()
    assert viewed == [mentees.id] and denied == [others.id]


def test_ending_the_supervision_ends_the_access(app: Flask, make: Factory) -> None:
    boss, mentee = make.user(), make.user()
    theirs = make.client(mentee)
    assign(app, boss, mentee)
    assert theirs.id in _ids(app, boss)
    assign(app, boss)
    assert _ids(app, boss) == set()


def test_supervision_is_not_both_ways(app: Flask, make: Factory) -> None:
    boss, mentee = make.user(), make.user()
    bosses = make.client(boss)
    assign(app, boss, mentee)
    assert bosses.id not in _ids(app, mentee)


@pytest.mark.parametrize("bad", ["self", "admin", "inactive"])
def test_only_other_active_clinicians_can_be_supervisees(
    app: Flask, make: Factory, bad: str
) -> None:
    boss = make.user()
    target = {
        "self": boss,
        "admin": make.user(role="admin"),
        "inactive": make.user(active=False),
    }[bad]
    with app.app_context():
        who = db.session.get(StaffUser, boss.id)
        with pytest.raises(ValueError):
            services.set_supervisees(who, [target.id], actor=who)


def test_admin_assigns_supervisees_on_the_staff_page(
    app: Flask, make: Factory, as_admin, admin
) -> None:
    boss, mentee, other = make.user(name="Sam Sup"), make.user(name="Mo"), make.user(name="Al")
    page = text_of(as_admin.get(f"/admin/settings/staff/{boss.id}"))
    assert "Clinicians Sam Sup supervises" in page and "Mo" in page
    url = f"/admin/settings/staff/{boss.id}/supervisees"
    form = f"/admin/settings/staff/{boss.id}"
    response = submit(as_admin, url, {"supervisees": [mentee.id]}, form_url=form)
    assert response.status_code == 302
    assert "Supervisees saved." in text_of(as_admin.get(form))
    with app.app_context():
        pairs = db.session.execute(select(Supervision.supervisor_id, Supervision.supervisee_id))
        assert list(pairs) == [(boss.id, mentee.id)]
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "staff.supervisees")
        ).one()
        assert event.actor_id == admin.id and event.detail["added"] == [mentee.id]
    assert ", supervisor" in text_of(as_admin.get("/admin/settings/staff"))
    # A tampered choice (an admin, or someone made up) saves nothing.
    response = submit(as_admin, url, {"supervisees": [other.id, 99999]}, form_url=form)
    assert "Only clinicians supervise" in text_of(as_admin.get(form))
    with app.app_context():
        assert db.session.scalar(select(Supervision.supervisee_id)) == mentee.id


def test_clinicians_cannot_assign_supervisees(app: Flask, make: Factory, as_clinician) -> None:
    boss, mentee = make.user(), make.user()
    url = f"/admin/settings/staff/{boss.id}/supervisees"
    response = submit(as_clinician, url, {"supervisees": [mentee.id]}, form_url="/home")
    assert response.status_code == 403


def test_a_supervisor_reads_a_supervisees_alert_but_the_treating_clinician_acts_on_it(
    app: Flask, make: Factory
) -> None:
    """Seeing a supervisee's client supports the supervisee; acknowledging a critical alert ends
    its escalation, which is the treating clinician's (or an admin's) to do."""
    from mbc.assessments.models import Alert
    from mbc.clock import utcnow

    boss, mentee = make.user(name="Sup"), make.user(name="Mentee")
    client = make.client(mentee)
    assign(app, boss, mentee)
    with app.app_context():
        alert = Alert(client_id=client.id, kind="critical_item", status="open", created_at=utcnow())
        db.session.add(alert)
        db.session.commit()
        alert_id = alert.id
    web = signin(app.test_client(), boss.email, PASSWORD)
    page = text_of(web.get(f"/alerts/{alert_id}"))
    assert "You see this alert as the clinician's supervisor" in page
    assert "Acknowledge and resolve" not in page
    submit(web, f"/alerts/{alert_id}/acknowledge", {"note": "seen"}, form_url="/home")
    with app.app_context():
        assert db.session.get(Alert, alert_id).status == "open"
        attempts = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor_id == boss.id)
        ).all()
    assert "alert.acknowledge_attempt" in attempts
    own = signin(app.test_client(), mentee.email, PASSWORD)
    submit(own, f"/alerts/{alert_id}/acknowledge", {"note": "called"}, form_url="/home")
    with app.app_context():
        assert db.session.get(Alert, alert_id).status == "acknowledged"


def test_a_supervisor_reads_a_supervisees_client_page_but_changes_nothing_on_it(
    app: Flask, make: Factory
) -> None:
    boss, mentee = make.user(name="Sup"), make.user(name="Mentee")
    client = make.client(mentee)
    assign(app, boss, mentee)
    web = signin(app.test_client(), boss.email, PASSWORD)
    page = text_of(web.get(f"/clients/{client.id}"))
    assert "You see this client as their clinician's supervisor" in page
    for words in ("Pause the plan", "Create a check-in link", "Send a check-in now"):
        assert words not in page
    url = f"/clients/{client.id}"
    for action in ("plan/pause", "send-now", "check-in-link", "progress-sharing"):
        assert submit(web, f"{url}/{action}", {}, form_url="/home").status_code == 403, action
    with app.app_context():
        refused = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "client.action_refused")
        ).all()
    assert len(refused) == 4
    own = text_of(signin(app.test_client(), mentee.email, PASSWORD).get(url))
    assert "Pause the plan" in own and "their clinician's supervisor" not in own
