"""Admin pages. Thin: forms in, services do the work, one commit per request."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from mbc.admin.forms import AppointmentForm, ClientForm, ImportForm, RemoveClientForm, choices
from mbc.audit import services as audit
from mbc.audit.queries import audit_page
from mbc.auth.access import load_client_or_404
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.clients import services
from mbc.clients.csv_template import import_template_csv
from mbc.clients.importer import apply_rows, check_upload, default_date_format, preview_rows
from mbc.clients.models import Appointment, Client
from mbc.clients.queries import caseload
from mbc.clock import utcnow
from mbc.delivery import consent
from mbc.delivery.models import Message
from mbc.extensions import db
from mbc.paging import page_of
from mbc.practice.models import Team
from mbc.practice.services import get_practice

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


@bp.get("/")
@role_required("admin")
def overview() -> ResponseReturnValue:
    now = utcnow()
    counts = {
        "active_clients": db.session.scalar(
            select(func.count()).select_from(Client).where(Client.status == "active")
        ),
        "clinicians": db.session.scalar(
            select(func.count())
            .select_from(StaffUser)
            .where(StaffUser.role == "clinician", StaffUser.is_active.is_(True))
        ),
        "messages_attention": db.session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.status.in_(("failed", "undeliverable")))
        ),
        "sessions_next_7_days": db.session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(
                Appointment.status == "scheduled",
                Appointment.starts_at >= now,
                Appointment.starts_at < now + timedelta(days=7),
            )
        ),
    }
    return render_template("admin/overview.html", counts=counts)


@bp.get("/clients")
@role_required("admin")
def clients() -> ResponseReturnValue:
    search = request.args.get("q", "")[:100]
    status = request.args.get("status", "active")
    status = status if status in ("active", "discharged") else None
    query = caseload(current_user, utcnow(), search=search, status=status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = page_of(request.args.get("page"), total, PAGE_SIZE)
    rows = db.session.execute(query.limit(page.size).offset(page.offset)).all()
    audit.record_list("client.list", (row[0].id for row in rows), view="admin_clients")
    db.session.commit()
    return render_template(
        "admin/clients.html",
        rows=rows,
        search=search,
        status=status or "all",
        page=page.number,
        pages=page.pages,
        total=total,
    )


def _fill_client_choices(form: ClientForm) -> None:
    staff = db.session.scalars(
        select(StaffUser).where(StaffUser.is_active.is_(True)).order_by(StaffUser.name)
    ).all()
    clinicians = [(str(u.id), u.name) for u in staff if u.role == "clinician"]
    form.primary_clinician_id.choices = choices(clinicians)
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    form.team_id.choices = choices([("0", _("No team"))] + [(str(t.id), t.name) for t in teams])
    form.care_team.choices = choices([(str(u.id), u.name) for u in staff])


def _client_values(form: ClientForm) -> dict[str, Any]:
    """Form data as model values (the phone is already in E.164: the form's validator)."""
    return {
        "client_ref": form.client_ref.data.strip(),
        "first_name": form.first_name.data.strip(),
        "last_name": form.last_name.data.strip(),
        "phone": form.phone.data or None,
        "email": form.email.data or None,
        "preferred_channel": form.preferred_channel.data,
        "language": form.language.data,
        "timezone": form.timezone.data.strip(),
        "status": form.status.data,
        "primary_clinician_id": form.primary_clinician_id.data,
        "team_id": form.team_id.data or None,
    }


@bp.route("/clients/new", methods=["GET", "POST"])
@role_required("admin")
def client_new() -> ResponseReturnValue:
    practice = get_practice()
    form = ClientForm(
        data={"timezone": practice.timezone, "language": practice.default_language}
        if request.method == "GET"
        else None
    )
    _fill_client_choices(form)
    if form.validate_on_submit():
        values = _client_values(form)
        try:
            client = services.create_client(values, source="admin", actor=_me())
        except services.ClientConflict:
            form.client_ref.errors = [_("A client with this reference already exists.")]
        else:
            services.set_care_team(client, set(form.care_team.data or []), actor=_me())
            _save_consent(client, form)
            db.session.commit()
            flash(_("Client added."), "success")
            return redirect(url_for("clinician.client_detail", client_id=client.id))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/client_form.html", form=form, client=None), status


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def client_edit(client_id: int) -> ResponseReturnValue:
    client = load_client_or_404(current_user, client_id, "client.view")
    form = ClientForm(obj=client if request.method == "GET" else None)
    if request.method == "GET":
        form.team_id.data = client.team_id or 0
        form.care_team.data = [m.user_id for m in client.care_team]
        recorded = consent.consents_of(client.id)
        form.sms_consent.data = "sms" in recorded and recorded["sms"].granted
        form.email_consent.data = "email" in recorded and recorded["email"].granted
    _fill_client_choices(form)
    if form.validate_on_submit():
        values = _client_values(form)
        taken = db.session.scalar(
            select(Client.id).where(
                Client.client_ref == values["client_ref"], Client.id != client.id
            )
        )
        if taken:
            form.client_ref.errors = [_("A client with this reference already exists.")]
        else:
            services.update_client(client, values, source="admin", actor=_me())
            services.set_care_team(client, set(form.care_team.data or []), actor=_me())
            _save_consent(client, form)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("clinician.client_detail", client_id=client.id))
    db.session.commit()  # the audited view
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/client_form.html",
        form=form,
        client=client,
        remove_form=RemoveClientForm(prefix="remove", formdata=None),
    ), status


