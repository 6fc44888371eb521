"""Who supervises whom, and the goals they agree."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mbc.auth.models import StaffUser
from mbc.db import Base, choice_type, created_at, intpk


class Supervision(Base):
    """A clinician (``supervisee_id``) supervised by another (``supervisor_id``), as assigned by
    an admin. A supervisor sees their supervisees' clients (``mbc.auth.access``)."""

    __tablename__ = "supervisions"
    __table_args__ = (UniqueConstraint("supervisor_id", "supervisee_id"),)

    id: Mapped[intpk]
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    supervisee_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


GOAL_KINDS = ("professional_development", "clinical_skills", "practice_metrics")
GOAL_STATUSES = ("active", "achieved", "not_achieved", "set_aside")


class AgreedGoal(Base):
    """A goal a clinician and their supervisor agreed, reviewed on ``review_on``. Both see it
    and either adds progress notes or changes its status; nobody else sees it."""

    __tablename__ = "agreed_goals"

    id: Mapped[intpk]
    clinician_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(choice_type("agreed_goal_kind", GOAL_KINDS))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    review_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(
        choice_type("agreed_goal_status", GOAL_STATUSES), default="active"
    )
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    updated_at: Mapped[datetime | None]

    notes: Mapped[list[GoalNote]] = relationship(
        order_by="GoalNote.id", cascade="all, delete-orphan", lazy="selectin"
    )


class GoalNote(Base):
    """A progress note on an agreed goal, by the clinician or their supervisor."""

    __tablename__ = "goal_notes"

    id: Mapped[intpk]
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("agreed_goals.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    body: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[created_at]

    author: Mapped[StaffUser | None] = relationship(lazy="joined")
