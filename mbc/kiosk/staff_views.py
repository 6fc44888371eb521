"""Staff pages of kiosk mode: devices (admins), and the check-in code's card for the front desk."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from mbc.assessments.models import CheckIn
from mbc.audit import services as audit
from mbc.auth import staff_sessions
from mbc.auth.access import load_client_or_404
from mbc.auth.sessions import role_required, staff_required
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.delivery import labels as delivery_labels
from mbc.extensions import db
from mbc.kiosk import codes, devices
from mbc.kiosk import sms as kiosk_sms
from mbc.kiosk.forms import ActionForm, EnrolForm
from mbc.kiosk.models import KioskDevice

bp = Blueprint("kiosk_staff", __name__)


@bp.get("/admin/kiosks")
@role_required("admin")
def kiosks_page() -> ResponseReturnValue:
    return _page(EnrolForm(formdata=None))


def _page(form: EnrolForm, status: int = 200) -> ResponseReturnValue:
    html = render_template(
        "kiosk/devices.html", form=form, devices=devices.listed(), action_form=ActionForm()
    )
    return html, status


@bp.post("/admin/kiosks")
@role_required("admin")
def kiosk_enrol() -> ResponseReturnValue:
    """Enrol the device this page is open on, then sign out: a kiosk never keeps a staff
    session, and from here on it shows only the kiosk's start page."""
    form = EnrolForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    now = utcnow()
    me = current_user._get_current_object()  # type: ignore[attr-defined]
    _device, token = devices.enrol(form.name.data or "", me, now)
    audit.record("signout")
    staff_sessions.end(me.signed_in_token, now)
    db.session.commit()
    logout_user()
    from flask import session

    session.clear()
    response = redirect(url_for("kiosk.start"))
    devices.set_cookie(response, token)
    return response


@bp.post("/admin/kiosks/<int:device_id>/revoke")
@role_required("admin")
def kiosk_revoke(device_id: int) -> ResponseReturnValue:
    device = db.session.get(KioskDevice, device_id)
    if device is None:
        abort(404)
    if ActionForm().validate_on_submit():
        me = current_user._get_current_object()  # type: ignore[attr-defined]
        devices.revoke(device, me, utcnow())
        db.session.commit()
        flash(_("%(name)s can no longer be used as a kiosk.", name=device.name), "info")
    return redirect(url_for("kiosk_staff.kiosks_page"))


@bp.post("/check-ins/<int:check_in_id>/kiosk-sms")
@staff_required
def code_sms(check_in_id: int) -> ResponseReturnValue:
    """Text the client today's code (on request at the front desk)."""
    check_in, client = _todays(check_in_id, "kiosk.sms")
    if ActionForm().validate_on_submit():
        refusal = kiosk_sms.request(check_in, client, utcnow())
        if refusal is None:
            flash(_("The check-in code will be texted to %(ref)s.", ref=client.client_ref), "info")
        else:
            flash(
                _(
                    "The code cannot be texted to %(ref)s: %(why)s.",
                    ref=client.client_ref,
                    why=delivery_labels.reasons(refusal),
                ),
                "error",
            )
        db.session.commit()
    return redirect(url_for("clinician.home"))


def _todays(check_in_id: int, action: str) -> tuple[CheckIn, Client]:
    """A check-in of today's session that the user may see (audited), still open; else 404/410."""
    check_in = db.session.get(CheckIn, check_in_id)
    if check_in is None or check_in.session_starts_at is None:
        abort(404)
    client = load_client_or_404(current_user, check_in.client_id, action)
    if codes.session_day(check_in) != codes.today(utcnow()) or check_in.status != "open":
        db.session.commit()
        abort(410)
    return check_in, client


@bp.get("/check-ins/<int:check_in_id>/kiosk-card")
@staff_required
def code_card(check_in_id: int) -> ResponseReturnValue:
    """A card to print for the client: the practice, the session's time and the code; no
    name, no questionnaire, nothing about their health."""
    check_in, client = _todays(check_in_id, "kiosk.card")
    code = codes.codes_for([check_in])[check_in.id]
    db.session.commit()
    from flask_babel import force_locale

    with force_locale(client.language):
        return render_template(
            "kiosk/card.html", check_in=check_in, client=client, code=codes.grouped(code)
        )
