from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mbc.db import Base, choice_type, created_at, intpk
from mbc.practice.models import LANGUAGES, Team

ROLES = ("admin", "clinician")


class StaffUser(Base):
    """A member of staff who signs in: an admin or a clinician."""

    __tablename__ = "staff_users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(choice_type("staff_role", ROLES))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    preferred_language: Mapped[str] = mapped_column(
        choice_type("staff_language", LANGUAGES), default="en"
    )
    # Alert notifications: email always, a text message too when a mobile number is given.
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    # An admin who receives critical alerts that were not acknowledged in time.
    receives_escalations: Mapped[bool] = mapped_column(default=False)
    # Sessions a week the clinician plans to hold (set by an admin): the utilisation denominator.
    weekly_capacity: Mapped[int | None]
    created_at: Mapped[created_at]
    last_signed_in_at: Mapped[datetime | None]
    # Two-factor sign-in (mbc.auth.two_factor): the TOTP secret (base32; as sensitive as the
    # password hash), set when enrolment starts and in use once ``totp_enabled_at`` is set; the
    # last 30-second step whose code was accepted, so a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    team: Mapped[Team | None] = relationship(lazy="joined")

    # The token of the session this request runs in (set by mbc.auth.staff_sessions; not stored).
    signed_in_token = ""

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the session's random token, never the user id."""
        return self.signed_in_token

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<StaffUser {self.id} {self.role}>"


class SigninThrottle(Base):
    """Tries counted per account, per address, per kind (``mbc.auth.throttle``), so one of them
    can be slowed alone."""

    __tablename__ = "signin_throttles"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    # sign-in keys: the last counted try; bad links and reset requests: the window's first
    window_started_at: Mapped[datetime]
    # no try is accepted before this (a sign-in wait, or a pause)
    locked_until: Mapped[datetime | None]


class StaffSession(Base):
    """A signed-in browser, kept on the server so that it can be ended from anywhere: sign-out,
    a password or role change, an admin's "sign out everywhere", or its idle or absolute limit.

    The cookie holds a random 256-bit token; only its SHA-256 is stored, so a copy of this table
    signs nobody in.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the token, hex
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]  # moved forward at most once a minute
    revoked_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))


class RecoveryCode(Base):
    """A single-use code that stands in for the authenticator app (a lost phone). Only a salted
    scrypt hash is kept; the person saw the code once, when it was made."""

    __tablename__ = "recovery_codes"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(128))
    used_at: Mapped[datetime | None]
