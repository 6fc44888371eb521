"""Backing up and restoring a SQLite database (``mbc db backup`` / ``mbc db restore``).

SQLite's online backup API copies the database page by page under one read transaction, so the
copy is consistent while the app and the scheduler keep writing (they wait at most for the copy).
PostgreSQL has its own tools, ``pg_dump`` and ``pg_restore``: README.md gives the commands.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from mbc.migrate import MIGRATIONS

POSTGRESQL_HINT = (
    "this database is PostgreSQL: back it up with pg_dump and restore it with pg_restore "
    "(README.md, 'Running in production', Backups, has the exact commands)"
)


class BackupError(RuntimeError):
    """A backup or restore refused, with the reason in words for the operator."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    revision: str
    size: int


def sqlite_file(engine: Engine) -> Path:
    """The file of the app's SQLite database; refuses PostgreSQL and in-memory databases."""
    if engine.dialect.name != "sqlite":
        raise BackupError(POSTGRESQL_HINT)
    name = engine.url.database
    if not name or name == ":memory:":
        raise BackupError("an in-memory database has nothing to back up")
    return Path(name)


def backup(engine: Engine, dest: Path, *, force: bool = False) -> BackupInfo:
    """Copy the app's database to ``dest`` (one self-contained file), then check the copy."""
    source = sqlite_file(engine)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    if dest.resolve() == source.resolve():
        raise BackupError(f"{dest} is the database itself: choose another file")
    if dest.exists() and not force:
        raise BackupError(f"{dest} exists: choose a new file, or pass --force to replace it")
    dest.parent.mkdir(parents=True, exist_ok=True)
    for old in (dest, Path(f"{dest}-wal"), Path(f"{dest}-shm")):
        old.unlink(missing_ok=True)  # replaced whatever it held, never merged into it
    _copy(source, dest)
    return check_backup(dest)


def restore(engine: Engine, backup_path: Path, *, force: bool = False) -> BackupInfo:
    """Copy ``backup_path`` over the app's database file (refused when it exists, unless forced).

    Stop the app and the scheduler first: a restore replaces what they are working on.
    """
    target = sqlite_file(engine)
    info = check_backup(backup_path)
    if backup_path.resolve() == target.resolve():
        raise BackupError(f"{backup_path} is the database itself")
    if target.exists() and not force:
        raise BackupError(
            f"{target} exists: restore into a new MBC_DATABASE_URL, or pass --force to replace it"
        )
    engine.dispose()  # no pooled connection may keep the old file open
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup_path, target, wal=True)
    return info


def check_backup(path: Path) -> BackupInfo:
    """A readable, intact SQLite file whose schema revision this code knows."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    try:
        with closing(_connect(path)) as conn:
            (integrity,) = conn.execute("PRAGMA integrity_check").fetchone()
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an mbc database backup ({exc})") from exc
    if integrity != "ok":
        raise BackupError(f"{path} is damaged: {integrity}")
    if row is None:
        raise BackupError(f"{path} has no schema revision (alembic_version is empty)")
    revision = row[0]
    if revision not in known_revisions():
        raise BackupError(
            f"{path} is at revision {revision}, which this version of mbc does not know "
            "(a backup from a newer mbc): restore it with that version"
        )
    return BackupInfo(path=path, revision=revision, size=path.stat().st_size)


def known_revisions() -> set[str]:
    return {script.revision for script in _scripts().walk_revisions()}


def head_revision() -> str:
    return str(_scripts().get_current_head())


def _scripts() -> ScriptDirectory:
    """The migration scripts, read without a database."""
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def _copy(source: Path, dest: Path, *, wal: bool = False) -> None:
    """SQLite's backup API, all pages in one step: a consistent snapshot of ``source``."""
    with closing(_connect(source)) as src, closing(_connect(dest)) as dst:
        src.backup(dst)
        # A backup is one file (no -wal beside it); a restored database is back in WAL, as
        # the app runs it.
        dst.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}").fetchall()


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=30)
