"""Admin settings: a staff member's employment dates and time off, and the time-off import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.admin.views import bp
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.clinician.forms import ActionForm
from mbc.extensions import db
from mbc.staffing import services, time_off_import
from mbc.staffing.forms import EmploymentForm, TimeOffForm, TimeOffImportForm
from mbc.staffing.models import TimeOff


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


ERRORS = {
    "left_before_start": lambda: _("The last day is before the start date."),
    "reason_without_date": lambda: _("Give the last day when you record a reason for leaving."),
    "other_needs_words": lambda: _("Say the reason in a few words when you choose “Other”."),
    "ends_before_start": lambda: _("The last day is before the first day."),
    "amount_out_of_range": lambda: _(
        "The amount must be above 0 and no more than the days (or their hours) allow."
    ),
}


def employment_context(user: StaffUser) -> dict[str, object]:
    """What the staff member's page shows of their employment and time off."""
    record = services.record_of(user.id)
    form = EmploymentForm(formdata=None, obj=record)
    if record is not None:
        form.leaving_reason.data = record.leaving_reason or ""
    return {
        "employment_form": form,
        "time_off_form": TimeOffForm(formdata=None),
        "time_off": services.time_off_of(user.id),
        "time_off_kinds": services.KINDS,
        "time_off_units": services.UNITS,
    }


def _back(user: StaffUser) -> ResponseReturnValue:
    return redirect(url_for("admin.staff_edit", user_id=user.id, _anchor="employment"))


def _flash_errors(form: object) -> None:
    for errors in form.errors.values():  # type: ignore[attr-defined]
        for error in errors:
            flash(str(error), "error")


@bp.post("/settings/staff/<int:user_id>/employment")
@role_required("admin")
def staff_employment(user_id: int) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id) or abort(404)
    form = EmploymentForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(user)
    values = services.Employment(
        started_on=form.started_on.data,
        left_on=form.left_on.data,
        leaving_reason=form.leaving_reason.data or None,
        leaving_reason_other=(form.leaving_reason_other.data or "").strip(),
        annual_allowance_days=form.annual_allowance_days.data,
    )
    try:
        changed = services.save_employment(user, values, actor=_me())
    except services.StaffingError as exc:
        db.session.rollback()
        flash(ERRORS[str(exc)](), "error")
    else:
        db.session.commit()
        flash(_("Employment details saved.") if changed else _("Nothing changed."), "success")
    return _back(user)


@bp.post("/settings/staff/<int:user_id>/time-off")
@role_required("admin")
def staff_time_off_add(user_id: int) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id) or abort(404)
    form = TimeOffForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(user)
    values = services.TimeOffValues(
        form.starts_on.data,  # type: ignore[arg-type]
        form.ends_on.data,  # type: ignore[arg-type]
        form.amount.data,  # type: ignore[arg-type]
        form.unit.data,
        form.kind.data,
    )
    try:
        services.add_time_off(user, values, actor=_me())
    except services.StaffingError as exc:
        db.session.rollback()
        flash(ERRORS[str(exc)](), "error")
    else:
        db.session.commit()
        flash(_("Time off added."), "success")
    return _back(user)


@bp.post("/settings/staff/<int:user_id>/time-off/<int:entry_id>/delete")
@role_required("admin")
def staff_time_off_delete(user_id: int, entry_id: int) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id) or abort(404)
    entry = db.session.get(TimeOff, entry_id)
    if entry is None or entry.user_id != user.id:
        abort(404)
    if ActionForm().validate_on_submit():
        services.delete_time_off(entry, actor=_me())
        db.session.commit()
        flash(_("Time off removed."), "success")
    return _back(user)


@bp.route("/settings/time-off/import", methods=["GET", "POST"])
@role_required("admin")
def time_off_import_page() -> ResponseReturnValue:
    form = TimeOffImportForm()
    checked = imported = None
    status = 200
    if form.validate_on_submit():
        checked = time_off_import.check(form.file.data.read())
        if checked.errors:
            status = 422
        else:
            imported = time_off_import.apply(checked, actor=_me())
            db.session.commit()
    elif form.is_submitted():
        status = 400
    return render_template(
        "admin/time_off_import.html", form=form, checked=checked, imported=imported
    ), status
