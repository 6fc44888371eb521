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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys enforced,
            # dropping a table other rows point to fails once there is data. The pragma only
            # takes effect outside a transaction, hence the commits around it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                include_name=include_name,
                render_item=render_item,
                compare_type=True,
                render_as_batch=sqlite,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `mbc db upgrade`")
run_migrations_online()
