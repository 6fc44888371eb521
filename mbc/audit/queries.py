"""Reading the audit log for the admin page: filtered, newest first, one page at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from mbc.audit.models import AuditEvent
from mbc.clients.models import Client
from mbc.extensions import db


def audit_page(
    filters: dict[str, str], *, page: int, size: int
) -> tuple[list[tuple[AuditEvent, str | None]], int]:
    """Events with the client's ref (not name: the log page shows no client data)."""
    query = select(AuditEvent, Client.client_ref).outerjoin(
        Client, AuditEvent.client_id == Client.id
    )
    if filters.get("client_ref"):
        query = query.where(Client.client_ref == filters["client_ref"])
    if filters.get("actor"):
        query = query.where(func.lower(AuditEvent.actor_label).contains(filters["actor"].lower()))
    if filters.get("action"):
        query = query.where(AuditEvent.action.startswith(filters["action"]))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows: list[Any] = db.session.execute(
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return [(event, ref) for event, ref in rows], total
