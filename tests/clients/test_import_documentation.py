"""The import's ``documentation_completed_at`` column: read like ``starts_at``, checked, and a
blank never erases what mbc has."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select

from mbc.clients.models import Appointment
from mbc.extensions import db
from tests.clients.test_importer import run_import

HEADER = (
    "client_ref,first_name,last_name,clinician_email,appointment_ref,starts_at,status,"
    "documentation_completed_at\n"
)


def csv(documented: str, start: str = "2026-11-20T15:00:00-05:00") -> bytes:
    line = f"C-1,Pat,Lee,a@example.org,A-1,{start},completed,{documented}\n"
    return (HEADER + line).encode()


def documented_at(app: Flask) -> datetime | None:
    with app.app_context():
        return db.session.scalar(select(Appointment.documentation_completed_at))


def test_the_time_is_imported_and_a_blank_keeps_it(app: Flask, clinician_a) -> None:
    _, summary = run_import(app, csv("2026-11-21T09:30:00-05:00"))
    assert summary.appointments_created == 1
    assert documented_at(app) == datetime(2026, 11, 21, 14, 30, tzinfo=UTC)
    _, summary = run_import(app, csv(""))
    assert summary.appointments_unchanged == 1
    assert documented_at(app) == datetime(2026, 11, 21, 14, 30, tzinfo=UTC)
    _, summary = run_import(app, csv("2026-11-20 18:00"))  # practice time, like starts_at
    assert summary.appointment_changes == {"A-1": ["documentation_completed_at"]}
    assert documented_at(app) == datetime(2026, 11, 20, 23, 0, tzinfo=UTC)


def test_a_bad_or_impossible_time_is_a_row_error(app: Flask, clinician_a) -> None:
    checked, _ = run_import(app, csv("yesterday"))
    assert [str(p).split(":")[0] for p in checked.errors] == ["line 2, documentation_completed_at"]
    checked, _ = run_import(app, csv("2026-11-19T09:00:00-05:00"))
    assert [str(p) for p in checked.errors] == [
        "line 2, documentation_completed_at: is before the session starts"
    ]
    assert documented_at(app) is None
