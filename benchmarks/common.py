"""Helpers the benchmark scripts share: a throwaway database with a client and check-ins."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta

from flask import Flask

from mbc import create_app
from mbc.assessments.services import create_check_in
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.db import Base
from mbc.extensions import db

BENCH_SECRET = "benchmark-secret-key-not-for-production-use-0123456789"


def bench_database_url() -> str:
    """MBC_BENCH_DATABASE_URL, or a fresh SQLite file."""
    url = os.environ.get("MBC_BENCH_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tempfile.mkdtemp(prefix='mbc-bench-')}/bench.db"


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
    """Empty schema, the demo practice, and ``n_links`` open check-ins; returns their tokens."""
    from mbc import models  # noqa: F401
    from mbc.demo.seed import seed_demo

    app = bench_app(url)
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        seed_demo(clients=5, weeks=1)
        client = db.session.query(Client).order_by(Client.id).first()
        now = utcnow()
        tokens = []
        for _ in range(n_links):
            _, token = create_check_in(
                client,
                list(instruments),
                opens_at=now,
                closes_at=now + timedelta(days=1),
                channel="sms",
            )
            tokens.append(token)
        db.session.commit()
        db.engine.dispose()
    return tokens
