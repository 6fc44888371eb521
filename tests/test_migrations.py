"""The migrations build the schema the models describe, and undo it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text

from mbc import create_app, migrate
from mbc.assessments import services
from mbc.assessments.models import CheckIn
from mbc.audit import services as audit
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.db import Base, make_engine
from mbc.delivery import stages
from mbc.delivery.models import Message
from mbc.demo.seed import seed_demo
from mbc.extensions import db
from tests.conftest import POSTGRES_URL, schema_url


@pytest.fixture
def empty_database(database_url: str, tmp_path) -> str:
    """A database of its own (a fresh file, or a fresh PostgreSQL schema)."""
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS mbc_migrations CASCADE"))
    engine.dispose()
    return schema_url(POSTGRES_URL, "mbc_migrations")


def test_upgrade_check_and_downgrade(empty_database: str) -> None:
    engine = make_engine(empty_database)
    try:
        migrate.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        migrate.check(engine)  # raises when models and migrations disagree
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
    finally:
        engine.dispose()


def test_migration_files_are_date_prefixed() -> None:
    files = sorted(p.name for p in (migrate.MIGRATIONS / "versions").glob("*.py"))
    assert files, "no migrations"
    for name in files:
        date, time_, *_ = name.split("_")
        assert len(date) == 8 and date.isdigit() and len(time_) == 4 and time_.isdigit(), name


def test_the_funnel_stages_migration_fills_in_what_the_app_keeps(empty_database: str) -> None:
    """Check-ins stored before f9stages001 get the stages the running app would have kept:
    the demo's history (answered, unanswered, invitations, reminders, SMS and email), a draft
    started through the survey's own save, and an SMS reported undelivered."""
    engine = make_engine(empty_database)
    migrate.upgrade(engine)
    app = create_app({"ENV": "testing", "DATABASE_URL": empty_database, "SECRET_KEY": "k" * 32})
    columns = ("started_at", "message_sent", "message_delivered", "first_reminder_at")
    try:
        with app.app_context():
            seed_demo(clients=6, weeks=6)
            now = utcnow()
            client = db.session.scalars(select(Client).order_by(Client.id)).first()
            check_in, _ = services.create_check_in(
                client, ["phq9"], opens_at=now, closes_at=now + timedelta(days=1), channel="sms"
            )
            assignment = check_in.assignments[0]
            services.save_answers(check_in, assignment, {}, complete=False, now=now)
            undelivered = db.session.scalars(
                select(Message).where(Message.channel == "sms", Message.status == "delivered")
            ).first()
            assert undelivered is not None and undelivered.check_in_id is not None
            undelivered.status = "undeliverable"
            stages.refresh([undelivered.check_in_id])
            db.session.commit()
            kept = {
                row.id: tuple(row[1:])
                for row in db.session.execute(
                    select(CheckIn.id, *(getattr(CheckIn, c) for c in columns))
                )
            }
        assert any(v[0] for v in kept.values()) and any(v[1] for v in kept.values())
        assert any(v[3] for v in kept.values()) and any(not v[1] for v in kept.values())
        migrate.downgrade(engine, "f8episodes01")
        migrate.upgrade(engine)
        with app.app_context():
            filled = {
                row.id: tuple(row[1:])
                for row in db.session.execute(
                    select(CheckIn.id, *(getattr(CheckIn, c) for c in columns))
                )
            }
        assert filled == kept
    finally:
        app.extensions["mbc.db"].dispose()
        engine.dispose()


