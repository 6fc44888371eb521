"""A staff member's employment record and their time off."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from mbc.db import Base, choice_type, created_at, intpk

LEAVING_REASONS = (
    "new_job",
    "relocation",
    "pay",
    "workload",
    "career_change",
    "retirement",
    "personal",
    "end_of_contract",
    "dismissal",
    "other",
)
TIME_OFF_KINDS = ("annual_leave", "sick", "parental", "training", "unpaid", "other")
TIME_OFF_UNITS = ("days", "hours")


class EmploymentRecord(Base):
    """When a member of staff started and left, why they left, and their yearly leave allowance
    (paid time off, in days). One row per staff user, made when an admin first fills it in."""

    __tablename__ = "employment_records"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    started_on: Mapped[date | None]
    left_on: Mapped[date | None]
    leaving_reason: Mapped[str | None] = mapped_column(
        choice_type("leaving_reason", LEAVING_REASONS)
    )
    leaving_reason_other: Mapped[str] = mapped_column(String(200), default="")
    annual_allowance_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))


class TimeOff(Base):
    """Time off taken (or booked) by one person: from ``starts_on`` to ``ends_on`` inclusive,
    ``amount`` days or hours of it. Only ``annual_leave`` counts against the allowance."""

    __tablename__ = "time_off"
    __table_args__ = (Index("ix_time_off_user_id_starts_on", "user_id", "starts_on"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    unit: Mapped[str] = mapped_column(choice_type("time_off_unit", TIME_OFF_UNITS))
    kind: Mapped[str] = mapped_column(choice_type("time_off_kind", TIME_OFF_KINDS))
    # The HR system's id for the entry, so importing the same file twice adds nothing.
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
