"""Every view or change of a client's data is recorded: who, what, which client, when, where."""

from __future__ import annotations

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from tests.conftest import TEST_NOW
from tests.factories import PASSWORD
from tests.helpers import signin, text_of


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_viewing_a_client_is_recorded(app, make, clinician_a) -> None:
    client = make.client(clinician_a)
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    web.get(
        f"/clients/{client.id}",
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
        headers={"User-Agent": "ClinicLaptop/1.0"},
    )
    [event] = events(app, "client.view")
    assert (event.actor_id, event.client_id) == (clinician_a.id, client.id)
    assert event.occurred_at == TEST_NOW
    assert (event.ip_address, event.user_agent) == ("192.0.2.10", "ClinicLaptop/1.0")


def test_an_attempt_on_another_clinicians_client_is_recorded(
    app, make, clinician_a, clinician_b
) -> None:
    client = make.client(clinician_a)
    web = signin(app.test_client(), clinician_b.email, PASSWORD)
    assert web.get(f"/clients/{client.id}").status_code == 404
    [event] = events(app, "client.access_denied")
    assert (event.actor_id, event.client_id) == (clinician_b.id, client.id)
    assert events(app, "client.view") == []


def test_listing_clients_is_recorded(app, make, clinician_a) -> None:
    make.client(clinician_a)
    signin(app.test_client(), clinician_a.email, PASSWORD).get("/caseload")
    [event] = events(app, "client.list")
    assert event.detail == {"count": 1}


def test_admin_reads_and_filters_the_log(app, make, as_admin, clinician_a) -> None:
    first = make.client(clinician_a, client_ref="REF-ONE", first_name="Hidden")
    second = make.client(clinician_a, client_ref="REF-TWO")
    as_admin.get(f"/clients/{first.id}")
    as_admin.get(f"/clients/{second.id}")
    page = text_of(as_admin.get("/admin/audit?client_ref=REF-ONE"))
    assert "REF-ONE" in page and "REF-TWO" not in page
    assert "client.view" in page and "admin@example.org" in page
    assert "Hidden" not in page  # the log shows refs, not client names
    page = text_of(as_admin.get("/admin/audit?action=signin"))
    assert "client.view" not in page
