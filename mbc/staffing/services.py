"""Recording employment dates, reasons for leaving and time off (admins; audit-logged)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.staffing.models import EmploymentRecord, TimeOff

REASONS = {
    "new_job": _l("Another job"),
    "relocation": _l("Moving away"),
    "pay": _l("Pay or benefits"),
    "workload": _l("Workload or burnout"),
    "career_change": _l("Career change"),
    "retirement": _l("Retirement"),
    "personal": _l("Personal or family reasons"),
    "end_of_contract": _l("End of contract"),
    "dismissal": _l("Dismissal"),
    "other": _l("Other"),
}
KINDS = {
    "annual_leave": _l("Annual leave (paid time off)"),
    "sick": _l("Sick leave"),
    "parental": _l("Parental leave"),
    "training": _l("Training or conference"),
    "unpaid": _l("Unpaid leave"),
    "other": _l("Other"),
}
UNITS = {"days": _l("days"), "hours": _l("hours")}
# [decision] hours of leave count as days at this many hours a day (a full-time working day).
HOURS_PER_DAY = Decimal(8)


class StaffingError(ValueError):
    """A record that cannot be saved; the message is a key the view turns into words."""


@dataclass(frozen=True)
class Employment:
    started_on: date | None
    left_on: date | None
    leaving_reason: str | None
    leaving_reason_other: str
    annual_allowance_days: Decimal | None


def record_of(user_id: int) -> EmploymentRecord | None:
    return db.session.get(EmploymentRecord, user_id)


def save_employment(user: StaffUser, values: Employment, *, actor: StaffUser) -> list[str]:
    """Store ``values`` for ``user``; returns the changed field names (audited by name only:
    a reason for leaving is personal)."""
    if values.left_on and values.started_on and values.left_on < values.started_on:
        raise StaffingError("left_before_start")
    if values.left_on is None and values.leaving_reason:
        raise StaffingError("reason_without_date")
    if values.leaving_reason == "other" and not values.leaving_reason_other:
        raise StaffingError("other_needs_words")
    record = record_of(user.id)
    if record is None:
        record = EmploymentRecord(user_id=user.id, leaving_reason_other="")
        db.session.add(record)
    new = asdict(values)
    if values.leaving_reason != "other":
        new["leaving_reason_other"] = ""
    changed = sorted(k for k, v in new.items() if getattr(record, k) != v)
    for name in changed:
        setattr(record, name, new[name])
    if changed:
        db.session.flush()
        audit.record(
            "staff.employment", target=f"staff:{user.id}", detail={"fields": changed}, actor=actor
        )
    return changed


@dataclass(frozen=True)
class TimeOffValues:
    starts_on: date
    ends_on: date
    amount: Decimal
    unit: str
    kind: str
    external_ref: str | None = None


def check_time_off(values: TimeOffValues) -> str | None:
    """Why an entry cannot be right, or None."""
    if values.ends_on < values.starts_on:
        return "ends_before_start"
    days = (values.ends_on - values.starts_on).days + 1
    limit = days * (24 if values.unit == "hours" else 1)
    if values.amount <= 0 or values.amount > limit:
        return "amount_out_of_range"
    return None


def add_time_off(user: StaffUser, values: TimeOffValues, *, actor: StaffUser | None) -> TimeOff:
    problem = check_time_off(values)
    if problem:
        raise StaffingError(problem)
    entry = TimeOff(user_id=user.id, created_by_id=actor.id if actor else None, **asdict(values))
    db.session.add(entry)
    db.session.flush()
    audit.record("staff.time_off_add", target=f"staff:{user.id}", actor=actor)
    return entry


def delete_time_off(entry: TimeOff, *, actor: StaffUser) -> None:
    db.session.delete(entry)
    audit.record("staff.time_off_delete", target=f"staff:{entry.user_id}", actor=actor)


def time_off_of(user_id: int) -> list[TimeOff]:
    return list(
        db.session.scalars(
            select(TimeOff)
            .where(TimeOff.user_id == user_id)
            .order_by(TimeOff.starts_on.desc(), TimeOff.id.desc())
        )
    )
