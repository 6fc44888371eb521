"""Staff retention and time-off reports for a large practice (goal: p50 <= 300 ms, statements
constant in the number of staff).

    .venv/bin/python -m benchmarks.retention_reports [--staff 500] [--months 24] [--runs 30]
    MBC_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m benchmarks.retention_reports

Bulk-loads ``--staff`` staff in 20 teams with employment records (a tenth of them gone, with a
reason) and ``--months`` months of time off each (two entries a month: annual leave and, every
third month, a sick day), then requests the staff report page and its leave CSV through the app
in-process, signed in as an admin, for the last 12 months. It repeats with a fifth of the staff
to show the number of statements does not grow with them.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import event, insert

from benchmarks.common import bench_app, bench_database_url
from mbc import models  # noqa: F401 - every table on the metadata
from mbc.auth.models import StaffUser
from mbc.auth.passwords import hash_password
from mbc.db import Base
from mbc.extensions import db
from mbc.practice.models import Team
from mbc.staffing.models import LEAVING_REASONS, EmploymentRecord, TimeOff

GOAL_MS = 300.0
PASSWORD = "benchmark-admin-password"
TODAY = date.today()


def load(staff: int, months: int) -> None:
    """The staff, their records and their time off, in a few Core inserts."""
    db.session.execute(insert(Team), [{"name": f"Team {t:02d}"} for t in range(20)])
    team_ids = [t.id for t in db.session.query(Team).order_by(Team.id)]
    db.session.add(
        StaffUser(
            email="admin@bench.example.org",
            name="Bench Admin",
            role="admin",
            password_hash=hash_password(PASSWORD),
        )
    )
    db.session.execute(
        insert(StaffUser),
        [
            {
                "email": f"staff{i:04d}@bench.example.org",
                "name": f"Staff {i:04d}",
                "role": "clinician",
                "team_id": team_ids[i % len(team_ids)],
                "password_hash": "!",
                "is_active": True,
                "preferred_language": "en",
            }
            for i in range(staff)
        ],
    )
    ids = [u.id for u in db.session.query(StaffUser.id).where(StaffUser.role == "clinician")]
    records, leave = [], []
    for n, user_id in enumerate(ids):
        gone = n % 10 == 0
        records.append(
            {
                "user_id": user_id,
                "started_on": TODAY - timedelta(days=200 + 37 * n % 3000),
                "left_on": TODAY - timedelta(days=n % 300) if gone else None,
                "leaving_reason": LEAVING_REASONS[n % len(LEAVING_REASONS)] if gone else None,
                "leaving_reason_other": "moved on"
                if gone and n % len(LEAVING_REASONS) == 9
                else "",
                "annual_allowance_days": Decimal(20 + n % 6),
            }
        )
        for month in range(months):
            first = TODAY - timedelta(days=30 * month + n % 25)
            leave.append(
                {
                    "user_id": user_id,
                    "starts_on": first,
                    "ends_on": first + timedelta(days=1),
                    "amount": Decimal(1 + n % 2),
                    "unit": "days",
                    "kind": "annual_leave",
                }
            )
            if month % 3 == 0:
                leave.append(
                    {
                        "user_id": user_id,
                        "starts_on": first + timedelta(days=7),
                        "ends_on": first + timedelta(days=7),
                        "amount": Decimal(8),
                        "unit": "hours",
                        "kind": "sick",
                    }
                )
    db.session.execute(insert(EmploymentRecord), records)
    db.session.execute(insert(TimeOff), leave)
    db.session.commit()


def measure(staff: int, months: int, runs: int) -> tuple[float, float, int, int]:
    """(page p50 ms, CSV p50 ms, most statements per request, time-off rows)."""
    url = bench_database_url()
    app = bench_app(url)
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        load(staff, months)
        rows = db.session.query(TimeOff).count()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        engine = db.engine
    web = app.test_client()
    page = web.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    signed = web.post(
        "/signin",
        data={"csrf_token": token, "email": "admin@bench.example.org", "password": PASSWORD},
    )
    assert signed.status_code == 302, signed.status_code
    period = f"start={TODAY - timedelta(days=364)}&end={TODAY}"
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    figures, most = [], 0
    for path in (
        f"/admin/reports/staff?{period}",
        f"/admin/reports/staff.csv?{period}&table=staff_leave",
    ):
        web.get(path)  # warm caches
        timings = []
        for _ in range(runs):
            statements.clear()
            begun = time.perf_counter()
            response = web.get(path)
            timings.append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            most = max(most, len(statements))
        figures.append(statistics.median(timings))
    engine.dispose()
    return figures[0], figures[1], most, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(
        f"{'staff':>6}{'time off rows':>15}{'page p50 ms':>13}{'CSV p50 ms':>12}{'statements':>12}"
    )
    results = []
    for staff in (max(1, args.staff // 5), args.staff):
        page_ms, csv_ms, most, rows = measure(staff, args.months, args.runs)
        results.append((page_ms, most))
        print(f"{staff:>6}{rows:>15}{page_ms:>13.1f}{csv_ms:>12.1f}{most:>12}")
    constant = results[0][1] == results[1][1]
    verdict = "meets" if results[1][0] <= GOAL_MS and constant else "MISSES"
    print(
        f"goal: p50 <= {GOAL_MS:.0f} ms at {args.staff} staff and statements constant in staff "
        f"({results[0][1]} and {results[1][1]}): {verdict}"
    )


if __name__ == "__main__":
    main()
