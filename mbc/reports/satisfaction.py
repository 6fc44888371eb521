"""Satisfaction survey aggregates, with the minimum-group-size rule, and comments without names.

Comments are listed only when the filtered set holds at least the minimum number of surveys,
never with a client's or clinician's name, and newest first.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, func, literal, select

from mbc.assessments.models import Response
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.instruments import registry
from mbc.practice.models import Team
from mbc.reports import suppression
from mbc.reports.filters import ReportFilters
from mbc.reports.sql import month_start
from mbc.reports.table import Column, Table

CODE = "satisfaction"
COMMENT = "satisfaction_comment"
COMMENTS_SHOWN = 200


def _base(filters: ReportFilters) -> Any:
    return (
        select(Response)
        .join(Client, Client.id == Response.client_id)
        .where(
            Response.instrument_code == CODE,
            Response.status == "completed",
            filters.between(Response.completed_at),
            filters.people(Client.team_id, Client.primary_clinician_id),
        )
    )


def _figures(scored: list[Any]) -> list[Any]:
    return [
        func.count().label("n"),
        func.avg(Response.total).label("mean"),
        *(func.avg(Response.answers[item.id].as_float()).label(item.id) for item in scored),
    ]


def _figures_row(name: str, r: Any, scored: list[Any]) -> dict[str, Any]:
    """One group's figures, all of them (``suppression`` hides what must not show)."""
    out: dict[str, Any] = {"group": name, "n": int(r.n)}
    out["mean"] = float(r.mean) if r.mean is not None else None
    for item in scored:
        value = getattr(r, item.id)
        out[item.id] = float(value) if value is not None else None
    return out


def _row(name: str, r: Any, scored: list[Any], min_size: int) -> dict[str, Any]:
    """One group's figures, or only its size when it is smaller than ``min_size``."""
    out = _figures_row(name, r, scored)
    if out["n"] < min_size:
        suppression.hide(out, suppression.SMALL)
    return out


def overall(filters: ReportFilters, min_size: int) -> dict[str, Any]:
    """The mean score and per-statement means of every survey the filters select, in one
    statement; only ``n`` (and ``hidden``) when there are fewer than ``min_size`` surveys."""
    scored = [item for item in registry.get(CODE).items if item.scored]
    total = db.session.execute(_base(filters).with_only_columns(*_figures(scored))).one()
    return _row(str(_l("All")), total, scored, min_size)


def satisfaction(filters: ReportFilters, by: str, min_size: int) -> list[Table]:
    definition = registry.get(CODE)
    scored = [item for item in definition.items if item.scored]
    if by == "team":
        label, key, join = Team.name, Client.team_id, (Team, Team.id == Client.team_id)
    else:
        label, key = StaffUser.name, Client.primary_clinician_id
        join = (StaffUser, StaffUser.id == Client.primary_clinician_id)
    base = _base(filters).with_only_columns(*_figures(scored))
    grouped = (
        base.add_columns(label.label("label")).outerjoin(*join).group_by(key, label).order_by(label)
    )
    total = db.session.execute(base).one()

    rows = [
        _figures_row(r.label if r.label is not None else str(_l("No team")), r, scored)
        for r in db.session.execute(grouped)
    ]
    all_row = _figures_row(str(_l("All")), total, scored)
    suppression.apply(rows, all_row, min_size)
    rows.append(all_row)
    table = Table(
        "satisfaction",
        str(_l("Satisfaction")),
        [
            Column("group", _l("Team") if by == "team" else _l("Clinician")),
            Column("n", _l("Surveys (n)"), "count"),
            Column("mean", _l("Mean score (1-5)"), "number"),
            *(Column(item.id, definition.text(item.text, "en"), "number") for item in scored),
        ],
        rows,
        note=str(
            _l(
                "Our own survey, not a validated clinical measure. Groups of fewer than %(n)s "
                "surveys are hidden, and so are as many others as it takes that no hidden group "
                "can be worked out from the total.",
                n=min_size,
            )
        ),
    )
    comments = Table(
        "comments",
        str(_l("Comments")),
        [Column("month", _l("Month")), Column("comment", _l("Comment"))],
        note=str(_l("Listed without names, newest first.")),
    )
    if int(total.n) >= min_size:
        text = Response.answers[COMMENT].as_string()
        month = month_start(Response.completed_at, literal(filters.timezone, String()))
        listed = db.session.execute(
            _base(filters)
            .with_only_columns(month.label("month"), text)
            .where(text.is_not(None), text != "")
            .order_by(Response.completed_at.desc(), Response.id.desc())
            .limit(COMMENTS_SHOWN)
        )
        comments.rows = [
            {"month": f"{month:%Y-%m}", "comment": comment} for month, comment in listed
        ]
    else:
        comments.note = str(
            _l("Comments are shown once there are at least %(n)s surveys.", n=min_size)
        )
    return [table, comments]
