"""Documentation completion time: the median hours from a session's end to its note, and the
share within the practice's target; sessions still inside the target are not late."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from mbc.clients.models import Appointment
from mbc.extensions import db
from mbc.reports.documentation import SESSION_MINUTES, documentation
from mbc.reports.filters import ReportFilters
from tests.conftest import TEST_NOW
from tests.factories import Factory

NOVEMBER = ReportFilters(start=date(2026, 11, 1), end=date(2026, 11, 23), timezone="UTC")
SESSION = timedelta(minutes=SESSION_MINUTES)


def _session(app: Flask, client, start: datetime, hours_after_end: float | None) -> None:
    with app.app_context():
        done = (
            None if hours_after_end is None else start + SESSION + timedelta(hours=hours_after_end)
        )
        db.session.add(
            Appointment(
                appointment_ref=f"R-{start.isoformat()}-{client.id}",
                client_id=client.id,
                clinician_id=client.primary_clinician_id,
                starts_at=start,
                status="completed",
                documentation_completed_at=done,
            )
        )
        db.session.commit()


@pytest.fixture
def table(app: Flask, make: Factory):
    ann, bob = make.user(name="Ann"), make.user(name="Bob")
    a, b = make.client(ann), make.client(bob)
    day = datetime(2026, 11, 2, 15, tzinfo=UTC)
    for i, hours in enumerate([1, 10, 30, -0.5, None]):  # -0.5: before the end, counts 0
        _session(app, a, day + timedelta(days=i), hours)
    _session(app, a, TEST_NOW - timedelta(hours=2), None)  # inside its target: not late yet
    for i, hours in enumerate([2, 4]):
        _session(app, b, day + timedelta(days=i), hours)
    # Outside the period or not held: not counted.
    _session(app, b, datetime(2026, 10, 1, 15, tzinfo=UTC), 100)
    with app.app_context():
        return documentation(NOVEMBER, TEST_NOW, 24)


def test_median_and_share_within_the_target(table) -> None:
    rows = {r["group"]: r for r in table.rows}
    assert rows["Ann"] == {
        "group": "Ann",
        "held": 6,
        "documented": 4,
        "undocumented": 2,
        "median_hours": pytest.approx(5.5),  # 0, 1, 10, 30: the mean of the middle two
        "on_time_share": pytest.approx(60.0),  # 3 of the 5 decided (4 documented, 1 overdue)
    }
    assert rows["Bob"]["median_hours"] == pytest.approx(3.0)
    assert rows["Bob"]["on_time_share"] == pytest.approx(100.0)
    assert rows["All"]["held"] == 8 and rows["All"]["documented"] == 6
    assert rows["All"]["median_hours"] == pytest.approx(3.0)  # 0, 1, 2, 4, 10, 30
    assert rows["All"]["on_time_share"] == pytest.approx(100 * 5 / 7)


def test_an_odd_count_takes_the_middle_one(app: Flask, make: Factory) -> None:
    cy = make.client(make.user(name="Cy"))
    for i, hours in enumerate([3, 50, 7]):
        _session(app, cy, datetime(2026, 11, 3 + i, 15, tzinfo=UTC), hours)
    with app.app_context():
        [row] = documentation(NOVEMBER, TEST_NOW, 48).rows
    assert row["median_hours"] == pytest.approx(7.0) and row["on_time_share"] == pytest.approx(
        200 / 3
    )


def test_the_practice_metrics_page_shows_it_with_the_target(as_admin, app, table) -> None:
    page = as_admin.get("/admin/reports/practice?start=2026-11-01&end=2026-11-23").get_data(
        as_text=True
    )
    assert "Documentation completion" in page and "The target is 24 hours" in page
