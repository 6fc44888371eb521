"""The demo's supervision and staffing: a supervisor for two clinicians, an agreed goal,
employment dates and some time off, so the new pages show something (idempotent)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.staffing.models import EmploymentRecord, TimeOff
from mbc.supervision.models import AgreedGoal, Supervision

# (email, started, annual allowance in days)
EMPLOYMENT = {
    "admin@demo.example.org": (date(2019, 3, 4), Decimal(25)),
    "alice@demo.example.org": (date(2021, 9, 1), Decimal(20)),
    "ben@demo.example.org": (date(2025, 1, 6), Decimal(20)),
    "carmen@demo.example.org": (date(2022, 5, 16), Decimal(22)),
    "dana@demo.example.org": (date(2016, 8, 29), Decimal(25)),
}


def seed_staffing(supervisor: StaffUser, supervisees: list[StaffUser]) -> None:
    """Employment records, leave and a goal; the caller commits."""
    for person in supervisees:
        exists = db.session.scalar(
            select(Supervision.id).where(
                Supervision.supervisor_id == supervisor.id,
                Supervision.supervisee_id == person.id,
            )
        )
        if exists is None:
            db.session.add(Supervision(supervisor_id=supervisor.id, supervisee_id=person.id))
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email.in_(EMPLOYMENT))).all()
    today = utcnow().date()
    for user in staff:
        if db.session.get(EmploymentRecord, user.id) is not None:
            continue
        started, allowance = EMPLOYMENT[user.email]
        db.session.add(
            EmploymentRecord(
                user_id=user.id,
                started_on=started,
                annual_allowance_days=allowance,
                leaving_reason_other="",
            )
        )
        for months_ago in (2, 5, 9):  # a few weeks of leave across the year
            first = today - timedelta(days=30 * months_ago)
            db.session.add(
                TimeOff(
                    user_id=user.id,
                    starts_on=first,
                    ends_on=first + timedelta(days=4),
                    amount=Decimal(5 if user.email != "ben@demo.example.org" else 1),
                    unit="days",
                    kind="annual_leave",
                )
            )
    if supervisees and db.session.scalar(select(AgreedGoal.id)) is None:
        db.session.add(
            AgreedGoal(
                clinician_id=supervisees[0].id,
                kind="clinical_skills",
                title="Review every not-on-track client with the feedback report",
                description="Each not-on-track client discussed in supervision within two weeks.",
                review_on=today + timedelta(days=2),
                created_by_id=supervisor.id,
            )
        )
    db.session.flush()
