"""Helpers the benchmark scripts share: a throwaway database with a client and check-ins."""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from urllib.parse import unquote

from flask import Flask
from sqlalchemy import create_engine, make_url, text

from mbc import create_app
from mbc.assessments.services import create_check_in
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.db import Base
from mbc.extensions import db

BENCH_SECRET = "benchmark-secret-key-not-for-production-use-0123456789"


def bench_database_url() -> str:
    """MBC_BENCH_DATABASE_URL (its search_path schema created if need be), or a new SQLite file."""
    url = os.environ.get("MBC_BENCH_DATABASE_URL")
    if url:
        _create_schema(url)
        return url
    return f"sqlite:///{tempfile.mkdtemp(prefix='mbc-bench-')}/bench.db"


def _create_schema(url: str) -> None:
    """A benchmark drops and creates its tables; on a fresh server its schema must exist first."""
    parsed = make_url(url)
    options = unquote(parsed.query.get("options", ""))  # type: ignore[arg-type]
    match = re.search(r"search_path=([A-Za-z_][A-Za-z0-9_]*)", options)
    if not parsed.drivername.startswith("postgresql") or not match:
        return
    engine = create_engine(parsed.difference_update_query(["options"]))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{match.group(1)}"'))
    engine.dispose()


def bench_app(url: str) -> Flask:
    return create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": url,
            "SECRET_KEY": BENCH_SECRET,
            "BASE_URL": "https://checkin.example.org",
        }
    )


def prepare(url: str, n_links: int, instruments: tuple[str, ...] = ("phq9",)) -> list[str]:
    """Empty schema, the demo practice, and ``n_links`` open check-ins; returns their tokens.

    The links are spread over 50 demo clients with 12 weeks of score history each, as in a
    practice: every completed answer checks the client's progress against that history, and
    hundreds of links for one client would make a history no client has.
    """
    from mbc import models  # noqa: F401
    from mbc.demo.seed import seed_demo

    app = bench_app(url)
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        seed_demo(clients=50, weeks=12)
        clients = db.session.query(Client).order_by(Client.id).all()
        now = utcnow()
        tokens = []
        for n in range(n_links):
            _, token = create_check_in(
                clients[n % len(clients)],
                list(instruments),
                opens_at=now,
                closes_at=now + timedelta(days=1),
                channel="sms",
            )
            tokens.append(token)
        db.session.commit()
        db.engine.dispose()
    return tokens
