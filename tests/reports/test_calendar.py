"""Report weeks and months are the practice's: a Sunday-night check-in in New York belongs to
that week even when it is already Monday in UTC, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import String, literal, select

from mbc.db import UTCDateTime
from mbc.extensions import db
from mbc.reports.sql import month_start, week_start

NEW_YORK = "America/New_York"


def _bucket(app, function, at: datetime, zone: str) -> str:
    """The function's date for ``at``, as 'YYYY-MM-DD'."""
    with app.app_context():
        value = literal(at, UTCDateTime())
        found = db.session.scalar(select(function(value, literal(zone, String()))))
        assert isinstance(found, date)  # a date on both databases, not text
        return found.isoformat()


@pytest.mark.parametrize(
    ("at", "week"),
    [
        (datetime(2026, 11, 23, 4, 59, tzinfo=UTC), "2026-11-16"),  # Sun 23:59 EST
        (datetime(2026, 11, 23, 5, 0, tzinfo=UTC), "2026-11-23"),  # Mon 00:00 EST
        (datetime(2026, 11, 2, 4, 30, tzinfo=UTC), "2026-10-26"),  # Sun 23:30, the day DST ended
        (datetime(2026, 3, 9, 3, 30, tzinfo=UTC), "2026-03-02"),  # Sun 23:30, the day DST began
        (datetime(2026, 3, 9, 4, 0, tzinfo=UTC), "2026-03-09"),  # Mon 00:00 EDT
    ],
)
def test_weeks_start_on_the_practice_monday(app, at: datetime, week: str) -> None:
    assert _bucket(app, week_start, at, NEW_YORK) == week


@pytest.mark.parametrize(
    ("at", "zone", "month"),
    [
        (datetime(2026, 12, 1, 4, 59, tzinfo=UTC), NEW_YORK, "2026-11-01"),
        (datetime(2026, 12, 1, 5, 0, tzinfo=UTC), NEW_YORK, "2026-12-01"),
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Europe/Madrid", "2026-12-01"),
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "UTC", "2026-11-01"),
    ],
)
def test_months_start_on_the_practice_first(app, at: datetime, zone: str, month: str) -> None:
    assert _bucket(app, month_start, at, zone) == month
