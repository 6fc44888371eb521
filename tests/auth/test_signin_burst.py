"""A burst of wrong passwords posted at once through the running app: each try is counted by one
atomic statement before its password is checked, so no more than the free tries get through
before the waits start, on SQLite and on PostgreSQL (where worker threads really run at once).
Guessed link tokens are counted the same way."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from flask import Flask
from sqlalchemy import text
from werkzeug.serving import make_server

from mbc import create_app
from mbc.clock import FrozenClock
from mbc.db import Base, make_engine
from tests.conftest import TEST_NOW, schema_url
from tests.factories import Factory
from tests.helpers import _TOKEN

BURST = 20
# Its own schema, never the shared suite's ``mbc_tests``: other runs may be using that one.
OWN_SCHEMA = "mbc_throttle_test"


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def burst(base: str, email: str) -> list[int]:
    """BURST browsers, each holding the sign-in form, post a wrong password at the same moment."""
    held = []
    for _ in range(BURST):
        browser = requests.Session()
        browser.trust_env = False
        match = _TOKEN.search(browser.get(f"{base}/signin", timeout=30).text)
        assert match
        held.append((browser, match.group(1)))
    start = threading.Barrier(BURST)
    codes = [0] * BURST

    def post(n: int) -> None:
        browser, token = held[n]
        form = {"csrf_token": token, "email": email, "password": f"wrong-guess-{n}"}
        start.wait()
        codes[n] = browser.post(
            f"{base}/signin", data=form, allow_redirects=False, timeout=60
        ).status_code

    threads = [threading.Thread(target=post, args=(n,)) for n in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return codes


def assert_only_free_tries(app: Flask, codes: list[int]) -> None:
    free = app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]
    assert sorted(codes) == [401] * free + [429] * (BURST - free)


def test_a_burst_of_wrong_passwords_gets_only_the_free_tries(app: Flask, clinician_a) -> None:
    with serving(app) as base:
        codes = burst(base, clinician_a.email)
    assert_only_free_tries(app, codes)


def guessed_links(base: str, count: int) -> list[int]:
    """``count`` guessed unsubscribe links opened from one address at the same moment."""
    start = threading.Barrier(count)
    codes = [0] * count

    def guess(n: int) -> None:
        browser = requests.Session()
        browser.trust_env = False
        start.wait()
        codes[n] = browser.get(f"{base}/u/guess-{n}", timeout=60).status_code

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return codes


def assert_only_allowed_guesses(app: Flask, codes: list[int]) -> None:
    allowed = app.config["MAX_INVALID_LINKS_PER_ADDRESS"]
    assert codes.count(429) == len(codes) - allowed
    assert all(code in (404, 410, 429) for code in codes)


def test_a_burst_of_guessed_links_gets_only_the_allowed_guesses(app: Flask) -> None:
    with serving(app) as base:
        codes = guessed_links(base, 40)
    assert_only_allowed_guesses(app, codes)


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """A schema of this test's own on the PostgreSQL server named by MBC_TEST_DATABASE_URL."""
    base = os.environ.get("MBC_TEST_DATABASE_URL", "")
    if not base:
        pytest.skip("MBC_TEST_DATABASE_URL is not set")
    url = schema_url(base, OWN_SCHEMA)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    yield url
    engine.dispose()
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {OWN_SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture
def postgres_app(postgres_schema: str) -> Iterator[Flask]:
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": postgres_schema,
            "SECRET_KEY": "test-secret-key",
            "BASE_URL": "https://mbc.test",
            "CLOCK": FrozenClock(TEST_NOW),
        }
    )
    yield app
    app.extensions["mbc.db"].dispose()


def test_a_burst_on_postgresql_gets_only_the_free_tries(postgres_app: Flask) -> None:
    user = Factory(postgres_app).user(email="a@example.org", name="Clinician A")
    with serving(postgres_app) as base:
        codes = burst(base, user.email)
    assert_only_free_tries(postgres_app, codes)


def test_guessed_links_on_postgresql_get_only_the_allowed_guesses(postgres_app: Flask) -> None:
    with serving(postgres_app) as base:
        codes = guessed_links(base, 40)
    assert_only_allowed_guesses(postgres_app, codes)
