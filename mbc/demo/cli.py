from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from mbc.demo.seed import seed_demo as run_seed
from mbc.demo.seed import sign_ins
from mbc.extensions import db


@click.command("seed-demo")
@with_appcontext
@click.option("--clients", default=30, show_default=True, help="How many demo clients.")
@click.option("--weeks", default=8, show_default=True, help="Weeks of past sessions per client.")
def seed_demo(clients: int, weeks: int) -> None:
    """Create a demo practice (safe to run twice; refused in production)."""
    if current_app.config["ENV"] == "production":
        raise click.ClickException("seed-demo is refused in production")
    summary = run_seed(clients=clients, weeks=weeks)
    db.session.commit()
    click.echo(
        f"demo data: {summary.clients_created} client(s) and "
        f"{summary.appointments_created} appointment(s) added, with "
        f"{summary.check_ins_completed} completed check-in(s) of score history"
    )
    click.echo("Sign in at " + current_app.config["BASE_URL"] + "/signin with:")
    for role, email, password in sign_ins():
        click.echo(f"  {role:<10} {email:<26} {password}")
    click.echo(
        "The practice plan sends PHQ-9 and GAD-7 before every session. With `mbc scheduler run`"
        " going (make demo starts it), check-in messages appear at "
        + current_app.config["BASE_URL"]
        + "/dev/outbox (sign in as the admin): open a link there to answer as the client."
        " Quiet hours are off in the"
        " demo practice so messages show at any hour (a real practice sends none 21:00-08:00)."
    )