def _save_consent(client: Client, form: ClientForm) -> None:
    """Record consent for each channel the client has a contact detail for (or had a decision)."""
    me, now = _me(), utcnow()
    recorded = consent.consents_of(client.id)
    for channel, address, granted in (
        ("sms", client.phone, bool(form.sms_consent.data)),
        ("email", client.email, bool(form.email_consent.data)),
    ):
        if address or channel in recorded:
            consent.set_consent(
                client,
                channel,
                granted and bool(address),
                source="admin",
                now=now,
                actor_id=me.id,
            )


def _fill_appointment_choices(form: AppointmentForm) -> None:
    clinicians = db.session.scalars(
        select(StaffUser)
        .where(StaffUser.role == "clinician", StaffUser.is_active.is_(True))
        .order_by(StaffUser.name)
    )
    form.clinician_id.choices = choices([(str(u.id), u.name) for u in clinicians])


def _local_to_utc(value: datetime, zone: str) -> datetime:
    return value.replace(tzinfo=ZoneInfo(zone))


@bp.route("/clients/<int:client_id>/appointments/new", methods=["GET", "POST"])
@role_required("admin")
def appointment_new(client_id: int) -> ResponseReturnValue:
    client = load_client_or_404(current_user, client_id, "client.view")
    form = AppointmentForm()
    if request.method == "GET":
        form.clinician_id.data = client.primary_clinician_id
    _fill_appointment_choices(form)
    if form.validate_on_submit():
        values = services.AppointmentValues(
            appointment_ref=form.appointment_ref.data.strip(),
            client_id=client.id,
            clinician_id=form.clinician_id.data,
            starts_at=_local_to_utc(form.starts_at.data, client.timezone),
            status=form.status.data,
        )
        try:
            services.create_appointment(values, source="admin", actor=_me())
        except services.ClientConflict:
            form.appointment_ref.errors = [_("An appointment with this reference already exists.")]
        else:
            db.session.commit()
            flash(_("Appointment added."), "success")
            return redirect(url_for("clinician.client_detail", client_id=client.id))
    db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/appointment_form.html", form=form, client=client, appointment=None
    ), status


@bp.route("/appointments/<int:appointment_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def appointment_edit(appointment_id: int) -> ResponseReturnValue:
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None:
        abort(404)
    client = load_client_or_404(current_user, appointment.client_id, "client.view")
    form = AppointmentForm()
    if request.method == "GET":
        form.appointment_ref.data = appointment.appointment_ref
        form.clinician_id.data = appointment.clinician_id
        local = appointment.starts_at.astimezone(ZoneInfo(client.timezone))
        form.starts_at.data = local.replace(tzinfo=None)
        form.status.data = appointment.status
    _fill_appointment_choices(form)
    form.appointment_ref.render_kw = {"readonly": True}
    if form.validate_on_submit():
        values = services.AppointmentValues(
            appointment_ref=appointment.appointment_ref,
            client_id=client.id,
            clinician_id=form.clinician_id.data,
            starts_at=_local_to_utc(form.starts_at.data, client.timezone),
            status=form.status.data,
        )
        services.update_appointment(appointment, values, source="admin", actor=_me())
        db.session.commit()
        flash(_("Appointment saved."), "success")
        return redirect(url_for("clinician.client_detail", client_id=client.id))
    db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/appointment_form.html", form=form, client=client, appointment=appointment
    ), status


@bp.route("/import", methods=["GET", "POST"])
@role_required("admin")
def import_appointments() -> ResponseReturnValue:
    form = ImportForm()
    if request.method == "GET":
        form.date_format.data = default_date_format()
    checked = summary = preview = None
    status = 200
    if form.validate_on_submit():
        checked = check_upload(form.file.data.read(), form.date_format.data)
        if request.form.get("action") == "preview":
            preview = preview_rows(checked, actor=_me())
            # The preview names clients by reference: audited, after the rollback.
            audit.record("import.preview", detail=preview.counts(), actor=_me())
            db.session.commit()
        elif checked.ok:
            summary = apply_rows(checked.rows, actor=_me())
            db.session.commit()
        else:
            status = 422
    elif request.method == "POST":
        status = 400
    return render_template(
        "admin/import.html",
        form=form,
        checked=checked,
        summary=summary,
        preview=preview,
        refused=len({p.line for p in checked.errors}) if checked else 0,
        practice_timezone=get_practice().timezone,
    ), status


@bp.get("/import/template.csv")
@role_required("admin")
def import_template() -> ResponseReturnValue:
    """A file to fill in: every column and one example row, opened right by spreadsheets."""
    practice = get_practice()
    return Response(
        import_template_csv(practice.timezone, default_date_format()),
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="mbc-import-template.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/audit")
@role_required("admin")
def audit_log() -> ResponseReturnValue:
    filters = {
        "client_ref": request.args.get("client_ref", "")[:64].strip(),
        "actor": request.args.get("actor", "")[:254].strip(),
        "action": request.args.get("action", "")[:64].strip(),
    }
    events, page = audit_page(filters, page=request.args.get("page"), size=PAGE_SIZE)
    audit.record_list("audit.view", (event.client_id for event, _ref in events), page=page.number)
    db.session.commit()
    return render_template(
        "admin/audit.html",
        events=events,
        filters=filters,
        page=page.number,
        pages=page.pages,
        total=page.total,
    )


from mbc.admin import (  # noqa: E402,F401 - register their pages on bp
    api_client_views,
    plan_views,
    removal_views,
    settings_views,
    staff_views,
    staffing_views,
    supervision_views,
)
