"""Staff accounts managed by an admin: adding colleagues, changing their details, switching
accounts off, without ever locking the practice out of its own settings."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from mbc.audit import services as audit
from mbc.auth import staff_sessions
from mbc.auth.models import ROLES, StaffUser
from mbc.auth.passwords import hash_password
from mbc.auth.reset import queue_password_email
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.practice.models import LANGUAGES


class StaffError(ValueError):
    """A change that cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class StaffValues:
    email: str
    name: str
    role: str
    team_id: int | None
    preferred_language: str
    phone: str | None
    receives_escalations: bool
    weekly_capacity: int | None
    is_active: bool = True


def _check(values: StaffValues, user: StaffUser | None) -> None:
    if values.role not in ROLES or values.preferred_language not in LANGUAGES:
        raise StaffError("invalid_choice")
    taken = db.session.scalar(
        select(StaffUser.id).where(
            func.lower(StaffUser.email) == values.email.lower(),
            StaffUser.id != (user.id if user else 0),
        )
    )
    if taken:
        raise StaffError("email_taken")


def add_staff(values: StaffValues, *, actor: StaffUser) -> StaffUser:
    """A new account with no usable password: the colleague gets an email to choose their own,
    so no admin ever knows (or sends) anyone's password."""
    _check(values, None)
    user = StaffUser(
        password_hash=hash_password(secrets.token_urlsafe(32)),
        **{**asdict(values), "email": values.email.lower()},
    )
    db.session.add(user)
    db.session.flush()
    queue_password_email(user)
    audit.record("staff.create", target=f"staff:{user.id}", detail={"role": user.role}, actor=actor)
    return user


def update_staff(user: StaffUser, values: StaffValues, *, actor: StaffUser) -> list[str]:
    """Apply an admin's edit; returns the changed field names (audit-logged).

    Refused: an admin taking away their own admin role or account. They would be locked out
    mid-task, and since only an active admin can make changes here, the practice always keeps one.
    """
    _check(values, user)
    losing_admin = (
        user.role == "admin" and user.is_active and (values.role != "admin" or not values.is_active)
    )
    if losing_admin and user.id == actor.id:
        raise StaffError("self_lockout")
    new = {**asdict(values), "email": values.email.lower()}
    changed = sorted(name for name, value in new.items() if getattr(user, name) != value)
    for name in changed:
        setattr(user, name, new[name])
    if {"is_active", "role", "email"} & set(changed):
        staff_sessions.end_all(user, utcnow())  # signed out everywhere; signs in afresh
    if changed:
        audit.record(
            "staff.update", target=f"staff:{user.id}", detail={"fields": changed}, actor=actor
        )
        db.session.flush()
    return changed


def send_password_link(user: StaffUser, *, actor: StaffUser) -> bool:
    """Email the colleague a link to choose a password; False when one went in the last minutes."""
    if not user.is_active:
        raise StaffError("inactive")
    queued = queue_password_email(user)
    if queued:
        audit.record("staff.password_link", target=f"staff:{user.id}", actor=actor)
    return queued


def sign_out_everywhere(user: StaffUser, *, actor: StaffUser) -> int:
    """An admin ends every session of a colleague (a lost laptop, a shared computer)."""
    ended = staff_sessions.end_all(user, utcnow())
    audit.record(
        "staff.signout_everywhere",
        target=f"staff:{user.id}",
        detail={"sessions": ended},
        actor=actor,
    )
    db.session.flush()
    return ended
