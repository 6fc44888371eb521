"""Open alerts made directly, as the response services would leave them (test data only)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from mbc.assessments.models import Alert
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.extensions import db


def add_alert(
    app: Flask, client: Client, kind: str, code: str | None = "phq9", minutes_ago: int = 30
) -> int:
    detail = {}
    if kind == "critical_item":
        detail = {"item": "phq9_9", "answer": 2, "version": "1"}
    with app.app_context():
        alert = Alert(
            client_id=client.id,
            kind=kind,
            status="open",
            created_at=utcnow() - timedelta(minutes=minutes_ago),
            instrument_code=code,
            detail=detail,
        )
        db.session.add(alert)
        db.session.commit()
        return alert.id
