"""Caseload intensity: active clients weighted by their latest PHQ-9 band, sessions a week."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mbc.clients.models import Client
from mbc.extensions import db
from mbc.reports.filters import ReportFilters
from mbc.reports.intensity import intensity
from tests.reports.builder import ReportData

NOVEMBER = ReportFilters(
    start=date(2026, 11, 1), end=date(2026, 11, 22), timezone="America/New_York"
)
NOW = datetime(2026, 11, 23, 17, tzinfo=UTC)
# PHQ-9 bands in order: minimal 1, mild 2, moderate 3, moderately severe 4, severe 5.


def test_clients_count_by_their_latest_band(app, make) -> None:
    team = make.team("North")
    ann = make.user(name="Ann", team=team)
    make.user(name="Idle", team=team)
    data = ReportData(app)
    severe = make.client(ann)
    data.scores(
        severe,
        "phq9",
        [(datetime(2026, 10, 1, tzinfo=UTC), 3), (datetime(2026, 11, 2, tzinfo=UTC), 22)],
    )
    improved = make.client(ann)
    data.scores(
        improved,
        "phq9",
        [(datetime(2026, 10, 1, tzinfo=UTC), 22), (datetime(2026, 11, 2, tzinfo=UTC), 7)],
    )
    make.client(ann)  # no score yet: counts 1
    # The band as the period ended: a later score does not count, nor does an unscorable one.
    later = make.client(ann)
    data.scores(
        later,
        "phq9",
        [(datetime(2026, 11, 2, tzinfo=UTC), 3), (datetime(2026, 11, 23, 6, tzinfo=UTC), 27)],
    )
    data.invalid_score(later, "phq9", datetime(2026, 11, 20, tzinfo=UTC))
    gone = make.client(ann)
    data.scores(gone, "phq9", [(datetime(2026, 11, 2, tzinfo=UTC), 27)])
    with app.app_context():
        db.session.get(Client, gone.id).status = "discharged"
        db.session.commit()
    for day in (3, 10, 17):
        data.appointment(severe, datetime(2026, 11, day, 15, tzinfo=UTC))
    with app.app_context():
        clinicians, teams = intensity(NOVEMBER, NOW)
    rows = {r["group"]: r for r in clinicians.rows}
    assert rows["Ann"]["active"] == 4 and rows["Ann"]["scored"] == 3
    assert rows["Ann"]["weighted"] == 5 + 2 + 1 + 1
    assert rows["Ann"]["per_week"] == pytest.approx(3 / (22 / 7))
    assert rows["Idle"] == {"group": "Idle", "active": 0, "scored": 0, "weighted": 0, "per_week": 0}
    north = {r["group"]: r for r in teams.rows}["North"]
    assert (north["clinicians"], north["active"], north["weighted"]) == (2, 4, 9)
