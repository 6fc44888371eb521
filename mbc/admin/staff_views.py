"""Admin settings: staff accounts and teams."""

from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from mbc.admin.forms import choices
from mbc.admin.settings_forms import StaffForm, TeamForm, TwoFactorResetForm
from mbc.admin.staffing_views import employment_context
from mbc.admin.supervision_views import supervisees_form
from mbc.admin.views import bp
from mbc.auth import staff, staff_sessions, two_factor
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.clients.models import Client
from mbc.clinician.forms import ActionForm
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.practice import teams
from mbc.practice.models import Team
from mbc.practice.services import get_practice
from mbc.supervision.models import Supervision


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _staff_error(reason: str) -> str:
    return {
        "email_taken": _("Another account already uses this email address."),
        "self_lockout": _(
            "You cannot take away your own admin role or account: ask another admin."
        ),
        "inactive": _("This account is switched off: switch it on first."),
    }.get(reason, _("Choose from the lists."))


def _team_error(reason: str) -> str:
    return {
        "name_taken": _("A team with this name already exists."),
        "in_use": _(
            "This team still has staff, clients or plan rules: move them to another team first."
        ),
    }.get(reason, _("Give the team a name."))


@bp.get("/settings/staff")
@role_required("admin")
def staff_page() -> ResponseReturnValue:
    users = db.session.scalars(
        select(StaffUser).order_by(StaffUser.is_active.desc(), StaffUser.name)
    ).all()
    signed_in = staff_sessions.live_counts(utcnow())
    supervisors = set(db.session.scalars(select(Supervision.supervisor_id).distinct()))
    return render_template(
        "admin/settings_staff.html", users=users, signed_in=signed_in, supervisors=supervisors
    )


def _fill_staff_choices(form: StaffForm) -> None:
    names = db.session.execute(select(Team.id, Team.name).order_by(Team.name)).all()
    form.team_id.choices = choices([("0", _("No team"))] + [(str(i), n) for i, n in names])


def _staff_values(form: StaffForm) -> staff.StaffValues:
    """The form as account values (the phone is already in E.164: the form's validator)."""
    return staff.StaffValues(
        email=form.email.data or "",
        name=(form.name.data or "").strip(),
        role=form.role.data,
        team_id=form.team_id.data or None,
        preferred_language=form.preferred_language.data,
        phone=form.phone.data or None,
        receives_escalations=bool(form.receives_escalations.data) and form.role.data == "admin",
        weekly_capacity=form.weekly_capacity.data,
        is_active=bool(form.is_active.data),
    )


@bp.route("/settings/staff/new", methods=["GET", "POST"])
@role_required("admin")
def staff_new() -> ResponseReturnValue:
    form = StaffForm(
        data={"preferred_language": get_practice().default_language, "team_id": 0}
        if request.method == "GET"
        else None
    )
    _fill_staff_choices(form)
    if form.validate_on_submit():
        values = _staff_values(form)
        try:
            user = staff.add_staff(replace(values, is_active=True), actor=_me())
        except staff.StaffError as exc:
            form.email.errors = [_staff_error(str(exc))]
        else:
            db.session.commit()
            flash(
                _("%(name)s added. They will get an email to choose a password.", name=user.name),
                "success",
            )
            return redirect(url_for("admin.staff_page"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/settings_staff_form.html", form=form, user=None), status


@bp.route("/settings/staff/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def staff_edit(user_id: int) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id) or abort(404)
    form = StaffForm(obj=user if request.method == "GET" else None)
    if request.method == "GET":
        form.team_id.data = user.team_id or 0
    _fill_staff_choices(form)
    error = None
    if form.validate_on_submit():
        values = _staff_values(form)
        try:
            changed = staff.update_staff(user, values, actor=_me())
        except staff.StaffError as exc:
            db.session.rollback()
            error = _staff_error(str(exc))
            if str(exc) == "email_taken":
                form.email.errors, error = [error], None
        else:
            db.session.commit()
            flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.staff_page"))
    primary_clients = db.session.scalar(
        select(func.count())
        .select_from(Client)
        .where(Client.primary_clinician_id == user.id, Client.status == "active")
    )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/settings_staff_form.html",
        form=form,
        user=user,
        error=error,
        primary_clients=primary_clients,
        action_form=ActionForm(formdata=None),
        sessions=staff_sessions.listed(user, utcnow(), viewer=_me()),
        reset_form=TwoFactorResetForm(formdata=None),
        supervisees_form=supervisees_form(user) if user.role == "clinician" else None,
        **employment_context(user),
    ), status


@bp.post("/settings/staff/<int:user_id>/password-link")
@role_required("admin")
def staff_password_link(user_id: int) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id) or abort(404)
    try:
        sent = staff.send_password_link(user, actor=_me())
    except staff.StaffError as exc:
        flash(_staff_error(str(exc)), "error")
    else:
        db.session.commit()
        flash(
            _("A password link is on its way to %(email)s.", email=user.email)
            if sent
            else _("A password link went to %(email)s a moment ago.", email=user.email),
            "success",
        )
    return redirect(url_for("admin.staff_edit", user_id=user.id))


@bp.post("/settings/staff/<int:user_id>/sign-out-everywhere")
@role_required("admin")
def staff_signout_everywhere(user_id: int) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id) or abort(404)
    if ActionForm().validate_on_submit():
        ended = staff.sign_out_everywhere(user, actor=_me())
        db.session.commit()
        flash(
            ngettext(
                "%(name)s is signed out of %(num)s session.",
                "%(name)s is signed out of %(num)s sessions.",
                ended,
                name=user.name,
            ),
            "success",
        )
    return redirect(url_for("admin.staff_edit", user_id=user.id))


