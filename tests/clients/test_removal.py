"""Removing a client for good: nothing personal left in any table (every table on the metadata
is searched, so a new one is covered without touching this test), other clients untouched, the
audit trail keeps its actions without the client."""

from __future__ import annotations

from sqlalchemy import func, select

from mbc.audit.models import AuditEvent
from mbc.clients.models import Client
from mbc.clients.removal import remove_client
from mbc.db import Base
from mbc.delivery.models import Suppression
from mbc.extensions import db
from tests.clients.lifecycle_data import client_with_history, rows_pointing_at, where_found

GONE = dict(
    client_ref="EHR-REMOVE-77",
    first_name="Zebulon",
    last_name="Quillfeather",
    phone="+14155550177",
    email="zebulon.q@example.com",
)
STAYS = dict(
    client_ref="EHR-STAYS-12",
    first_name="Henrietta",
    last_name="Oakhurst",
    phone="+14155550112",
    email="h.oakhurst@example.com",
)


def needles(values: dict) -> list[str]:
    return [values[k] for k in ("client_ref", "first_name", "last_name", "phone", "email")]


def remove(app, client_id: int, actor=None) -> None:
    with app.app_context():
        remove_client(db.session.get(Client, client_id), actor)
        db.session.commit()


def test_every_table_that_points_at_a_client_is_filled_by_the_history(app, make, clinician_a):
    client = client_with_history(make, clinician_a, **GONE)
    pointing = {
        f"{t.name}.{c.name}"
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if any(fk.column.table.name == "clients" for fk in c.foreign_keys)
    }
    # A new table with a client_id fails here until the history fills it (and removal clears it).
    assert set(rows_pointing_at(app, client.id)) == pointing


def test_nothing_of_the_removed_client_is_left_and_the_other_keeps_everything(
    app, make, clinician_a, admin
):
    gone = client_with_history(make, clinician_a, **GONE)
    stays = client_with_history(make, clinician_a, **STAYS)
    before = where_found(app, needles(STAYS))
    assert set(where_found(app, needles(GONE))) >= {
        "clients.client_ref",
        "inbound_messages.body",
        "dev_outbox.body",
        "suppressions.address",
        "consent_events.address",
        "responses.answers",
        "alerts.note",
        "messages.recipient",
        "messages.dedupe_key",
    }

    remove(app, gone.id, admin)

    assert where_found(app, needles(GONE)) == []
    assert rows_pointing_at(app, gone.id) == []
    assert where_found(app, needles(STAYS)) == before
    assert rows_pointing_at(app, stays.id)


def test_the_audit_trail_keeps_its_actions_and_records_the_removal_by_id(
    app, make, clinician_a, admin
):
    gone = client_with_history(make, clinician_a, **GONE)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.client_id == gone.id)
        ).all()
    assert "client.view" in actions

    remove(app, gone.id, admin)

    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert all(e.client_id is None for e in events)
        assert set(actions) <= {e.action for e in events}
        removal = events[-1]
        assert (removal.action, removal.actor_id, removal.target) == (
            "client.remove",
            admin.id,
            f"client:{gone.id}",
        )
        assert removal.detail == {}
    verified = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and verified.output.startswith("ok:"), verified.output


def test_an_address_another_client_shares_keeps_its_opt_out(app, make, clinician_a):
    gone = client_with_history(make, clinician_a, **GONE)
    make.client(clinician_a, phone=GONE["phone"], email="someone.else@example.com")

    remove(app, gone.id)

    with app.app_context():
        kept = db.session.scalars(select(Suppression.address)).all()
        assert kept == [GONE["phone"]]  # the email was theirs alone: gone
        assert db.session.scalar(select(func.count()).select_from(Client)) == 1
