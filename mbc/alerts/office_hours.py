"""The practice's office hours: when a critical alert escalates, and what "next working day" is.

Pure: a zone, opening and closing hours and working weekdays in; UTC datetimes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class OfficeHours:
    timezone: str
    start: int  # hour the office opens, 0-23
    end: int  # hour it closes, 1-24, after ``start``
    working_days: frozenset[int]  # weekday numbers, 0 = Monday

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 24:
            raise ValueError("office hours must open before they close, within the day")
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("at least one working day, numbered 0 (Monday) to 6")

    @classmethod
    def of(cls, practice: object) -> OfficeHours:
        """From the practice's settings row (``working_days`` is stored as "0,1,2,3,4")."""
        days = str(getattr(practice, "working_days", "") or "")
        return cls(
            timezone=practice.timezone,  # type: ignore[attr-defined]
            start=practice.office_hours_start,  # type: ignore[attr-defined]
            end=practice.office_hours_end,  # type: ignore[attr-defined]
            working_days=frozenset(int(d) for d in days.split(",") if d.strip()),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return local.weekday() in self.working_days and self.start <= local.hour < self.end

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        following = day + timedelta(days=1)
        while following.weekday() not in self.working_days:
            following += timedelta(days=1)
        return following

    def next_opening(self, moment: datetime) -> datetime:
        """When the office next opens after ``moment`` (UTC); ``moment`` itself when open."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(self.zone)
        day = local.date()
        if not (day.weekday() in self.working_days and local.hour < self.start):
            day = self.next_working_day(day)
        return _at(day, self.start, self.zone)

    def escalation_due(self, raised_at: datetime, minutes: int) -> datetime:
        """Raised in office hours: ``minutes`` later. Raised outside them: when the office next
        opens, the start of the next working day [decision: the practice's settings]."""
        if self.is_open(raised_at):
            return raised_at + timedelta(minutes=minutes)
        return self.next_opening(raised_at)


def _at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """``hour`` o'clock on ``day`` in ``zone`` as UTC (a clock hour skipped by DST moves on)."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
