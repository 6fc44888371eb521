"""README's PostgreSQL backup and restore commands (pg_dump, pg_restore), run for real into a
scratch database: every table's rows come back. Runs only with MBC_TEST_DATABASE_URL, in its own
databases (never the suite's shared schema); skipped where pg_dump is not installed."""

from __future__ import annotations

import glob
import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, make_url, text

from mbc import create_app, migrate
from mbc.clock import FrozenClock
from mbc.db import Base, make_engine
from tests.clients.lifecycle_data import client_with_history
from tests.conftest import POSTGRES_URL, TEST_NOW
from tests.factories import Factory

README = Path(__file__).resolve().parent.parent / "README.md"
# The commands README.md gives, as run here (the test checks README still says this).
PG_DUMP = ("pg_dump", "--format=custom", "--no-owner", "--file={file}", "{url}")
PG_RESTORE = ("pg_restore", "--no-owner", "--exit-on-error", "--dbname={url}", "{file}")
SOURCE, RESTORED = "mbc_lifecycle_backup_src", "mbc_lifecycle_backup_restored"
KEY_TABLES = ("clients", "responses", "alerts", "audit_events", "alembic_version")


def tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def url_of(database: str) -> URL:
    return make_url(POSTGRES_URL).set(database=database, query={})


def libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def recreate(*names: str) -> None:
    admin = make_engine(url_of("postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()


def drop(*names: str) -> None:
    admin = make_engine(url_of("postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def database_url() -> Iterator[str]:
    """This module's own source database (named database_url so the PostgreSQL pass keeps it)."""
    recreate(SOURCE, RESTORED)
    yield url_of(SOURCE).render_as_string(hide_password=False)
    drop(SOURCE, RESTORED)


def fingerprint(engine: Engine) -> tuple[dict[str, int], str]:
    digest = hashlib.sha256()
    with engine.connect() as conn:
        counts = {
            t.name: conn.scalar(text(f"SELECT count(*) FROM {t.name}"))
            for t in Base.metadata.sorted_tables
        }
        for table in KEY_TABLES:
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                digest.update(repr(tuple(row)).encode())
    return counts, digest.hexdigest()


def test_readme_gives_these_commands() -> None:
    readme = README.read_text()
    assert " ".join(PG_DUMP[:4]).replace("{file}", "") in readme
    assert " ".join(PG_RESTORE[:4]).replace("{url}", "") in readme


@pytest.mark.skipif(not POSTGRES_URL, reason="needs MBC_TEST_DATABASE_URL")
def test_pg_dump_and_pg_restore_bring_every_row_back(database_url: str, tmp_path: Path) -> None:
    pg_dump, pg_restore = tool("pg_dump"), tool("pg_restore")
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "BASE_URL": "https://mbc.test",
            "CLOCK": FrozenClock(TEST_NOW),
        }
    )
    source = app.extensions["mbc.db"]
    restored = make_engine(url_of(RESTORED).render_as_string(hide_password=False))
    try:
        migrate.upgrade(source)
        make = Factory(app)
        clinician = make.user(email="a@example.org", name="Clinician A")
        client_with_history(make, clinician, client_ref="R-1", phone="+14155550101")
        client_with_history(make, clinician, client_ref="R-2", phone="+14155550102")
        dump = tmp_path / "mbc.dump"
        values = {"file": str(dump), "url": libpq(url_of(SOURCE))}
        subprocess.run([pg_dump, *(a.format(**values) for a in PG_DUMP[1:])], check=True)
        values["url"] = libpq(url_of(RESTORED))
        subprocess.run([pg_restore, *(a.format(**values) for a in PG_RESTORE[1:])], check=True)

        counts, digest = fingerprint(restored)
        assert counts["clients"] == 2 and counts["responses"] == 2
        assert (counts, digest) == fingerprint(source)
        migrate.check(restored)
    finally:
        source.dispose()
        restored.dispose()
