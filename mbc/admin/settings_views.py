"""Admin settings: the practice's own settings and the instruments (versions and licences)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from mbc.admin.settings_forms import LicenceForm, PracticeForm
from mbc.admin.views import bp
from mbc.assessments.services import is_enabled
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.clinician.forms import ActionForm
from mbc.clinician.labels import rule_words
from mbc.extensions import db
from mbc.instruments import registry
from mbc.instruments.cli import describe
from mbc.practice import licences
from mbc.practice.services import get_practice, update_practice
from mbc.scoring.on_track import OnTrackRule

# The settings the practice form edits, in the order the page shows them.
PRACTICE_FIELDS = (
    "name",
    "contact_phone",
    "contact_email",
    "timezone",
    "default_language",
    "phone_region",
    "crisis_text_en",
    "crisis_text_es",
    "show_scores_to_clients",
    "satisfaction_visible_to_clinician",
    "client_progress_enabled",
    "invite_hours_before",
    "reminder_hours_before",
    "close_hours_after",
    "quiet_hours_start",
    "quiet_hours_end",
    "unscheduled_window_days",
    "not_on_track_sessions",
    "not_on_track_weeks",
    "office_hours_start",
    "office_hours_end",
    "working_days",
    "alert_escalation_minutes",
    "min_group_size",
    "utilisation_warning_percent",
    "late_cancel_hours",
    "audit_retention_years",
    "discharged_retention_years",
    "two_factor_required",
)


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _title(code: str) -> str:
    definition = registry.get(code)
    return definition.text(definition.title, str(get_locale()))


def _practice_values(form: PracticeForm) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(form, name).data for name in PRACTICE_FIELDS}
    for name in ("name", "contact_phone", "timezone", "crisis_text_en", "crisis_text_es"):
        values[name] = (values[name] or "").strip()  # type: ignore[union-attr]
    values["contact_email"] = values["contact_email"] or ""
    values["working_days"] = ",".join(sorted(form.working_days.data or []))
    return values


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def practice_settings() -> ResponseReturnValue:
    practice = get_practice()
    form = PracticeForm(obj=practice if request.method == "GET" else None)
    if request.method == "GET":
        form.working_days.data = [d for d in practice.working_days.split(",") if d]
    if form.validate_on_submit():
        changed = update_practice(_practice_values(form), actor=_me())
        db.session.commit()
        flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("admin.practice_settings"))
    status = 400 if request.method == "POST" else 200
    rule = OnTrackRule.of(practice)
    return render_template(
        "admin/settings_practice.html", form=form, rule_text=rule_words(rule)
    ), status


@bp.get("/settings/instruments")
@role_required("admin")
def instruments_page() -> ResponseReturnValue:
    recorded = licences.licences()
    rows = [
        {
            "definition": registry.get(code),
            "versions": registry.versions(code),
            "licence": recorded.get(code),
            "enabled": is_enabled(code),
        }
        for code in registry.codes()
    ]
    return render_template(
        "admin/settings_instruments.html",
        rows=rows,
        refused=registry.problems(),
        form=LicenceForm(formdata=None),
        action_form=ActionForm(formdata=None),
    )


@bp.get("/settings/instruments/<code>/versions/<version>")
@role_required("admin")
def instrument_version(code: str, version: str) -> ResponseReturnValue:
    lang = request.args.get("lang", "en")
    try:
        definition = registry.get(code, version)
    except registry.UnknownInstrument:
        abort(404)
    lines = describe(definition, lang if lang in ("en", "es") else "en")
    return render_template(
        "admin/settings_instrument.html", definition=definition, lines=lines, lang=lang
    )


@bp.post("/settings/instruments/<code>/licence")
@role_required("admin")
def licence_record(code: str) -> ResponseReturnValue:
    if code not in registry.codes() or registry.get(code).enabled_by_default:
        abort(404)
    form = LicenceForm()
    if form.validate_on_submit():
        licences.record_licence(
            code,
            holder=form.holder.data or "",
            reference=form.reference.data or "",
            licensed_on=form.licensed_on.data,
            actor=_me(),
        )
        db.session.commit()
        flash(_("Licence recorded: %(title)s is on.", title=_title(code)), "success")
    else:
        flash(_("Give the licence holder and the licence number or agreement."), "error")
    return redirect(url_for("admin.instruments_page"))


@bp.post("/settings/instruments/<code>/licence/withdraw")
@role_required("admin")
def licence_withdraw(code: str) -> ResponseReturnValue:
    if code not in registry.codes():
        abort(404)
    if licences.withdraw_licence(code, actor=_me()):
        db.session.commit()
        flash(_("Licence withdrawn: no new check-ins will include it."), "success")
    return redirect(url_for("admin.instruments_page"))
