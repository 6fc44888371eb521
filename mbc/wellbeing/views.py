"""Staff pages of the pulse: results for every member of staff (the practice's figures), and
for admins the schedule, team rows and comments. Thin: mbc.wellbeing.results does the work."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.auth.sessions import role_required, staff_required
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.instruments import registry
from mbc.practice.services import get_practice
from mbc.wellbeing import results, schedule, trend_chart
from mbc.wellbeing.forms import ScheduleForm
from mbc.wellbeing.models import PulseWindow
from mbc.wellbeing.services import INSTRUMENTS

bp = Blueprint("wellbeing", __name__, url_prefix="/wellbeing")
bp.add_app_template_filter(results.item_mean, "item_mean")


@bp.get("/")
@staff_required
def results_page() -> ResponseReturnValue:
    practice = get_practice()
    trend = results.trend(practice.min_group_size)
    return render_template(
        "wellbeing/results.html",
        trend=trend,
        chart=trend_chart.build(trend),
        schedule=schedule.current(),
        min_size=practice.min_group_size,
    )


@bp.get("/windows/<int:window_id>")
@staff_required
def window_page(window_id: int) -> ResponseReturnValue:
    window = db.session.get(PulseWindow, window_id)
    if window is None:
        abort(404)
    practice = get_practice()
    report = results.window_report(window, practice.min_group_size, admin=current_user.is_admin)
    return render_template(
        "wellbeing/window.html",
        report=report,
        definitions=[registry.get(code) for code in INSTRUMENTS],
        item_tables=results.item_tables([registry.get(code) for code in INSTRUMENTS]),
        min_size=results.minimum(window, practice.min_group_size),
        other=results.OTHER,
    )


@bp.route("/schedule", methods=["GET", "POST"])
@role_required("admin")
def admin_schedule() -> ResponseReturnValue:
    current = schedule.current()
    form = ScheduleForm(obj=current)
    if current is None and not form.is_submitted():
        form.is_active.data = True
        zone = ZoneInfo(get_practice().timezone)
        form.first_opens_on.data = utcnow().astimezone(zone).date()  # today, practice time
        for name, value in schedule.DEFAULTS.items():
            getattr(form, name).data = value
    if form.validate_on_submit():
        schedule.save(
            schedule.ScheduleValues(
                is_active=bool(form.is_active.data),
                first_opens_on=form.first_opens_on.data,
                every_months=int(form.every_months.data),
                window_days=int(form.window_days.data),
                reminder_days_before_close=int(form.reminder_days_before_close.data),
            ),
            current_user._get_current_object(),  # type: ignore[attr-defined]
        )
        db.session.commit()
        flash(_("Pulse schedule saved. The scheduler opens each window when it is due."), "success")
        return redirect(url_for("wellbeing.results_page"))
    return render_template("wellbeing/schedule.html", form=form), 400 if form.errors else 200
