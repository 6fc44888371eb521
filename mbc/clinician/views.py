from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from mbc.alerts.forms import AlertNoteForm
from mbc.audit import services as audit
from mbc.auth.access import load_client_or_404, load_client_to_act_or_403, treats
from mbc.auth.sessions import staff_required
from mbc.clients.queries import appointments_of, changes_of
from mbc.clinician import labels as clinician_labels
from mbc.clinician import pages
from mbc.clinician.forms import ActionForm, CheckInLinkForm, PlanRuleForm
from mbc.clinician.links import create_link, enabled_instruments, qr_svg
from mbc.clock import utcnow
from mbc.delivery import inbound, labels
from mbc.delivery import queries as delivery_queries
from mbc.extensions import db
from mbc.kiosk import front_desk

bp = Blueprint("clinician", __name__)

# The languages a printed copy can be in, each named in its own language on the page.
PRINT_LANGUAGES = {"en": "English", "es": "Español"}


@bp.get("/home")
@staff_required
def home() -> ResponseReturnValue:
    """Before a session: today's and the next working day's sessions, open alerts on top."""
    now = utcnow()
    page = pages.pre_session(current_user, now)
    audit.record_list("client.list", page.client_ids, view="pre_session")
    kiosk = front_desk.home_context(current_user, page, now)
    db.session.commit()
    return render_template(
        "clinician/home.html", page=page, labels=clinician_labels, delivery_labels=labels, **kiosk
    )


@bp.get("/caseload")
@staff_required
def caseload_page() -> ResponseReturnValue:
    """The caseload with each client's summary; filters for alerts and progress."""
    search = request.args.get("q", "")[:100]
    show = request.args.get("show", "all")
    page = pages.caseload(current_user, utcnow(), search=search, show=show)
    audit.record_list("client.list", (row.client.id for row in page.rows), view="caseload")
    db.session.commit()
    return render_template(
        "clinician/caseload.html", page=page, search=search, labels=clinician_labels
    )


@bp.get("/clients/<int:client_id>")
@staff_required
def client_detail(client_id: int) -> ResponseReturnValue:
    client = load_client_or_404(current_user, client_id, "client.view")
    appointments = appointments_of(client)
    changes = changes_of(client)
    enabled = enabled_instruments()
    replies = delivery_queries.replies_of(client.id)  # read before they are marked seen
    me = current_user._get_current_object()  # type: ignore[attr-defined]
    inbound.mark_seen(client, me, utcnow(), replies)
    context = {
        "replies": replies,
        "consent_history": delivery_queries.consent_history(client.id),
        "plan": delivery_queries.plan_view(client),
        "messages": delivery_queries.recent_messages(client.id),
        "route": delivery_queries.delivery_route(client),
        "labels": labels,
        "clinician_labels": clinician_labels,
        "rule_form": PlanRuleForm(enabled, formdata=None, prefix="rule"),
        "send_form": CheckInLinkForm(enabled, formdata=None, prefix="send"),
        "action_form": ActionForm(formdata=None),
        "alert_form": AlertNoteForm(formdata=None),
        "instrument_titles": dict(enabled),
        "progress": pages.client_progress(client, utcnow(), current_user),
        "sharing": sharing_context(client),
        "may_act": treats(me, client),
    }
    db.session.commit()
    return render_template(
        "clinician/client.html",
        client=client,
        appointments=appointments,
        changes=changes,
        now=utcnow(),
        link_form=CheckInLinkForm(enabled, formdata=None),
        **context,
    )


@bp.get("/clients/<int:client_id>/print")
@staff_required
def client_print(client_id: int) -> ResponseReturnValue:
    """Progress to go through with the client in session: large, plain, only this client, in
    the client's language unless ``?lang=`` asks for the other one."""
    client = load_client_or_404(current_user, client_id, "client.print")
    language = request.args.get("lang")
    language = language if language in PRINT_LANGUAGES else client.language
    with force_locale(language):
        progress = pages.client_progress(client, utcnow(), current_user, with_means=False)
        db.session.commit()
        return render_template(
            "clinician/print.html",
            client=client,
            progress=progress,
            labels=clinician_labels,
            language=language,
            languages=PRINT_LANGUAGES,
            now=utcnow(),
        )


@bp.post("/clients/<int:client_id>/check-in-link")
@staff_required
def check_in_link(client_id: int) -> ResponseReturnValue:
    """Create an in-room check-in and show its link once (only its hash is kept)."""
    client = load_client_to_act_or_403(current_user, client_id, "client.view")
    form = CheckInLinkForm(enabled_instruments())
    if client.status != "active":
        abort(409)
    if not form.validate_on_submit():
        db.session.commit()
        flash(
            " ".join(str(e) for e in form.instruments.errors)
            or _("Choose at least one questionnaire."),
            "error",
        )
        return redirect(url_for("clinician.client_detail", client_id=client.id))
    me = current_user._get_current_object()  # type: ignore[attr-defined]
    url = create_link(client, list(form.instruments.data or []), me)
    db.session.commit()
    return render_template("clinician/check_in_link.html", client=client, url=url, qr=qr_svg(url))


from mbc.clinician import plan_views, record_views  # noqa: E402,F401 - registers routes on bp
from mbc.progress.clinician_views import sharing_context  # noqa: E402 - and the progress routes
