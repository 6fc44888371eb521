"""Which report pages exist, what each can be broken down by, and how each builds its tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from mbc.reports import (
    delivery_health,
    documentation,
    funnel,
    intensity,
    outcomes,
    practice_metrics,
    satisfaction,
)
from mbc.reports.filters import ReportFilters
from mbc.reports.table import Table
from mbc.staffing import retention


@dataclass(frozen=True)
class Context:
    filters: ReportFilters
    by: str
    now: datetime
    practice: Any


@dataclass(frozen=True)
class ReportPage:
    title: Any
    groupings: dict[str, Any]
    build: Callable[[Context], list[Table]]
    intro: Any = ""


PAGES: dict[str, ReportPage] = {
    "completion": ReportPage(
        _l("Completion"),
        funnel.GROUPINGS,
        lambda c: funnel.funnel(c.filters, c.by, c.now),
        _l("Whether measurement happens: from check-in created to completed before the session."),
    ),
    "delivery": ReportPage(
        _l("Delivery health"),
        {"none": _l("Reason")},
        lambda c: [
            delivery_health.failures(c.filters),
            *delivery_health.contact_issues(c.filters),
        ],
        _l("Messages that did not arrive and clients who cannot be reached, with links to fix."),
    ),
    "outcomes": ReportPage(
        _l("Outcomes"),
        outcomes.GROUPINGS,
        lambda c: outcomes.outcomes(c.filters, c.by, c.practice.min_group_size),
        _l(
            "Whether clients get better. Compare groups only alongside their baseline severity "
            "and size: outcomes are one input among many, not a ranking."
        ),
    ),
    "caseload": ReportPage(
        _l("Caseload intensity"),
        {"clinician": _l("Clinician")},
        lambda c: intensity.intensity(c.filters, c.now),
        _l("How heavy each caseload is, by severity, and how many sessions are held."),
    ),
    "practice": ReportPage(
        _l("Practice metrics"),
        {"clinician": _l("Clinician")},
        lambda c: [
            *practice_metrics.metrics(
                c.filters,
                c.now,
                c.practice.late_cancel_hours,
                c.practice.utilisation_warning_percent,
            ),
            documentation.documentation(c.filters, c.now, c.practice.documentation_target_hours),
        ],
        _l("Attendance, retention, utilisation and documentation time from appointments."),
    ),
    "staff": ReportPage(
        _l("Staff retention and time off"),
        {"team": _l("Team")},
        lambda c: retention.tables(c.filters, c.now, c.practice.min_group_size),
        _l(
            "Who stays, how long, why people leave, and whether they take their leave: for "
            "looking after the team, never for judging a person."
        ),
    ),
    "satisfaction": ReportPage(
        _l("Satisfaction"),
        outcomes.GROUPINGS,
        lambda c: satisfaction.satisfaction(c.filters, c.by, c.practice.min_group_size),
        _l("What clients say about their care."),
    ),
}
