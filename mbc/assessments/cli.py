from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from mbc.assessments.links import link_url
from mbc.assessments.services import CheckInError, create_check_in
from mbc.audit import services as audit
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.extensions import db


@click.command("link")
@click.argument("client_ref")
@click.option(
    "--instrument",
    "instruments",
    multiple=True,
    required=True,
    help="An instrument code (repeat for several, answered in this order).",
)
@click.option("--days", default=7, show_default=True, help="Days until the link closes.")
@with_appcontext
def link(client_ref: str, instruments: tuple[str, ...], days: int) -> None:
    """Create an ad-hoc check-in for CLIENT_REF and print its link."""
    client = db.session.scalar(select(Client).where(Client.client_ref == client_ref))
    if client is None:
        raise click.ClickException(f"no client with reference {client_ref}")
    if client.status != "active":
        raise click.ClickException(f"client {client_ref} is discharged")
    now = utcnow()
    try:
        check_in, token = create_check_in(
            client,
            list(instruments),
            opens_at=now,
            closes_at=now + timedelta(days=days),
            channel="link",
        )
    except CheckInError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    audit.record(
        "check_in.create",
        client_id=client.id,
        target=f"check_in:{check_in.id}",
        detail={"source": "cli", "instruments": list(instruments)},
    )
    db.session.commit()
    click.echo(link_url(token))
