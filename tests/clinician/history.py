"""Clients with a session tomorrow and weeks of completed check-ins, made the demo's way."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, Client
from mbc.clock import utcnow
from mbc.demo.history import seed_history
from mbc.extensions import db
from tests.factories import Factory


def clients_with_history(
    app: Flask, make: Factory, clinician: StaffUser, n: int, weeks: int = 6
) -> list[int]:
    """``n`` clients, each with ``weeks`` attended weekly sessions (one completed PHQ-9 and GAD-7
    before each) and a session tomorrow; returns their ids."""
    ids = []
    for index in range(n):
        client = make.client(clinician, last_name=f"History{index:03d}")
        with app.app_context():
            now = utcnow()
            stored = db.session.get(Client, client.id)
            past = [
                Appointment(
                    appointment_ref=f"H-{client.id}-{week}",
                    client_id=client.id,
                    clinician_id=clinician.id,
                    starts_at=now - timedelta(weeks=weeks - week),
                    status="completed",
                )
                for week in range(weeks)
            ]
            upcoming = Appointment(
                appointment_ref=f"H-{client.id}-next",
                client_id=client.id,
                clinician_id=clinician.id,
                starts_at=now + timedelta(hours=22),
                status="scheduled",
            )
            db.session.add_all([*past, upcoming])
            db.session.flush()
            seed_history(stored, index, past, now, unanswered=0.0, satisfaction=False)
            db.session.commit()
        ids.append(client.id)
    return ids
