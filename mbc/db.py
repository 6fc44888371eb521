"""The declarative base, column types and the per-app database handle.

One ``Database`` object (``mbc.extensions.db``) gives a session scoped to the Flask app context.
Services only ``flush()``; the view, command or job that called them commits once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import DateTime, Engine, MetaData, Table, create_engine, event, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, scoped_session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones, so values are stored there as naive UTC; naive input is refused so
    a local time can never be mistaken for UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


intpk = Annotated[int, mapped_column(primary_key=True)]
created_at = Annotated[datetime, mapped_column(UTCDateTime(), server_default=func.now())]


def _app_context_id() -> int:
    return id(app_ctx._get_current_object())


class Database:
    """Engine per app, session per app context."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            self._new_session, scopefunc=_app_context_id
        )

    def init_app(self, app: Flask) -> None:
        app.extensions["mbc.db"] = make_engine(app.config["DATABASE_URL"])
        app.teardown_appcontext(self._remove_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["mbc.db"]

    def _new_session(self) -> Session:
        return Session(bind=self.engine, expire_on_commit=False)

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()


def insert_ignoring(table: Table, *unique: str, dialect: str | None = None) -> Any:
    """INSERT ... ON CONFLICT (``unique``) DO NOTHING, in ``dialect`` (default: the current
    database's): for rows two processes may create at once, where the second must quietly
    find the first."""
    if dialect is None:
        from mbc.extensions import db

        dialect = db.engine.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing(index_elements=list(unique))


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the settings every process needs (foreign keys on SQLite, pre-ping)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "connect", _postgresql_settings)
    return engine


def _postgresql_settings(dbapi_connection: Any, _record: Any) -> None:
    """JIT off: our queries are short, and PostgreSQL's JIT compiles the report queries (whose
    correlated subqueries inflate the cost estimate) for most of a second to save milliseconds."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on; WAL so readers never wait for a writer, and NORMAL sync, which in WAL
    mode is still durable against application crashes (the usual setting for web use)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    dbapi_connection.create_function("mbc_local_time", 2, sqlite_local_time, deterministic=True)


def sqlite_local_time(value: str | None, zone: str) -> str | None:
    """A stored (naive UTC) timestamp as the wall-clock time in ``zone``, for the reports'
    weeks and months on the practice's calendar (PostgreSQL does this with AT TIME ZONE)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value).replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def choice_type(name: str, values: tuple[str, ...]) -> Any:
    """A short string column restricted to ``values`` by a named CHECK constraint (no native enum,
    so adding a value is a one-line migration on every database)."""
    from sqlalchemy import Enum

    return Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
        validate_strings=True,
    )
