"""A practice with a pulse schedule opening today (Monday 23 Nov 2026, 09:00 in New York)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from mbc.extensions import db
from mbc.wellbeing import schedule
from tests.delivery.helpers import sent, tick
from tests.factories import Factory

OPENS_AT = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
REMINDER_AT = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
CLOSES_AT = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)


def set_schedule(app: Flask, admin, **values) -> None:
    with app.app_context():
        fields = {
            "is_active": True,
            "first_opens_on": date(2026, 11, 23),
            **schedule.DEFAULTS,
            **values,
        }
        schedule.save(schedule.ScheduleValues(**fields), db.session.merge(admin))
        db.session.commit()


@pytest.fixture
def scheduled(app: Flask, admin) -> None:
    set_schedule(app, admin)


def pulse_links(app: Flask) -> dict[str, str]:
    """Each recipient's latest pulse link path (``/w/<token>``)."""
    links = {}
    for entry in sent(app):
        if "/w/" in entry.body:
            start = entry.body.index("https://mbc.test/w/") + len("https://mbc.test")
            links[entry.recipient] = entry.body[start:].split()[0]
    return links


def open_window(app: Flask) -> dict[str, str]:
    tick(app)
    return pulse_links(app)


@pytest.fixture
def staff(make: Factory) -> dict[str, object]:
    """Two teams of six and one of three clinicians, plus an inactive account."""
    big_a, big_b, small = make.team("North"), make.team("South"), make.team("Tiny")
    people = {}
    for team, n in ((big_a, 6), (big_b, 6), (small, 3)):
        for k in range(n):
            email = f"{team.name.lower()}{k}@example.org"
            people[email] = make.user(email=email, name=f"{team.name} {k}", team=team)
    make.user(email="gone@example.org", active=False)
    return {"people": people, "teams": (big_a, big_b, small)}
