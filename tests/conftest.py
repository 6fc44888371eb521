"""Shared fixtures: a real database, the app, staff users and signed-in browsers-without-a-browser.

The suite runs on SQLite by default and on PostgreSQL when MBC_TEST_DATABASE_URL is set (tables
live in their own schema there). The schema is built once per run; every test that used the
database leaves it empty again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import Engine, Integer, text
from werkzeug.routing.rules import Rule

from mbc import create_app, models  # noqa: F401 - every table on the metadata
from mbc.auth import two_factor
from mbc.auth.models import StaffUser
from mbc.clock import FrozenClock
from mbc.db import Base, make_engine
from mbc.i18n import compile_catalogues
from tests.factories import PASSWORD, Factory
from tests.fakes.smtp import SmtpServer
from tests.fakes.twilio_api import FakeTwilio, FakeTwilioServer
from tests.helpers import signin

POSTGRES_URL = os.environ.get("MBC_TEST_DATABASE_URL", "")


def _memoise_url_builders() -> None:
    """Every test builds its own app, and werkzeug writes and compiles Python source for each of
    a rule's two URL builders every time (about two thirds of ``create_app``, and so a large
    share of the suite's CPU on two cores). The builder is a pure function of the rule's text,
    parsed parts, defaults and ``append_unknown`` (it reaches the rule's converters through its
    ``self`` argument at call time), so the suite compiles each once per process. Behaviour is
    unchanged: the very same code object werkzeug would have compiled is reused."""
    compile_builder = Rule._compile_builder
    builders: dict[tuple, Any] = {}

    def cached(self: Rule, append_unknown: bool = True) -> Any:
        defaults = tuple(sorted((str(k), repr(v)) for k, v in (self.defaults or {}).items()))
        key = (self.rule, self.subdomain, self.host, tuple(self._trace), defaults, append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = cached  # type: ignore[method-assign]


class _TemplateCodeCache(BytecodeCache):
    """Jinja's compiled templates kept for the whole run: every test builds its own app, whose
    new Jinja environment would parse and compile each template again (about a fifth of a
    request-heavy test's CPU). Jinja keys each entry by the template's name and a checksum of
    its source, so a changed template is compiled afresh; what runs is what Jinja compiles."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_memoise_url_builders()
Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _TemplateCodeCache()}
# Real scrypt at a low cost factor, as for the factories' passwords: an enrolment hashes ten
# recovery codes, which at production strength is most of a two-factor test's time.
two_factor.RECOVERY_CODE_COST = 2**10
# A Monday afternoon in New York: a working day with sessions today and tomorrow.
TEST_NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)

# Speed is measured in benchmarks/, never asserted by tests: a property test that runs slowly on a
# loaded CI machine (the first example warms caches) is not a failure.
settings.register_profile("mbc", deadline=None)
settings.load_profile("mbc")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With MBC_TEST_DB_ONLY=1 (the PostgreSQL pass) keep only the tests that use a database,
    but for the Chromium journeys: they test what a person sees and does, which the database
    does not change, and the SQLite pass runs every one of them (both passes share two cores)."""
    if os.environ.get("MBC_TEST_DB_ONLY") != "1":
        return
    uses = ("database_url", "postgres_schema")  # the latter: a test with a schema of its own
    keep = [
        i
        for i in items
        if set(uses) & set(getattr(i, "fixturenames", ())) and not i.get_closest_marker("browser")
    ]
    config.hook.pytest_deselected(items=[i for i in items if i not in keep])
    items[:] = keep


def schema_url(base: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use ``schema`` (created if missing).

    Test connections do not wait for the WAL to reach the disk at each commit
    (``synchronous_commit=off``): a crash of the test server may lose the last commits, which
    a test run does not care about, and the many small commits of a test stop waiting on fsync."""
    joiner = "&" if "?" in base else "?"
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = f"{base}{joiner}options={quote(options)}"
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    return url


@pytest.fixture(scope="session", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if POSTGRES_URL:
        url = schema_url(POSTGRES_URL, "mbc_tests")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'mbc-test.db'}"
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield url
    engine.dispose()


def empty_tables(engine: Engine) -> None:
    """Leave every table empty (children first), as a fresh schema would be.

    On PostgreSQL one statement finds the tables a test wrote to, and only those are emptied and
    their id sequences restarted: a TRUNCATE of every table costs about 120 ms of the server's
    time per test, most of it for the tables nobody touched."""
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            probe = " UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.name})" for t in tables
            )
            used = set(conn.scalars(text(probe)))
            for table in (t for t in tables if t.name in used):
                conn.execute(table.delete())
            serial = [  # NULL (a no-op) for a key without a sequence
                f"setval(pg_get_serial_sequence('{t.name}', '{c.name}'), 1, false)"
                for t in tables
                if t.name in used and len(t.primary_key.columns) == 1
                for c in t.primary_key.columns
                if isinstance(c.type, Integer)
            ]
            if serial:
                conn.execute(text("SELECT " + ", ".join(serial)))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(TEST_NOW)


@pytest.fixture
def app_config() -> dict:
    """Extra settings for the app; a test module overrides this fixture (e.g. real providers)."""
    return {}


@pytest.fixture
def app(database_url: str, clock: FrozenClock, app_config: dict) -> Iterator[Flask]:
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "BASE_URL": "https://mbc.test",
            "CLOCK": clock,
            **app_config,
        }
    )
    yield app
    engine = app.extensions["mbc.db"]
    empty_tables(engine)
    engine.dispose()


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


@pytest.fixture
def web(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin(make: Factory) -> StaffUser:
    return make.user(role="admin", email="admin@example.org", name="Ada Admin")


@pytest.fixture
def clinician_a(make: Factory) -> StaffUser:
    return make.user(email="a@example.org", name="Clinician A")


@pytest.fixture
def clinician_b(make: Factory) -> StaffUser:
    return make.user(email="b@example.org", name="Clinician B")


@pytest.fixture
def as_admin(app: Flask, admin: StaffUser) -> FlaskClient:
    return signin(app.test_client(), admin.email, PASSWORD)


@pytest.fixture
def as_clinician(app: Flask, clinician_a: StaffUser) -> FlaskClient:
    return signin(app.test_client(), clinician_a.email, PASSWORD)


@pytest.fixture
def client_en(make, clinician_a):
    return make.client(clinician_a, first_name="Zelda", last_name="Quixote", language="en")


@pytest.fixture
def client_es(make, clinician_a):
    return make.client(clinician_a, first_name="Ximena", last_name="Oliveira", language="es")


@pytest.fixture
def twilio(clock: FrozenClock) -> Iterator[FakeTwilio]:
    """A fake Twilio REST API on 127.0.0.1 for the official client, dated by the tests' clock."""
    with FakeTwilioServer() as fake:
        fake.clock = clock
        yield fake


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1."""
    with SmtpServer() as server:
        yield server
