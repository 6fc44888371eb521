"""What the clinician's client page shows about delivery: the plan in force, recent messages,
and why a channel cannot be used. A fixed number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mbc.clients.models import Client
from mbc.delivery import consent
from mbc.delivery.models import Message
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


def recent_messages(client_id: int, limit: int = 20) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.client_id == client_id)
            .order_by(Message.scheduled_at.desc(), Message.id.desc())
            .limit(limit)
        )
    )


def delivery_route(client: Client) -> Route:
    """Where the next message would go, and the codes of why any channel is passed over."""
    return route(consent.contacts_of([client])[client.id])
