"""Agreed goals: recorded by a clinician and their supervisor together, seen only by them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.supervision import services
from mbc.supervision.models import AgreedGoal, GoalNote

KINDS = {
    "professional_development": _l("Professional development"),
    "clinical_skills": _l("Clinical skills"),
    "practice_metrics": _l("Practice metrics"),
}
STATUSES = {
    "active": _l("In progress"),
    "achieved": _l("Achieved"),
    "not_achieved": _l("Not achieved"),
    "set_aside": _l("Set aside"),
}


@dataclass(frozen=True)
class GoalValues:
    kind: str
    title: str
    description: str
    review_on: date


def may_see(user: StaffUser, clinician_id: int) -> bool:
    """The clinician themselves and their supervisors: no one else (admins included)."""
    return user.id == clinician_id or services.supervises(user, clinician_id)


def goals_of(clinician_id: int) -> list[AgreedGoal]:
    """Open goals first, each group by review date."""
    return list(
        db.session.scalars(
            select(AgreedGoal)
            .where(AgreedGoal.clinician_id == clinician_id)
            .order_by(AgreedGoal.status != "active", AgreedGoal.review_on, AgreedGoal.id)
        )
    )


def add_goal(clinician: StaffUser, values: GoalValues, *, actor: StaffUser) -> AgreedGoal:
    goal = AgreedGoal(
        clinician_id=clinician.id,
        kind=values.kind,
        title=values.title,
        description=values.description,
        review_on=values.review_on,
        created_by_id=actor.id,
    )
    db.session.add(goal)
    db.session.flush()
    audit.record("goal.agree", target=f"agreed_goal:{goal.id}", actor=actor)
    return goal


def add_note(goal: AgreedGoal, body: str, *, actor: StaffUser) -> GoalNote:
    note = GoalNote(goal_id=goal.id, author_id=actor.id, body=body)
    goal.notes.append(note)
    goal.updated_at = utcnow()
    db.session.flush()
    audit.record("goal.note", target=f"agreed_goal:{goal.id}", actor=actor)
    return note


def update_goal(goal: AgreedGoal, status: str, review_on: date, *, actor: StaffUser) -> list[str]:
    """Change the status or the review date; returns the changed field names (audited)."""
    changed = [
        name
        for name, value in (("status", status), ("review_on", review_on))
        if getattr(goal, name) != value
    ]
    if changed:
        goal.status, goal.review_on, goal.updated_at = status, review_on, utcnow()
        db.session.flush()
        audit.record(
            "goal.update", target=f"agreed_goal:{goal.id}", detail={"fields": changed}, actor=actor
        )
    return changed
