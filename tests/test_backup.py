"""`mbc db backup` and `mbc db restore` on SQLite: a consistent copy while another connection
writes, restored into a fresh file with the same rows; refusals that protect a live database."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from mbc import create_app, migrate
from mbc.backup import head_revision
from mbc.clients.models import Client
from mbc.clock import FrozenClock
from mbc.db import Base
from mbc.extensions import db
from tests.clients.lifecycle_data import client_with_history
from tests.conftest import TEST_NOW
from tests.factories import Factory

KEY_TABLES = ("clients", "appointments", "check_ins", "responses", "alerts", "audit_events")
BATCH = 10  # the writer's rows per transaction


def file_app(path: Path) -> Flask:
    return create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "test-secret-key",
            "BASE_URL": "https://mbc.test",
            "CLOCK": FrozenClock(TEST_NOW),
        }
    )


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Flask]:
    """A migrated SQLite file with two clients' histories, as a running practice has."""
    app = file_app(tmp_path / "live.db")
    migrate.upgrade(app.extensions["mbc.db"])
    make = Factory(app)
    clinician = make.user(email="a@example.org", name="Clinician A")
    client_with_history(make, clinician, client_ref="R-1", phone="+14155550101")
    client_with_history(make, clinician, client_ref="R-2", phone="+14155550102")
    yield app
    app.extensions["mbc.db"].dispose()


def cli(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["db", *args])


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {
            t.name: conn.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0]
            for t in Base.metadata.sorted_tables
        }


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as conn:
        for table in KEY_TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


class Writer(threading.Thread):
    """Another process's connection, adding audit rows BATCH to a transaction until stopped."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.stop, self.batches = path, threading.Event(), 0

    def run(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as conn:
            while not self.stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                for _ in range(BATCH):
                    conn.execute(
                        "INSERT INTO audit_events (occurred_at, actor_label, action, detail)"
                        " VALUES ('2026-11-23 17:00:00', 'writer', 'test.write', '{}')"
                    )
                conn.execute("COMMIT")
                self.batches += 1

    def wait_for(self, batches: int) -> None:
        while self.batches < batches:
            self.stop.wait(0.005)


def test_a_backup_taken_while_another_connection_writes_restores_the_same_rows(
    live: Flask, tmp_path: Path
) -> None:
    source = Path(live.extensions["mbc.db"].url.database)
    before = counts(source)
    writer = Writer(source)
    writer.start()
    writer.wait_for(3)
    result = cli(live, "backup", str(tmp_path / "backups" / "mbc.db"))
    started = writer.batches
    writer.wait_for(started + 3)
    writer.stop.set()
    writer.join()
    assert result.exit_code == 0, result.output
    assert f"revision {head_revision()}" in result.output

    backup = tmp_path / "backups" / "mbc.db"
    assert not Path(f"{backup}-wal").exists()  # one self-contained file
    copied = counts(backup)
    written = copied["audit_events"] - before["audit_events"]
    assert written > 0 and written % BATCH == 0  # whole transactions only
    assert counts(source)["audit_events"] > copied["audit_events"]  # the writer went on
    assert {k: v for k, v in copied.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }

    target = tmp_path / "restored" / "mbc.db"
    fresh = file_app(target)
    try:
        result = cli(fresh, "restore", str(backup))
        assert result.exit_code == 0, result.output
        assert counts(target) == copied
        assert checksum(target) == checksum(backup)
        migrate.check(fresh.extensions["mbc.db"])  # the restored schema is the code's
        with fresh.app_context():
            refs = db.session.scalars(select(Client.client_ref).order_by(Client.client_ref))
            assert refs.all() == ["R-1", "R-2"]
    finally:
        fresh.extensions["mbc.db"].dispose()


def test_a_backup_never_replaces_a_file_unless_forced(live: Flask, tmp_path: Path) -> None:
    existing = tmp_path / "old.db"
    existing.write_text("keep me")
    result = cli(live, "backup", str(existing))
    assert result.exit_code != 0 and "exists" in result.output
    assert existing.read_text() == "keep me"
    assert cli(live, "backup", str(existing), "--force").exit_code == 0
    assert counts(existing)["clients"] == 2
    itself = live.extensions["mbc.db"].url.database
    result = cli(live, "backup", itself, "--force")
    assert result.exit_code != 0 and "the database itself" in result.output
    assert counts(Path(itself))["clients"] == 2


def test_a_restore_never_replaces_a_database_unless_forced(live: Flask, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    assert cli(live, "backup", str(backup)).exit_code == 0
    other = file_app(tmp_path / "other.db")
    try:
        migrate.upgrade(other.extensions["mbc.db"])
        result = cli(other, "restore", str(backup))
        assert result.exit_code != 0 and "pass --force" in result.output
        assert counts(tmp_path / "other.db")["clients"] == 0
        assert cli(other, "restore", str(backup), "--force").exit_code == 0
        assert counts(tmp_path / "other.db")["clients"] == 2
    finally:
        other.extensions["mbc.db"].dispose()


def test_a_restore_refuses_what_is_not_a_backup_this_code_knows(
    live: Flask, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, just bytes" * 100)
    newer = tmp_path / "newer.db"
    assert cli(live, "backup", str(newer)).exit_code == 0
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'zz_from_the_future'")
        conn.commit()
    fresh = file_app(tmp_path / "fresh.db")
    try:
        result = cli(fresh, "restore", str(junk))
        assert result.exit_code != 0 and "not an mbc database backup" in result.output
        result = cli(fresh, "restore", str(newer))
        assert result.exit_code != 0 and "does not know" in result.output
        assert not (tmp_path / "fresh.db").exists()
    finally:
        fresh.extensions["mbc.db"].dispose()


def test_postgresql_is_pointed_at_pg_dump(tmp_path: Path) -> None:
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none",
            "SECRET_KEY": "test-secret-key",
        }
    )
    for command in ("backup", "restore"):
        result = cli(app, command, str(tmp_path / "x.db"))
        assert result.exit_code != 0
        assert "pg_dump" in result.output and "README.md" in result.output
    app.extensions["mbc.db"].dispose()
