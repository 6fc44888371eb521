"""``mbc scheduler run`` (the long-running sender) and ``mbc scheduler tick`` (one pass)."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="Plan check-ins and send invitations and reminders.")


@scheduler_cli.command("tick")
def tick() -> None:
    """Run one pass and exit (for cron, and to see what a pass does)."""
    from mbc.delivery.scheduler import run_pass

    report = run_pass(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(json.dumps(report.as_dict()))


@scheduler_cli.command("run")
def run() -> None:
    """Run a pass every MBC_SCHEDULER_INTERVAL_SECONDS until stopped (its own process)."""
    from mbc.delivery.scheduler import run_forever

    run_forever(current_app._get_current_object())  # type: ignore[attr-defined]
