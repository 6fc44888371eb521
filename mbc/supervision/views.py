"""Supervision pages (a supervisor's supervisees and each one's review) and a clinician's own
view of their outcomes. Thin: ``review`` gathers the figures."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.auth.sessions import staff_required
from mbc.clinician import labels as clinician_labels
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.practice.services import get_practice
from mbc.reports import clinician_outcomes
from mbc.reports import goals as report_goals
from mbc.reports.filters import ReportFilters
from mbc.supervision import review, services
from mbc.supervision.forms import PeriodForm

bp = Blueprint("supervision", __name__)


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _period(clinician_id: int) -> tuple[PeriodForm, ReportFilters | None]:
    form = PeriodForm(request.args)
    zone = get_practice().timezone
    today: date = utcnow().astimezone(ZoneInfo(zone)).date()
    if request.args and not form.validate():
        return form, None
    return form, form.filters(ReportFilters.default(today, zone), clinician_id)


def supervisee_or_404(user_id: int) -> StaffUser:
    """The clinician ``user_id`` if the signed-in user supervises them (or is an admin)."""
    me = _me()
    clinician = db.session.get(StaffUser, user_id)
    if clinician is None or clinician.role != "clinician":
        abort(404)
    if not (me.is_admin or services.supervises(me, clinician.id)):
        abort(404)
    return clinician


@bp.get("/supervision")
@staff_required
def supervisees_page() -> ResponseReturnValue:
    return render_template(
        "supervision/supervisees.html", supervisees=services.supervisees_of(_me())
    )


@bp.get("/supervision/<int:user_id>")
@staff_required
def review_page(user_id: int) -> ResponseReturnValue:
    clinician = supervisee_or_404(user_id)
    form, filters = _period(clinician.id)
    found = None
    if filters is not None:
        found = review.review(clinician, filters, utcnow(), get_practice())
        detail = {"view": "supervision_review", "supervisee": clinician.id}
        audit.record_list("client.list", found.client_ids, **detail, **filters.as_args())
        db.session.commit()
    from mbc.supervision import goals
    from mbc.supervision.forms import GoalForm

    sets_goals = services.supervises(_me(), clinician.id)
    return render_template(
        "supervision/review.html",
        clinician=clinician,
        form=form,
        review=found,
        labels=clinician_labels,
        goals=goals.goals_of(clinician.id) if sets_goals else [],
        goal_form=GoalForm(formdata=None) if sets_goals else None,
        kinds=goals.KINDS,
        statuses=goals.STATUSES,
    ), (200 if found else 400)


@bp.get("/me/outcomes")
@staff_required
def my_outcomes() -> ResponseReturnValue:
    me = _me()
    form, filters = _period(me.id)
    tables, outcome_tables, team_goals = [], [], []
    if filters is not None:
        practice = get_practice()
        outcome_tables = clinician_outcomes.comparison(
            filters, me.id, me.name, practice.min_group_size
        )
        tables = review.own_tables(filters, utcnow(), practice)[:2]
        today = utcnow().astimezone(ZoneInfo(practice.timezone)).date()
        team_goals = report_goals.team_progress(me.team_id, today, practice.timezone)
        audit.record("outcomes.own_view", target=f"staff:{me.id}", detail=filters.as_args())
        db.session.commit()
    return render_template(
        "supervision/my_outcomes.html",
        form=form,
        filters=filters,
        outcome_tables=outcome_tables,
        tables=tables,
        team_goals=team_goals,
        metrics=report_goals.METRICS,
        periods=report_goals.PERIODS,
    ), (200 if filters else 400)


@bp.app_context_processor
def _navigation() -> dict[str, object]:
    """``supervises_anyone()`` for the staff navigation: asked only when a page renders it."""

    def supervises_anyone() -> bool:
        if not current_user.is_authenticated or current_user.is_admin:
            return False
        if "supervises_anyone" not in g:
            g.supervises_anyone = services.is_supervisor(_me())
        return bool(g.supervises_anyone)

    return {"supervises_anyone": supervises_anyone}


from mbc.supervision import goal_views  # noqa: E402,F401 - registers the goal pages on bp
