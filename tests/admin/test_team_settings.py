"""Admin settings, teams: added, renamed, and removed only once nothing refers to them."""

from __future__ import annotations

from sqlalchemy import select

from mbc.extensions import db
from mbc.practice.models import Team
from mbc.reports.models import TeamGoal
from tests.helpers import submit, text_of

URL = "/admin/settings/teams"


def team_names(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Team.name).order_by(Team.name)))


def test_an_admin_adds_and_renames_teams(app, as_admin) -> None:
    submit(as_admin, URL, {"name": "  North   Side "})
    [team_id] = [t.id for t in _teams(app)]
    submit(as_admin, f"{URL}/{team_id}/rename", {"name": "Northside"}, form_url=URL)
    assert team_names(app) == ["Northside"]
    assert "Team renamed." in text_of(as_admin.get(URL))


def _teams(app) -> list[Team]:
    with app.app_context():
        teams = list(db.session.scalars(select(Team)))
        db.session.expunge_all()
        return teams


def test_team_names_are_unique_whatever_their_case(app, as_admin, make) -> None:
    make.team("North")
    south = make.team("South")
    response = submit(as_admin, URL, {"name": "north"}, follow_redirects=True)
    assert "A team with this name already exists." in text_of(response)
    response = submit(
        as_admin,
        f"{URL}/{south.id}/rename",
        {"name": "NORTH"},
        form_url=URL,
        follow_redirects=True,
    )
    assert "A team with this name already exists." in text_of(response)
    assert team_names(app) == ["North", "South"]


def test_a_blank_name_is_refused(app, as_admin) -> None:
    response = submit(as_admin, URL, {"name": "   "}, follow_redirects=True)
    assert "Give the team a name." in text_of(response)
    assert team_names(app) == []


def test_a_team_in_use_is_not_removed(app, as_admin, make) -> None:
    team = make.team("North")
    make.user(team=team)
    page = text_of(as_admin.get(URL))
    assert "Remove North" not in page  # no button for it
    response = submit(as_admin, f"{URL}/{team.id}/delete", {}, form_url=URL, follow_redirects=True)
    assert "move them to another team first" in text_of(response)
    assert team_names(app) == ["North"]


def test_an_unused_team_is_removed_with_its_goals(app, as_admin, make) -> None:
    team = make.team("North")
    with app.app_context():
        db.session.add(
            TeamGoal(team_id=team.id, metric="completion", target_percent=80, period="month")
        )
        db.session.commit()
    submit(as_admin, f"{URL}/{team.id}/delete", {}, form_url=URL)
    assert team_names(app) == []
    with app.app_context():
        assert db.session.scalars(select(TeamGoal)).all() == []


def test_the_list_counts_staff_clients_and_plan_rules_per_team(as_admin, make, clinician_a):
    team = make.team("North")
    make.user(team=team)
    make.user(team=team)
    client = make.client(clinician_a)
    with as_admin.application.app_context():
        db.session.get(type(client), client.id).team_id = team.id
        db.session.commit()
    page = text_of(as_admin.get(URL))
    assert '<th scope="row">North</th>\n    <td>2</td><td>1</td><td>0</td>' in page


def test_a_clinician_cannot_change_teams(app, as_clinician) -> None:
    assert submit(as_clinician, URL, {"name": "Mine"}, form_url="/home").status_code == 403
    assert team_names(app) == []
