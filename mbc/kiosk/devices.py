"""Enrolling, recognising and revoking kiosk devices.

The device's browser keeps one long-lived cookie holding a random token (HttpOnly, SameSite
Strict, Secure in production); the server keeps only the token's SHA-256. Revoking the record
stops the cookie at once, and every enrolment and revocation is audit-logged.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import Request, Response, current_app
from sqlalchemy import select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.kiosk.models import KioskDevice, KioskVisit

COOKIE = "mbc_kiosk"
COOKIE_DAYS = 400  # the longest a browser keeps a cookie (Chrome caps expiry at 400 days)
SEEN_EVERY = timedelta(minutes=1)  # last seen is written at most this often


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def enrol(name: str, actor: StaffUser, now: datetime) -> tuple[KioskDevice, str]:
    """A new device record and the token for its cookie (shown to nobody, stored only hashed)."""
    token = secrets.token_urlsafe(32)
    device = KioskDevice(
        name=name.strip()[:80], token_hash=digest(token), created_by_id=actor.id, last_seen_at=now
    )
    db.session.add(device)
    db.session.flush()
    audit.record("kiosk.enrol", target=f"kiosk:{device.id}", actor=actor)
    return device, token


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        secure=current_app.config["ENV"] == "production",
        samesite="Strict",
        path="/kiosk",
    )


def from_request(request: Request) -> KioskDevice | None:
    """The device whose token the request's cookie holds, revoked or not; None when unknown."""
    token = request.cookies.get(COOKIE, "")
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(KioskDevice).where(KioskDevice.token_hash == digest(token)))


def touch(device: KioskDevice, now: datetime) -> None:
    if device.last_seen_at is None or now - device.last_seen_at >= SEEN_EVERY:
        device.last_seen_at = now


def revoke(device: KioskDevice, actor: StaffUser, now: datetime) -> None:
    """The cookie stops working at once, and a visit on screen ends with it."""
    if device.revoked_at is not None:
        return
    device.revoked_at, device.revoked_by_id = now, actor.id
    for visit in db.session.scalars(
        select(KioskVisit).where(KioskVisit.device_id == device.id, KioskVisit.ended_at.is_(None))
    ):
        visit.ended_at, visit.end_reason = now, "revoked"
    audit.record("kiosk.revoke", target=f"kiosk:{device.id}", actor=actor)


def listed() -> list[KioskDevice]:
    return list(
        db.session.scalars(
            select(KioskDevice).order_by(KioskDevice.revoked_at.is_not(None), KioskDevice.name)
        )
    )
