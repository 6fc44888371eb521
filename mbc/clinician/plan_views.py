"""The client's measurement plan on the clinician's side: own rules, pause, resume, send now.

Thin: mbc.delivery.plans and mbc.delivery.planner do the work. Registered on the clinician
blueprint; every action loads the client through the access rule (and so is audited).
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.auth.access import load_client_to_act_or_403
from mbc.auth.models import StaffUser
from mbc.auth.sessions import staff_required
from mbc.clients.models import Client
from mbc.clinician.forms import ActionForm, CheckInLinkForm, PlanRuleForm
from mbc.clinician.links import enabled_instruments
from mbc.clinician.views import bp
from mbc.clock import utcnow
from mbc.delivery import planner, plans
from mbc.delivery.models import PlanRule
from mbc.extensions import db


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _back(client: Client) -> ResponseReturnValue:
    return redirect(url_for("clinician.client_detail", client_id=client.id) + "#plan")


def _client_for_action(client_id: int) -> Client:
    client = load_client_to_act_or_403(current_user, client_id, "client.view")
    if not ActionForm().validate_on_submit():
        abort(400)
    return client


def _done(client: Client, message: str) -> ResponseReturnValue:
    """Commit a plan change, say so, and return to the client's plan."""
    db.session.commit()
    flash(message, "success")
    return _back(client)


@bp.post("/clients/<int:client_id>/plan/rules")
@staff_required
def plan_rule_add(client_id: int) -> ResponseReturnValue:
    client = load_client_to_act_or_403(current_user, client_id, "client.view")
    # Prefixed: the page's check-in forms have questionnaire boxes too, and ids must be unique.
    form = PlanRuleForm(enabled_instruments(), prefix="rule")
    if not form.validate_on_submit():
        db.session.commit()
        problems = [e for errors in form.errors.values() for e in errors]
        flash(" ".join(str(p) for p in problems), "error")
        return _back(client)
    current = plans.client_plan(client.id)
    if current is None or not current.custom:
        _copy_default_rules(client)
    values = form.values()
    try:
        plans.add_rule(values, scope="client", client=client, actor=_me())
    except plans.PlanError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(client)
    return _done(client, _("Plan updated."))


def _copy_default_rules(client: Client) -> None:
    """Starting a client's own plan starts from the plan they had, so nothing is lost silently."""
    from mbc.delivery.queries import plan_view

    for rule in plan_view(client).rules:
        plans.add_rule(
            plans.RuleValues.of(rule),
            scope="client",
            client=client,
            actor=_me(),
        )


@bp.post("/clients/<int:client_id>/plan/rules/<int:rule_id>/delete")
@staff_required
def plan_rule_remove(client_id: int, rule_id: int) -> ResponseReturnValue:
    client = _client_for_action(client_id)
    rule = db.session.get(PlanRule, rule_id)
    if rule is None or rule.client_id != client.id:
        abort(404)
    plans.remove_rule(rule, actor=_me())
    return _done(client, _("Plan updated."))


@bp.post("/clients/<int:client_id>/plan/default")
@staff_required
def plan_use_default(client_id: int) -> ResponseReturnValue:
    client = _client_for_action(client_id)
    plans.use_default_plan(client, actor=_me())
    return _done(client, _("This client now follows the default plan."))


@bp.post("/clients/<int:client_id>/plan/pause")
@staff_required
def plan_pause(client_id: int) -> ResponseReturnValue:
    client = _client_for_action(client_id)
    plans.pause(client, actor=_me(), now=utcnow())
    return _done(client, _("Plan paused: nothing will be sent until you resume it."))


@bp.post("/clients/<int:client_id>/plan/resume")
@staff_required
def plan_resume(client_id: int) -> ResponseReturnValue:
    client = _client_for_action(client_id)
    plans.resume(client, actor=_me())
    return _done(client, _("Plan resumed."))


@bp.post("/clients/<int:client_id>/send-now")
@staff_required
def send_now(client_id: int) -> ResponseReturnValue:
    """A check-in sent by SMS or email at the scheduler's next pass (quiet hours still apply)."""
    client = load_client_to_act_or_403(current_user, client_id, "client.view")
    form = CheckInLinkForm(enabled_instruments(), prefix="send")
    if client.status != "active":
        abort(409)
    if not form.validate_on_submit():
        db.session.commit()
        flash(
            " ".join(str(e) for e in form.instruments.errors)
            or _("Choose at least one questionnaire."),
            "error",
        )
        return _back(client)
    planner.send_now(client, list(form.instruments.data or []), actor=_me(), now=utcnow())
    return _done(client, _("Check-in queued: it goes out within a minute, outside quiet hours."))
