"""The practice setting and the clinician's switch: off by default, changed only by those
allowed, audit-logged; the client view shows the clinician what the client would see."""

from __future__ import annotations

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.admin.test_practice_settings import CURRENT
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of
from tests.progress.helpers import answered, share


def test_off_by_default_for_the_practice_and_each_client(app, client_en) -> None:
    with app.app_context():
        assert get_practice().client_progress_enabled is False
        assert db.session.get(Client, client_en.id).progress_visible is False


def test_an_admin_turns_the_practice_setting_on(app, as_admin) -> None:
    assert "Let clients see their own progress" in text_of(as_admin.get("/admin/settings"))
    submit(as_admin, "/admin/settings", {**CURRENT, "client_progress_enabled": "y"})
    with app.app_context():
        assert get_practice().client_progress_enabled is True


def test_the_client_page_says_when_the_practice_has_it_off(app, as_clinician, client_en) -> None:
    page = text_of(as_clinician.get(f"/clients/{client_en.id}"))
    assert "progress pages are off for the practice" in page
    assert "progress-sharing" not in page


def test_the_clinician_switch_is_saved_and_logged(app, as_clinician, client_en) -> None:
    share(app, client_en, client_on=False)
    url = f"/clients/{client_en.id}"
    assert "Let this client see their own progress" in text_of(as_clinician.get(url))
    response = submit(as_clinician, f"{url}/progress-sharing", {"visible": "y"}, form_url=url)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Client, client_en.id).progress_visible is True
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "client.progress_sharing")
        ).all()
        assert event.detail == {"visible": True} and event.client_id == client_en.id
    assert "Send a progress link" in text_of(as_clinician.get(url))
    submit(as_clinician, f"{url}/progress-sharing", {}, form_url=url)
    with app.app_context():
        assert db.session.get(Client, client_en.id).progress_visible is False


def test_another_clinicians_client_is_not_found(app, web, clinician_b, client_en) -> None:
    share(app, client_en, client_on=False)
    other = signin(web, clinician_b.email, PASSWORD)
    assert other.get(f"/clients/{client_en.id}/client-view").status_code == 404
    url = f"/clients/{client_en.id}/progress-sharing"
    response = submit(other, url, {"visible": "y"}, form_url="/home")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Client, client_en.id).progress_visible is False


def test_the_client_view_is_plain_and_in_the_clients_language(
    app, web, make, clock, clinician_a, client_es
) -> None:
    answered(web, make, clock, client_es, [2, 1])
    as_clinician = signin(app.test_client(), clinician_a.email, PASSWORD)
    page = text_of(as_clinician.get(f"/clients/{client_es.id}/client-view"))
    assert "Su evolución" in page and "Algo de ánimo bajo" in page
    assert "Alert" not in page and "baseline" not in page and "cut-off" not in page
    english = text_of(as_clinician.get(f"/clients/{client_es.id}/client-view?lang=en&copy=1"))
    assert "Your progress" in english and "Some low mood" in english and "Printed" in english
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.client_id == client_es.id)
        ).all()
    assert actions.count("client.client_view") == 2
