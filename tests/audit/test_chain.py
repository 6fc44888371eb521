"""The audit log is a hash chain: `mbc audit verify` names the first row that was edited, or the
row after one that was deleted; redaction and the retention purge keep the chain whole."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from mbc.audit import chain, services
from mbc.audit.models import AuditEvent
from mbc.demo.seed import seed_demo
from mbc.extensions import db
from tests.conftest import TEST_NOW


def verify(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output.strip()


def add_events(app, n: int, **values) -> list[int]:
    with app.app_context():
        events = [services.record(f"test.{i}", **values) for i in range(n)]
        db.session.commit()
        return [e.id for e in events]


def test_every_recorded_row_is_chained_to_the_one_before(app, make, as_admin) -> None:
    client = make.client(make.user(role="clinician"))
    as_admin.get(f"/clients/{client.id}")
    as_admin.get("/admin/audit")
    add_events(app, 3, client_id=client.id, detail={"b": 1, "a": [2, 3]})
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert len(rows) >= 5
        assert rows[0].prev_hash == chain.GENESIS
        for before, row in itertools.pairwise(rows):
            assert row.prev_hash == before.hash and len(row.hash) == 64
    assert verify(app) == (0, f"ok: {len(rows)} rows, from row {rows[0].id}")


def test_several_writers_at_once_keep_one_chain(app) -> None:
    def write() -> None:
        for _ in range(10):
            add_events(app, 2)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verify(app) == (0, "ok: 80 rows, from row 1")


def test_an_edited_row_is_named(app) -> None:
    ids = add_events(app, 5, detail={"fields": ["name"]})
    with app.app_context():
        db.session.execute(
            text("UPDATE audit_events SET detail = :d WHERE id = :id"),
            {"d": '{"fields": ["phone"]}', "id": ids[2]},
        )
        db.session.commit()
    code, output = verify(app)
    assert code == 1 and f"row {ids[2]}" in output


def test_a_deleted_row_is_noticed_at_the_next_one(app) -> None:
    ids = add_events(app, 5)
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[2]})
        db.session.commit()
    code, output = verify(app)
    assert code == 1 and f"row {ids[3]}" in output


def test_bulk_inserts_are_chained(app) -> None:
    add_events(app, 2)
    with app.app_context():
        services.insert_many(
            [
                {"occurred_at": TEST_NOW, "actor_label": "cli:test", "action": "x.y", "detail": {}}
                for _ in range(2500)  # more than one batch
            ]
        )
        db.session.commit()
    add_events(app, 1)
    assert verify(app) == (0, "ok: 2503 rows, from row 1")


def test_redacting_a_client_keeps_the_chain(app, make, as_admin) -> None:
    clinician = make.user(role="clinician")
    gone, kept = make.client(clinician), make.client(clinician)
    as_admin.get(f"/clients/{gone.id}")
    as_admin.get("/admin/clients?status=all")
    as_admin.get(f"/clients/{kept.id}")
    with app.app_context():
        services.record("client.access_denied", client_id=gone.id, target=f"client:{gone.id}")
        db.session.commit()
        assert services.redact_client(gone.id) == 3  # and the client's own audit rows
        db.session.commit()
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert not [r for r in rows if r.client_id == gone.id or r.target == f"client:{gone.id}"]
        [listed] = [r for r in rows if r.action == "client.list"]
        assert listed.detail["client_ids"] == [kept.id]
        assert [r.client_id for r in rows if r.action == "client.view"] == [None, kept.id]
        assert rows[-1].action == "audit.redact" and rows[-1].detail == {"rows": 3}
    assert verify(app)[0] == 0


def test_redaction_refuses_to_hide_tampering(app) -> None:
    ids = add_events(app, 4, client_id=None)
    with app.app_context():
        db.session.execute(
            text("UPDATE audit_events SET actor_label = 'someone' WHERE id = :id"), {"id": ids[3]}
        )
        db.session.execute(
            text("UPDATE audit_events SET target = 'client:77' WHERE id = :id"), {"id": ids[1]}
        )
        db.session.commit()
        with pytest.raises(chain.ChainBroken) as broken:
            services.redact_client(77)
        assert broken.value.row_id == ids[1]  # the edited row that names the client
        db.session.rollback()


def test_purge_deletes_what_is_older_than_the_retention(app) -> None:
    with app.app_context():
        for days in (7 * 365, 6 * 366, 6 * 365 - 1, 10, 0):
            event = services.record("test.old")
            event.occurred_at = TEST_NOW - timedelta(days=days)
        db.session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["audit", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("would delete 2 rows older than 2020-11-23T17:00:00")
    result = runner.invoke(args=["audit", "purge"])
    assert result.output.startswith("deleted 2 rows older than 2020-11-23"), result.output
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [r.action for r in rows] == ["test.old"] * 3 + ["audit.purge"]
        assert rows[-1].detail == {"count": 2, "before": "2020-11-23T17:00:00+00:00"}
        assert rows[0].prev_hash != chain.GENESIS  # its link to the purged row is kept
    assert verify(app) == (0, f"ok: 4 rows, from row {rows[0].id}")
    again = runner.invoke(args=["audit", "purge"])
    assert again.output.startswith("deleted 0 rows")


def test_the_purge_follows_the_practice_setting(app) -> None:
    with app.app_context():
        from mbc.practice.services import get_practice

        get_practice().audit_retention_years = 8
        event = services.record("test.old")
        event.occurred_at = TEST_NOW - timedelta(days=7 * 366)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "purge", "--dry-run"])
    assert "would delete 0 rows older than 2018-11-23" in result.output


def test_the_demo_practice_is_chained(app) -> None:
    with app.app_context():
        seed_demo(clients=4, weeks=2)
        db.session.commit()
    code, output = verify(app)
    assert code == 0 and output.startswith("ok: "), output


def test_a_redaction_after_a_purge_keeps_the_oldest_rows_link(app, make) -> None:
    client = make.client(make.user(role="clinician"))
    with app.app_context():
        old = services.record("test.old")
        old.occurred_at = TEST_NOW - timedelta(days=7 * 365)
        services.record("client.view", client_id=client.id)
        services.record("test.new")
        db.session.commit()
    app.test_cli_runner().invoke(args=["audit", "purge"])
    with app.app_context():
        first = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).first()
        assert first.action == "client.view"
        link = first.prev_hash
        assert services.redact_client(client.id) == 1
        db.session.commit()
        db.session.refresh(first)
        assert (first.client_id, first.prev_hash) == (None, link)
    assert verify(app)[0] == 0
