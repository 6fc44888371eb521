"""Admin report pages and their CSV downloads. Thin: the filters in, ``pages`` builds tables."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.clinician.forms import ActionForm
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.instruments import registry
from mbc.practice.models import Team
from mbc.practice.services import get_practice
from mbc.reports import goals
from mbc.reports.filters import ReportFilters
from mbc.reports.forms import GoalForm, ReportFilterForm
from mbc.reports.models import TeamGoal
from mbc.reports.pages import PAGES, Context, ReportPage
from mbc.reports.table import Table
from mbc.templating import instrument_name

bp = Blueprint("reports", __name__, url_prefix="/admin/reports")


def _teams() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))]


def _instruments() -> list[tuple[str, str]]:
    return [(code, instrument_name(code)) for code in registry.client_codes()]


def _today_and_zone() -> tuple[date, str]:
    """The practice's calendar day now, and its time zone."""
    zone = get_practice().timezone
    return utcnow().astimezone(ZoneInfo(zone)).date(), zone


def _context(page: ReportPage) -> tuple[ReportFilterForm, Context | None]:
    form = ReportFilterForm(request.args)
    clinicians = db.session.execute(
        select(StaffUser.id, StaffUser.name)
        .where(StaffUser.role == "clinician")
        .order_by(StaffUser.name)
    ).all()
    form.fill(_teams(), [(i, n) for i, n in clinicians], _instruments(), page.groupings)
    today, zone = _today_and_zone()
    default = ReportFilters.default(today, zone)
    if request.args and not form.validate():
        return form, None
    by = form.by.data if form.by.data in page.groupings else next(iter(page.groupings))
    form.by.data = by
    return form, Context(form.filters(default), by, utcnow(), get_practice())


def _tables(key: str) -> tuple[ReportPage, ReportFilterForm, Context | None, list[Table]]:
    page = PAGES.get(key)
    if page is None:
        abort(404)
    form, context = _context(page)
    tables = page.build(context) if context else []
    return page, form, context, tables


@bp.get("/")
@role_required("admin")
def index() -> ResponseReturnValue:
    return redirect(url_for("reports.report", key="completion"))


@bp.get("/<key>")
@role_required("admin")
def report(key: str) -> ResponseReturnValue:
    page, form, context, tables = _tables(key)
    if context is not None:
        shown = [i for table in tables for i in table.client_ids]
        detail = {"report": key, **context.filters.as_args()}
        if shown:
            audit.record_list("report.view", shown, **detail)
        else:
            audit.record("report.view", detail=detail)
        db.session.commit()
    return render_template(
        "reports/page.html",
        key=key,
        page=page,
        pages=PAGES,
        form=form,
        context=context,
        tables=tables,
    ), (200 if context else 400)


def csv_name(key: str, table: Table, context: Context) -> str:
    """A file name per download: the report, its table, the breakdown and the period, so two
    downloads of one page never overwrite each other."""
    parts = ["mbc", key]
    if table.key != key:
        parts.append(table.key)
    if context.by != "none":
        parts.append(f"by-{context.by}")
    parts += [str(context.filters.start), str(context.filters.end)]
    return "-".join(parts) + ".csv"


@bp.get("/<key>.csv")
@role_required("admin")
def report_csv(key: str) -> ResponseReturnValue:
    _page, _form, context, tables = _tables(key)
    if context is None:
        abort(400)
    wanted = request.args.get("table") or tables[0].key
    table = next((t for t in tables if t.key == wanted), None)
    if table is None:
        abort(404)
    detail = {"report": key, "table": table.key, **context.filters.as_args()}
    if table.client_ids:
        audit.record_list("report.export", table.client_ids, **detail)
    else:
        audit.record("report.export", detail=detail)
    db.session.commit()
    return Response(
        table.to_csv(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{csv_name(key, table, context)}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/goals", methods=["GET", "POST"])
@role_required("admin")
def goals_page() -> ResponseReturnValue:
    form = GoalForm()
    form.fill(_teams(), _instruments())
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            goal = TeamGoal(
                team_id=form.team_id.data or None,
                metric=form.metric.data,
                instrument_code=form.instrument_code.data or None
                if form.metric.data in goals.OUTCOME_METRICS
                else None,
                baseline_at_least=form.baseline_at_least.data
                if form.metric.data in goals.OUTCOME_METRICS
                else None,
                target_percent=form.target_percent.data,
                period=form.period.data,
                created_by_id=current_user.id,
            )
            db.session.add(goal)
            db.session.flush()
            audit.record("goal.create", target=f"goal:{goal.id}")
            db.session.commit()
            flash(_("Goal added."), "success")
            return redirect(url_for("reports.goals_page"))
        status = 400
    today, zone = _today_and_zone()
    return render_template(
        "reports/goals.html",
        form=form,
        progress=goals.all_progress(today, zone),
        pages=PAGES,
        action_form=ActionForm(formdata=None),
        metrics=goals.METRICS,
        periods=goals.PERIODS,
    ), status


@bp.post("/goals/<int:goal_id>/delete")
@role_required("admin")
def goal_delete(goal_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    goal = db.session.get(TeamGoal, goal_id)
    if goal is None:
        abort(404)
    db.session.delete(goal)
    audit.record("goal.delete", target=f"goal:{goal_id}")
    db.session.commit()
    flash(_("Goal removed."), "success")
    return redirect(url_for("reports.goals_page"))
