"""What a supervisor and supervisee look at together: the supervisee's outcomes beside the
practice's, the clients to talk about, caseload intensity, completion and practice metrics.

Every figure comes from the admin reports' own queries (``mbc.reports``) with the clinician
filter, so the review and the reports always agree, and the number of statements does not grow
with the caseload. Nothing from the wellbeing survey is read here: its answers are anonymous
and never belong to a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mbc.auth.models import StaffUser
from mbc.clinician import pages
from mbc.reports import clinician_outcomes, documentation, funnel, intensity, practice_metrics
from mbc.reports.filters import ReportFilters
from mbc.reports.table import Table


@dataclass
class Review:
    clinician: StaffUser
    filters: ReportFilters
    outcomes: list[Table]
    consultation: list[pages.CaseloadRow]
    tables: list[Table]  # intensity, completion, sessions, retention (and documentation)

    @property
    def client_ids(self) -> list[int]:
        return [row.client.id for row in self.consultation]


def consultation_list(clinician: StaffUser, now: datetime) -> list[pages.CaseloadRow]:
    """The clinician's own active clients (as primary clinician) who are not on track or have
    an open alert: the case consultation list."""
    rows = pages.caseload(clinician, now, search="", show="all").rows
    return [
        row
        for row in rows
        if row.client.primary_clinician_id == clinician.id and (row.not_on_track or row.open_alerts)
    ]


def own_tables(filters: ReportFilters, now: datetime, practice: Any) -> list[Table]:
    """Caseload intensity, completion (intake and follow-up) and the practice metrics, for the
    clinician the filters name."""
    caseload = intensity.intensity(filters, now)[0]
    completion = funnel.funnel(filters, "kind", now)[0]
    metrics = practice_metrics.metrics(
        filters, now, practice.late_cancel_hours, practice.utilisation_warning_percent
    )
    for table in metrics:  # one clinician: the practice row would repeat theirs
        if len(table.rows) == 2:
            table.rows = table.rows[:1]
    notes = documentation.documentation(filters, now, practice.documentation_target_hours)
    return [caseload, completion, *metrics, notes]


def review(clinician: StaffUser, filters: ReportFilters, now: datetime, practice: Any) -> Review:
    return Review(
        clinician,
        filters,
        clinician_outcomes.comparison(
            filters, clinician.id, clinician.name, practice.min_group_size
        ),
        consultation_list(clinician, now),
        own_tables(filters, now, practice),
    )
