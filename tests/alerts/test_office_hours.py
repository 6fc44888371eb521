"""When an unacknowledged critical alert escalates, at the edges of office hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mbc.alerts.office_hours import OfficeHours

NY = ZoneInfo("America/New_York")
HOURS = OfficeHours("America/New_York", 8, 18, frozenset({0, 1, 2, 3, 4}))


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)


def test_raised_in_office_hours_it_escalates_after_the_set_minutes() -> None:
    raised = ny(2026, 11, 24, 10, 15)  # a Tuesday
    assert HOURS.escalation_due(raised, 60) == raised + timedelta(minutes=60)


@pytest.mark.parametrize(
    ("raised", "due"),
    [
        (ny(2026, 11, 24, 7, 59), ny(2026, 11, 24, 8, 0)),  # before opening: opening that day
        (ny(2026, 11, 24, 18, 0), ny(2026, 11, 25, 8, 0)),  # at closing: next working day
        (ny(2026, 11, 27, 20, 0), ny(2026, 11, 30, 8, 0)),  # Friday night: Monday morning
        (ny(2026, 11, 28, 12, 0), ny(2026, 11, 30, 8, 0)),  # Saturday noon: Monday morning
    ],
)
def test_raised_outside_office_hours_it_escalates_when_the_office_opens(raised, due) -> None:
    assert HOURS.escalation_due(raised, 60) == due


def test_the_opening_minute_is_in_office_hours_and_the_closing_minute_is_not() -> None:
    assert HOURS.is_open(ny(2026, 11, 24, 8, 0))
    assert HOURS.is_open(ny(2026, 11, 24, 17, 59))
    assert not HOURS.is_open(ny(2026, 11, 24, 18, 0))


def test_opening_follows_daylight_saving_time() -> None:
    # 2027-03-14 is the spring change in New York; Monday 15 opens at 08:00 EDT = 12:00 UTC
    assert HOURS.next_opening(ny(2027, 3, 13, 9, 0)) == datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
    assert HOURS.next_opening(ny(2026, 11, 27, 19, 0)) == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)


def test_next_working_day_skips_days_off() -> None:
    assert HOURS.next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)
    assert HOURS.next_working_day(date(2026, 11, 24)) == date(2026, 11, 25)
    six_days = OfficeHours("America/New_York", 9, 17, frozenset(range(6)))
    assert six_days.next_working_day(date(2026, 11, 27)) == date(2026, 11, 28)


def test_nonsense_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        OfficeHours("America/New_York", 18, 8, frozenset({0}))
    with pytest.raises(ValueError):
        OfficeHours("America/New_York", 8, 18, frozenset())
