"""Team goals and each one's progress over the current month or quarter so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mbc.clock import utcnow
from mbc.extensions import db
from mbc.reports import funnel, outcomes
from mbc.reports.filters import ReportFilters
from mbc.reports.models import TeamGoal
from mbc.reports.table import share

METRICS = {
    "follow_up_completion": _l("Follow-up check-ins completed"),
    "completion": _l("Check-ins completed"),
    "reliable_improvement": _l("Clients reliably improved"),
    "reliable_recovery": _l("Clients reliably recovered"),
}
OUTCOME_METRICS = ("reliable_improvement", "reliable_recovery")
PERIODS = {"month": _l("This month"), "quarter": _l("This quarter")}


@dataclass(frozen=True)
class Progress:
    goal: TeamGoal
    start: date
    value: float | None  # percent, None when nothing to count yet
    n: int

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value >= self.goal.target_percent


def period_start(today: date, period: str) -> date:
    if period == "month":
        return today.replace(day=1)
    return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)


def progress(goal: TeamGoal, today: date, timezone: str) -> Progress:
    start = period_start(today, goal.period)
    filters = ReportFilters(start=start, end=today, timezone=timezone, team_id=goal.team_id)
    if goal.metric in OUTCOME_METRICS:
        code = goal.instrument_code or "phq9"
        counts = outcomes.outcome_counts(filters, code, None, goal.baseline_at_least)[0]
        n = int(counts.n)
        name = "improved" if goal.metric == "reliable_improvement" else "recovered"
        return Progress(goal, start, share(int(getattr(counts, name, 0) or 0), n), n)
    value, n = funnel.completion_share(filters, goal.metric == "follow_up_completion", utcnow())
    return Progress(goal, start, value, n)


def team_progress(team_id: int | None, today: date, timezone: str) -> list[Progress]:
    """The goals a clinician's team works towards: their team's and the whole practice's."""
    mine = TeamGoal.team_id.is_(None)
    if team_id is not None:
        mine = mine | (TeamGoal.team_id == team_id)
    chosen = db.session.scalars(
        select(TeamGoal).where(mine).order_by(TeamGoal.team_id, TeamGoal.id)
    ).all()
    return [progress(goal, today, timezone) for goal in chosen]


def all_progress(today: date, timezone: str) -> list[Progress]:
    goals = db.session.scalars(select(TeamGoal).order_by(TeamGoal.team_id, TeamGoal.id)).all()
    return [progress(goal, today, timezone) for goal in goals]
