"""Measurement plans, the outbox, and what each client has agreed to receive."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import text

from mbc.clients.models import CHANNELS
from mbc.db import Base, UTCDateTime, choice_type, created_at, intpk
from mbc.practice.models import LANGUAGES

PLAN_SCOPES = ("practice", "team", "client")
PLAN_RULES = ("every_session", "every_nth_session", "first_session", "discharge", "every_n_weeks")

MESSAGE_KINDS = (
    "invitation",
    "reminder",
    "alert",
    "password_reset",
    "auto_reply",
    "progress_link",
)
MESSAGE_STATUSES = (
    "pending",
    "sending",
    "sent",
    "delivered",
    "failed",
    "undeliverable",
    "skipped",
    "cancelled",
)
# Statuses after which the outbox never touches a message again.
FINAL_STATUSES = ("sent", "delivered", "failed", "undeliverable", "skipped", "cancelled")

CONSENT_SOURCES = ("import", "admin", "clinician", "client", "migration", "sms_keyword")
CONSENT_EVENTS = ("granted", "withdrawn", "opted_out", "opted_in", "unsubscribed")
INBOUND_KEYWORDS = ("opt_out", "opt_in", "help")  # mbc.delivery.keywords.KEYWORDS
SUPPRESSION_REASONS = ("opted_out", "unsubscribed", "invalid_address", "blocked")


class PlanRule(Base):
    """One line of a measurement plan: these instruments, on this schedule.

    A client's plan is their own rules when they have any (``ClientPlan.custom``), else their
    team's, else the practice's. Rules due for the same session go out as one check-in.
    """

    __tablename__ = "plan_rules"

    id: Mapped[intpk]
    scope: Mapped[str] = mapped_column(choice_type("plan_scope", PLAN_SCOPES))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    rule: Mapped[str] = mapped_column(choice_type("plan_rule", PLAN_RULES))
    instruments: Mapped[list[str]] = mapped_column(JSON)
    # every_nth_session: N sessions; every_n_weeks: N weeks.
    every_n: Mapped[int | None]
    start_date: Mapped[date | None]
    stop_date: Mapped[date | None]
    # Per-rule timing; None means the practice's setting.
    invite_hours_before: Mapped[int | None]
    reminder_hours_before: Mapped[int | None]
    close_hours_after: Mapped[int | None]
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


class ClientPlan(Base):
    """A client's own plan state: whether their rules replace the default, and any pause."""

    __tablename__ = "client_plans"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    custom: Mapped[bool] = mapped_column(default=False)
    paused_at: Mapped[datetime | None]
    paused_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), onupdate=func.now()
    )


class Message(Base):
    """One invitation, reminder or notification in the outbox.

    Sending is exactly-once: a due row is claimed and committed as ``sending`` before the
    provider is called, so a crash leaves it in ``sending`` to be reconciled, never resent blindly.
    The body is rendered at send time and not kept (only its SHA-256, for reconciliation).
    """

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_status_due_at", "status", "due_at"),
        Index("ix_messages_channel_recipient", "channel", "recipient"),
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(choice_type("message_kind", MESSAGE_KINDS))
    channel: Mapped[str | None] = mapped_column(choice_type("message_channel", CHANNELS))
    recipient: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(choice_type("message_language", LANGUAGES))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_ins.id"), index=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id"), index=True)
    # Never enqueue the same message twice (e.g. "check_in:12:invitation").
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    scheduled_at: Mapped[datetime]  # when the plan wanted it sent
    due_at: Mapped[datetime]  # when it may next be tried (quiet hours, backoff)
    status: Mapped[str] = mapped_column(
        choice_type("message_status", MESSAGE_STATUSES), default="pending"
    )
    attempts: Mapped[int] = mapped_column(default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)
    claimed_at: Mapped[datetime | None]
    # An email handed to the SMTP server under this claim, committed just before the call: a
    # process that stops mid-send leaves only that one email in doubt; the rest go back.
    handed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(500))
    skip_reason: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), server_default=func.now(), onupdate=func.now()
    )

    def __repr__(self) -> str:  # no recipient: reprs end up in logs
        return f"<Message {self.id} {self.kind} {self.channel} {self.status}>"


class ContactConsent(Base):
    """Whether a client agreed to messages on a channel (the current state; events keep history)."""

    __tablename__ = "contact_consents"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(choice_type("consent_channel", CHANNELS), primary_key=True)
    granted: Mapped[bool]
    source: Mapped[str] = mapped_column(choice_type("consent_source", CONSENT_SOURCES))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


class ConsentEvent(Base):
    """Every consent, withdrawal, opt-out and opt-in, with where it came from and when."""

    __tablename__ = "consent_events"

    id: Mapped[intpk]
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    channel: Mapped[str] = mapped_column(choice_type("consent_event_channel", CHANNELS))
    address: Mapped[str | None] = mapped_column(String(254))
    event: Mapped[str] = mapped_column(choice_type("consent_event", CONSENT_EVENTS))
    source: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


class InboundMessage(Base):
    """An SMS a client (or anyone) sent to the practice's number. The body is health
    information: it lives here only, never in logs, messages or URLs.

    One row per client the number belongs to (several clients may share a phone), or one row
    without a client when it matches nobody. Twilio's ``MessageSid`` is unique per client, so a
    replayed webhook is ignored. ``keyword``: the reply was exactly STOP, START or HELP (see
    ``mbc.delivery.keywords``); only free text (no keyword) is a "new reply" for the clinician
    until one of the client's clinicians opens the client's page (``seen_at``).
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("message_sid", "client_id"),
        # NULLs are distinct in a unique constraint: the unmatched rows need their own index.
        Index(
            "uq_inbound_messages_message_sid_unmatched",
            "message_sid",
            unique=True,
            sqlite_where=text("client_id IS NULL"),
            postgresql_where=text("client_id IS NULL"),
        ),
        Index("ix_inbound_messages_client_id_received_at", "client_id", "received_at"),
    )

    id: Mapped[intpk]
    message_sid: Mapped[str | None] = mapped_column(String(64))
    from_number: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    body: Mapped[str] = mapped_column(String(1600))
    keyword: Mapped[str | None] = mapped_column(choice_type("inbound_keyword", INBOUND_KEYWORDS))
    received_at: Mapped[datetime]
    seen_at: Mapped[datetime | None]
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    def __repr__(self) -> str:  # no number or body: reprs end up in logs
        return f"<InboundMessage {self.id}>"


class Suppression(Base):
    """An address that must get nothing on a channel: opted out, unsubscribed, or invalid."""

    __tablename__ = "suppressions"

    channel: Mapped[str] = mapped_column(
        choice_type("suppression_channel", CHANNELS), primary_key=True
    )
    address: Mapped[str] = mapped_column(String(254), primary_key=True)
    reason: Mapped[str] = mapped_column(choice_type("suppression_reason", SUPPRESSION_REASONS))
    source: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(String(200))
    since: Mapped[datetime]


class DevOutboxEntry(Base):
    """What the console backends "sent": listed at /dev/outbox so a newcomer can play the client.

    Only the console backends write here; production backends keep no message bodies.
    """

    __tablename__ = "dev_outbox"

    id: Mapped[intpk]
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), unique=True)
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(4000))
    sent_at: Mapped[datetime]
