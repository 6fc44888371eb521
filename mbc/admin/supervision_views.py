"""Admin settings: which clinicians a supervisor supervises (on the staff member's page)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.admin.forms import choices
from mbc.admin.settings_forms import SuperviseesForm
from mbc.admin.views import bp
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.extensions import db
from mbc.supervision import services


def supervisees_form(user: StaffUser, formdata: Any = None) -> SuperviseesForm:
    """The form for ``user``'s page: a box per active clinician, ticked as assigned."""
    form = SuperviseesForm(formdata=formdata)
    form.supervisees.choices = choices([(str(u.id), u.name) for u in services.candidates(user)])
    if formdata is None:
        form.supervisees.data = [u.id for u in services.supervisees_of(user)]
    return form


@bp.post("/settings/staff/<int:user_id>/supervisees")
@role_required("admin")
def staff_supervisees(user_id: int) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id) or abort(404)
    back = url_for("admin.staff_edit", user_id=user.id, _anchor="supervision")
    form = supervisees_form(user, request.form)
    if user.role != "clinician" or not form.validate_on_submit():
        flash(_("Only clinicians supervise: choose from the list."), "error")
        return redirect(back)
    me = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        changed = services.set_supervisees(user, form.supervisees.data or [], actor=me)
    except ValueError:
        db.session.rollback()
        flash(_("Only clinicians supervise: choose from the list."), "error")
    else:
        db.session.commit()
        flash(_("Supervisees saved.") if changed else _("Nothing changed."), "success")
    return redirect(back)
