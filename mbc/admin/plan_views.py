"""Admin: the practice's default measurement plan, team plans, and messages needing attention."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from mbc.admin.views import bp
from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.auth.sessions import role_required
from mbc.clients.models import Client
from mbc.clinician.forms import ActionForm, PlanRuleForm
from mbc.clinician.links import enabled_instruments
from mbc.clock import utcnow
from mbc.delivery import labels, plans
from mbc.delivery.models import Message, PlanRule
from mbc.delivery.reconcile import UNCONFIRMED
from mbc.extensions import db
from mbc.kiosk import front_desk
from mbc.practice.models import Team

ATTENTION = ("failed", "undeliverable")


def rule_prefix(team_id: int | None) -> str:
    """Each plan's add-a-rule form has its own field names, so its labels and ids are its own
    (one page holds the practice's and every team's)."""
    return f"team{team_id}" if team_id else "practice"


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


@bp.get("/plans")
@role_required("admin")
def plans_page() -> ResponseReturnValue:
    rules = db.session.scalars(
        select(PlanRule).where(PlanRule.scope.in_(("practice", "team"))).order_by(PlanRule.id)
    ).all()
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    enabled = enabled_instruments()
    return render_template(
        "admin/plans.html",
        practice_rules=[r for r in rules if r.scope == "practice"],
        team_rules={t.id: [r for r in rules if r.team_id == t.id] for t in teams},
        teams=teams,
        rule_forms={
            team_id: PlanRuleForm(enabled, formdata=None, prefix=rule_prefix(team_id))
            for team_id in [None, *(t.id for t in teams)]
        },
        action_form=ActionForm(formdata=None),
        instrument_titles=dict(enabled),
    )


@bp.post("/plans/rules")
@role_required("admin")
def plan_rule_add() -> ResponseReturnValue:
    team_id = request.form.get("team_id", type=int)
    if team_id is not None and db.session.get(Team, team_id) is None:
        abort(404)
    form = PlanRuleForm(enabled_instruments(), prefix=rule_prefix(team_id))
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("admin.plans_page"))
    values = form.values()
    try:
        plans.add_rule(
            values, scope="team" if team_id else "practice", team_id=team_id, actor=_me()
        )
    except plans.PlanError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.plans_page"))
    db.session.commit()
    flash(_("Plan updated."), "success")
    return redirect(url_for("admin.plans_page"))


@bp.post("/plans/rules/<int:rule_id>/delete")
@role_required("admin")
def plan_rule_remove(rule_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    rule = db.session.get(PlanRule, rule_id)
    if rule is None or rule.scope == "client":
        abort(404)
    plans.remove_rule(rule, actor=_me())
    db.session.commit()
    flash(_("Plan updated."), "success")
    return redirect(url_for("admin.plans_page"))


@bp.get("/messages")
@role_required("admin")
def messages_page() -> ResponseReturnValue:
    """Messages that failed, were not delivered, or could not be confirmed after a crash."""
    rows = db.session.execute(
        select(Message, Client.client_ref, Client.id)
        .outerjoin(Client, Client.id == Message.client_id)
        .where(Message.status.in_(ATTENTION))
        .order_by(Message.updated_at.desc(), Message.id.desc())
        .limit(200)
    ).all()
    kiosk_needs_you = front_desk.needs_you(None, utcnow())
    shown = [*(row[2] for row in rows), *(n.client_id for n in kiosk_needs_you)]
    audit.record_list("message.list", shown)
    db.session.commit()
    return render_template(
        "admin/messages.html",
        rows=rows,
        labels=labels,
        unconfirmed=UNCONFIRMED,
        kiosk_needs_you=kiosk_needs_you,
    )
