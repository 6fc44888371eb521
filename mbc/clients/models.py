from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mbc.auth.models import StaffUser
from mbc.db import Base, UTCDateTime, choice_type, created_at, intpk
from mbc.practice.models import LANGUAGES, Team

CHANNELS = ("sms", "email")
CLIENT_STATUSES = ("active", "discharged")
APPOINTMENT_STATUSES = ("scheduled", "completed", "cancelled", "no_show")
CHANGE_SOURCES = ("admin", "import", "system")


class Client(Base):
    """A person in care. Identified to staff by the practice's own ``client_ref``."""

    __tablename__ = "clients"

    id: Mapped[intpk]
    client_ref: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164; SMS replies
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_channel: Mapped[str] = mapped_column(choice_type("channel", CHANNELS), default="sms")
    language: Mapped[str] = mapped_column(choice_type("client_language", LANGUAGES), default="en")
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(
        choice_type("client_status", CLIENT_STATUSES), default="active"
    )
    primary_clinician_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), onupdate=func.now()
    )
    discharged_at: Mapped[datetime | None]
    # The clinician's switch: this client may see their own progress page (when the practice
    # allows it too, ``PracticeSettings.client_progress_enabled``). Off until turned on.
    progress_visible: Mapped[bool] = mapped_column(default=False, server_default=false())

    primary_clinician: Mapped[StaffUser] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")
    care_team: Mapped[list[CareTeamMember]] = relationship(
        back_populates="client", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def __repr__(self) -> str:  # no names: reprs end up in logs
        return f"<Client {self.id}>"


class CareTeamMember(Base):
    """A member of staff who shares in a client's care and so may see their data."""

    __tablename__ = "client_care_team"

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True, index=True)
    added_at: Mapped[created_at]

    client: Mapped[Client] = relationship(back_populates="care_team")
    user: Mapped[StaffUser] = relationship(lazy="joined")


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_clinician_id_starts_at", "clinician_id", "starts_at"),
        Index("ix_appointments_client_id_starts_at", "client_id", "starts_at"),
        Index("ix_appointments_starts_at", "starts_at"),  # the admin reports' period filter
    )

    id: Mapped[intpk]
    appointment_ref: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    clinician_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    starts_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(
        choice_type("appointment_status", APPOINTMENT_STATUSES), default="scheduled"
    )
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), onupdate=func.now()
    )
    status_changed_at: Mapped[datetime | None]
    rescheduled_at: Mapped[datetime | None]

    client: Mapped[Client] = relationship()
    clinician: Mapped[StaffUser] = relationship(lazy="joined")


class AppointmentChange(Base):
    """A changed start time or status, kept so a reschedule or cancellation can be traced."""

    __tablename__ = "appointment_changes"

    id: Mapped[intpk]
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime]
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(String(64))
    new_value: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(choice_type("change_source", CHANGE_SOURCES))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
