"""Every view or change of a client's data is recorded: who, what, which client, when, where."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from mbc.audit.models import AuditEvent
from mbc.delivery.models import Message
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
    assert event.detail == {"view": "caseload", "client_ids": [event.detail["client_ids"][0]]}


def shown(app, action: str) -> list[int]:
    [event] = events(app, action)
    return event.detail["client_ids"]


def test_each_list_records_the_ids_of_the_clients_it_shows(
    app, make, as_admin, clinician_a, clinician_b
) -> None:
    """One row per list view, with ids (never names) of every client on it."""
    today = make.client(clinician_a)
    make.appointment(today, starts_at=TEST_NOW + timedelta(hours=1))
    other = make.client(clinician_a, first_name="Named")
    not_mine = make.client(clinician_b)
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    web.get("/home")
    assert shown(app, "client.list") == [today.id]
    empty_log(app)
    web.get("/caseload")
    assert shown(app, "client.list") == sorted([today.id, other.id])
    empty_log(app)
    as_admin.get("/admin/clients")
    assert shown(app, "client.list") == sorted([today.id, other.id, not_mine.id])
    assert "Named" not in str(events(app, "client.list")[0].detail)


def test_the_unreachable_clients_report_records_its_clients(
    app, make, as_admin, clinician_a
) -> None:
    unreachable = make.client(clinician_a, phone=None, email=None, consent=())
    make.client(clinician_a)
    assert as_admin.get("/admin/reports/delivery").status_code == 200
    assert shown(app, "report.view") == [unreachable.id]
    as_admin.get("/admin/reports/delivery.csv?table=contact_clients")
    assert shown(app, "report.export") == [unreachable.id]


def test_the_messages_and_audit_pages_are_logged(app, make, as_admin, clinician_a) -> None:
    client = make.client(clinician_a)
    make._save(
        Message(
            kind="invitation",
            channel="sms",
            language="en",
            client_id=client.id,
            dedupe_key="failed-1",
            scheduled_at=TEST_NOW,
            due_at=TEST_NOW,
            status="failed",
        )
    )
    as_admin.get("/admin/messages")
    assert shown(app, "message.list") == [client.id]
    as_admin.get(f"/clients/{client.id}")
    as_admin.get("/admin/audit")
    assert shown(app, "audit.view") == [client.id]  # the client.view row it showed
    page = text_of(as_admin.get("/admin/audit?action=audit.view"))
    assert "audit.view" in page  # the earlier view of the log is in the log


def empty_log(app) -> None:
    with app.app_context():
        db.session.execute(delete(AuditEvent))
        db.session.commit()


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
