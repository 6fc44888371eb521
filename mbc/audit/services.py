"""Recording audit events. Callers pass ids and field names only, never health information."""

from __future__ import annotations

import getpass
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from mbc.audit.models import AuditEvent
from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import db


def record(
    action: str,
    *,
    client_id: int | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    actor: StaffUser | None = None,
) -> AuditEvent:
    """Add one event to the session (the caller commits with the change it describes)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()  # type: ignore[attr-defined]
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else _process_label(),
        action=action,
        client_id=client_id,
        target=target,
        detail=detail or {},
    )
    if has_request_context():
        event.ip_address = (request.remote_addr or "")[:45] or None
        event.user_agent = (request.user_agent.string or "")[:200] or None
    db.session.add(event)
    return event


def _process_label() -> str:
    """Who acted when no one is signed in: a web visitor, or the OS user running a command."""
    if has_request_context():
        return "anonymous"
    try:
        return f"cli:{getpass.getuser()}"
    except OSError:
        return "cli"
