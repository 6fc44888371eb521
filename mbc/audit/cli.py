"""``mbc audit verify`` (check the hash chain) and ``mbc audit purge`` (apply the retention)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from mbc.extensions import db

audit_group = AppGroup("audit", help="The audit log: check its hash chain, apply its retention.")


@audit_group.command("verify")
def verify() -> None:
    """Walk the chain from the oldest row; name the first row whose hash or link is wrong."""
    from mbc.audit import chain

    verdict = chain.verify(db.session.connection())
    db.session.rollback()
    if verdict.broken_id is not None:
        click.echo(f"broken: row {verdict.broken_id} (after {verdict.rows - 1} good rows)")
        sys.exit(1)
    start = f", from row {verdict.first_id}" if verdict.first_id is not None else ""
    click.echo(f"ok: {verdict.rows} rows{start}")


@audit_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
def purge(dry_run: bool) -> None:
    """Delete rows older than the practice's retention (Admin settings; at least 6 years)."""
    from mbc.audit import services
    from mbc.clock import utcnow
    from mbc.practice.services import get_practice

    years = get_practice().audit_retention_years
    result = services.purge(utcnow(), years, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        verb = "would delete"
    else:
        db.session.commit()
        verb = "deleted"
    click.echo(f"{verb} {result.count} rows older than {result.cutoff.isoformat()} ({years} years)")
