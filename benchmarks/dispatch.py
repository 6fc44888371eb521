"""10,000 due invitations planned and handed to a fake Twilio API (goal: all within 30 s).

    .venv/bin/python -m benchmarks.dispatch [--messages 10000]
    MBC_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m benchmarks.dispatch

Loads N clients, each with consent to SMS and a session tomorrow, under a practice plan of PHQ-9
and GAD-7 before every session; then times one scheduler pass (plan the check-ins, enqueue the
invitations and reminders, send the invitations through the official twilio client to a local
fake of Twilio's API) and prints messages/s and SQL statements per message.
"""

from __future__ import annotations

import argparse
import multiprocessing
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, insert, text

from benchmarks.common import bench_app, bench_database_url
from mbc import models  # noqa: F401 - every table on the metadata
from mbc.assessments.models import CheckIn
from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, Client
from mbc.clock import FrozenClock
from mbc.db import Base
from mbc.delivery.models import ContactConsent, Message, PlanRule
from mbc.delivery.scheduler import run_pass
from mbc.extensions import db
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilioServer

# The fake runs in a process of its own, so its CPU time does not compete with mbc's.


def _serve(port_out: Any, received: Any, stop: Any) -> None:
    with FakeTwilioServer() as fake:

        def count(_message: dict) -> None:
            with received.get_lock():
                received.value += 1

        fake.on_message = count
        port_out.put(fake.base_url)
        stop.wait()


NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 12:00 in New York: outside quiet hours
GOAL_SECONDS = 30.0


def load(app, n: int) -> None:
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        clinician = StaffUser(email="c@bench.test", name="C", role="clinician", password_hash="x")
        db.session.add(clinician)
        db.session.add(
            PlanRule(scope="practice", rule="every_session", instruments=["phq9", "gad7"])
        )
        db.session.flush()
        db.session.execute(
            insert(Client),
            [
                {
                    "id": i,
                    "client_ref": f"B-{i}",
                    "first_name": "B",
                    "last_name": str(i),
                    "phone": f"+1415{i:07d}",
                    "email": None,
                    "preferred_channel": "sms",
                    "language": "en",
                    "timezone": "America/New_York",
                    "status": "active",
                    "primary_clinician_id": clinician.id,
                }
                for i in range(1, n + 1)
            ],
        )
        db.session.execute(
            insert(ContactConsent),
            [
                {
                    "client_id": i,
                    "channel": "sms",
                    "granted": True,
                    "source": "import",
                    "recorded_at": NOW,
                }
                for i in range(1, n + 1)
            ],
        )
        starts = NOW + timedelta(hours=20)
        db.session.execute(
            insert(Appointment),
            [
                {
                    "appointment_ref": f"BA-{i}",
                    "client_id": i,
                    "clinician_id": clinician.id,
                    "starts_at": starts + timedelta(seconds=i),
                    "status": "scheduled",
                }
                for i in range(1, n + 1)
            ],
        )
        _history(n)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()


def _history(n: int) -> None:
    """Last week's check-ins and messages, as in a practice already in use: the tables are not
    empty when their statistics are taken, so the database plans as it would in production."""
    week_ago = NOW - timedelta(days=7)
    db.session.execute(
        insert(CheckIn),
        [
            {
                "id": i,
                "client_id": i,
                "token_hash": secrets.token_hex(32),
                "status": "closed",
                "language": "en",
                "channel": "sms",
                "opens_at": week_ago,
                "closes_at": week_ago + timedelta(days=1),
            }
            for i in range(1, n + 1)
        ],
    )
    db.session.execute(
        insert(Message),
        [
            {
                "kind": "invitation",
                "channel": "sms",
                "recipient": f"+1415{i:07d}",
                "language": "en",
                "client_id": i,
                "check_in_id": i,
                "dedupe_key": f"history:{i}",
                "scheduled_at": week_ago,
                "due_at": week_ago,
                "status": "sent",
                "attempts": 1,
                "sent_at": week_ago,
            }
            for i in range(1, n + 1)
        ],
    )
    if db.engine.dialect.name == "postgresql":  # ids were given: move the sequence on
        db.session.execute(text("SELECT setval('check_ins_id_seq', :n)"), {"n": n})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    url = bench_database_url()
    ports: Any = multiprocessing.Queue()
    received: Any = multiprocessing.Value("i", 0)
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=_serve, args=(ports, received, stop), daemon=True)
    server.start()
    base_url = ports.get(timeout=10)
    try:
        app = bench_app(url)
        app.config.update(
            CLOCK=FrozenClock(NOW),
            SMS_BACKEND="twilio",
            TWILIO_ACCOUNT_SID=ACCOUNT_SID,
            TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_FROM="+15005550006",
            TWILIO_API_BASE=base_url,
            LOG_LEVEL="WARNING",
        )
        started = time.perf_counter()
        load(app, args.messages)
        print(
            f"database: {app.extensions['mbc.db'].dialect.name}; "
            f"loaded {args.messages} clients with a session tomorrow in "
            f"{time.perf_counter() - started:.1f} s"
        )
        statements = calls = 0

        def count(_conn, _cursor, _sql, parameters, _context, executemany: bool) -> None:
            # An executemany runs its statement once per row (pipelined on PostgreSQL).
            nonlocal statements, calls
            calls += 1
            statements += len(parameters) if executemany else 1

        engine = app.extensions["mbc.db"]
        event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        report = run_pass(app)
        elapsed = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            queued = db.session.query(Message).count() - args.messages  # less the history
        sent = report.sending.sent
        print(
            f"planned {report.planning.planned} check-ins, queued {queued} messages "
            f"(invitations and reminders), sent {sent} invitations; Twilio fake received "
            f"{received.value}"
        )
        print(
            f"one pass: {elapsed:.1f} s, {sent / elapsed:.0f} messages/s, "
            f"{statements} SQL statements in {calls} driver calls = "
            f"{statements / max(sent, 1):.1f} statements and "
            f"{calls / max(sent, 1):.2f} calls per message sent"
        )
        print("seconds per step: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
        verdict = "meets" if elapsed <= GOAL_SECONDS and sent == args.messages else "MISSES"
        print(f"goal: all {args.messages} within {GOAL_SECONDS:.0f} s: {verdict}")
        engine.dispose()
    finally:
        stop.set()
        server.join(10)


if __name__ == "__main__":
    main()
