"""Practice metrics from appointments: rates, late cancellations at the boundary, sessions per
client, utilisation against planned capacity, and retention."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.reports.filters import ReportFilters
from mbc.reports.practice_metrics import metrics
from tests.reports.builder import ReportData

NOVEMBER = ReportFilters(
    start=date(2026, 11, 1), end=date(2026, 11, 22), timezone="America/New_York"
)
NOW = datetime(2026, 11, 23, 17, tzinfo=UTC)


def at(day: int, hour: int = 14, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def tables(app, make):
    ann, bob = make.user(name="Ann"), make.user(name="Bob")
    with app.app_context():
        db.session.get(StaffUser, ann.id).weekly_capacity = 10
        db.session.commit()
    data = ReportData(app)
    p1, p2, p3, p4 = (make.client(ann) for _ in range(4))
    for day in (2, 9, 16):
        data.appointment(p1, at(day))
    data.appointment(p2, at(3))
    data.appointment(p2, at(10), "no_show")
    data.appointment(p2, at(17), "cancelled", changed_at=at(16, 15))  # 23 hours ahead: late
    data.appointment(p3, at(4))
    data.appointment(p3, at(11), "cancelled", changed_at=at(10, 13))  # 25 hours ahead
    data.appointment(p3, at(18), "scheduled")  # never recorded
    data.appointment(p3, at(25), "scheduled")  # booked: p3 has not stopped
    data.appointment(p4, at(20, month=10))  # first held before the period
    data.appointment(p4, at(5))
    data.appointment(p4, at(19), "cancelled", changed_at=at(18))  # exactly 24 hours: not late
    q1 = make.client(bob)
    data.appointment(q1, at(6))
    data.appointment(q1, at(27), "scheduled")
    with app.app_context():
        sessions, retention = metrics(NOVEMBER, NOW, late_hours=24, line=75)
    return {r["group"]: r for r in sessions.rows}, {r["group"]: r for r in retention.rows}


def test_rates_are_over_recorded_sessions(tables) -> None:
    sessions, _ = tables
    ann = sessions["Ann"]
    assert ann["held"] == 6 and ann["unrecorded"] == 1
    assert ann["no_show_rate"] == pytest.approx(10.0)  # 1 of 6 held + 1 no-show + 3 cancelled
    assert ann["late_cancel_rate"] == pytest.approx(10.0)  # only the 23-hour cancellation
    weeks = 22 / 7
    assert ann["per_client_month"] == pytest.approx(6 / 4 / (weeks * 7 / 30.4375))


def test_utilisation_against_capacity_is_flagged_below_the_line(tables) -> None:
    sessions, _ = tables
    assert sessions["Ann"]["utilisation"] == pytest.approx(100 * 6 / (10 * 22 / 7))
    assert sessions["Ann"]["below_line"] is True
    assert sessions["Bob"]["utilisation"] is None and sessions["Bob"]["below_line"] is False
    # The practice row counts only clinicians with a planned capacity on both sides.
    assert sessions["All"]["held"] == 7
    assert sessions["All"]["utilisation"] == pytest.approx(sessions["Ann"]["utilisation"])


def test_retention_counts_clients_who_stopped_before_a_third_session(tables) -> None:
    _, retention = tables
    assert (retention["Ann"]["cohort"], retention["Ann"]["stopped"]) == (3, 1)
    assert (retention["Bob"]["cohort"], retention["Bob"]["stopped"]) == (1, 0)
    assert retention["All"]["stopped_share"] == pytest.approx(25.0)


def test_capacity_met_is_not_flagged(app, make) -> None:
    busy = make.user(name="Busy")
    with app.app_context():
        db.session.get(StaffUser, busy.id).weekly_capacity = 1
        db.session.commit()
    data = ReportData(app)
    client = make.client(busy)
    data.appointment(client, at(26, month=10))  # seeing clients before the period
    for day in (2, 9, 16):  # 3 sessions in 22/7 weeks at 1 a week: 95.5 %
        data.appointment(client, at(day))
    with app.app_context():
        sessions = {r["group"]: r for r in metrics(NOVEMBER, NOW, 24, 75)[0].rows}
    assert sessions["Busy"]["utilisation"] == pytest.approx(100 * 3 / (22 / 7))
    assert sessions["Busy"]["below_line"] is False


def test_a_clinician_who_started_part_way_has_capacity_from_their_first_appointment(
    app, make
) -> None:
    """Issue 19: utilisation divided by the whole period for a clinician who joined in it."""
    old, new = make.user(name="Old"), make.user(name="New")
    with app.app_context():
        for user in (old, new):
            db.session.get(StaffUser, user.id).weekly_capacity = 5
        db.session.commit()
    data = ReportData(app)
    regular, newcomer = make.client(old), make.client(new)
    data.appointment(regular, at(26, month=10))
    for day in (2, 9, 16):
        data.appointment(regular, at(day))
    # New's first appointment is on Sunday 15 November, New York: one week of the period left.
    for day in (15, 16, 18):
        data.appointment(newcomer, at(day))
    with app.app_context():
        sessions = {r["group"]: r for r in metrics(NOVEMBER, NOW, 24, 75)[0].rows}
    assert sessions["New"]["utilisation"] == pytest.approx(100 * 3 / (5 * 8 / 7))
    assert sessions["Old"]["utilisation"] == pytest.approx(100 * 3 / (5 * 22 / 7))
    assert sessions["All"]["utilisation"] == pytest.approx(100 * 6 / (5 * 8 / 7 + 5 * 22 / 7))
