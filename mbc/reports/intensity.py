"""Caseload intensity: each clinician's active clients weighted by latest severity, and
sessions held per week; a team view sums its clinicians.

The weights are a [decision] convention of this report, not a clinical rule: a client counts
1 in the instrument's lowest severity band and one more for each band above it (PHQ-9:
minimal 1 ... severe 5); a client with no valid score on the instrument counts 1.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, literal, select

from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, Client
from mbc.extensions import db
from mbc.instruments import registry
from mbc.practice.models import Team
from mbc.reports.filters import ReportFilters
from mbc.reports.score_probes import score_probe
from mbc.reports.table import Column, Table
from mbc.templating import instrument_name


def _weight(code: str, band: Any) -> Any:
    """1 for the lowest band, one more per band above; 1 too for a band the definition lacks."""
    bands = registry.get(code).scoring.bands
    return case(
        *((band == b.key, literal(index + 1)) for index, b in enumerate(bands)), else_=literal(1)
    )


def per_clinician(filters: ReportFilters) -> Any:
    """A subquery: one row per active clinician in the filters with their intensity figures."""
    code = filters.instrument or "phq9"
    # Each active client's weight from their latest band: one index probe per client. OFFSET 0
    # keeps PostgreSQL from copying the probe into each expression that uses the weight.
    latest_weight = score_probe(
        lambda r: _weight(code, r.severity),
        Client.id,
        code,
        newest=True,
        before=filters.ends_at,
        banded=True,
    )
    weights = (
        select(Client.primary_clinician_id.label("clinician_id"), latest_weight.label("weight"))
        .where(Client.status == "active")
        .offset(0)
        .subquery()
    )
    caseload = (
        select(
            weights.c.clinician_id,
            func.count().label("active"),
            func.count(weights.c.weight).label("scored"),
            func.sum(func.coalesce(weights.c.weight, 1)).label("weighted"),
        )
        .group_by(weights.c.clinician_id)
        .subquery()
    )
    sessions = (
        select(Appointment.clinician_id, func.count().label("held"))
        .where(Appointment.status == "completed", filters.between(Appointment.starts_at))
        .group_by(Appointment.clinician_id)
        .subquery()
    )
    return (
        select(
            StaffUser.id,
            StaffUser.name,
            StaffUser.team_id,
            func.coalesce(caseload.c.active, 0).label("active"),
            func.coalesce(caseload.c.scored, 0).label("scored"),
            func.coalesce(caseload.c.weighted, 0).label("weighted"),
            func.coalesce(sessions.c.held, 0).label("held"),
        )
        .outerjoin(caseload, caseload.c.clinician_id == StaffUser.id)
        .outerjoin(sessions, sessions.c.clinician_id == StaffUser.id)
        .where(StaffUser.role == "clinician", StaffUser.is_active.is_(True))
        .where(filters.people(StaffUser.team_id, StaffUser.id))
        .subquery()
    )


COLUMNS = [
    Column("active", _l("Active clients"), "count"),
    Column("scored", _l("With a score"), "count"),
    Column("weighted", _l("Weighted caseload"), "number"),
    Column("per_week", _l("Sessions held per week"), "number"),
]


def intensity(filters: ReportFilters, now: Any) -> list[Table]:
    code = filters.instrument or "phq9"
    rows = per_clinician(filters)
    weeks = max(filters.weeks_elapsed(now), 1 / 7)  # at least a day: no division by zero
    by_clinician = db.session.execute(select(rows).order_by(rows.c.name)).all()
    by_team = db.session.execute(
        select(
            Team.name,
            func.count().label("clinicians"),
            func.sum(rows.c.active).label("active"),
            func.sum(rows.c.scored).label("scored"),
            func.sum(rows.c.weighted).label("weighted"),
            func.sum(rows.c.held).label("held"),
        )
        .select_from(rows)
        .outerjoin(Team, Team.id == rows.c.team_id)
        .group_by(rows.c.team_id, Team.name)
        .order_by(Team.name)
    ).all()

    def figures(r: Any) -> dict[str, Any]:
        return {
            "active": int(r.active),
            "scored": int(r.scored),
            "weighted": float(r.weighted),
            "per_week": int(r.held) / weeks,
        }

    note = str(
        _l(
            "Weights are a convention of this report, not a clinical rule: a client counts 1 in "
            "the lowest %(instrument)s band and one more for each band above it; a client "
            "without a score counts 1. One input among many, never a quota.",
            instrument=instrument_name(code),
        )
    )
    return [
        Table(
            "intensity",
            str(_l("Caseload intensity by clinician")),
            [Column("group", _l("Clinician")), *COLUMNS],
            [{"group": r.name, **figures(r)} for r in by_clinician],
            note=note,
        ),
        Table(
            "intensity_teams",
            str(_l("Caseload intensity by team")),
            [
                Column("group", _l("Team")),
                Column("clinicians", _l("Clinicians"), "count"),
                *COLUMNS,
            ],
            [
                {
                    "group": r.name if r.name is not None else str(_l("No team")),
                    "clinicians": int(r.clinicians),
                    **figures(r),
                }
                for r in by_team
            ],
        ),
    ]
