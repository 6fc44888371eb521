"""Goal periods and progress, from the same hand-made data as the reports."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mbc.extensions import db
from mbc.reports.goals import period_start, progress
from mbc.reports.models import TeamGoal
from tests.reports.builder import ReportData


@pytest.mark.parametrize(
    ("today", "period", "start"),
    [
        (date(2026, 11, 23), "month", date(2026, 11, 1)),
        (date(2026, 11, 23), "quarter", date(2026, 10, 1)),
        (date(2026, 1, 1), "quarter", date(2026, 1, 1)),
        (date(2026, 3, 31), "quarter", date(2026, 1, 1)),
        (date(2026, 4, 1), "quarter", date(2026, 4, 1)),
    ],
)
def test_period_starts(today, period, start) -> None:
    assert period_start(today, period) == start


def test_follow_up_completion_progress_counts_only_the_team(app, make) -> None:
    north, south = make.team("North"), make.team("South")
    data = ReportData(app)
    at = lambda day: datetime(2026, 11, day, 15, tzinfo=UTC)  # noqa: E731
    a = make.client(make.user(team=north), team_id=north.id)
    data.check_in(a, at(2), completed_at=at(2))  # intake: not counted
    data.check_in(a, at(9), completed_at=at(9))
    data.check_in(a, at(16))
    b = make.client(make.user(team=south), team_id=south.id)
    data.check_in(b, at(2))
    data.check_in(b, at(9))
    with app.app_context():
        goal = TeamGoal(
            team_id=north.id, metric="follow_up_completion", target_percent=50, period="month"
        )
        db.session.add(goal)
        db.session.commit()
        result = progress(goal, date(2026, 11, 23), "America/New_York")
    assert (result.value, result.n, result.met) == (50.0, 2, True)
