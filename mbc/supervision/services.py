"""Assigning supervisees (admins only), and who supervises whom."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, delete, select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.supervision.models import Supervision


def supervisee_ids(supervisor_id: int) -> Select[tuple[int]]:
    """A subquery of the ids ``supervisor_id`` supervises (for the access rule)."""
    return select(Supervision.supervisee_id).where(Supervision.supervisor_id == supervisor_id)


def supervisees_of(supervisor: StaffUser) -> list[StaffUser]:
    return list(
        db.session.scalars(
            select(StaffUser)
            .join(Supervision, Supervision.supervisee_id == StaffUser.id)
            .where(Supervision.supervisor_id == supervisor.id)
            .order_by(StaffUser.name, StaffUser.id)
        )
    )


def supervises(supervisor: StaffUser, supervisee_id: int) -> bool:
    return (
        db.session.scalar(
            select(Supervision.id).where(
                Supervision.supervisor_id == supervisor.id,
                Supervision.supervisee_id == supervisee_id,
            )
        )
        is not None
    )


def is_supervisor(user: StaffUser) -> bool:
    return (
        db.session.scalar(select(Supervision.id).where(Supervision.supervisor_id == user.id))
        is not None
    )


def candidates(supervisor: StaffUser) -> list[StaffUser]:
    """Who can be assigned: active clinicians other than the supervisor."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(
                StaffUser.role == "clinician",
                StaffUser.is_active.is_(True),
                StaffUser.id != supervisor.id,
            )
            .order_by(StaffUser.name, StaffUser.id)
        )
    )


def set_supervisees(supervisor: StaffUser, ids: Iterable[int], *, actor: StaffUser) -> bool:
    """Make ``ids`` exactly ``supervisor``'s supervisees; audit-logged. True when it changed.

    Only clinicians supervise and are supervised (an admin sees every client already), and
    nobody supervises themselves: anything else is refused with ``ValueError``.
    """
    wanted = set(ids)
    allowed = {u.id for u in candidates(supervisor)}
    if supervisor.role != "clinician" and wanted:
        raise ValueError("not_clinician")
    if wanted - allowed:
        raise ValueError("invalid_choice")
    current = set(db.session.scalars(supervisee_ids(supervisor.id)))
    if current == wanted:
        return False
    removed, added = current - wanted, wanted - current
    if removed:
        db.session.execute(
            delete(Supervision).where(
                Supervision.supervisor_id == supervisor.id,
                Supervision.supervisee_id.in_(removed),
            )
        )
    for supervisee_id in sorted(added):
        db.session.add(
            Supervision(
                supervisor_id=supervisor.id, supervisee_id=supervisee_id, created_by_id=actor.id
            )
        )
    db.session.flush()
    audit.record(
        "staff.supervisees",
        target=f"staff:{supervisor.id}",
        detail={"added": sorted(added), "removed": sorted(removed)},
        actor=actor,
    )
    return True
