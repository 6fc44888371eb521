"""Admin report pages over a large practice (goal: each page and the CSV export <= 1 s).

    MBC_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m benchmarks.admin_reports
    .venv/bin/python -m benchmarks.admin_reports --clinicians 50   # SQLite, a tenth the size

Bulk-loads, in SQL (INSERT ... SELECT over a number series), 500 clinicians in 20 teams with 40
clients each; every client has 32 weekly sessions within the last two years and a check-in
before each, four in five completed with two responses (PHQ-9 and GAD-7; every tenth the
satisfaction survey instead of GAD-7): 1,024,000 responses, 640,000 check-ins, appointments and
invitations, reminders on a quarter. Then signs in as an admin and requests each report page
for the last 90 days (and the funnel by week over a year), printing the best and median of
``--runs`` timings per page. ``--reuse`` times the pages again over the data already loaded.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from benchmarks.common import bench_app, bench_database_url
from mbc import models  # noqa: F401 - every table on the metadata
from mbc.assessments.models import Response
from mbc.clock import utcnow
from mbc.db import Base
from mbc.delivery import stages
from mbc.extensions import db
from mbc.instruments import registry
from mbc.practice.services import get_practice

GOAL_S = 1.0
SESSIONS, CLIENTS_PER_CLINICIAN, TEAMS = 32, 40, 20
PASSWORD = "benchmark admin password"


def series(dialect: str, n: int) -> str:
    """A FROM-able series of integers 1..n named nums(i)."""
    if dialect == "postgresql":
        return f"generate_series(1, {n}) AS nums(i)"
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "
        "SELECT i FROM s) AS nums"
    )


def band_case(code: str, total: str) -> str:
    bands = registry.get(code).scoring.bands
    if not bands:
        return "NULL"
    whens = " ".join(
        f"WHEN {total} BETWEEN {b.minimum} AND {b.maximum} THEN '{b.key}'" for b in bands
    )
    return f"CASE {whens} END"


def load(clinicians: int) -> int:
    """Everything in a handful of INSERT ... SELECT statements; returns the response count."""
    dialect = db.engine.dialect.name
    pg = dialect == "postgresql"
    clients = clinicians * CLIENTS_PER_CLINICIAN
    check_ins = clients * SESSIONS
    now = utcnow().replace(microsecond=0)
    origin = now - timedelta(weeks=80 + SESSIONS - 1)
    ts = (
        (lambda weeks: f"(CAST(:origin AS TIMESTAMPTZ) + ({weeks}) * INTERVAL '7 days')")
        if pg
        else (lambda weeks: f"datetime(:origin, '+' || (({weeks}) * 7) || ' days')")
    )
    hours = (
        (lambda value, h: f"({value} + INTERVAL '{h} hours')")
        if pg
        else (lambda value, h: f"datetime({value}, '{h:+d} hours')")
    )
    token = "md5(i::text) || md5((i + 7)::text)" if pg else "printf('%064d', i)"
    origin_param = origin if pg else origin.replace(tzinfo=None).isoformat(sep=" ")
    password = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    run = lambda sql, **params: db.session.execute(text(sql), params)  # noqa: E731
    run(f"INSERT INTO teams (id, name) SELECT i, 'Team ' || i FROM {series(dialect, TEAMS)}")
    run(
        "INSERT INTO staff_users (id, email, name, role, team_id, password_hash, is_active, "
        "preferred_language, receives_escalations, weekly_capacity) "
        f"SELECT i + 1, 'clinician' || i || '@bench.test', 'Clinician ' || i, 'clinician', "
        f"(i % {TEAMS}) + 1, :pw, TRUE, 'en', FALSE, 25 "
        f"FROM {series(dialect, clinicians)}",
        pw=password,
    )
    run(
        "INSERT INTO staff_users (id, email, name, role, password_hash, is_active, "
        "preferred_language, receives_escalations) VALUES "
        "(1, 'admin@bench.test', 'Admin', 'admin', :pw, TRUE, 'en', TRUE)",
        pw=password,
    )
    # Client i: clinician (i % clinicians) + 2 (the admin is 1), that clinician's team; their
    # sessions start (i % 80) weeks after the origin, one a week.
    run(
        "INSERT INTO clients (id, client_ref, first_name, last_name, phone, preferred_channel, "
        "language, timezone, status, primary_clinician_id, team_id) "
        f"SELECT i, 'B-' || i, 'Bench', 'Client' || i, '+1415555' || (1000 + i % 9000), 'sms', "
        f"'en', 'America/New_York', CASE WHEN i % 10 = 0 THEN 'discharged' ELSE 'active' END, "
        f"(i % {clinicians}) + 2, ((i % {clinicians}) + 1) % {TEAMS} + 1 "
        f"FROM {series(dialect, clients)}"
    )
    # Check-in / appointment n: client (n - 1) / SESSIONS + 1, session k = (n - 1) % SESSIONS.
    client_of, k = f"((i - 1) / {SESSIONS} + 1)", f"((i - 1) % {SESSIONS})"
    session = ts(f"(({client_of}) % 80) + {k}")
    run(
        "INSERT INTO appointments (id, appointment_ref, client_id, clinician_id, starts_at, "
        "status, status_changed_at) "
        f"SELECT i, 'BA-' || i, {client_of}, ({client_of} % {clinicians}) + 2, {session}, "
        f"CASE WHEN {session} > :now THEN 'scheduled' WHEN i % 17 = 0 THEN 'no_show' "
        f"WHEN i % 13 = 0 THEN 'cancelled' ELSE 'completed' END, "
        f"CASE WHEN i % 26 = 0 THEN {hours(session, -30)} "
        f"WHEN i % 13 = 0 THEN {hours(session, -6)} END "
        f"FROM {series(dialect, check_ins)}",
        origin=origin_param,
        now=now if pg else now.replace(tzinfo=None).isoformat(sep=" "),
    )
    completed = f"CASE WHEN i % 5 <> 0 THEN {hours(session, -2)} END"
    run(
        "INSERT INTO check_ins (id, client_id, appointment_id, token_hash, status, language, "
        "channel, opens_at, closes_at, first_opened_at, completed_at, session_starts_at, plan_key) "
        f"SELECT i, {client_of}, i, {token}, CASE WHEN i % 5 <> 0 THEN 'completed' ELSE 'closed' "
        f"END, 'en', 'sms', {hours(session, -24)}, {hours(session, 1)}, "
        f"CASE WHEN i % 5 <> 0 OR i % 7 <> 0 THEN {hours(session, -3)} END, {completed}, "
        f"{session}, "
        f"'appointment:' || i FROM {series(dialect, check_ins)}",
        origin=origin_param,
    )
    run(
        "INSERT INTO assignments (id, check_in_id, client_id, appointment_id, instrument_code, "
        "instrument_version, position, opens_at, closes_at) "
        "SELECT c.id * 2 - 1 + p.i - 1, c.id, c.client_id, c.id, CASE WHEN p.i = 1 THEN 'phq9' "
        "WHEN c.id % 10 = 0 THEN 'satisfaction' ELSE 'gad7' END, '1', p.i - 1, c.opens_at, "
        f"c.closes_at FROM check_ins c CROSS JOIN {series(dialect, 2).replace('nums', 'p')}"
    )
    # Totals: a baseline from the client's number, drifting down for most clients over the
    # sessions, with a little noise; clamped to each instrument's range.
    drift = "(a.client_id * 7 % 20 + 7 - (c.id - 1) % 25 * (a.client_id % 5) / 3 + (c.id % 5) - 2)"
    clamp = (
        (lambda expr, top: f"GREATEST(0, LEAST({top}, {expr}))")
        if pg
        else (lambda expr, top: f"MAX(0, MIN({top}, {expr}))")
    )
    phq9 = clamp(drift, 27)
    gad7 = clamp(f"{drift} * 21 / 27", 21)
    satisfaction_answers = (
        '{"satisfaction_heard": 5, "satisfaction_priorities": 4, "satisfaction_trust": 5, '
        '"satisfaction_scheduling": 3, "satisfaction_recommend": 4, "satisfaction_overall": 4}'
    )
    answers, empty = (
        ("CAST(:answers AS JSON)", "CAST('{}' AS JSON)") if pg else (":answers", "'{}'")
    )
    total = f"CASE a.instrument_code WHEN 'phq9' THEN {phq9} WHEN 'gad7' THEN {gad7} ELSE 4.2 END"
    run(
        "INSERT INTO responses (id, assignment_id, client_id, instrument_code, "
        "instrument_version, language, channel, status, answers, opened_at, started_at, "
        "completed_at, is_valid, total, severity, is_prorated, n_missing, flags, subscales) "
        "SELECT id, id, client_id, instrument_code, '1', 'en', 'sms', 'completed', answers, "
        f"first_opened_at, first_opened_at, completed_at, {'TRUE' if pg else '1'}, total, "
        f"CASE instrument_code WHEN 'phq9' THEN {band_case('phq9', 'total')} "
        f"WHEN 'gad7' THEN {band_case('gad7', 'total')} END, {'FALSE' if pg else '0'}, 0, "
        "'[]', '{}' FROM ("
        "SELECT a.id, a.client_id, a.instrument_code, c.first_opened_at, c.completed_at, "
        f"CASE WHEN a.instrument_code = 'satisfaction' THEN {answers} ELSE {empty} END "
        f"AS answers, {total} AS total FROM assignments a "
        "JOIN check_ins c ON c.id = a.check_in_id WHERE c.completed_at IS NOT NULL) AS scored",
        answers=satisfaction_answers,
    )
    run(
        "INSERT INTO messages (kind, channel, recipient, language, client_id, check_in_id, "
        "dedupe_key, scheduled_at, due_at, status, attempts, sent_at, delivered_at, last_error) "
        "SELECT 'invitation', 'sms', '+14155550100', 'en', client_id, id, "
        "'check_in:' || id || '/invitation', opens_at, opens_at, "
        "CASE WHEN id % 31 = 0 THEN 'failed' WHEN id % 3 = 0 THEN 'sent' ELSE 'delivered' END, "
        "1, CASE WHEN id % 31 <> 0 THEN opens_at END, CASE WHEN id % 3 <> 0 THEN opens_at END, "
        "CASE WHEN id % 31 = 0 THEN 'Twilio error 30006 (HTTP 400): unreachable' END "
        "FROM check_ins"
    )
    run(
        "INSERT INTO messages (kind, channel, recipient, language, client_id, check_in_id, "
        "dedupe_key, scheduled_at, due_at, status, attempts, sent_at) "
        "SELECT 'reminder', 'sms', '+14155550100', 'en', client_id, id, "
        f"'check_in:' || id || '/reminder', {hours('opens_at', 21)}, {hours('opens_at', 21)}, "
        f"'sent', 1, {hours('opens_at', 21)} FROM check_ins WHERE id % 4 = 0"
    )
    # The funnel's stages on each check-in's row, as answering and sending keep them.
    run("UPDATE check_ins SET started_at = first_opened_at WHERE completed_at IS NOT NULL")
    stages.refresh_all()
    practice = get_practice()
    practice.name = "Benchmark practice"
    db.session.commit()
    if pg:
        for table in (
            "teams",
            "staff_users",
            "clients",
            "appointments",
            "check_ins",
            "assignments",
            "responses",
            "messages",
        ):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            )
        db.session.commit()
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return int(db.session.scalar(select(func.count()).select_from(Response)) or 0)


PAGES = [
    ("completion by clinician", "/admin/reports/completion?by=clinician"),
    ("completion by team", "/admin/reports/completion?by=team"),
    ("completion by week, 1 year", "/admin/reports/completion?by=week&start={year_ago}"),
    ("completion by instrument", "/admin/reports/completion?by=instrument"),
    ("completion, one team", "/admin/reports/completion?by=clinician&team=3"),
    ("delivery health", "/admin/reports/delivery"),
    ("outcomes PHQ-9 by clinician", "/admin/reports/outcomes?by=clinician&instrument=phq9"),
    ("outcomes GAD-7 by team", "/admin/reports/outcomes?by=team&instrument=gad7"),
    ("outcomes, every instrument", "/admin/reports/outcomes?by=clinician"),
    ("caseload intensity", "/admin/reports/caseload"),
    ("practice metrics", "/admin/reports/practice"),
    ("satisfaction by clinician", "/admin/reports/satisfaction"),
    ("team goals", "/admin/reports/goals"),
    ("CSV: funnel by clinician", "/admin/reports/completion.csv?by=clinician&table=funnel"),
    (
        "CSV: outcomes by clinician",
        "/admin/reports/outcomes.csv?by=clinician&instrument=phq9&table=outcomes_phq9",
    ),
]


def add_goals() -> None:
    from mbc.reports.models import TeamGoal

    db.session.add_all(
        [
            TeamGoal(team_id=3, metric="follow_up_completion", target_percent=80, period="month"),
            TeamGoal(
                team_id=3,
                metric="reliable_improvement",
                instrument_code="phq9",
                baseline_at_least=10,
                target_percent=50,
                period="quarter",
            ),
        ]
    )
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clinicians", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="time the pages over the data already loaded"
    )
    args = parser.parse_args()
    url = bench_database_url()
    app = bench_app(url)
    with app.app_context():
        started = time.perf_counter()
        if args.reuse:
            n = int(db.session.scalar(select(func.count()).select_from(Response)) or 0)
        else:
            Base.metadata.drop_all(db.engine)
            Base.metadata.create_all(db.engine)
            n = load(args.clinicians)
            add_goals()
        loaded = time.perf_counter() - started
        dialect = db.engine.dialect.name
        year_ago = (utcnow() - timedelta(days=364)).date().isoformat()
    print(f"{dialect}: {n:,} responses for {args.clinicians} clinicians loaded in {loaded:.1f} s")
    web = app.test_client()
    signin = web.get("/signin")
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', signin.get_data(True))
    response = web.post(
        "/signin",
        data={
            "csrf_token": token.group(1) if token else "",
            "email": "admin@bench.test",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302, response.status_code
    print(f"{'page':<32} {'best':>8} {'median':>8}  goal {GOAL_S:.1f} s")
    for name, path in PAGES:
        timings = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = web.get(path.format(year_ago=year_ago))
            timings.append(time.perf_counter() - t0)
            assert response.status_code == 200, (path, response.status_code)
        best, median = min(timings), statistics.median(timings)
        verdict = "ok" if median <= GOAL_S else "SLOW"
        print(f"{name:<32} {best:>7.3f}s {median:>7.3f}s  {verdict}")


if __name__ == "__main__":
    main()
