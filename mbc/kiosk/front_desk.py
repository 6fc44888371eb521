"""What the front desk sees of the kiosk: today's codes beside the sessions, and, above
everything, a client at a kiosk who answered a critical item and needs someone now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select

from mbc.assessments.models import Alert, Assignment, CheckIn, Response
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.kiosk import codes
from mbc.kiosk.models import KioskDevice, KioskVisit
from mbc.practice.services import get_practice


@dataclass(frozen=True)
class TodayCode:
    check_in_id: int
    code: str

    @property
    def grouped(self) -> str:
        return codes.grouped(self.code)


def today_codes(appointment_ids: Iterable[int], now: datetime) -> dict[int, TodayCode]:
    """For each of today's sessions with a check-in still to answer, its code: the check-in
    before the session first, else the one that opens at its start (SRS)."""
    ids = list(appointment_ids)
    if not ids:
        return {}
    found = db.session.scalars(
        select(CheckIn)
        .where(
            CheckIn.appointment_id.in_(ids),
            CheckIn.status == "open",
            CheckIn.closes_at > now,
            CheckIn.session_starts_at.is_not(None),
        )
        .order_by(CheckIn.opens_at, CheckIn.id)
    ).all()
    day = codes.today(now)
    chosen: dict[int, CheckIn] = {}
    for check_in in found:
        if codes.session_day(check_in) == day and check_in.appointment_id not in chosen:
            chosen[check_in.appointment_id or 0] = check_in
    by_check_in = codes.codes_for(chosen.values())
    return {a: TodayCode(c.id, by_check_in[c.id]) for a, c in chosen.items()}


@dataclass(frozen=True)
class NeedsYou:
    """A critical-item alert raised by answers given at a kiosk today, not yet acknowledged."""

    alert_id: int
    client_id: int
    client_ref: str
    device_name: str
    raised_at: datetime


def needs_you(client_ids: Select[Any] | None, now: datetime) -> list[NeedsYou]:
    """Open critical-item alerts from today's kiosk visits (of ``client_ids``; None: all)."""
    zone = ZoneInfo(get_practice().timezone)
    midnight = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    query = (
        select(Alert.id, Alert.client_id, Client.client_ref, KioskDevice.name, Alert.created_at)
        .join(Client, Client.id == Alert.client_id)
        .join(Response, Response.id == Alert.response_id)
        .join(Assignment, Assignment.id == Response.assignment_id)
        .join(KioskVisit, KioskVisit.check_in_id == Assignment.check_in_id)
        .join(KioskDevice, KioskDevice.id == KioskVisit.device_id)
        .where(
            Alert.status == "open",
            Alert.kind == "critical_item",
            KioskVisit.started_at >= midnight,
            Alert.created_at >= KioskVisit.started_at,
            or_(KioskVisit.ended_at.is_(None), Alert.created_at <= KioskVisit.ended_at),
        )
        .order_by(Alert.created_at.desc())
    )
    if client_ids is not None:
        query = query.where(Alert.client_id.in_(client_ids))
    seen: set[int] = set()
    rows = []
    for alert_id, client_id, ref, device, raised in db.session.execute(query):
        if alert_id not in seen:
            seen.add(alert_id)
            rows.append(NeedsYou(alert_id, client_id, ref, device, raised))
    return rows


def home_context(user: StaffUser, page: Any, now: datetime) -> dict[str, Any]:
    """For the Today page: the codes of today's sessions (the first of its days) and the
    kiosk clients who need someone now (among the clients the user may see)."""
    from mbc.clinician.queries import visible_client_ids

    today_rows = page.days[0][1] if page.days else []
    return {
        "kiosk_codes": today_codes((row.appointment_id for row in today_rows), now),
        "kiosk_needs_you": needs_you(
            None if user.is_admin else visible_client_ids(user, active_only=False), now
        ),
    }
