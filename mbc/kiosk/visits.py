"""A client's visit at a kiosk: begun by a right code, ended by finishing, going idle or a
reset. The device's open visit is the only thing that ties the browser to a check-in, so
ending it leaves the browser with nothing but its device cookie."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from mbc.assessments.models import CheckIn
from mbc.audit import services as audit
from mbc.extensions import db
from mbc.kiosk.models import KioskDevice, KioskVisit


def _open_visits(device: KioskDevice) -> list[KioskVisit]:
    return list(
        db.session.scalars(
            select(KioskVisit).where(
                KioskVisit.device_id == device.id, KioskVisit.ended_at.is_(None)
            )
        )
    )


def current(device: KioskDevice, now: datetime) -> KioskVisit | None:
    """The visit on the device's screen, counted as activity; a visit with no request for
    ``KIOSK_VISIT_IDLE_MINUTES`` ends here, whatever the page did (a backstop for the page's
    own idle reset)."""
    limit = timedelta(minutes=current_app.config["KIOSK_VISIT_IDLE_MINUTES"])
    found = None
    for visit in _open_visits(device):
        if now - visit.seen_at > limit:
            end(visit, "idle", now)
        else:
            found = visit
    if found is not None:
        found.seen_at = now
    return found


def start(device: KioskDevice, check_in: CheckIn, now: datetime) -> KioskVisit:
    """A new visit (whatever was on screen ends), audit-logged as a view of the client's data."""
    for visit in _open_visits(device):
        end(visit, "reset", now)
    visit = KioskVisit(device_id=device.id, check_in_id=check_in.id, started_at=now, seen_at=now)
    db.session.add(visit)
    audit.record("kiosk.check_in", client_id=check_in.client_id, target=f"kiosk:{device.id}")
    return visit


def end(visit: KioskVisit, reason: str, now: datetime) -> None:
    if visit.ended_at is None:
        visit.ended_at, visit.end_reason = now, reason


def end_all(device: KioskDevice, reason: str, now: datetime) -> None:
    for visit in _open_visits(device):
        end(visit, reason, now)
