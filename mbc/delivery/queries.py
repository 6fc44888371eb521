"""What the clinician's client page shows about delivery: the plan in force, recent messages
(with the staff notices of the client's alerts), and why a channel cannot be used. A fixed number
of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from mbc.alerts.services import is_escalation
from mbc.assessments.models import Alert
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.delivery import consent
from mbc.delivery.models import ConsentEvent, InboundMessage, Message
from mbc.delivery.plans import load_rules
from mbc.delivery.routing import Route, route
from mbc.delivery.schedule import RuleSpec
from mbc.extensions import db


@dataclass(frozen=True)
class PlanView:
    source: str  # practice, team or client
    rules: list[RuleSpec]
    paused_at: datetime | None


def plan_view(client: Client) -> PlanView:
    """The plan in force, chosen by the same rule the scheduler uses (``RuleIndex``)."""
    index = load_rules([client.id])
    source, rules = index.for_client(client.id, client.team_id)
    return PlanView(source, list(rules), index.paused_at.get(client.id))


@dataclass(frozen=True)
class HistoryEntry:
    """A message in a client's history: one sent to the client, or a notice to staff about one
    of the client's alerts (``staff``: who it went to; an escalation goes to admins)."""

    message: Message
    staff: str | None = None
    escalation: bool = False


def recent_messages(client_id: int, limit: int = 20) -> list[HistoryEntry]:
    """The client's newest messages with the staff notices of their alerts, in one statement,
    so the page shows who was told of an urgent answer, when, and whether it arrived."""
    of_alerts = select(Alert.id).where(Alert.client_id == client_id)
    rows = db.session.execute(
        select(Message, StaffUser.name)
        .outerjoin(StaffUser, StaffUser.id == Message.staff_user_id)
        .where(or_(Message.client_id == client_id, Message.alert_id.in_(of_alerts)))
        .order_by(Message.scheduled_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return [
        HistoryEntry(message, staff, message.kind == "alert" and is_escalation(message.dedupe_key))
        for message, staff in rows
    ]


def delivery_route(client: Client) -> Route:
    """Where the next message would go, and the codes of why any channel is passed over."""
    return route(consent.contacts_of([client])[client.id])


def replies_of(client_id: int, limit: int = 50) -> list[InboundMessage]:
    """The client's SMS replies (keywords too), newest first."""
    return list(
        db.session.scalars(
            select(InboundMessage)
            .where(InboundMessage.client_id == client_id)
            .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
            .limit(limit)
        )
    )


def consent_history(client_id: int, limit: int = 100) -> list[ConsentEvent]:
    """Every consent change of the client (channel, change, source, time), newest first."""
    return list(
        db.session.scalars(
            select(ConsentEvent)
            .where(ConsentEvent.client_id == client_id)
            .order_by(ConsentEvent.recorded_at.desc(), ConsentEvent.id.desc())
            .limit(limit)
        )
    )
