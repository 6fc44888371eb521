"""The pulse's tables. Two kinds: what is known about people while a window is open (the
schedule, windows with counts, participations) and the anonymous answers (responses and their
item values), which have no column that leads back to a person."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mbc.db import Base, intpk


class PulseSchedule(Base):
    """The practice's pulse: when the first window opens, how often and for how long.

    One row (the practice has one schedule); ``is_active`` off stops new windows."""

    __tablename__ = "pulse_schedules"

    id: Mapped[intpk]
    is_active: Mapped[bool] = mapped_column(default=True)
    first_opens_on: Mapped[date]
    every_months: Mapped[int] = mapped_column(default=1)
    window_days: Mapped[int] = mapped_column(default=10)
    reminder_days_before_close: Mapped[int] = mapped_column(default=3)
    updated_at: Mapped[datetime]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


class PulseWindow(Base):
    """One round of the pulse. Counts stay after close; the people behind them do not."""

    __tablename__ = "pulse_windows"
    __table_args__ = (Index("ix_pulse_windows_closed_at_closes_at", "closed_at", "closes_at"),)

    id: Mapped[intpk]
    opens_on: Mapped[date] = mapped_column(unique=True)  # the practice's calendar day
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    reminder_at: Mapped[datetime]
    reminders_queued_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    invited: Mapped[int] = mapped_column(default=0)
    answered: Mapped[int] = mapped_column(default=0)  # set when it closes, from participation
    # The practice's min_group_size when the window opened: a team smaller than this is never
    # written on a response of this window.
    min_group_size: Mapped[int]


class PulseWindowTeam(Base):
    """How many of a team were invited to a window (the denominator of its response rate)."""

    __tablename__ = "pulse_window_teams"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_windows.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    invited: Mapped[int]


class PulseParticipation(Base):
    """That a person was invited to an open window and whether they answered: used only to stop
    a second answer and to remind those who have not. Deleted when the window closes."""

    __tablename__ = "pulse_participations"
    __table_args__ = (UniqueConstraint("window_id", "staff_user_id"),)

    id: Mapped[intpk]
    window_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_windows.id", ondelete="CASCADE"), index=True
    )
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    has_answered: Mapped[bool] = mapped_column(default=False)


class PulseResponse(Base):
    """One anonymous answer to a window. No staff id, no timestamp, a random id (so the order
    of answers is not kept either), a team only when it is large enough."""

    __tablename__ = "pulse_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not a sequence
    window_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_windows.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    who5_version: Mapped[str] = mapped_column(String(16))
    who5_score: Mapped[int | None]  # the percentage, 0-100
    who5_band: Mapped[str | None] = mapped_column(String(32))
    cbi_version: Mapped[str] = mapped_column(String(16))
    cbi_score: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    cbi_band: Mapped[str | None] = mapped_column(String(32))
    pulse_version: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)


class PulseAnswer(Base):
    """One item's answer of a response (WHO-5, CBI and pulse items), for the distributions."""

    __tablename__ = "pulse_answers"
    __table_args__ = (Index("ix_pulse_answers_window_id_item_id", "window_id", "item_id"),)

    response_id: Mapped[str] = mapped_column(
        ForeignKey("pulse_responses.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("pulse_windows.id", ondelete="CASCADE"))
    value: Mapped[int]
