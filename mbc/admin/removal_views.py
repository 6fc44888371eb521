"""Removing a client for good from the admin pages: admin only, confirmed by typing the client's
reference exactly (case-sensitive), then a page that names no one."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.admin.forms import RemoveClientForm
from mbc.admin.views import _me, bp
from mbc.auth.access import load_client_or_404
from mbc.auth.sessions import role_required
from mbc.clients.removal import remove_client
from mbc.extensions import db


@bp.route("/clients/<int:client_id>/remove", methods=["GET", "POST"])
@role_required("admin")
def client_remove(client_id: int) -> ResponseReturnValue:
    client = load_client_or_404(current_user, client_id, "client.view")
    form = RemoveClientForm(prefix="remove")
    if form.validate_on_submit():
        if form.confirm_ref.data == client.client_ref:
            remove_client(client, _me())
            db.session.commit()
            return redirect(url_for("admin.client_removed"))
        form.confirm_ref.errors = [
            _("That is not this client's reference: nothing was removed. Type it exactly.")
        ]
    db.session.commit()  # the audited view
    status = 400 if form.is_submitted() else 200
    return render_template("admin/client_remove.html", form=form, client=client), status


@bp.get("/clients/removed")
@role_required("admin")
def client_removed() -> ResponseReturnValue:
    return render_template("admin/client_removed.html")
