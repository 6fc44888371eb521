"""The filters every report page takes: period, team, clinician, instrument, channel.

Dates are the practice's calendar days; the period runs from the start of ``start`` to the end
of ``end`` in the practice's time zone, as a half-open UTC range for the queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, true

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class ReportFilters:
    start: date
    end: date  # inclusive
    timezone: str
    team_id: int | None = None
    clinician_id: int | None = None
    instrument: str | None = None
    channel: str | None = None

    @classmethod
    def default(cls, today: date, timezone: str) -> ReportFilters:
        return cls(start=today - timedelta(days=DEFAULT_DAYS - 1), end=today, timezone=timezone)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), ZoneInfo(self.timezone))

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(), ZoneInfo(self.timezone))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def weeks_elapsed(self, now: datetime) -> float:
        """Weeks of the period that have passed by ``now`` (a period in the future has none)."""
        elapsed = min(self.ends_at, max(now, self.starts_at)) - self.starts_at
        return elapsed.total_seconds() / (7 * 86400)

    def weeks_from(self, since: datetime | None, now: datetime) -> float:
        """Weeks of the period that have passed by ``now``, counted from ``since`` when that
        is later than the period's start (a clinician who started part-way)."""
        if since is None or since <= self.starts_at:
            return self.weeks_elapsed(now)
        end = min(self.ends_at, max(now, self.starts_at))
        return max(0.0, (end - since).total_seconds() / (7 * 86400))

    def between(self, column: Any) -> ColumnElement[bool]:
        return (column >= self.starts_at) & (column < self.ends_at)  # type: ignore[no-any-return]

    def people(self, team_column: Any, clinician_column: Any) -> ColumnElement[bool]:
        """The team and clinician filters applied to a client's (or staff user's) columns."""
        condition: ColumnElement[bool] = true()
        if self.team_id is not None:
            condition = condition & (team_column == self.team_id)
        if self.clinician_id is not None:
            condition = condition & (clinician_column == self.clinician_id)
        return condition

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for CSV links and the filter form)."""
        args = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for key, value in (
            ("team", self.team_id),
            ("clinician", self.clinician_id),
            ("instrument", self.instrument),
            ("channel", self.channel),
        ):
            if value is not None:
                args[key] = str(value)
        return args
