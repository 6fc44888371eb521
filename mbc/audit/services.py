"""Recording audit events. Callers pass ids and field names only, never health information.

Every row is chained to the one before it as it is inserted (mbc.audit.sealing); the functions
below that rewrite or delete rows (a client's redaction, the retention purge) keep it whole."""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, func, insert, select, true

from mbc.audit import chain
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
    label: str | None = None,
) -> AuditEvent:
    """Add one event to the session (the caller commits with the change it describes).
    ``label`` names an actor who is not a person (an API client: ``api:<id> <name>``)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()  # type: ignore[attr-defined]
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else (label or _process_label())[:254],
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


def record_list(action: str, client_ids: Iterable[int | None], **detail: Any) -> AuditEvent:
    """One event for a page that lists clients: the ids of every client it shows (ids only,
    never names), so the log answers "who saw this client" for lists as well as pages."""
    shown = sorted({i for i in client_ids if i is not None})
    return record(action, detail={**detail, "client_ids": shown})


def _process_label() -> str:
    """Who acted when no one is signed in: an API client (mbc.fhir), a web visitor, or the OS
    user running a command."""
    if has_request_context():
        api_client = g.get("api_client")
        return f"api:{api_client.id} {api_client.name}" if api_client else "anonymous"
    try:
        return f"cli:{getpass.getuser()}"
    except OSError:
        return "cli"


def insert_many(rows: list[dict[str, Any]]) -> None:
    """Insert many events in one statement (seeds, fixtures), chained like any other rows."""
    connection = db.session.connection()
    chain.lock(connection)
    last = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    db.session.execute(insert(AuditEvent), rows)
    chain.rechain(connection, last + 1)


def redact_client(client_id: int) -> int:
    """Take one client out of the log before the client is removed for good: blank the rows'
    client, a ``client:<id>`` target and the id in a list view's ``client_ids``, then chain
    every row from the first one changed again (checking the old chain as it goes, so a
    redaction cannot hide tampering). Records "audit.redact" with the number of rows; returns it.
    """
    db.session.flush()
    connection = db.session.connection()
    chain.lock(connection)
    first = next(
        (row.id for row in chain.rows_from(connection, 1) if _redacted(row, client_id)), None
    )
    changed = 0
    if first is not None:

        def change(values: dict[str, Any]) -> dict[str, Any] | None:
            nonlocal changed
            new = _redacted(values, client_id)
            changed += bool(new)
            return new

        chain.rechain(connection, first, change)
        for obj in list(db.session.identity_map.values()):
            if isinstance(obj, AuditEvent):
                db.session.expire(obj)
    record("audit.redact", detail={"rows": changed})
    db.session.flush()
    return changed


def _redacted(row: Any, client_id: int) -> dict[str, Any] | None:
    """The values that take ``client_id`` out of one row (None: the row does not name it)."""
    values = row if isinstance(row, dict) else row._mapping
    new: dict[str, Any] = {}
    if values["client_id"] == client_id:
        new["client_id"] = None
    if values["target"] == f"client:{client_id}":
        new["target"] = None
    detail = dict(values["detail"] or {})
    shown = detail.get("client_ids")
    if isinstance(shown, list) and client_id in shown:
        detail["client_ids"] = [i for i in shown if i != client_id]
        new["detail"] = detail
    if detail.get("client_id") == client_id:  # none names one today; one that ever does goes
        del detail["client_id"]
        new["detail"] = detail
    return new or None


@dataclass(frozen=True)
class Purge:
    cutoff: datetime
    count: int


def purge(now: datetime, years: int, *, dry_run: bool = False) -> Purge:
    """Delete the rows older than ``years`` (the practice's retention), oldest first, so what
    remains is still one unbroken chain from its oldest row. Records "audit.purge" with the
    count and the cut-off when it deleted anything."""
    cutoff = years_before(now, years)
    db.session.flush()
    connection = db.session.connection()
    chain.lock(connection)
    keep_from = db.session.scalar(
        select(func.min(AuditEvent.id)).where(AuditEvent.occurred_at >= cutoff)
    )
    older = AuditEvent.id < keep_from if keep_from is not None else true()
    count = db.session.scalar(select(func.count()).select_from(AuditEvent).where(older)) or 0
    if count and not dry_run:
        db.session.execute(
            delete(AuditEvent).where(older), execution_options={"synchronize_session": False}
        )
        record("audit.purge", detail={"count": count, "before": cutoff.isoformat()})
        db.session.flush()
    return Purge(cutoff, count)


def years_before(moment: datetime, years: int) -> datetime:
    """The same date ``years`` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
