"""The practice's pulse schedule, as an admin sets it (audited by field)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.wellbeing.models import PulseSchedule

DEFAULTS = {"every_months": 1, "window_days": 10, "reminder_days_before_close": 3}


@dataclass(frozen=True)
class ScheduleValues:
    is_active: bool
    first_opens_on: date
    every_months: int
    window_days: int
    reminder_days_before_close: int


def current() -> PulseSchedule | None:
    return db.session.scalar(select(PulseSchedule).order_by(PulseSchedule.id).limit(1))


def save(values: ScheduleValues, actor: StaffUser) -> PulseSchedule:
    """Create or change the one schedule; the scheduler opens the next window from it."""
    schedule = current()
    if schedule is None:
        schedule = PulseSchedule(first_opens_on=values.first_opens_on, updated_at=utcnow())
        db.session.add(schedule)
    changed = [
        name
        for name, value in vars(values).items()
        if getattr(schedule, name, None) != value or schedule.id is None
    ]
    for name, value in vars(values).items():
        setattr(schedule, name, value)
    schedule.updated_at, schedule.updated_by_id = utcnow(), actor.id
    audit.record("wellbeing.schedule", detail={"fields": sorted(changed)}, actor=actor)
    db.session.flush()
    return schedule
