"""The wellbeing pulse's result pages for 500 staff x 24 windows (goal: p50 <= 300 ms, and
SQL statements per page that do not grow with the number of staff).

    .venv/bin/python -m benchmarks.wellbeing_reports [--staff 500] [--windows 24] [--runs 30]
    MBC_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m benchmarks.wellbeing_reports

Bulk-loads a practice of ``--staff`` staff in 20 teams and ``--windows`` closed monthly windows
with about 70 % answering (every item of WHO-5, the CBI scale and the pulse statements, some
comments), then, signed in as the admin, requests the results list and the newest window's page
through the app in-process, printing p50/p95 and statements per request. It does the same with a
tenth of the staff first, so the statement counts can be compared.
"""

from __future__ import annotations

import argparse
import random
import re
import secrets
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import event, insert, select

from benchmarks.common import bench_app, bench_database_url
from mbc import models  # noqa: F401 - every table on the metadata
from mbc.auth.models import StaffUser
from mbc.db import Base
from mbc.demo.seed import ADMIN, seed_demo
from mbc.extensions import db
from mbc.practice.models import Team
from mbc.scoring.engine import score
from mbc.wellbeing.calendar import add_months
from mbc.wellbeing.models import PulseAnswer, PulseResponse, PulseWindow, PulseWindowTeam

GOAL_MS = 300.0
TEAMS = 20
WHO5 = [f"who5_{n}" for n in range(1, 6)]
CBI = [f"cbi_work_{n}" for n in range(1, 8)]
PULSE = ["pulse_caseload", "pulse_support", "pulse_satisfaction", "pulse_balance"]


def load(n_staff: int, n_windows: int) -> None:
    """Staff, teams and closed windows with their anonymous responses, in bulk statements."""
    Base.metadata.drop_all(db.engine)
    Base.metadata.create_all(db.engine)
    seed_demo(clients=5, weeks=1)
    db.session.commit()
    teams = [Team(name=f"Bench team {t}") for t in range(TEAMS)]
    db.session.add_all(teams)
    db.session.flush()
    password = db.session.scalar(select(StaffUser.password_hash).limit(1))
    db.session.execute(
        insert(StaffUser.__table__),
        [
            {
                "email": f"staff{i}@bench.example.org",
                "name": f"Staff {i}",
                "role": "clinician",
                "team_id": teams[i % TEAMS].id,
                "password_hash": password,
                "is_active": True,
                "preferred_language": "en",
                "receives_escalations": False,
            }
            for i in range(n_staff)
        ],
    )
    rng = random.Random(22)
    first = date(2024, 12, 1)
    for w in range(n_windows):
        opens_on = add_months(first, w)
        opens_at = datetime(opens_on.year, opens_on.month, opens_on.day, 14, tzinfo=UTC)
        answered = int(n_staff * 0.7)
        window_id = db.session.execute(
            insert(PulseWindow.__table__)
            .values(
                opens_on=opens_on,
                opens_at=opens_at,
                closes_at=opens_at + timedelta(days=10),
                reminder_at=opens_at + timedelta(days=7),
                reminders_queued_at=opens_at,
                closed_at=opens_at + timedelta(days=10),
                invited=n_staff,
                answered=answered,
                min_group_size=5,
            )
            .returning(PulseWindow.__table__.c.id)
        ).scalar_one()
        db.session.execute(
            insert(PulseWindowTeam.__table__),
            [{"window_id": window_id, "team_id": t.id, "invited": n_staff // TEAMS} for t in teams],
        )
        responses, answers = [], []
        for i in range(answered):
            values = {k: rng.choice((0, 1, 2, 3, 4, 5)) for k in WHO5}
            values |= {k: rng.choice((0, 25, 50, 75, 100)) for k in CBI}
            values |= {k: rng.randint(1, 5) for k in PULSE}
            who5, cbi = (
                score("who5", {k: values[k] for k in WHO5}),
                score("cbi_work", {k: values[k] for k in CBI}),
            )
            rid = secrets.token_hex(16)
            responses.append(
                {
                    "id": rid,
                    "window_id": window_id,
                    "team_id": teams[i % TEAMS].id,
                    "who5_version": "1",
                    "who5_score": int(who5.total),
                    "who5_band": who5.severity,
                    "cbi_version": "1",
                    "cbi_score": Decimal(cbi.total),
                    "cbi_band": cbi.severity,
                    "pulse_version": "1",
                    "comment": "Busy month" if i % 40 == 0 else None,
                }
            )
            answers += [
                {"response_id": rid, "item_id": k, "window_id": window_id, "value": v}
                for k, v in values.items()
            ]
        db.session.execute(insert(PulseResponse.__table__), responses)
        db.session.execute(insert(PulseAnswer.__table__), answers)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


def signed_in(app) -> FlaskClient:  # type: ignore[no-untyped-def]
    web = app.test_client()
    page = web.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    done = web.post("/signin", data={"csrf_token": token, "email": ADMIN[0], "password": ADMIN[2]})
    assert done.status_code == 302, done.status_code
    return web


def measure(app, n_staff: int, n_windows: int, runs: int) -> tuple[float, dict[str, int]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        started = time.perf_counter()
        load(n_staff, n_windows)
        newest = db.session.scalar(select(PulseWindow.id).order_by(PulseWindow.opens_on.desc()))
        n_responses = db.session.query(PulseResponse).count()
        n_answers = db.session.query(PulseAnswer).count()
        engine = db.engine
    print(
        f"\n{n_staff} staff x {n_windows} windows: {n_responses} responses, {n_answers} item "
        f"answers, loaded in {time.perf_counter() - started:.1f} s ({engine.dialect.name})"
    )
    web = signed_in(app)
    statements: list[str] = []

    def count(*args) -> None:  # type: ignore[no-untyped-def]
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    print(f"{'page':<34}{'p50 ms':>10}{'p95 ms':>10}{'statements':>12}")
    worst, counts = 0.0, {}
    for label, path in (
        ("results and trend (/wellbeing/)", "/wellbeing/"),
        ("newest window, admin", f"/wellbeing/windows/{newest}"),
    ):
        assert web.get(path).status_code == 200
        timings, seen = [], []
        for _ in range(runs):
            statements.clear()
            begun = time.perf_counter()
            response = web.get(path)
            timings.append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            seen.append(len(statements))
        p50, p95 = statistics.median(timings), statistics.quantiles(timings, n=20)[18]
        worst, counts[label] = max(worst, p50), max(seen)
        print(f"{label:<34}{p50:>10.1f}{p95:>10.1f}{max(seen):>12}")
    event.remove(engine, "before_cursor_execute", count)
    return worst, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--windows", type=int, default=24)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = bench_app(bench_database_url())
    _, small = measure(app, max(args.staff // 10, TEAMS), args.windows, args.runs)
    worst, large = measure(app, args.staff, args.windows, args.runs)
    constant = small == large
    verdict = "meets" if worst <= GOAL_MS and constant else "MISSES"
    per_page = " / ".join(f"{small[k]} vs {large[k]}" for k in large)
    print(
        f"\ngoal: p50 <= {GOAL_MS:.0f} ms at {args.staff} staff and statements constant in the "
        f"number of staff ({per_page}): {verdict}"
    )


if __name__ == "__main__":
    main()
