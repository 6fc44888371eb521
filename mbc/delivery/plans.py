"""Measurement plans: whose rules apply to a client, and the clinician's controls (own rules,
pause, resume). Which sessions they select is ``schedule``'s pure logic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.delivery import outbox
from mbc.delivery.models import ClientPlan, PlanRule
from mbc.delivery.schedule import IN_SESSION, SESSION_RULES, RuleSpec, RuleValues, Timing
from mbc.extensions import db
from mbc.practice.models import PracticeSettings


class PlanError(ValueError):
    pass


def spec(rule: PlanRule) -> RuleSpec:
    return RuleSpec(**asdict(RuleValues.of(rule)), id=rule.id)


def practice_timing(practice: PracticeSettings) -> Timing:
    return Timing(
        practice.invite_hours_before, practice.reminder_hours_before, practice.close_hours_after
    )


@dataclass
class RuleIndex:
    """Every plan rule, indexed so each client's plan is found without another query."""

    practice: list[RuleSpec] = field(default_factory=list)
    team: dict[int, list[RuleSpec]] = field(default_factory=lambda: defaultdict(list))
    client: dict[int, list[RuleSpec]] = field(default_factory=lambda: defaultdict(list))
    custom: set[int] = field(default_factory=set)
    paused: set[int] = field(default_factory=set)
    paused_at: dict[int, datetime] = field(default_factory=dict)

    def for_client(self, client_id: int, team_id: int | None) -> tuple[str, list[RuleSpec]]:
        """(source, rules): the client's own when custom, else the team's, else the practice's."""
        if client_id in self.custom:
            return "client", self.client.get(client_id, [])
        if team_id is not None and self.team.get(team_id):
            return "team", self.team[team_id]
        return "practice", self.practice


def load_rules(client_ids: Iterable[int] | None = None) -> RuleIndex:
    """Practice and team rules, and the custom rules and plan state of ``client_ids`` (all
    clients when None)."""
    index = RuleIndex()
    query = select(PlanRule).order_by(PlanRule.id)
    plans = select(ClientPlan)
    if client_ids is not None:
        ids = list(client_ids)
        query = query.where((PlanRule.client_id.is_(None)) | (PlanRule.client_id.in_(ids)))
        plans = plans.where(ClientPlan.client_id.in_(ids))
    for rule in db.session.scalars(query):
        if rule.scope == "practice":
            index.practice.append(spec(rule))
        elif rule.scope == "team" and rule.team_id is not None:
            index.team[rule.team_id].append(spec(rule))
        elif rule.client_id is not None:
            index.client[rule.client_id].append(spec(rule))
    for plan in db.session.scalars(plans):
        if plan.custom:
            index.custom.add(plan.client_id)
        if plan.paused_at is not None:
            index.paused.add(plan.client_id)
            index.paused_at[plan.client_id] = plan.paused_at
    return index


def check_rule(values: RuleValues) -> None:
    from mbc.assessments.services import is_enabled
    from mbc.instruments import registry

    if not values.instruments:
        raise PlanError("choose at least one questionnaire")
    for code in values.instruments:
        if code not in registry.client_codes():  # staff instruments never go in a plan
            raise PlanError(f"{code} is not a questionnaire mbc knows")
        if not is_enabled(code):
            raise PlanError(f"{code} is licensed and not enabled for this practice")
        if code in IN_SESSION and values.rule not in SESSION_RULES:
            # It asks about "today's session": a calendar check-in has none to rate.
            raise PlanError(
                _(
                    "%(code)s asks about the session just held: give it with a session rule.",
                    code=code.upper(),
                )
            )
    if values.rule in ("every_nth_session", "every_n_weeks") and not (
        values.every_n and 1 <= values.every_n <= 52
    ):
        raise PlanError("give N between 1 and 52")
    if values.start_date and values.stop_date and values.stop_date < values.start_date:
        raise PlanError("the stop date is before the start date")


def add_rule(
    values: RuleValues,
    *,
    scope: str,
    actor: StaffUser | None,
    team_id: int | None = None,
    client: Client | None = None,
) -> PlanRule:
    check_rule(values)
    rule = PlanRule(
        scope=scope,
        team_id=team_id,
        client_id=client.id if client else None,
        rule=values.rule,
        instruments=list(values.instruments),
        every_n=values.every_n if values.rule in ("every_nth_session", "every_n_weeks") else None,
        start_date=values.start_date,
        stop_date=values.stop_date,
        invite_hours_before=values.invite_hours_before,
        reminder_hours_before=values.reminder_hours_before,
        close_hours_after=values.close_hours_after,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(rule)
    if client is not None:
        _client_plan(client.id).custom = True
    db.session.flush()
    audit.record(
        "plan.rule_add",
        client_id=client.id if client else None,
        target=f"plan_rule:{rule.id}",
        detail={"scope": scope, "rule": values.rule, "instruments": list(values.instruments)},
        actor=actor,
    )
    return rule


def remove_rule(rule: PlanRule, *, actor: StaffUser | None) -> None:
    audit.record(
        "plan.rule_remove",
        client_id=rule.client_id,
        target=f"plan_rule:{rule.id}",
        detail={"scope": rule.scope, "rule": rule.rule},
        actor=actor,
    )
    db.session.delete(rule)
    db.session.flush()


def use_default_plan(client: Client, *, actor: StaffUser | None) -> None:
    """Drop the client's own rules: the team's or practice's plan applies again."""
    db.session.execute(delete(PlanRule).where(PlanRule.client_id == client.id))
    _client_plan(client.id).custom = False
    db.session.flush()
    audit.record("plan.use_default", client_id=client.id, actor=actor)


def pause(client: Client, *, actor: StaffUser | None, now: datetime) -> int:
    """Stop planning and sending for this client; pending messages are cancelled."""
    from mbc.assessments.models import CheckIn

    plan = _client_plan(client.id)
    if plan.paused_at is None:
        plan.paused_at, plan.paused_by_id = now, actor.id if actor else None
    open_ids = list(
        db.session.scalars(
            select(CheckIn.id).where(CheckIn.client_id == client.id, CheckIn.status == "open")
        )
    )
    cancelled = outbox.cancel_pending(open_ids, "cancelled", "plan_paused")
    db.session.flush()
    audit.record("plan.pause", client_id=client.id, detail={"cancelled": cancelled}, actor=actor)
    return cancelled


def resume(client: Client, *, actor: StaffUser | None) -> None:
    plan = _client_plan(client.id)
    plan.paused_at, plan.paused_by_id = None, None
    db.session.flush()
    audit.record("plan.resume", client_id=client.id, actor=actor)


def client_plan(client_id: int) -> ClientPlan | None:
    return db.session.get(ClientPlan, client_id)


def _client_plan(client_id: int) -> ClientPlan:
    plan = db.session.get(ClientPlan, client_id)
    if plan is None:
        plan = ClientPlan(client_id=client_id, custom=False)
        db.session.add(plan)
    return plan
