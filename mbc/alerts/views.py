"""An alert's page (the link in a notification), acknowledging it with a note, resolving it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.alerts import services
from mbc.alerts.forms import AlertNoteForm
from mbc.assessments.models import Alert
from mbc.auth.access import load_client_or_404, treats
from mbc.auth.sessions import staff_required
from mbc.clinician import labels
from mbc.clock import utcnow
from mbc.extensions import db

bp = Blueprint("alerts", __name__, url_prefix="/alerts")


def _alert_or_404(alert_id: int, action: str, *, lock: bool = False) -> tuple[Alert, bool]:
    """The alert, when its client is one the user may see (the view of it is audited), and
    whether the user may act on it (``treats``). A change locks its row (PostgreSQL), so of two
    people acknowledging at once the second is told."""
    alert = db.session.get(Alert, alert_id, with_for_update=lock)
    if alert is None:
        abort(404)
    client = load_client_or_404(current_user, alert.client_id, action)
    return alert, treats(current_user, client)


@bp.get("/<int:alert_id>")
@staff_required
def detail(alert_id: int) -> ResponseReturnValue:
    alert, may_act = _alert_or_404(alert_id, "alert.view")
    db.session.commit()
    return render_template(
        "alerts/detail.html",
        alert=alert,
        form=AlertNoteForm(formdata=None),
        labels=labels,
        may_act=may_act,
    )


@bp.post("/<int:alert_id>/acknowledge")
@staff_required
def acknowledge(alert_id: int) -> ResponseReturnValue:
    return _act(alert_id, "acknowledge")


@bp.post("/<int:alert_id>/resolve")
@staff_required
def resolve(alert_id: int) -> ResponseReturnValue:
    return _act(alert_id, "resolve")


def _act(alert_id: int, action: str) -> ResponseReturnValue:
    alert, may_act = _alert_or_404(alert_id, f"alert.{action}_attempt", lock=True)
    form = AlertNoteForm()
    back = _back(alert)
    if not may_act:
        db.session.commit()  # the audit of the attempt
        flash(_("Only the client's own clinicians or an admin can act on this alert."), "error")
        return redirect(back)
    if not form.validate_on_submit():
        db.session.commit()  # the audit of the attempt
        flash(" ".join(str(e) for e in form.note.errors) or _("Please try again."), "error")
        return redirect(back)
    me = current_user._get_current_object()  # type: ignore[attr-defined]
    change = services.acknowledge if action == "acknowledge" else services.resolve
    try:
        change(alert, me, form.note.data or "", utcnow())
    except services.AlertError:
        db.session.rollback()
        flash(_("Someone else has already done that; the page now shows who."), "error")
        return redirect(back)
    db.session.commit()
    if action == "acknowledge":
        flash(_("Alert acknowledged."), "success")
    else:
        flash(_("Alert resolved."), "success")
    return redirect(back)


def _back(alert: Alert) -> str:
    """Back where the form was: the client's page, or the alert's own page."""
    if request.form.get("back") == "client":
        return url_for("clinician.client_detail", client_id=alert.client_id) + "#alerts"
    if request.form.get("back") == "home":
        return url_for("clinician.home")
    return url_for("alerts.detail", alert_id=alert.id)
