"""A practice of a real practice's size for the browser journeys, made once per run.

The demo seed (mbc/demo) with 200 clients and twelve weeks of sessions gives about 2,000
check-ins with their responses, messages and alerts; 600 audit events are added with one Core
insert. It lives in its own SQLite file, so the per-test ``app`` fixture (which empties its
tables after every test) never touches it, and it is never emptied: a journey on it must not
depend on an exact count another journey may change. Building it takes a few seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from mbc import create_app
from mbc.assessments.models import CheckIn
from mbc.audit import chain
from mbc.audit import services as audit
from mbc.audit.models import AuditEvent
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.clock import FrozenClock, utcnow
from mbc.db import Base, make_engine
from mbc.demo.seed import ADMIN, CLINICIAN_PASSWORD, CLINICIANS, seed_demo
from mbc.extensions import db
from tests.conftest import TEST_NOW

CLIENTS, WEEKS, AUDIT_EVENTS = 200, 12, 600


@dataclass(frozen=True)
class Practice:
    """The practice's live server and who can sign in to it."""

    url: str
    app: Flask
    admin_email: str = ADMIN[0]
    admin_password: str = ADMIN[2]
    clinician_email: str = CLINICIANS[0][0]
    clinician_password: str = CLINICIAN_PASSWORD


def _build(app: Flask) -> None:
    with app.app_context():
        seed_demo(clients=CLIENTS, weeks=WEEKS)
        db.session.commit()
        _audit_history()
        db.session.commit()
        counts = [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Client, CheckIn, AuditEvent)
        ]
    assert counts[0] >= 200 and counts[1] >= 2000 and counts[2] >= 500, counts
    with app.app_context():
        assert chain.verify(db.session.connection()).broken_id is None


def _audit_history() -> None:
    """Staff opening clients' pages over the past weeks, as a practice's log would show."""
    staff = db.session.scalars(select(StaffUser).order_by(StaffUser.id)).all()
    clients = db.session.scalars(select(Client.id).order_by(Client.id)).all()
    now = utcnow()
    audit.insert_many(  # one statement, chained like every other row
        [
            {
                "occurred_at": now - timedelta(minutes=37 * i),
                "actor_id": staff[i % len(staff)].id,
                "actor_label": staff[i % len(staff)].email,
                "action": "client.view",
                "client_id": clients[i % len(clients)],
                "ip_address": "127.0.0.1",
                "detail": {},
            }
            for i in range(AUDIT_EVENTS)
        ],
    )


@pytest.fixture(scope="session")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Practice]:
    url = f"sqlite:///{tmp_path_factory.mktemp('practice') / 'practice.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret-key",
            "BASE_URL": "https://mbc.test",
            "CLOCK": FrozenClock(TEST_NOW),
        }
    )
    _build(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Practice(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    app.extensions["mbc.db"].dispose()