@bp.post("/settings/staff/<int:user_id>/two-factor-reset")
@role_required("admin")
def staff_two_factor_reset(user_id: int) -> ResponseReturnValue:
    """A colleague lost their phone and their recovery codes: clear their two-factor sign-in
    and sign them out everywhere (audit-logged as ``staff.two_factor_reset``)."""
    user = db.session.get(StaffUser, user_id) or abort(404)
    if not TwoFactorResetForm().validate_on_submit():
        flash(_("Tick the box to confirm you checked who is asking."), "error")
    elif not user.totp_secret:
        flash(_("%(name)s does not use two-factor sign-in.", name=user.name), "info")
    else:
        two_factor.reset(user, actor=_me())
        db.session.commit()
        flash(
            _(
                "Two-factor sign-in for %(name)s is cleared and they are signed out. They set it "
                "up again at their next sign-in if the practice requires it.",
                name=user.name,
            ),
            "success",
        )
    return redirect(url_for("admin.staff_edit", user_id=user.id))


@bp.get("/settings/teams")
@role_required("admin")
def teams_page() -> ResponseReturnValue:
    return render_template(
        "admin/settings_teams.html",
        rows=teams.team_rows(),
        form=TeamForm(formdata=None),
    )


@bp.post("/settings/teams")
@role_required("admin")
def team_add() -> ResponseReturnValue:
    form = TeamForm()
    if not form.validate_on_submit():
        flash(_team_error("blank"), "error")
        return redirect(url_for("admin.teams_page"))
    try:
        team = teams.add_team(form.name.data or "", actor=_me())
    except teams.TeamError as exc:
        db.session.rollback()
        flash(_team_error(str(exc)), "error")
    else:
        db.session.commit()
        flash(_("Team %(name)s added.", name=team.name), "success")
    return redirect(url_for("admin.teams_page"))


@bp.post("/settings/teams/<int:team_id>/rename")
@role_required("admin")
def team_rename(team_id: int) -> ResponseReturnValue:
    team = db.session.get(Team, team_id) or abort(404)
    form = TeamForm()
    try:
        if not form.validate_on_submit():
            raise teams.TeamError("blank")
        teams.rename_team(team, form.name.data or "", actor=_me())
    except teams.TeamError as exc:
        db.session.rollback()
        flash(_team_error(str(exc)), "error")
    else:
        db.session.commit()
        flash(_("Team renamed."), "success")
    return redirect(url_for("admin.teams_page"))


@bp.post("/settings/teams/<int:team_id>/delete")
@role_required("admin")
def team_delete(team_id: int) -> ResponseReturnValue:
    team = db.session.get(Team, team_id) or abort(404)
    try:
        teams.delete_team(team, actor=_me())
    except teams.TeamError as exc:
        db.session.rollback()
        flash(_team_error(str(exc)), "error")
    else:
        db.session.commit()
        flash(_("Team removed."), "success")
    return redirect(url_for("admin.teams_page"))
