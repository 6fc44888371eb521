"""Documentation completion time: how long after a session its note is completed, beside the
practice's target (``documentation_target_hours``, default 24).

Counted over the sessions held in the period that have started. A session's end is its start
plus ``SESSION_MINUTES`` [decision: appointments carry a start time only; 50 minutes is the
usual psychotherapy session, CPT 90834's 38-52 minutes], and a note completed before that
counts as 0 hours. The on-time share is over the sessions already decided: documented, or past
their target without documentation; a session still inside its target and not yet documented
is neither on time nor late. Medians are computed in SQL with window functions (the middle row,
or the mean of the middle two), in a fixed number of statements whatever the practice's size.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, or_, select

from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment
from mbc.extensions import db
from mbc.reports.filters import ReportFilters
from mbc.reports.sql import hours_between
from mbc.reports.table import Column, Table, share

SESSION_MINUTES = 50


def _held(filters: ReportFilters, now: datetime) -> list[Any]:
    return [
        Appointment.status == "completed",
        filters.between(Appointment.starts_at),
        Appointment.starts_at < now,
        filters.people(StaffUser.team_id, StaffUser.id),
    ]


def _hours() -> Any:
    """Hours from the session's end to its documentation, 0 when documented before it ended."""
    raw = hours_between(Appointment.documentation_completed_at, Appointment.starts_at) - (
        SESSION_MINUTES / 60
    )
    return case((raw < 0, literal(0.0)), else_=raw)


def counts(filters: ReportFilters, now: datetime, target: int) -> list[Any]:
    """Per clinician: sessions held, documented, decided (documented or past the target) and
    documented on time."""
    documented = Appointment.documentation_completed_at.is_not(None)
    # A session's target passes at start + session + target; compared in Python-free SQL by
    # moving ``now`` back instead of moving every start forward.
    overdue_start = now - timedelta(minutes=SESSION_MINUTES) - timedelta(hours=target)
    decided = or_(documented, Appointment.starts_at <= overdue_start)
    on_time = and_(documented, _hours() <= target)

    def total(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            StaffUser.id,
            StaffUser.name,
            func.count().label("held"),
            total(documented).label("documented"),
            total(decided).label("decided"),
            total(on_time).label("on_time"),
        )
        .join(StaffUser, StaffUser.id == Appointment.clinician_id)
        .where(*_held(filters, now))
        .group_by(StaffUser.id, StaffUser.name)
        .order_by(StaffUser.name)
    )
    return list(db.session.execute(query).all())


def medians(filters: ReportFilters, now: datetime) -> tuple[dict[int, float], float | None]:
    """Median hours to documentation per clinician, and the practice's (two statements)."""

    def middle(partition: Any) -> Any:
        ranked = (
            select(
                partition.label("key"),
                _hours().label("hours"),
                func.row_number().over(partition_by=partition, order_by=_hours()).label("rn"),
                func.count().over(partition_by=partition).label("n"),
            )
            .join(StaffUser, StaffUser.id == Appointment.clinician_id)
            .where(*_held(filters, now), Appointment.documentation_completed_at.is_not(None))
            .subquery()
        )
        return (
            select(ranked.c.key, func.avg(ranked.c.hours))
            .where(ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]))
            .group_by(ranked.c.key)
        )

    per = {int(k): float(v) for k, v in db.session.execute(middle(Appointment.clinician_id))}
    practice = db.session.execute(middle(literal(0))).first()
    return per, float(practice[1]) if practice else None


def _row(name: str, c: dict[str, int], median: float | None) -> dict[str, Any]:
    return {
        "group": name,
        "held": c["held"],
        "documented": c["documented"],
        "undocumented": c["held"] - c["documented"],
        "median_hours": median,
        "on_time_share": share(c["on_time"], c["decided"]),
    }


def documentation(filters: ReportFilters, now: datetime, target: int) -> Table:
    rows = counts(filters, now, target)
    per, practice = medians(filters, now)
    names = ("held", "documented", "decided", "on_time")
    table_rows = [_row(r.name, {k: int(getattr(r, k)) for k in names}, per.get(r.id)) for r in rows]
    if len(rows) > 1:
        total = {k: sum(int(getattr(r, k)) for r in rows) for k in names}
        table_rows.append(_row(str(_l("All")), total, practice))
    return Table(
        "documentation",
        str(_l("Documentation completion")),
        [
            Column("group", _l("Clinician")),
            Column("held", _l("Sessions held"), "count"),
            Column("documented", _l("Documented"), "count"),
            Column("undocumented", _l("Not yet documented"), "count"),
            Column("median_hours", _l("Median hours after the session"), "number"),
            Column("on_time_share", _l("Within the target %"), "percent"),
        ],
        table_rows,
        note=str(
            _l(
                "Time from the end of a held session (its start plus %(minutes)s minutes, a "
                "convention: appointments carry only a start) to its documentation in the EHR. "
                "The target is %(hours)s hours; sessions still inside it and not yet documented "
                "are not counted as late.",
                minutes=SESSION_MINUTES,
                hours=target,
            )
        ),
    )