def test_the_inbound_migration_links_consent_events_and_allows_the_automatic_answer(
    empty_database: str,
) -> None:
    """g1inbound001: an opt-in recorded without its client (as START was) becomes one event per
    client with that number; an unknown number's event stays; an auto_reply message fits."""
    engine = make_engine(empty_database)
    migrate.upgrade(engine)
    app = create_app({"ENV": "testing", "DATABASE_URL": empty_database, "SECRET_KEY": "k" * 32})
    insert_event = text(
        "INSERT INTO consent_events (client_id, channel, address, event, source, recorded_at)"
        " VALUES (NULL, 'sms', :address, 'opted_in', 'sms_keyword', '2026-11-20 10:00:00')"
    )
    try:
        with app.app_context():
            seed_demo(clients=3, weeks=1)
            clients = list(db.session.scalars(select(Client).order_by(Client.id)))
            clients[0].phone = clients[1].phone = "+14155552671"
            clients[2].phone = "+14155552672"
            db.session.commit()
            ids = [c.id for c in clients]
        migrate.downgrade(engine, "g1revise001")
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM consent_events"))
            conn.execute(insert_event, {"address": "+14155552671"})
            conn.execute(insert_event, {"address": "+14155550000"})
        migrate.upgrade(engine)
        with engine.begin() as conn:
            events = conn.execute(text("SELECT client_id, address FROM consent_events")).all()
            conn.execute(
                text(
                    "INSERT INTO messages (kind, language, dedupe_key, scheduled_at, due_at, "
                    "status, attempts) VALUES ('auto_reply', 'en', 'k', '2026-11-20 10:00:00', "
                    "'2026-11-20 10:00:00', 'pending', 0)"
                )
            )
        assert sorted(events, key=lambda e: e[0] or 0) == [
            (None, "+14155550000"),
            (ids[0], "+14155552671"),
            (ids[1], "+14155552671"),
        ]
        migrate.downgrade(engine, "g1revise001")
    finally:
        app.extensions["mbc.db"].dispose()
        engine.dispose()


def test_the_audit_chain_migration_chains_the_rows_already_there(empty_database: str) -> None:
    """h1auditchain1: rows logged before the chain existed are sealed in id order, so
    `mbc audit verify` passes straight after the upgrade, and new rows follow on."""
    engine = make_engine(empty_database)
    migrate.upgrade(engine, "g1sessions01")
    insert_event = text(
        "INSERT INTO audit_events (occurred_at, actor_label, action, client_id, detail)"
        " VALUES (:at, 'cli:test', 'client.view', NULL, :detail)"
    )
    with engine.begin() as conn:
        for i in range(1205):  # over one batch
            conn.execute(
                insert_event,
                {"at": f"2026-11-20 10:{i % 60:02d}:00.{i:06d}", "detail": f'{{"n": {i}}}'},
            )
    migrate.upgrade(engine)
    app = create_app({"ENV": "testing", "DATABASE_URL": empty_database, "SECRET_KEY": "k" * 32})
    try:
        with app.app_context():
            audit.record("test.after")
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert (result.exit_code, result.output.strip()) == (0, "ok: 1206 rows, from row 1")
    finally:
        app.extensions["mbc.db"].dispose()
        engine.dispose()


def test_the_instrument_unavailable_migration_allows_the_new_alert_kind_and_undoes_it(
    empty_database: str,
) -> None:
    """i23instr0001: the alerts' kind CHECK takes instrument_unavailable; downgrading removes
    those alerts and the kind again."""
    from sqlalchemy.exc import IntegrityError

    engine = make_engine(empty_database)
    migrate.upgrade(engine)
    app = create_app({"ENV": "testing", "DATABASE_URL": empty_database, "SECRET_KEY": "k" * 32})
    insert = text(
        "INSERT INTO alerts (client_id, kind, status, created_at, detail) VALUES "
        "(:client, 'instrument_unavailable', 'open', '2026-12-02 00:00:00', '{}')"
    )
    try:
        with app.app_context():
            seed_demo(clients=1, weeks=1)
            db.session.commit()
            client = db.session.scalar(select(Client.id))
        with engine.begin() as conn:
            conn.execute(insert, {"client": client})
        migrate.downgrade(engine, "g1totp00001")
        with engine.connect() as conn:
            kinds = conn.execute(text("SELECT kind FROM alerts")).scalars().all()
            assert "instrument_unavailable" not in kinds
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert, {"client": client})
        migrate.upgrade(engine)
    finally:
        app.extensions["mbc.db"].dispose()
        engine.dispose()
