from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, false, func
from sqlalchemy.orm import Mapped, mapped_column

from mbc.db import Base, UTCDateTime, choice_type, created_at, intpk

LANGUAGES = ("en", "es")
TWO_FACTOR_REQUIRED = ("off", "admins", "everyone")
PRACTICE_ID = 1  # the settings row


class PracticeSettings(Base):
    """The practice's own settings: a single row (id 1)."""

    __tablename__ = "practice_settings"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    default_language: Mapped[str] = mapped_column(choice_type("language", LANGUAGES), default="en")
    phone_region: Mapped[str] = mapped_column(String(2), default="US")
    # Shown to a client at once after an endorsed PHQ-9 item 9; empty means the default text.
    crisis_text_en: Mapped[str] = mapped_column(String(2000), default="")
    crisis_text_es: Mapped[str] = mapped_column(String(2000), default="")
    show_scores_to_clients: Mapped[bool] = mapped_column(default=False)
    # The satisfaction survey asks about the clinician. Off: clinicians see only aggregates of
    # at least ``min_group_size`` surveys; on: the client's clinicians see the answers. The
    # survey page tells the client which applies.
    satisfaction_visible_to_clinician: Mapped[bool] = mapped_column(default=False)
    # Clients may see their own progress page (mbc.progress) only when this is on AND their
    # clinician has turned it on for them (``Client.progress_visible``). Off by default.
    client_progress_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Delivery timing, overridable per plan rule: invite before the session, one reminder if not
    # completed, close after the session starts. Quiet hours are wall-clock hours in the
    # client's own time zone (start inclusive, end exclusive); nothing is sent inside them.
    invite_hours_before: Mapped[int] = mapped_column(default=24)
    reminder_hours_before: Mapped[int] = mapped_column(default=3)
    close_hours_after: Mapped[int] = mapped_column(default=1)
    quiet_hours_start: Mapped[int] = mapped_column(default=21)
    quiet_hours_end: Mapped[int] = mapped_column(default=8)
    # Check-ins not tied to a session (every N weeks, discharge) stay open this many days.
    unscheduled_window_days: Mapped[int] = mapped_column(default=3)
    # The not-on-track rule [decision] (mbc.scoring.on_track): judged after this many scored
    # check-ins of an instrument, or this many weeks since its baseline.
    not_on_track_sessions: Mapped[int] = mapped_column(default=6)
    not_on_track_weeks: Mapped[int] = mapped_column(default=8)
    # Office hours (practice time zone, weekdays 0 = Monday): a critical alert not acknowledged
    # within ``alert_escalation_minutes`` during them, or by the start of the next working day
    # when raised outside them, goes to the designated admins.
    office_hours_start: Mapped[int] = mapped_column(default=8)
    office_hours_end: Mapped[int] = mapped_column(default=18)
    working_days: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")
    alert_escalation_minutes: Mapped[int] = mapped_column(default=60)
    # Admin reports [decision]: groups smaller than this show no figures (so no one client can be
    # picked out); utilisation below this share of planned capacity is flagged (practice
    # managers watch 70-80 %); a cancellation this close to the session counts as late.
    min_group_size: Mapped[int] = mapped_column(default=5)
    utilisation_warning_percent: Mapped[int] = mapped_column(default=75)
    late_cancel_hours: Mapped[int] = mapped_column(default=24)
    # HIPAA keeps documentation six years (45 CFR 164.316(b)(2)): the least, and the default.
    audit_retention_years: Mapped[int] = mapped_column(default=6, server_default="6")
    # Records [decision]: a discharged client is removed for good (``mbc clients purge``) this
    # many years after discharge. Default 7, never under 6: HIPAA keeps policies and records of
    # disclosures 6 years, and many states ask 7 years or more for adults' records.
    discharged_retention_years: Mapped[int] = mapped_column(default=7)
    # Who must use two-factor sign-in (mbc.auth.two_factor): nobody, admins, or all staff. Those
    # it covers who have not enrolled are sent to enrolment after their password.
    two_factor_required: Mapped[str] = mapped_column(
        choice_type("two_factor_required", TWO_FACTOR_REQUIRED), default="off", server_default="off"
    )
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), onupdate=func.now()
    )


class InstrumentLicence(Base):
    """The practice's licence for an instrument that is off until one is recorded (ORS, SRS)."""

    __tablename__ = "instrument_licences"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), default="")  # who the licence was granted to
    reference: Mapped[str] = mapped_column(String(200))  # e.g. the licence number or agreement
    licensed_on: Mapped[date | None]  # the date on the licence
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[created_at]

    def __repr__(self) -> str:
        return f"<Team {self.id} {self.name!r}>"
