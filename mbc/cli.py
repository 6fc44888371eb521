"""The ``mbc`` command: Flask's commands plus the project's own (``mbc --help`` lists all)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup

from mbc.extensions import db


def _make_app() -> Flask:
    from mbc import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_make_app, add_version_option=False)
def main() -> None:
    """mbc: measurement-based care for behavioural-health practices."""


def register_commands(app: Flask) -> None:
    from mbc.assessments.cli import link
    from mbc.audit.cli import audit_group
    from mbc.auth.cli import user_group
    from mbc.clients.cli import clients_group, import_group
    from mbc.delivery.cli import scheduler_cli
    from mbc.demo.cli import seed_demo
    from mbc.fhir.cli import export_group
    from mbc.instruments.cli import instruments_group

    commands = (
        db_group,
        audit_group,
        user_group,
        import_group,
        clients_group,
        instruments_group,
        link,
        seed_demo,
        translations_group,
        scheduler_cli,
        export_group,
    )
    for command in commands:
        app.cli.add_command(command)


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema (upgrade, downgrade, check) and SQLite backups (backup, restore)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from mbc import migrate

    migrate.upgrade(db.engine, revision)
    click.echo(f"database at {revision}")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION (``base`` empties the database)."""
    from mbc import migrate

    migrate.downgrade(db.engine, revision)
    click.echo(f"database at {revision}")


@db_group.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    from mbc import migrate

    migrate.check(db.engine)
    click.echo("models and migrations agree")


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
def db_backup(path: Path, force: bool) -> None:
    """Copy the SQLite database to PATH while the app runs (PostgreSQL: pg_dump, see README)."""
    from mbc import backup

    try:
        info = backup.backup(db.engine, path, force=force)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backed up to {info.path} ({info.size} bytes, revision {info.revision})")


@db_group.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the existing database file.")
def db_restore(path: Path, force: bool) -> None:
    """Restore the SQLite database from the backup at PATH (stop the app and scheduler first)."""
    from mbc import backup

    try:
        info = backup.restore(db.engine, path, force=force)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {info.path} (revision {info.revision})")
    if info.revision != backup.head_revision():
        click.echo("the backup is from an older version: run `mbc db upgrade` next")


@click.group("translations", cls=AppGroup)
def translations_group() -> None:
    """Message catalogues (English and Spanish)."""


@translations_group.command("compile")
def translations_compile() -> None:
    """Compile .po catalogues to .mo where they changed."""
    from mbc.i18n import compile_catalogues

    for path in compile_catalogues():
        click.echo(f"compiled {path}")


@translations_group.command("check")
def translations_check() -> None:
    """Fail when a string in the code has no Spanish translation (a stale catalogue)."""
    from mbc.i18n import stale_messages

    missing = stale_messages("es")
    for message in missing:
        click.echo(f"untranslated: {message!r}", err=True)
    if missing:
        raise click.ClickException(
            f"{len(missing)} string(s) lack a Spanish translation: run `make translations-update`,"
            " translate them in mbc/translations/es/LC_MESSAGES/messages.po and commit"
        )
    click.echo("Spanish catalogue complete")


@translations_group.command("update")
def translations_update() -> None:
    """Extract strings and merge them into the catalogues."""
    from mbc.i18n import update_catalogues

    update_catalogues()
    click.echo("catalogues updated: translate the new entries, then `mbc translations compile`")
