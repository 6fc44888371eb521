"""Admin settings: API clients (the EHR and other systems calling /fhir/). The token is shown
once, on the page that answers the creation; only its hash is kept."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.admin.settings_forms import API_SCOPES, ApiClientForm
from mbc.admin.views import bp
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.clinician.forms import ActionForm
from mbc.extensions import db
from mbc.fhir import api_clients
from mbc.fhir.models import ApiClient


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _page(form: ApiClientForm, token: str | None = None, status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "admin/settings_api_clients.html",
            form=form,
            clients=api_clients.all_clients(),
            scope_labels=dict(API_SCOPES),
            token=token,
        ),
        status,
    )


@bp.get("/settings/api-clients")
@role_required("admin")
def api_clients_page() -> ResponseReturnValue:
    return _page(ApiClientForm(formdata=None))


@bp.post("/settings/api-clients")
@role_required("admin")
def api_client_add() -> ResponseReturnValue:
    form = ApiClientForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    if api_clients.active_named(form.name.data or ""):
        # also what a reload of the page that showed the token posts again: no second token
        form.name.errors = [
            _(
                "An API client called %(name)s is already active. Revoke it first, or choose "
                "another name.",
                name=(form.name.data or "").strip(),
            )
        ]
        return _page(form, status=409)
    client, token = api_clients.create(form.name.data or "", form.scopes.data or [], actor=_me())
    db.session.commit()
    flash(_("%(name)s added. Copy its token now: it is not shown again.", name=client.name))
    return _page(ApiClientForm(formdata=None), token=token)


@bp.post("/settings/api-clients/<int:client_id>/revoke")
@role_required("admin")
def api_client_revoke(client_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    client = db.session.get(ApiClient, client_id) or abort(404)
    if api_clients.revoke(client, actor=_me()):
        db.session.commit()
        flash(_("%(name)s revoked: its token no longer works.", name=client.name))
    return redirect(url_for("admin.api_clients_page"))
