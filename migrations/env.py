"""Alembic environment: runs on the engine that mbc/migrate.py hands over (online only)."""

from __future__ import annotations

from typing import Any

from alembic import context

from mbc import models  # noqa: F401 - every table on the metadata
from mbc.db import Base, UTCDateTime

config = context.config
IGNORED_TABLES = {"apscheduler_jobs"}


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    return not (type_ == "table" and name in IGNORED_TABLES)


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our UTC column type as a plain timezone-aware DateTime in migration files."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from mbc import create_app
        from mbc.extensions import db

        app = create_app()
        with app.app_context():
            engine = db.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_name=include_name,
            render_item=render_item,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `mbc db upgrade`")
run_migrations_online()
