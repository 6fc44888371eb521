from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    and_,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.db import Base, choice_type, created_at, intpk
from mbc.practice.models import LANGUAGES

CHECK_IN_STATUSES = ("open", "completed", "closed", "revoked")
LINK_CHANNELS = ("sms", "email", "link", "in_person")
RESPONSE_STATUSES = ("draft", "completed")
ALERT_KINDS = (
    "critical_item",
    "critical_item_unanswered",
    "reliable_deterioration",
    "alliance_concern",
    "not_on_track",
    "instrument_unavailable",
)
ALERT_STATUSES = ("open", "acknowledged", "resolved")


class CheckIn(Base):
    """The open questionnaires of one client for one occasion, reached through one link."""

    __tablename__ = "check_ins"
    __table_args__ = (
        # With id, a client's first check-in (the funnel's intake) is one index-only probe.
        Index("ix_check_ins_client_id_opens_at", "client_id", "opens_at", "id"),
        Index("ix_check_ins_status_closes_at", "status", "closes_at"),
        Index("ix_check_ins_opens_at", "opens_at"),  # the admin reports' period filter
        # What planned this check-in ("appointment:12", its SRS from the start
        # "appointment:12:in_session", "weeks:3:2026-11-23", "discharge:4"): unique per
        # client, so two scheduler processes can never plan the same one twice.
        UniqueConstraint("client_id", "plan_key", name="uq_check_ins_client_id_plan_key"),
    )

    id: Mapped[intpk]
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), index=True)
    # sha256 of the link's random nonce: the link itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(
        choice_type("check_in_status", CHECK_IN_STATUSES), default="open"
    )
    language: Mapped[str] = mapped_column(choice_type("check_in_language", LANGUAGES))
    channel: Mapped[str] = mapped_column(choice_type("link_channel", LINK_CHANNELS))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    first_opened_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    plan_key: Mapped[str | None] = mapped_column(String(80))
    # The session this check-in is for, as planned: a moved appointment moves the check-in.
    session_starts_at: Mapped[datetime | None]
    # Its stages for the completion funnel, kept on the row so a year of check-ins is counted
    # in one scan: the first answer saved (mbc.assessments.services), and from its messages a
    # message accepted by the provider, one delivered (an accepted email counts), and the
    # first reminder accepted (mbc.delivery.stages recomputes these three).
    started_at: Mapped[datetime | None]
    message_sent: Mapped[bool] = mapped_column(default=False, server_default=false())
    message_delivered: Mapped[bool] = mapped_column(default=False, server_default=false())
    first_reminder_at: Mapped[datetime | None]

    client: Mapped[Client] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="check_in", order_by="Assignment.position", lazy="selectin"
    )


class CheckInLink(Base):
    """A further link to a check-in, one per message sent, so each invitation and reminder has
    its own nonce (only its hash is kept) and an opened link can be traced to its message."""

    __tablename__ = "check_in_links"

    id: Mapped[intpk]
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    first_opened_at: Mapped[datetime | None]


class Assignment(Base):
    """This client should answer this instrument, pinned to the version current at creation."""

    __tablename__ = "assignments"

    id: Mapped[intpk]
    check_in_id: Mapped[int] = mapped_column(ForeignKey("check_ins.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    instrument_code: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[str] = mapped_column(String(16))
    position: Mapped[int]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    created_at: Mapped[created_at]

    check_in: Mapped[CheckIn] = relationship(back_populates="assignments")
    response: Mapped[Response | None] = relationship(back_populates="assignment", lazy="selectin")


class Response(Base):
    """A client's answers to one assignment: a draft until completed, then scored once."""

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_client_id_completed_at", "client_id", "completed_at"),
        Index("ix_responses_instrument_code_completed_at", "instrument_code", "completed_at"),
        # A client's first and latest valid score of an instrument, one probe each (the
        # outcomes report); PostgreSQL answers from the index alone.
        Index(
            "ix_responses_outcome_episodes",
            "instrument_code",
            "client_id",
            "completed_at",
            "id",
            postgresql_include=["status", "is_valid", "total", "severity"],
        ),
    )

    id: Mapped[intpk]
    # One response per assignment: a double submit can never store two.
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    instrument_code: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(choice_type("response_language", LANGUAGES))
    channel: Mapped[str] = mapped_column(choice_type("response_channel", LINK_CHANNELS))
    status: Mapped[str] = mapped_column(
        choice_type("response_status", RESPONSE_STATUSES), default="draft"
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opened_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    # The stored result of mbc.scoring.score (set on completion).
    is_valid: Mapped[bool | None]
    invalid_reason: Mapped[str | None] = mapped_column(String(80))
    total: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    severity: Mapped[str | None] = mapped_column(String(32))
    is_prorated: Mapped[bool | None]
    n_missing: Mapped[int | None]
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    subscales: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the page told the client which questions they skipped: the prompt comes once per
    # page, even after Back and Next.
    skips_prompted_at: Mapped[datetime | None]

    assignment: Mapped[Assignment] = relationship(back_populates="response")


def valid_score(response: Any = Response) -> ColumnElement[bool]:
    """A response that counts as a score: completed, valid under its instrument's missing-item
    rule, with a total. ``response`` may be an alias of Response."""
    return and_(
        response.status == "completed", response.is_valid.is_(True), response.total.is_not(None)
    )


class Alert(Base):
    """Something a clinician must see, created in the same transaction as the response."""

    __tablename__ = "alerts"
    __table_args__ = (
        Index("ix_alerts_client_id_status", "client_id", "status"),
        Index("ix_alerts_status_kind_created_at", "status", "kind", "created_at"),
    )

    id: Mapped[intpk]
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("responses.id"), index=True)
    kind: Mapped[str] = mapped_column(choice_type("alert_kind", ALERT_KINDS))
    status: Mapped[str] = mapped_column(choice_type("alert_status", ALERT_STATUSES), default="open")
    created_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    note: Mapped[str | None] = mapped_column(String(2000))
    # The instrument the alert is about, and the figures behind it (e.g. baseline and latest).
    instrument_code: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    resolution_note: Mapped[str | None] = mapped_column(String(2000))
    escalated_at: Mapped[datetime | None]  # sent to the designated admins

    client: Mapped[Client] = relationship()
    response: Mapped[Response | None] = relationship()
    # Lists of alerts load these with them (joinedload), in the same statement.
    changes: Mapped[list[AlertChange]] = relationship(
        back_populates="alert", order_by="AlertChange.id"
    )
    acknowledged_by: Mapped[StaffUser | None] = relationship(foreign_keys=[acknowledged_by_id])
    resolved_by: Mapped[StaffUser | None] = relationship(foreign_keys=[resolved_by_id])


class AlertChange(Base):
    """The client changed, after the alert was raised, an answer (or the score) that raised it.

    Rows are only ever added: an alert is never deleted or hidden by a later edit, and the
    clinician sees the original beside every change (the answer's value, or the new total).
    """

    __tablename__ = "alert_changes"

    id: Mapped[intpk]
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    changed_at: Mapped[datetime]
    item: Mapped[str | None] = mapped_column(String(64))  # the critical item, for answer kinds
    answer: Mapped[int | None]  # its new value; None: now unanswered
    total: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))  # for score kinds

    alert: Mapped[Alert] = relationship(back_populates="changes")
