"""The admin page that removes a client for good: admin only, the reference typed exactly."""

from __future__ import annotations

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.clients.models import Client
from mbc.extensions import db
from tests.clients.lifecycle_data import client_with_history, where_found
from tests.helpers import submit, text_of


def exists(app, client_id: int) -> bool:
    with app.app_context():
        return db.session.get(Client, client_id) is not None


def test_the_client_page_offers_removal_with_the_reference_to_type(as_admin, make, clinician_a):
    client = make.client(clinician_a, client_ref="EHR-Abc-1")
    page = text_of(as_admin.get(f"/admin/clients/{client.id}/edit"))
    assert "Remove this client for good" in page
    assert 'name="remove-confirm_ref"' in page and "EHR-Abc-1" in page


def test_a_clinician_cannot_remove_a_client(app, as_clinician, make, clinician_a):
    client = make.client(clinician_a, client_ref="EHR-Abc-1")
    url = f"/admin/clients/{client.id}/remove"
    assert as_clinician.get(url).status_code == 403
    response = submit(as_clinician, url, {"remove-confirm_ref": "EHR-Abc-1"}, form_url="/home")
    assert response.status_code == 403
    assert exists(app, client.id)


def test_a_reference_not_typed_exactly_removes_nothing(app, as_admin, make, clinician_a):
    client = make.client(clinician_a, client_ref="EHR-Abc-1")
    url = f"/admin/clients/{client.id}/remove"
    for typed in ("ehr-abc-1", "EHR-Abc-", ""):
        response = submit(as_admin, url, {"remove-confirm_ref": typed})
        assert response.status_code == 400
        assert "nothing was removed" in text_of(response) or "required" in text_of(response)
    assert exists(app, client.id)


def test_the_admin_removes_a_client_and_nothing_of_theirs_is_left(
    app, as_admin, make, clinician_a, admin
):
    client = client_with_history(make, clinician_a, client_ref="EHR-Abc-1", last_name="Vexley")
    url = f"/admin/clients/{client.id}/remove"
    response = submit(
        as_admin,
        url,
        {"remove-confirm_ref": "EHR-Abc-1"},
        form_url=f"/admin/clients/{client.id}/edit",
    )
    assert response.status_code == 302 and response.location.endswith("/admin/clients/removed")
    page = text_of(as_admin.get(response.location))
    assert "Client removed" in page and "EHR-Abc-1" not in page
    assert not exists(app, client.id)
    assert where_found(app, ["EHR-Abc-1", "Vexley", client.phone, client.email]) == []
    with app.app_context():
        removal = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "client.remove")
        ).one()
        assert (removal.actor_id, removal.client_id) == (admin.id, None)
