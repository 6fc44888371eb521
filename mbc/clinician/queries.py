"""The clinician's pages in a fixed number of statements, whatever the caseload or history.

Scores are summarised in SQL with window functions (first, previous and latest valid score per
client and instrument), sessions carry their check-in and invitation in the same row, and every
query starts from the access rule in ``mbc.auth.access``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, or_, select, true
from sqlalchemy.orm import aliased, joinedload

from mbc.assessments.models import Alert, CheckIn, Response, valid_score
from mbc.auth.access import can_see_client
from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, Client
from mbc.clinician.summary import InstrumentSummary, Scored, sort_key, summarise
from mbc.delivery import consent
from mbc.delivery.models import InboundMessage, Message
from mbc.delivery.routing import Route, route
from mbc.extensions import db
from mbc.instruments import registry
from mbc.scoring.on_track import OnTrackRule

# Alerts in the order a clinician must see them: risk first.
ALERT_ORDER = (
    "critical_item",
    "critical_item_unanswered",
    # A check-in the client could not open: its questionnaire is not loaded (see README).
    "instrument_unavailable",
    "reliable_deterioration",
    "alliance_concern",
    "not_on_track",
)


def visible_client_ids(user: StaffUser, *, active_only: bool = True) -> Select[Any]:
    query = select(Client.id).where(can_see_client(user))
    return query.where(Client.status == "active") if active_only else query


def score_summaries(
    client_ids: Select[Any],
    *,
    rule: OnTrackRule,
    now: datetime,
    language: str,
    leave_out: frozenset[str] = frozenset(),
) -> dict[int, list[InstrumentSummary]]:
    """Each client's instruments at a glance: one statement, three rows at most per instrument.
    Instruments in ``leave_out`` (the satisfaction survey, by default) are not read at all."""
    partition = (Response.client_id, Response.instrument_code)
    ranked = (
        select(
            Response.client_id,
            Response.instrument_code,
            Response.total,
            Response.severity,
            Response.completed_at,
            func.row_number()
            .over(partition_by=partition, order_by=(Response.completed_at, Response.id))
            .label("from_first"),
            func.row_number()
            .over(
                partition_by=partition,
                order_by=(Response.completed_at.desc(), Response.id.desc()),
            )
            .label("from_last"),
            func.count().over(partition_by=partition).label("n"),
        )
        .where(
            Response.client_id.in_(client_ids),
            valid_score(),
            Response.instrument_code.not_in(leave_out) if leave_out else true(),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked).where(or_(ranked.c.from_first == 1, ranked.c.from_last <= 2))
    ).all()
    picked: dict[tuple[int, str], dict[str, Any]] = defaultdict(dict)
    for row in rows:
        entry = picked[(row.client_id, row.instrument_code)]
        scored = Scored(row.completed_at, row.total, row.severity)
        entry["n"] = row.n
        if row.from_first == 1:
            entry["baseline"] = scored
        if row.from_last == 1:
            entry["latest"] = scored
        elif row.from_last == 2 and row.n > 1:
            entry["previous"] = scored
    summaries: dict[int, list[InstrumentSummary]] = defaultdict(list)
    for (client_id, code), entry in picked.items():
        if not registry.has(code):
            continue  # a practice's definition no longer loaded: its scores cannot be judged
        summaries[client_id].append(
            summarise(
                code,
                entry["baseline"],
                entry.get("previous"),
                entry["latest"],
                entry["n"],
                rule=rule,
                now=now,
                language=language,
            )
        )
    for items in summaries.values():
        items.sort(key=sort_key)
    return summaries


def open_alerts(client_ids: Select[Any]) -> list[Alert]:
    """Open alerts of these clients, risk first, then oldest first (one statement)."""
    alerts = (
        db.session.scalars(
            select(Alert)
            .where(Alert.status == "open", Alert.client_id.in_(client_ids))
            .options(
                # the name is all the page needs of the client: no care team, clinician or team
                joinedload(Alert.client).lazyload("*"),
                joinedload(Alert.response),
                joinedload(Alert.changes),
            )
            .order_by(Alert.created_at)
        )
        .unique()
        .all()
    )
    return sorted(alerts, key=lambda a: ALERT_ORDER.index(a.kind))


@dataclass(frozen=True)
class NewReplies:
    """A client with SMS replies nobody on their care has read yet."""

    client_id: int
    client_name: str
    client_ref: str
    count: int
    latest_at: datetime


def new_replies(client_ids: Select[Any]) -> list[NewReplies]:
    """Clients among ``client_ids`` with unseen free-text replies, newest first (one statement;
    the bodies stay on the client's page)."""
    rows = db.session.execute(
        select(
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.client_ref,
            func.count(InboundMessage.id),
            func.max(InboundMessage.received_at),
        )
        .join(InboundMessage, InboundMessage.client_id == Client.id)
        .where(
            Client.id.in_(client_ids),
            InboundMessage.seen_at.is_(None),
            InboundMessage.keyword.is_(None),
        )
        .group_by(Client.id, Client.first_name, Client.last_name, Client.client_ref)
    ).all()
    found = [NewReplies(i, f"{first} {last}", ref, n, at) for i, first, last, ref, n, at in rows]
    return sorted(found, key=lambda r: r.latest_at, reverse=True)


@dataclass(frozen=True)
class SessionRow:
    appointment_id: int
    starts_at: datetime
    client_id: int
    client_name: str
    client_ref: str
    timezone: str
    check_in_status: str | None
    opened: bool
    started: bool
    message_status: str | None
    message_reason: str | None
    message_due_at: datetime | None
    route: Route

    @property
    def status(self) -> str:
        """completed, in_progress, not_started, scheduled, not_sent, closed or not_planned."""
        if self.check_in_status == "completed":
            return "completed"
        if self.check_in_status in ("closed", "revoked"):
            return "closed"
        if self.check_in_status == "open" and (self.opened or self.started):
            return "in_progress"
        if self.message_status in ("sent", "delivered", "sending"):
            return "not_started"
        if self.message_status == "pending":
            return "scheduled"
        if self.message_status is not None or not self.route.ok:
            return "not_sent"
        return "not_started" if self.check_in_status == "open" else "not_planned"

    @property
    def why_not_sent(self) -> str | None:
        """Reason codes (comma-separated) when nothing reached the client."""
        if self.status != "not_sent":
            return None
        return self.message_reason or ",".join(self.route.reasons) or None


def sessions(user: StaffUser, start: datetime, end: datetime) -> list[SessionRow]:
    """Sessions from ``start`` to ``end`` (the user's own; an admin sees the practice's), each
    with its latest check-in, whether it was opened or started, and its invitation's fate."""
    inner_check_in = aliased(CheckIn)
    inner_message = aliased(Message)
    # The latest check-in before the session, not the one from its start (SRS, asked about
    # the session itself): this view is about what the client answered before coming in.
    latest_check_in = (
        select(inner_check_in.id)
        .where(inner_check_in.appointment_id == Appointment.id)
        .order_by(
            case((inner_check_in.opens_at >= inner_check_in.session_starts_at, 1), else_=0),
            inner_check_in.id.desc(),
        )
        .limit(1)
        .scalar_subquery()
    )
    invitation = (
        select(func.max(inner_message.id))
        .where(inner_message.check_in_id == CheckIn.id, inner_message.kind == "invitation")
        .scalar_subquery()
    )
    query = (
        select(
            Appointment.id.label("appointment_id"),
            Appointment.starts_at,
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.client_ref,
            Client.timezone,
            Client.phone,
            Client.email,
            Client.preferred_channel,
            CheckIn.status.label("check_in_status"),
            CheckIn.first_opened_at,
            CheckIn.started_at.is_not(None).label("started"),
            Message.status.label("message_status"),
            Message.skip_reason,
            Message.due_at,
        )
        .join(Client, Appointment.client_id == Client.id)
        .outerjoin(CheckIn, CheckIn.id == latest_check_in)
        .outerjoin(Message, Message.id == invitation)
        .where(*_in_window(user, start, end))
        .order_by(Appointment.starts_at, Appointment.id)
    )
    rows = db.session.execute(query).all()
    contacts = consent.contacts_of(rows) if rows else {}  # two statements for all of them
    return [
        SessionRow(
            appointment_id=row.appointment_id,
            starts_at=row.starts_at,
            client_id=row.id,
            client_name=f"{row.first_name} {row.last_name}",
            client_ref=row.client_ref,
            timezone=row.timezone,
            check_in_status=row.check_in_status,
            opened=row.first_opened_at is not None,
            started=bool(row.started),
            message_status=row.message_status,
            message_reason=row.skip_reason,
            message_due_at=row.due_at,
            route=route(contacts[row.id]),
        )
        for row in rows
    ]


def session_client_ids(user: StaffUser, start: datetime, end: datetime) -> Select[Any]:
    """The ids of the clients in ``sessions`` (for the summaries of the same page)."""
    return (
        select(Appointment.client_id)
        .join(Client, Appointment.client_id == Client.id)
        .where(*_in_window(user, start, end))
    )


def _in_window(user: StaffUser, start: datetime, end: datetime) -> list[Any]:
    """The sessions of the pre-session view: held or booked, in the window, the user's own
    (an admin's: the practice's), of clients the user may see."""
    conditions = [
        can_see_client(user),
        Appointment.starts_at >= start,
        Appointment.starts_at < end,
        Appointment.status.in_(("scheduled", "completed")),
    ]
    if not user.is_admin:
        conditions.append(Appointment.clinician_id == user.id)
    return conditions


def client_responses(client_id: int) -> list[Response]:
    """Every completed response of the client, oldest first (one statement)."""
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.client_id == client_id, Response.status == "completed")
            .order_by(Response.completed_at, Response.id)
        )
    )


def client_alerts(client_id: int, limit: int = 50) -> list[Alert]:
    """The client's alerts: open ones first, then the most recent (one statement)."""
    return list(
        db.session.scalars(
            select(Alert)
            .where(Alert.client_id == client_id)
            .options(
                joinedload(Alert.response),
                joinedload(Alert.acknowledged_by),
                joinedload(Alert.resolved_by),
                joinedload(Alert.changes),
            )
            .order_by(case((Alert.status == "open", 0), else_=1), Alert.created_at.desc())
            .limit(limit)
        ).unique()
    )
