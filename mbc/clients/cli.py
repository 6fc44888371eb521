from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from mbc.clients.importer import ImportSummary, apply_rows, check_upload, preview_rows
from mbc.clients.start_times import DATE_FORMATS
from mbc.extensions import db


@click.group("import", cls=AppGroup)
def import_group() -> None:
    """Import data exported from the practice's EHR."""


@import_group.command("appointments")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and report what it would write; write nothing."
)
@click.option(
    "--date-format",
    type=click.Choice(DATE_FORMATS),
    default=None,
    help="How to read 12/01/2026: mdy (month first) or dmy (day first). "
    "Default: mdy for a US practice, else dmy.",
)
def import_appointments(csv_file: Path, dry_run: bool, date_format: str | None) -> None:
    """Import clients and appointments from CSV_FILE (format in README.md)."""
    checked = check_upload(csv_file.read_bytes(), date_format)
    for warning in checked.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not checked.ok:
        for error in checked.errors:
            click.echo(f"error: {error}", err=True)
        raise click.ClickException(
            f"{len(checked.errors)} problem(s) found; nothing was imported. Fix them and rerun."
        )
    if dry_run:
        click.echo("Dry run; the import would write:")
        _report(preview_rows(checked, actor=None))
        click.echo(f"{len(checked.rows)} row(s) checked; no problems. Nothing written (dry run).")
        return
    with click.progressbar(length=len(checked.rows), label="Importing") as bar:
        summary = apply_rows(checked.rows, actor=None, progress=bar.update)
    db.session.commit()
    _report(summary)


def _report(summary: ImportSummary) -> None:
    click.echo(
        f"clients: {summary.clients_created} created, {summary.clients_updated} updated; "
        f"appointments: {summary.appointments_created} created, "
        f"{summary.appointments_updated} updated, {summary.appointments_unchanged} unchanged"
    )
    for ref, fields in summary.client_changes.items():
        click.echo(f"  {ref}: {', '.join(fields)} changed")
    for ref, fields in summary.appointment_changes.items():
        click.echo(f"  appointment {ref}: {', '.join(fields)} changed")


@click.group("clients", cls=AppGroup)
def clients_group() -> None:
    """Client records: the retention purge."""


@clients_group.command("purge")
@click.option("--dry-run", is_flag=True, help="List the clients that are due; remove nothing.")
def purge_clients(dry_run: bool) -> None:
    """Remove for good the clients discharged longer ago than the retention period."""
    from mbc.clients.retention import due_for_purge, purge
    from mbc.clock import utcnow
    from mbc.practice.services import get_practice

    cutoff, clients = due_for_purge(utcnow())
    years = get_practice().discharged_retention_years
    click.echo(
        f"{len(clients)} client(s) discharged before {cutoff.date().isoformat()}"
        f" (retention {years} years):"
    )
    for client in clients:
        click.echo(f"  {client.client_ref}")
    if dry_run:
        db.session.rollback()
        click.echo("Nothing removed (dry run).")
        return
    removed = purge(clients)
    db.session.commit()
    click.echo(f"{removed} client(s) removed for good.")
