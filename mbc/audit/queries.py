"""Reading the audit log for the admin page: filtered, newest first, one page at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from mbc.audit.models import AuditEvent
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.paging import Page, page_of


def audit_page(
    filters: dict[str, str], *, page: str | None, size: int
) -> tuple[list[tuple[AuditEvent, str | None]], Page]:
    """Events with the client's ref (not name: the log page shows no client data), on the page
    ``page`` asks for (see mbc.paging: past the end is the last page)."""
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
    shown = page_of(page, total, size)
    rows: list[Any] = db.session.execute(
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(shown.size)
        .offset(shown.offset)
    ).all()
    return [(event, ref) for event, ref in rows], shown
