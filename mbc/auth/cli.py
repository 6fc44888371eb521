from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mbc.auth.passwords import WeakPassword
from mbc.auth.services import AccountError, create_user
from mbc.extensions import db
from mbc.practice.models import Team


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Staff accounts."""


@user_group.command("create")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", required=True, help="Full name shown to colleagues.")
@click.option("--role", required=True, type=click.Choice(["admin", "clinician"]))
@click.option("--team", "team_name", help="Team name (created if new).")
@click.option("--language", default="en", type=click.Choice(["en", "es"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create(
    email: str, name: str, role: str, team_name: str | None, language: str, password_stdin: bool
) -> None:
    """Create a staff user; asks for the password unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    team = None
    if team_name:
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            team = Team(name=team_name)
            db.session.add(team)
    try:
        user = create_user(
            email=email, name=name, role=role, password=password, team=team, language=language
        )
    except (AccountError, WeakPassword) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")
