"""The migrations build the schema the models describe, and undo it."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from mbc import migrate
from mbc.db import Base, make_engine
from tests.conftest import POSTGRES_URL, schema_url


@pytest.fixture
def empty_database(database_url: str, tmp_path) -> str:
    """A database of its own (a fresh file, or a fresh PostgreSQL schema)."""
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS mbc_migrations CASCADE"))
    engine.dispose()
    return schema_url(POSTGRES_URL, "mbc_migrations")


def test_upgrade_check_and_downgrade(empty_database: str) -> None:
    engine = make_engine(empty_database)
    try:
        migrate.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        migrate.check(engine)  # raises when models and migrations disagree
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
    finally:
        engine.dispose()


def test_migration_files_are_date_prefixed() -> None:
    files = sorted(p.name for p in (migrate.MIGRATIONS / "versions").glob("*.py"))
    assert files, "no migrations"
    for name in files:
        date, time_, *_ = name.split("_")
        assert len(date) == 8 and date.isdigit() and len(time_) == 4 and time_.isdigit(), name
