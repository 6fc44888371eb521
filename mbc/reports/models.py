"""Team goals an admin sets, e.g. "follow-up completion at least 80 %"."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mbc.db import Base, choice_type, created_at, intpk
from mbc.practice.models import Team

GOAL_METRICS = ("follow_up_completion", "completion", "reliable_improvement", "reliable_recovery")
GOAL_PERIODS = ("month", "quarter")


class TeamGoal(Base):
    """A target share for one team (or the whole practice when ``team_id`` is None).

    Outcome goals count the clients whose baseline on ``instrument_code`` was at least
    ``baseline_at_least`` (e.g. PHQ-9 >= 10) and whose latest score falls in the period.
    """

    __tablename__ = "team_goals"

    id: Mapped[intpk]
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(choice_type("goal_metric", GOAL_METRICS))
    instrument_code: Mapped[str | None] = mapped_column(String(32))
    baseline_at_least: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    target_percent: Mapped[int]
    period: Mapped[str] = mapped_column(choice_type("goal_period", GOAL_PERIODS))
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    team: Mapped[Team | None] = relationship(lazy="joined")
