"""Delivery health: failures by reason and the clients who cannot be reached, linked to fix."""

from __future__ import annotations

from datetime import UTC, date, datetime

from mbc.delivery.models import ContactConsent, Suppression
from mbc.extensions import db
from mbc.reports.delivery_health import contact_issues, failures
from mbc.reports.filters import ReportFilters
from tests.reports.builder import ReportData

NOVEMBER = ReportFilters(
    start=date(2026, 11, 1), end=date(2026, 11, 22), timezone="America/New_York"
)
AT = datetime(2026, 11, 10, 15, tzinfo=UTC)
STOP = "Twilio error 21610 (HTTP 400): Attempt to send to unsubscribed recipient"


def test_failures_are_grouped_by_reason(app, make) -> None:
    client = make.client(make.user())
    data = ReportData(app)
    data.check_in(client, AT, messages=[("invitation", "sms", "failed", None)])
    data.check_in(client, AT, messages=[("invitation", "sms", "failed", None)])
    data.check_in(client, AT, messages=[("reminder", "sms", "delivered", AT)])
    with app.app_context():
        from mbc.delivery.models import Message

        for message in db.session.query(Message).filter(Message.status == "failed"):
            message.last_error = STOP
        db.session.commit()
        rows = failures(NOVEMBER).rows
    assert rows == [{"channel": "Text message", "status": "Failed", "reason": STOP, "n": 2}]


def test_clients_who_cannot_be_reached_link_to_their_details(app, make) -> None:
    clinician = make.user(name="Ann")
    fine = make.client(clinician)
    stopped = make.client(clinician, phone="+14155550111")
    bounced = make.client(clinician, preferred_channel="email", email="gone@example.com")
    no_consent = make.client(clinician, consent=())
    make.client(clinician, status="discharged", consent=())  # not active: not listed
    with app.app_context():
        db.session.add_all(
            [
                Suppression(
                    channel="sms",
                    address="+14155550111",
                    reason="opted_out",
                    source="sms_keyword",
                    since=AT,
                ),
                Suppression(
                    channel="email",
                    address="gone@example.com",
                    reason="invalid_address",
                    source="smtp",
                    since=AT,
                ),
            ]
        )
        db.session.commit()
    with app.test_request_context():
        summary, clients = contact_issues(NOVEMBER)
        assert db.session.get(ContactConsent, (fine.id, "sms")).granted  # fine is not listed
    assert {r["issue"]: r["n"] for r in summary.rows} == {
        "Address does not work": 1,
        "No consent recorded": 1,
        "Opted out (STOP or unsubscribe)": 1,
    }
    listed = {r["client"][0]: (r["issue"], r["client"][1]) for r in clients.rows}
    assert listed == {
        stopped.client_ref: (
            "Opted out (STOP or unsubscribe)",
            f"/admin/clients/{stopped.id}/edit",
        ),
        bounced.client_ref: ("Address does not work", f"/admin/clients/{bounced.id}/edit"),
        no_consent.client_ref: ("No consent recorded", f"/admin/clients/{no_consent.id}/edit"),
    }
