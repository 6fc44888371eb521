"""Practice metrics from appointments: no-shows, late cancellations, sessions per client,
retention and utilisation.

Rates are over the sessions in the period that have already started and were recorded as held,
no-show or cancelled; a cancellation counts as late when recorded within the practice's
``late_cancel_hours`` of the start. Utilisation is sessions held divided by the clinician's
planned weekly capacity over the weeks of the period so far, flagged below the practice's line;
for a clinician who started part-way, the weeks count from the day of their first appointment
(any status) in the practice's time zone [decision: accounts are often made in bulk at set-up
and appointments imported from before, so the first appointment is the better start].
Retention follows the clients whose first held session falls in the period: a client *stopped
early* has fewer than three held sessions and nothing booked.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased

from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, Client
from mbc.extensions import db
from mbc.reports.filters import ReportFilters
from mbc.reports.sql import hours_between
from mbc.reports.table import Column, Table, share

RECORDED = ("completed", "no_show", "cancelled")


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def appointment_figures(filters: ReportFilters, now: datetime, late_hours: int) -> list[Any]:
    """Per clinician: held, no-show, cancelled, late-cancelled, unrecorded, clients seen."""
    late = and_(
        Appointment.status == "cancelled",
        Appointment.status_changed_at.is_not(None),
        hours_between(Appointment.starts_at, Appointment.status_changed_at) < late_hours,
    )
    held = Appointment.status == "completed"
    earlier = aliased(Appointment)
    first_booked = (
        select(func.min(earlier.starts_at))
        .where(earlier.clinician_id == StaffUser.id)
        .correlate(StaffUser)
        .scalar_subquery()
    )
    query = (
        select(
            StaffUser.id,
            StaffUser.name,
            StaffUser.weekly_capacity,
            first_booked.label("first_booked"),
            _count(held).label("held"),
            _count(Appointment.status == "no_show").label("no_show"),
            _count(Appointment.status == "cancelled").label("cancelled"),
            _count(late).label("late_cancelled"),
            _count(Appointment.status == "scheduled").label("unrecorded"),
            func.count(func.distinct(case((held, Appointment.client_id)))).label("clients"),
        )
        .join(StaffUser, StaffUser.id == Appointment.clinician_id)
        .where(filters.between(Appointment.starts_at), Appointment.starts_at < now)
        .where(filters.people(StaffUser.team_id, StaffUser.id))
        .group_by(StaffUser.id, StaffUser.name, StaffUser.weekly_capacity)
        .order_by(StaffUser.name)
    )
    return list(db.session.execute(query).all())


def retention_figures(filters: ReportFilters, now: datetime) -> list[Any]:
    """Per primary clinician: clients whose first held session is in the period, and how many
    of them stopped before their third."""
    held = (
        select(
            Appointment.client_id,
            func.min(Appointment.starts_at).label("first_held"),
            func.count().label("held"),
        )
        .where(Appointment.status == "completed", Appointment.starts_at < now)
        .group_by(Appointment.client_id)
        .subquery()
    )
    booked = exists().where(
        Appointment.client_id == held.c.client_id,
        Appointment.status == "scheduled",
        Appointment.starts_at >= now,
    )
    stopped = and_(held.c.held < 3, ~booked)
    query = (
        select(
            StaffUser.name,
            func.count().label("cohort"),
            _count(stopped).label("stopped"),
        )
        .select_from(held)
        .join(Client, Client.id == held.c.client_id)
        .join(StaffUser, StaffUser.id == Client.primary_clinician_id)
        .where(filters.between(held.c.first_held))
        .where(filters.people(Client.team_id, Client.primary_clinician_id))
        .group_by(StaffUser.id, StaffUser.name)
        .order_by(StaffUser.name)
    )
    return list(db.session.execute(query).all())


COUNTS = ("held", "no_show", "cancelled", "late_cancelled", "unrecorded", "clients")


def _appointment_row(
    name: str,
    counts: dict[str, int],
    capacity: int | None,
    weeks: float,
    line: int,
    planned: float | None = None,
) -> dict[str, Any]:
    """One row; ``planned`` is the sessions capacity allowed over the period (capacity times
    ``weeks`` unless given: the practice row sums each clinician's own)."""
    recorded = counts["held"] + counts["no_show"] + counts["cancelled"]
    held_capacity = counts.get("held_with_capacity", counts["held"])
    if planned is None:
        planned = capacity * weeks if capacity else None
    utilisation = share(held_capacity, round(planned, 6)) if planned else None
    months = weeks * 7 / 30.4375
    return {
        "group": name,
        "held": counts["held"],
        "no_show_rate": share(counts["no_show"], recorded),
        "late_cancel_rate": share(counts["late_cancelled"], recorded),
        "unrecorded": counts["unrecorded"],
        "per_client_month": counts["held"] / counts["clients"] / months
        if counts["clients"] and months
        else None,
        "capacity": capacity,
        "utilisation": utilisation,
        "below_line": utilisation is not None and utilisation < line,
    }


def metrics(filters: ReportFilters, now: datetime, late_hours: int, line: int) -> list[Table]:
    weeks = filters.weeks_elapsed(now)
    rows = appointment_figures(filters, now, late_hours)
    table_rows = []
    planned = 0.0
    for r in rows:
        counts = {key: int(getattr(r, key)) for key in COUNTS}
        own_weeks = filters.weeks_from(_day_start(r.first_booked, filters.timezone), now)
        if r.weekly_capacity:
            planned += r.weekly_capacity * own_weeks
        table_rows.append(_appointment_row(r.name, counts, r.weekly_capacity, own_weeks, line))
    if rows:
        total = {key: sum(int(getattr(r, key)) for r in rows) for key in COUNTS}
        total["clients"] = _distinct_clients_seen(filters, now)
        # Practice utilisation: only clinicians with a planned capacity count on either side.
        total["held_with_capacity"] = sum(int(r.held) for r in rows if r.weekly_capacity)
        capacity = sum(r.weekly_capacity for r in rows if r.weekly_capacity) or None
        table_rows.append(
            _appointment_row(str(_l("All")), total, capacity, weeks, line, planned=planned)
        )
    retention = retention_figures(filters, now)
    retention_rows = [
        {
            "group": r.name,
            "cohort": int(r.cohort),
            "stopped": int(r.stopped),
            "stopped_share": share(int(r.stopped), int(r.cohort)),
        }
        for r in retention
    ]
    if retention:
        cohort = sum(r["cohort"] for r in retention_rows)
        stopped = sum(r["stopped"] for r in retention_rows)
        retention_rows.append(
            {
                "group": str(_l("All")),
                "cohort": cohort,
                "stopped": stopped,
                "stopped_share": share(stopped, cohort),
            }
        )
    return [
        Table(
            "sessions",
            str(_l("Sessions")),
            [
                Column("group", _l("Clinician")),
                Column("held", _l("Sessions held"), "count"),
                Column("no_show_rate", _l("No-show %"), "percent"),
                Column("late_cancel_rate", _l("Late cancellation %"), "percent"),
                Column("unrecorded", _l("Not yet recorded"), "count"),
                Column("per_client_month", _l("Sessions per client per month"), "number"),
                Column("capacity", _l("Planned sessions a week"), "count"),
                Column("utilisation", _l("Utilisation %"), "percent"),
            ],
            table_rows,
            note=str(
                _l(
                    "Rates are over sessions recorded as held, no-show or cancelled. A "
                    "cancellation within %(hours)s hours of the session is late. Utilisation "
                    "below %(line)s%% of planned capacity is marked; for a clinician who "
                    "started part-way, capacity counts from the day of their first "
                    "appointment.",
                    hours=late_hours,
                    line=line,
                )
            ),
        ),
        Table(
            "retention",
            str(_l("Retention")),
            [
                Column("group", _l("Clinician")),
                Column("cohort", _l("Clients starting"), "count"),
                Column("stopped", _l("Stopped before a third session"), "count"),
                Column("stopped_share", _l("Stopped early %"), "percent"),
            ],
            retention_rows,
            note=str(
                _l(
                    "Clients whose first held session falls in the period; stopped early means "
                    "fewer than three held sessions and none booked."
                )
            ),
        ),
    ]


def _day_start(moment: datetime | None, zone: str) -> datetime | None:
    """The start of ``moment``'s calendar day in the practice's time zone."""
    if moment is None:
        return None
    local = moment.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date(), time(), ZoneInfo(zone))


def _distinct_clients_seen(filters: ReportFilters, now: datetime) -> int:
    return int(
        db.session.scalar(
            select(func.count(func.distinct(Appointment.client_id)))
            .join(StaffUser, StaffUser.id == Appointment.clinician_id)
            .where(Appointment.status == "completed")
            .where(filters.between(Appointment.starts_at), Appointment.starts_at < now)
            .where(filters.people(StaffUser.team_id, StaffUser.id))
        )
        or 0
    )
