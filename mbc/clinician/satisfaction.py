"""The satisfaction survey on clinicians' pages: by default no one client's answers, only means
over the clinician's own clients, and only when there are enough surveys.

The survey asks clients about their clinician ("I trust my clinician"), so by default its
answers never appear named on a clinician's page (summaries, charts, heat map, latest answers);
the clinician sees the means over the surveys of the clients they are primary clinician for,
computed by the admin reports' own rule (``mbc.reports.satisfaction``): nothing below the
practice's ``min_group_size``. The means cover the twelve whole calendar months before this
one, so one client's new answers cannot be read off a figure that moves the day after their
session. The practice setting ``satisfaction_visible_to_clinician`` shows each client's answers
to the clinicians who may see that client instead. Admins follow satisfaction in the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mbc.auth.models import StaffUser
from mbc.instruments import registry
from mbc.practice.services import get_practice
from mbc.reports import satisfaction as report
from mbc.reports.filters import ReportFilters

CODE = report.CODE


def hidden_codes(viewer: StaffUser) -> frozenset[str]:
    """The instruments whose individual answers ``viewer`` may not see on clinician pages."""
    if get_practice().satisfaction_visible_to_clinician and not viewer.is_admin:
        return frozenset()
    return frozenset({CODE})


@dataclass(frozen=True)
class OwnClientsSatisfaction:
    start: date
    end: date
    n: int
    min_size: int
    mean: float | None = None
    statements: tuple[tuple[str, float | None], ...] = ()

    @property
    def shown(self) -> bool:
        return self.n >= self.min_size


def own_clients(viewer: StaffUser, now: datetime, language: str) -> OwnClientsSatisfaction:
    """Means over the surveys of ``viewer``'s clients in the twelve months before this one."""
    practice = get_practice()
    this_month = now.astimezone(ZoneInfo(practice.timezone)).date().replace(day=1)
    start = this_month.replace(year=this_month.year - 1)
    end = this_month - timedelta(days=1)
    filters = ReportFilters(
        start=start, end=end, timezone=practice.timezone, clinician_id=viewer.id
    )
    row = report.overall(filters, practice.min_group_size)
    result = OwnClientsSatisfaction(start, end, row["n"], practice.min_group_size)
    if row.get("hidden"):
        return result
    definition = registry.get(CODE)
    statements = tuple(
        (definition.text(item.text, language), row[item.id])
        for item in definition.items
        if item.scored
    )
    return OwnClientsSatisfaction(
        start, end, row["n"], practice.min_group_size, row["mean"], statements
    )
