"""Enrolled kiosk devices, the visits made on them, and the day's check-in codes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mbc.assessments.models import CheckIn
from mbc.db import Base, choice_type, created_at, intpk

VISIT_ENDS = ("finished", "idle", "reset", "revoked")


class KioskDevice(Base):
    """A practice tablet enrolled by an admin. Its browser holds a random token in a cookie;
    only the token's SHA-256 is stored, so a leaked database cannot enrol a copy."""

    __tablename__ = "kiosk_devices"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    last_seen_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class KioskVisit(Base):
    """One client at a kiosk: from a right code to the end (finished, idle, reset). The device's
    open visit (``ended_at`` empty) is the only link between the browser and the answers."""

    __tablename__ = "kiosk_visits"
    __table_args__ = (
        Index("ix_kiosk_visits_device_id_ended_at", "device_id", "ended_at"),
        Index("ix_kiosk_visits_check_in_id_started_at", "check_in_id", "started_at"),
    )

    id: Mapped[intpk]
    device_id: Mapped[int] = mapped_column(ForeignKey("kiosk_devices.id"))
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id"))
    started_at: Mapped[datetime]
    seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(choice_type("kiosk_visit_end", VISIT_ENDS))

    device: Mapped[KioskDevice] = relationship(lazy="joined")
    check_in: Mapped[CheckIn] = relationship()


class KioskCode(Base):
    """A check-in's 6-digit code for its session's day. The code itself is never stored: it is
    derived from the app's secret key, the check-in, the day and ``variant`` (raised past a
    collision), and found by a keyed hash of the day and the code."""

    __tablename__ = "kiosk_codes"
    __table_args__ = (UniqueConstraint("day", "code_hash", name="uq_kiosk_codes_day_code_hash"),)

    id: Mapped[intpk]
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id"), unique=True)
    day: Mapped[date] = mapped_column(Date)
    code_hash: Mapped[str] = mapped_column(String(64))
    variant: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
