"""The clinician's pages with a year of history (goal: p50 <= 150 ms, <= 15 queries each).

    .venv/bin/python -m benchmarks.clinician_pages [--clients 150] [--weeks 52] [--runs 40]
    MBC_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m benchmarks.clinician_pages

Seeds the demo practice as ``mbc seed-demo --clients 150 --weeks 52`` does (weekly sessions,
PHQ-9 and GAD-7 before each, PCL-5 monthly for the trauma team), signs in as a demo clinician
and requests the pre-session view, the caseload and a client page with the longest history
through the app in-process, printing p50/p95 latency and SQL statements per request.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from sqlalchemy import event, func, select

from benchmarks.common import bench_app, bench_database_url
from mbc import models  # noqa: F401 - every table on the metadata
from mbc.assessments.models import Response
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.db import Base
from mbc.demo.seed import CLINICIAN_PASSWORD, CLINICIANS, seed_demo
from mbc.extensions import db

GOAL_MS, GOAL_QUERIES = 150.0, 15


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    url = bench_database_url()
    app = bench_app(url)
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        started = time.perf_counter()
        seed_demo(clients=args.clients, weeks=args.weeks)
        db.session.commit()
        n_responses = db.session.scalar(select(func.count()).select_from(Response))
        email = CLINICIANS[0][0]
        me = db.session.scalar(select(StaffUser.id).where(StaffUser.email == email))
        busiest = db.session.execute(
            select(Client.id, func.count(Response.id))
            .join(Response, Response.client_id == Client.id)
            .where(Client.primary_clinician_id == me)
            .group_by(Client.id)
            .order_by(func.count(Response.id).desc())
            .limit(1)
        ).one()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        engine = db.engine
        print(
            f"database: {db.engine.dialect.name}; seeded {args.clients} clients, {args.weeks} "
            f"weeks, {n_responses} responses in {time.perf_counter() - started:.1f} s; "
            f"client page of a client with {busiest[1]} responses"
        )
    web = app.test_client()
    page = web.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    signed = web.post(
        "/signin", data={"csrf_token": token, "email": email, "password": CLINICIAN_PASSWORD}
    )
    assert signed.status_code == 302, signed.status_code
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"{'page':<28}{'p50 ms':>10}{'p95 ms':>10}{'queries':>10}")
    worst, most = 0.0, 0
    for label, path in (
        ("pre-session view (/home)", "/home"),
        ("caseload (/caseload)", "/caseload"),
        ("client page", f"/clients/{busiest[0]}"),
    ):
        web.get(path)  # warm caches
        timings, counts = [], []
        for _ in range(args.runs):
            statements.clear()
            begun = time.perf_counter()
            response = web.get(path)
            timings.append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            counts.append(len(statements))
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        worst, most = max(worst, p50), max(most, *counts)
        print(f"{label:<28}{p50:>10.1f}{p95:>10.1f}{max(counts):>10}")
    verdict = "meets" if worst <= GOAL_MS and most <= GOAL_QUERIES else "MISSES"
    print(f"goal: p50 <= {GOAL_MS:.0f} ms and <= {GOAL_QUERIES} queries per page: {verdict}")


if __name__ == "__main__":
    main()
