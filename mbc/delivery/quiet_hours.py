"""Quiet hours: no SMS or email between, say, 21:00 and 08:00 on the client's own clock.

Pure: wall-clock hours are applied in the client's IANA time zone, so a daylight-saving change
moves the window with the clock, as a person experiences it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def in_quiet_hours(at: datetime, tz: str, start_hour: int, end_hour: int) -> bool:
    """True when ``at`` falls inside [start, end) local time (the window may cross midnight)."""
    if start_hour == end_hour:
        return False
    hour = at.astimezone(ZoneInfo(tz)).hour
    if start_hour > end_hour:
        return hour >= start_hour or hour < end_hour
    return start_hour <= hour < end_hour


def next_allowed(at: datetime, tz: str, start_hour: int, end_hour: int) -> datetime:
    """``at`` itself when outside quiet hours, else the moment they end (in UTC)."""
    if not in_quiet_hours(at, tz, start_hour, end_hour):
        return at
    zone = ZoneInfo(tz)
    local = at.astimezone(zone)
    day = local.date() if local.hour < end_hour else local.date() + timedelta(days=1)
    opening = datetime.combine(day, time(end_hour), tzinfo=zone)
    # A nonexistent local time (clocks jumped forward over it) resolves forward via fold rules;
    # normalising through UTC gives the real instant.
    return opening.astimezone(UTC)
