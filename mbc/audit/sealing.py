"""Seal audit rows as they are written: every flush that inserts ``AuditEvent`` rows takes the
audit writers' lock first and chains the new rows right after (see mbc.audit.chain), inside the
same transaction, so no committed row is ever left out of the chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, attributes

from mbc.audit import chain
from mbc.audit.models import AuditEvent

PENDING = "mbc_audit_pending"


@event.listens_for(Session, "before_flush")
def _lock_before_insert(session: Session, _context: Any, _instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    session.info[PENDING] = new  # always: a failed flush must not leave its list behind
    if new:
        chain.lock(session.connection())


@event.listens_for(Session, "after_flush")
def _seal_after_insert(session: Session, _context: Any) -> None:
    new: list[AuditEvent] = session.info.pop(PENDING, [])
    if not new:
        return
    new.sort(key=lambda e: e.id)
    rows = [{name: getattr(e, name) for name in chain.HASHED} for e in new]
    sealed = chain.seal_new(session.connection(), rows)
    for obj, (link, digest) in zip(new, sealed, strict=True):
        # keep the objects in step with the rows (no second UPDATE from the ORM)
        attributes.set_committed_value(obj, "prev_hash", link)
        attributes.set_committed_value(obj, "hash", digest)
