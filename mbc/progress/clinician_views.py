"""The clinician's side of a client's progress page: the switch, sending a progress link, and
the client view (large and plain, to turn the screen towards the client, or print as the
client's copy). Registered on the clinician blueprint; every action loads the client through
the access rule, so it is audited and another clinician's client is a 404."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from mbc.auth.access import load_client_or_404, load_client_to_act_or_403
from mbc.auth.models import StaffUser
from mbc.auth.sessions import staff_required
from mbc.clients.models import Client
from mbc.clinician.views import PRINT_LANGUAGES, bp
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.practice import crisis
from mbc.practice.services import get_practice
from mbc.progress import services
from mbc.progress.forms import SendLinkForm, SharingForm


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _back(client: Client) -> ResponseReturnValue:
    return redirect(url_for("clinician.client_detail", client_id=client.id) + "#sharing")


def sharing_context(client: Client) -> dict[str, object]:
    """What the client page's "Progress shared with the client" section needs."""
    return {
        "practice_on": get_practice().client_progress_enabled,
        "form": SharingForm(formdata=None, visible=client.progress_visible),
        "send_form": SendLinkForm(formdata=None),
        "visible": services.visible(get_practice(), client),
    }


@bp.post("/clients/<int:client_id>/progress-sharing")
@staff_required
def progress_sharing(client_id: int) -> ResponseReturnValue:
    client = load_client_to_act_or_403(current_user, client_id, "client.view")
    form = SharingForm()
    if not form.validate_on_submit():
        abort(400)
    on = bool(form.visible.data)
    changed = services.set_visible(client, on, _me())
    db.session.commit()
    if not changed:
        flash(_("Nothing changed."), "success")
    elif on:
        flash(_("This client can now see their own progress."), "success")
    else:
        flash(
            _("This client no longer sees their progress; links already sent stop working."),
            "success",
        )
    return _back(client)


@bp.post("/clients/<int:client_id>/progress-link")
@staff_required
def progress_link_send(client_id: int) -> ResponseReturnValue:
    client = load_client_to_act_or_403(current_user, client_id, "client.view")
    if not SendLinkForm().validate_on_submit():
        abort(400)
    if not services.visible(get_practice(), client) or client.status != "active":
        db.session.commit()
        flash(_("Turn on sharing for this client first (and only for a client in care)."), "error")
        return _back(client)
    queued = services.send_link(client, _me(), utcnow())
    db.session.commit()
    flash(
        _("Progress link queued: it goes by text or email, as check-ins do.")
        if queued
        else _("A progress link was already queued a moment ago."),
        "success",
    )
    return _back(client)


@bp.get("/clients/<int:client_id>/client-view")
@staff_required
def client_view(client_id: int) -> ResponseReturnValue:
    """What the client would see, large and plain, in the client's language unless ``?lang=``
    asks for the other; ``?copy=1`` lays it out as the client's printed copy. Only totals in
    plain words: no alerts, notes, answers or clinical terms on the screen."""
    client = load_client_or_404(current_user, client_id, "client.client_view")
    language = request.args.get("lang")
    language = language if language in PRINT_LANGUAGES else client.language
    practice = get_practice()
    with force_locale(language):
        html = render_template(
            "progress/client_view.html",
            client=client,
            instruments=services.own_progress(client, language),
            practice=practice,
            crisis_text=crisis.crisis_text(practice, language, short=True),
            language=language,
            languages=PRINT_LANGUAGES,
            copy=request.args.get("copy") == "1",
            now=utcnow(),
        )
    db.session.commit()
    return html
