"""Teams: named groups of clinicians and clients that plans, reports and goals are set for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, literal, select, union_all

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.delivery.models import PlanRule
from mbc.extensions import db
from mbc.practice.models import Team
from mbc.reports.models import TeamGoal


class TeamError(ValueError):
    """``name_taken``, ``blank`` or ``in_use``."""


@dataclass(frozen=True)
class TeamRow:
    team: Team
    staff: int
    clients: int
    plan_rules: int

    @property
    def in_use(self) -> bool:
        return bool(self.staff or self.clients or self.plan_rules)


def _usage(team_id: int | None = None) -> dict[tuple[int, str], int]:
    """How many staff, clients and plan rules refer to each team (or to one): one query."""
    kinds = (
        (StaffUser.team_id, "staff"),
        (Client.team_id, "clients"),
        (PlanRule.team_id, "plan_rules"),
    )
    uses = union_all(
        *(
            select(column.label("team_id"), literal(kind).label("kind")).where(
                column == team_id if team_id is not None else column.is_not(None)
            )
            for column, kind in kinds
        )
    ).subquery()
    counted = db.session.execute(
        select(uses.c.team_id, uses.c.kind, func.count()).group_by(uses.c.team_id, uses.c.kind)
    ).all()
    return {(t, k): n for t, k, n in counted}


def _row(team: Team, counts: dict[tuple[int, str], int]) -> TeamRow:
    return TeamRow(
        team=team,
        staff=counts.get((team.id, "staff"), 0),
        clients=counts.get((team.id, "clients"), 0),
        plan_rules=counts.get((team.id, "plan_rules"), 0),
    )


def team_rows() -> list[TeamRow]:
    """Every team with how many staff, clients and plan rules refer to it."""
    counts = _usage()
    return [_row(t, counts) for t in db.session.scalars(select(Team).order_by(Team.name))]


def _clean(name: str, team: Team | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise TeamError("blank")
    taken = db.session.scalar(
        select(Team.id).where(
            func.lower(Team.name) == name.lower(), Team.id != (team.id if team else 0)
        )
    )
    if taken:
        raise TeamError("name_taken")
    return name


def add_team(name: str, *, actor: StaffUser) -> Team:
    team = Team(name=_clean(name, None))
    db.session.add(team)
    db.session.flush()
    audit.record("team.create", target=f"team:{team.id}", actor=actor)
    return team


def rename_team(team: Team, name: str, *, actor: StaffUser) -> None:
    team.name = _clean(name, team)
    audit.record("team.rename", target=f"team:{team.id}", actor=actor)
    db.session.flush()


def delete_team(team: Team, *, actor: StaffUser) -> None:
    """Only a team nobody refers to: moving people and clients is a decision, not a side effect.
    Its goals go with it (they mean nothing without the team)."""
    if _row(team, _usage(team.id)).in_use:
        raise TeamError("in_use")
    audit.record("team.delete", target=f"team:{team.id}", detail={"name": team.name}, actor=actor)
    db.session.execute(delete(TeamGoal).where(TeamGoal.team_id == team.id))
    db.session.delete(team)
    db.session.flush()
