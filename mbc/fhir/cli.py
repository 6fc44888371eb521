"""``mbc export fhir``: one client's record as a Bundle, or everything as NDJSON files."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mbc.audit import services as audit
from mbc.clients.models import Client
from mbc.extensions import db


@click.group("export", cls=AppGroup)
def export_group() -> None:
    """Export records for other systems."""


def _date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD) or an ISO 8601 time", param_hint="--since"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@export_group.command("fhir")
@click.argument("client_ref", required=False)
@click.option("--all", "everything", is_flag=True, help="Every client, as NDJSON files.")
@click.option("--since", help="With --all: what changed from this date (UTC) on.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fhir-export"),
    show_default=True,
    help="With --all: the directory for the <Type>.ndjson files.",
)
@click.option("--contact", is_flag=True, help="Include phone, email and language in Patient.")
def export_fhir(
    client_ref: str | None, everything: bool, since: str | None, out: Path, contact: bool
) -> None:
    """Print CLIENT_REF's record as a FHIR Bundle, or with --all write one NDJSON file per
    resource type (FHIR Bulk Data format). Audit-logged."""
    from mbc.fhir.bulk import count_responses, export_all, write_json
    from mbc.fhir.records import client_record, context

    if everything == bool(client_ref):
        raise click.UsageError("give a CLIENT_REF, or --all")
    if since and not everything:
        raise click.UsageError("--since goes with --all")
    ctx = context()
    if client_ref:
        client = db.session.scalar(select(Client).where(Client.client_ref == client_ref))
        if client is None:
            raise click.ClickException(f"no client {client_ref!r}")
        write_json(client_record(client, ctx, contact=contact), sys.stdout)
        audit.record(
            "fhir.export", client_id=client.id, target=f"client:{client.id}",
            detail={"contact": contact},
        )  # fmt: skip
        db.session.commit()
        return
    start = _date(since)
    with click.progressbar(
        length=count_responses(start), label="Exporting responses", file=sys.stderr
    ) as bar:
        counts = export_all(out, ctx, since=start, contact=contact, progress=bar.update)
    audit.record(
        "fhir.export_all",
        detail={"since": start.isoformat() if start else None, "contact": contact, **counts},
    )
    db.session.commit()
    for kind, n in counts.items():
        click.echo(f"{out / (kind + '.ndjson')}: {n}", err=True)
