"""Staff retention and time off, by team: headcount, 12-month retention, median tenure,
leavers by reason and the share of the leave allowance used.

Two statements whatever the number of staff: one reads every staff member's employment dates,
the other sums each one's annual leave in the period; the rest is arithmetic here. A member of
staff without a start date counts from the day their account was made [decision: the nearest
date mbc has]. Staff are counted in their current team.

Leave: annual leave whose first day falls in the period, hours counted as days at
``HOURS_PER_DAY``, against the allowance pro-rated to the days of the period each person was
employed (up to today). Teams smaller than ``min_group_size`` show no leave figures, with
complementary suppression (``mbc.reports.suppression``), since one person's leave is theirs.
[decision] A team that took under ``LOW_LEAVE_PERCENT`` of its pro-rated allowance is marked
as taking little leave: a convention of this report (rested clinicians need their leave), not
a clinical or legal rule.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.practice.models import Team
from mbc.reports import suppression
from mbc.reports.filters import ReportFilters
from mbc.reports.table import Column, Table, share
from mbc.staffing.models import EmploymentRecord, TimeOff
from mbc.staffing.services import HOURS_PER_DAY, REASONS

LOW_LEAVE_PERCENT = 50
DAYS_A_YEAR = 365.25


@dataclass(frozen=True)
class Person:
    user_id: int
    team: str
    started: date
    left: date | None
    reason: str | None
    allowance: Decimal | None
    leave_days: float = 0.0

    def employed_on(self, day: date) -> bool:
        """``left`` is the last day of employment."""
        return self.started <= day and (self.left is None or self.left >= day)

    def days_employed(self, start: date, end: date) -> int:
        first = max(start, self.started)
        last = min(end, self.left) if self.left else end
        return max(0, (last - first).days + 1)


def people(filters: ReportFilters) -> list[Person]:
    """Everyone on the staff (the team filter applied), with their annual leave in the period."""
    days = case((TimeOff.unit == "hours", TimeOff.amount / HOURS_PER_DAY), else_=TimeOff.amount)
    leave = (
        select(TimeOff.user_id, func.sum(days).label("days"))
        .where(
            TimeOff.kind == "annual_leave",
            TimeOff.starts_on >= filters.start,
            TimeOff.starts_on <= filters.end,
        )
        .group_by(TimeOff.user_id)
        .subquery()
    )
    query = (
        select(
            StaffUser.id,
            StaffUser.created_at,
            Team.name.label("team"),
            EmploymentRecord.started_on,
            EmploymentRecord.left_on,
            EmploymentRecord.leaving_reason,
            EmploymentRecord.annual_allowance_days,
            leave.c.days,
        )
        .outerjoin(Team, Team.id == StaffUser.team_id)
        .outerjoin(EmploymentRecord, EmploymentRecord.user_id == StaffUser.id)
        .outerjoin(leave, leave.c.user_id == StaffUser.id)
    )
    if filters.team_id is not None:
        query = query.where(StaffUser.team_id == filters.team_id)
    zone = ZoneInfo(filters.timezone)
    no_team = str(_l("No team"))
    return [
        Person(
            r.id,
            r.team or no_team,
            r.started_on or r.created_at.astimezone(zone).date(),
            r.left_on,
            r.leaving_reason,
            r.annual_allowance_days,
            float(r.days or 0),
        )
        for r in db.session.execute(query)
    ]


def _by_team(staff: list[Person]) -> dict[str, list[Person]]:
    teams: dict[str, list[Person]] = {}
    for person in sorted(staff, key=lambda p: p.team):
        teams.setdefault(person.team, []).append(person)
    return teams


def _retention_row(label: str, staff: list[Person], start: date, end: date) -> dict[str, Any]:
    year_before = end - timedelta(days=365)
    cohort = [p for p in staff if p.employed_on(year_before)]
    stayed = [p for p in cohort if p.employed_on(end)]
    current = [p for p in staff if p.employed_on(end)]
    tenures = [(end - p.started).days / DAYS_A_YEAR for p in current]
    return {
        "group": label,
        "headcount": len(current),
        "joined": sum(start <= p.started <= end for p in staff),
        "left": sum(p.left is not None and start <= p.left <= end for p in staff),
        "cohort": len(cohort),
        "retention": share(len(stayed), len(cohort)),
        "median_tenure": statistics.median(tenures) if tenures else None,
    }


def _leave_row(label: str, staff: list[Person], start: date, end: date) -> dict[str, Any]:
    members = [p for p in staff if p.days_employed(start, end)]
    with_allowance = [p for p in members if p.allowance]
    expected = sum(
        float(p.allowance or 0) * p.days_employed(start, end) / DAYS_A_YEAR for p in with_allowance
    )
    taken = sum(p.leave_days for p in with_allowance)
    used = share(round(taken, 6), round(expected, 6)) if expected else None  # type: ignore[arg-type]
    return {
        "group": label,
        "n": len(members),
        "expected": expected if with_allowance else None,
        "taken": taken if with_allowance else None,
        "used": used,
        "mark": str(_l("little leave taken (a convention)"))
        if used is not None and used < LOW_LEAVE_PERCENT
        else None,
    }


def tables(filters: ReportFilters, now: datetime, min_size: int) -> list[Table]:
    today = now.astimezone(ZoneInfo(filters.timezone)).date()
    start, end = filters.start, min(filters.end, today)
    if end < start:
        end = start
    staff = people(filters)
    teams = _by_team(staff)
    all_label = str(_l("All"))
    retention = [_retention_row(t, members, start, end) for t, members in teams.items()]
    retention.append(_retention_row(all_label, staff, start, end))
    for row in retention:  # one person's tenure is theirs (a median cannot be subtracted out)
        if row["headcount"] < min_size:
            row["median_tenure"] = None
    leave = [_leave_row(t, members, start, end) for t, members in teams.items()]
    leave_total = _leave_row(all_label, staff, start, end)
    suppression.apply(leave, leave_total, min_size)
    for row in [*leave, leave_total]:
        if row.get("hidden"):
            row.pop("mark", None)
    return [
        Table(
            "staff_retention",
            str(_l("Headcount and retention by team")),
            [
                Column("group", _l("Team")),
                Column("headcount", _l("Headcount"), "count"),
                Column("joined", _l("Joined in the period"), "count"),
                Column("left", _l("Left in the period"), "count"),
                Column("cohort", _l("Staff 12 months before"), "count"),
                Column("retention", _l("12-month retention %"), "percent"),
                Column("median_tenure", _l("Median tenure (years)"), "number"),
            ],
            retention,
            note=str(
                _l(
                    "Headcount and tenure on %(end)s; retention is the share of the staff of "
                    "12 months before that date still here on it. Staff are counted in their "
                    "current team; without a start date, from the day their account was made.",
                    end=end.isoformat(),
                )
            ),
        ),
        _leavers(staff, start, end, min_size),
        Table(
            "staff_leave",
            str(_l("Leave allowance used by team")),
            [
                Column("group", _l("Team")),
                Column("n", _l("Staff (n)"), "count"),
                Column("expected", _l("Allowance for the period (days)"), "number"),
                Column("taken", _l("Annual leave taken (days)"), "number"),
                Column("used", _l("Allowance used %"), "percent"),
                Column("mark", _l("Mark")),
            ],
            [*leave, leave_total],
            note=str(
                _l(
                    "Annual leave starting in the period against each person's yearly "
                    "allowance pro-rated to the days they were employed in it (hours count as "
                    "days of %(hours)s hours). A team under %(line)s%% is marked: a convention "
                    "of this report, as a prompt to check that people take their leave. Teams "
                    "of fewer than %(n)s show no figures, nor any that would let one be worked "
                    "out.",
                    hours=HOURS_PER_DAY,
                    line=LOW_LEAVE_PERCENT,
                    n=min_size,
                )
            ),
        ),
    ]


def _leavers(staff: list[Person], start: date, end: date, min_size: int) -> Table:
    """Leavers by reason; with fewer than ``min_size`` leavers only their number: the retention
    table names each team's leavers, so one reason among few would be that person's."""
    counts: dict[str, int] = {}
    for p in staff:
        if p.left is not None and start <= p.left <= end:
            key = p.reason or ""
            counts[key] = counts.get(key, 0) + 1
    total = sum(counts.values())
    rows = [
        {
            "group": str(REASONS[key]) if key else str(_l("Not recorded")),
            "count": n,
            "share": share(n, total),
        }
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    note = _l("Staff whose last day fell in the period, by the reason recorded.")
    if 0 < total < min_size:
        rows = []
        note = _l(
            "Staff whose last day fell in the period: %(total)s. Reasons are shown when at "
            "least %(n)s people left in the period, so that no one's reason can be told.",
            total=total,
            n=min_size,
        )
    if total:
        rows.append({"group": str(_l("All")), "count": total, "share": 100.0})
    return Table(
        "staff_leavers",
        str(_l("Leavers by reason")),
        [
            Column("group", _l("Reason for leaving")),
            Column("count", _l("Leavers"), "count"),
            Column("share", _l("Share %"), "percent"),
        ],
        rows,
        note=str(note),
    )
