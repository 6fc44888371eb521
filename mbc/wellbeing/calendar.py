"""When a pulse window opens, reminds and closes: pure date arithmetic on the practice's calendar.

[decision, not clinical] A window opens at 09:00 on its day in the practice's time zone (mail
that arrives at the start of a working day), lasts ``window_days`` whole days, and reminds
``reminder_days_before_close`` days before it closes.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OPENING_TIME = time(9, 0)


@dataclass(frozen=True)
class Timing:
    opens_on: date
    opens_at: datetime
    reminder_at: datetime
    closes_at: datetime


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def timing(opens_on: date, zone: str, window_days: int, reminder_days_before_close: int) -> Timing:
    opens_at = datetime.combine(opens_on, OPENING_TIME, ZoneInfo(zone)).astimezone(UTC)
    closes_at = opens_at + timedelta(days=window_days)
    reminder_at = max(opens_at, closes_at - timedelta(days=reminder_days_before_close))
    return Timing(opens_on, opens_at, reminder_at, closes_at)


def due_opening(
    first_opens_on: date,
    every_months: int,
    window_days: int,
    reminder_days_before_close: int,
    zone: str,
    now: datetime,
) -> Timing | None:
    """The window that should be open at ``now``: the latest scheduled opening at or before
    ``now`` whose window has not yet ended. Missed windows are never opened late."""
    today = now.astimezone(ZoneInfo(zone)).date()
    if today < first_opens_on:
        return None
    months = (today.year - first_opens_on.year) * 12 + today.month - first_opens_on.month
    latest = months // every_months
    for k in (latest, latest - 1):  # an earlier window may still run into this month
        if k < 0:
            continue
        opens_on = add_months(first_opens_on, k * every_months)
        found = timing(opens_on, zone, window_days, reminder_days_before_close)
        if found.opens_at <= now < found.closes_at:
            return found
    return None
