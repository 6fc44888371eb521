"""FHIR export and read API over a year of history (goals from issue #21: one client's record
<= 200 ms on SQLite; --all for 1,000 clients x 52 weeks x 3 instruments <= 60 s in constant
memory; Observation?patient= <= 15 SQL statements whatever the history length).

    .venv/bin/python -m benchmarks.fhir_export [--clients 1000] [--weeks 52] [--runs 20]
    MBC_BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m benchmarks.fhir_export

Bulk-loads ``--clients`` clients with a weekly check-in of PHQ-9, GAD-7 and PCL-5 for
``--weeks`` weeks (answers drawn at random and scored by the real scoring engine), then prints:
the time to build and serialise one client's Bundle; the statements and time of
``Observation?patient=`` through the app for a client with 1 week and one with the full year;
and the time and resident memory of ``mbc export fhir --all`` (as NDJSON files), for the last
tenth of the history (``--since``) and for all of it: the same peak means memory does not grow
with the size of the export.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from benchmarks.common import bench_app, bench_database_url
from mbc import models  # noqa: F401 - every table on the metadata
from mbc.assessments.completion import score_values
from mbc.assessments.models import Assignment, CheckIn, Response
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.db import Base
from mbc.extensions import db
from mbc.fhir import api_clients
from mbc.fhir.bulk import count_responses, export_all
from mbc.fhir.records import client_record, context
from mbc.instruments import registry
from mbc.practice.services import get_practice
from mbc.scoring import score_definition

INSTRUMENTS = ("phq9", "gad7", "pcl5")
GOALS = {"one_client_ms": 200.0, "all_s": 60.0, "statements": 15}
CHUNK = 5000


def answer_pool(rng: random.Random, now: Any) -> dict[str, list[tuple[dict, dict]]]:
    """Per instrument, 40 answer sets and their scored columns (scoring is the real engine)."""
    pool: dict[str, list[tuple[dict, dict]]] = {}
    for code in INSTRUMENTS:
        definition = registry.get(code)
        pool[code] = []
        for _ in range(40):
            answers = {
                item.id: rng.choice(sorted(item.allowed_values))
                for item in definition.items
                if item.kind == "choice"
            }
            values = score_values(score_definition(definition, answers), now)
            del values["completed_at"], values["status"]
            pool[code].append((answers, values))
    return pool


def seed(n_clients: int, weeks: int) -> None:
    """Clients and their history, inserted in chunks with explicit ids (no round trips)."""
    rng, now = random.Random(21), utcnow()
    pool = answer_pool(rng, now)
    clinician = StaffUser(email="bench@example.org", name="Bench", role="clinician",
                          password_hash="x", preferred_language="en", is_active=True)  # fmt: skip
    db.session.add(clinician)
    db.session.flush()
    db.session.execute(
        insert(Client),
        [
            dict(
                id=c, client_ref=f"B-{c:05d}", first_name="Pat", last_name=f"Client{c}",
                phone="+14155552671", email=f"c{c}@example.com", preferred_channel="sms",
                language="en", timezone="America/New_York", status="active",
                primary_clinician_id=clinician.id,
            )
            for c in range(1, n_clients + 1)
        ],
    )  # fmt: skip
    check_ins: list[dict] = []
    assignments: list[dict] = []
    responses: list[dict] = []
    row_id = 0
    for c in range(1, n_clients + 1):
        for w in range(weeks):
            at = now - timedelta(weeks=weeks - w)
            check_id = c * 1000 + w
            check_ins.append(dict(
                id=check_id, client_id=c, token_hash=f"{check_id:064d}", status="completed",
                language="en", channel="sms", opens_at=at, closes_at=at + timedelta(days=1),
                completed_at=at, message_sent=True, message_delivered=True,
            ))  # fmt: skip
            for position, code in enumerate(INSTRUMENTS, 1):
                row_id += 1
                answers, scored = rng.choice(pool[code])
                assignments.append(dict(
                    id=row_id, check_in_id=check_id, client_id=c, instrument_code=code,
                    instrument_version="1", position=position, opens_at=at,
                    closes_at=at + timedelta(days=1),
                ))  # fmt: skip
                responses.append(dict(
                    id=row_id, assignment_id=row_id, client_id=c, instrument_code=code,
                    instrument_version="1", language="en", channel="sms", status="completed",
                    answers=answers, opened_at=at, started_at=at, completed_at=at, **scored,
                ))  # fmt: skip
        if len(responses) >= CHUNK or c == n_clients:
            for model, rows in ((CheckIn, check_ins), (Assignment, assignments),
                                (Response, responses)):  # fmt: skip
                db.session.execute(insert(model), rows)
                rows.clear()
    db.session.commit()


class PeakRss:
    """The process's resident memory, sampled every 20 ms while a block runs (MB)."""

    def __enter__(self) -> PeakRss:
        self.before = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 1e6


def one_client(runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per run (CPU time is what a loaded machine distorts
    least)."""
    ctx = context()
    client = db.session.get(Client, 1)
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        json.dumps(client_record(client, ctx))
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return timings, cpu


def observation_search(app: Any, token: str, client_id: int, runs: int) -> tuple[int, float]:
    web = app.test_client()
    seen: list[str] = []
    url, headers = f"/fhir/Observation?patient={client_id}", {"Authorization": f"Bearer {token}"}
    web.get(url, headers=headers)  # warm
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    response = web.get(url, headers=headers)
    event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200, response.get_data(as_text=True)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        web.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
    return len(seen), statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = bench_database_url()
    app = bench_app(url)
    app.config["FHIR_API_REQUESTS_PER_MINUTE"] = 1_000_000
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        get_practice()
        started = time.perf_counter()
        seed(args.clients, args.weeks)
        loaded = time.perf_counter() - started
        n = count_responses(None)
        print(f"database: {db.engine.dialect.name}; {args.clients} clients x {args.weeks} weeks "
              f"x {len(INSTRUMENTS)} instruments = {n:,} responses (loaded in {loaded:.1f} s); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip

        timings, cpu = one_client(args.runs)
        p50, best, p50_cpu = statistics.median(timings), min(timings), statistics.median(cpu)
        print(f"one client's Bundle ({args.weeks * len(INSTRUMENTS)} responses), built and "
              f"serialised: best {best:.0f} ms, p50 {p50:.0f} ms, p50 CPU {p50_cpu:.0f} ms "
              f"(goal <= {GOALS['one_client_ms']:.0f} ms)")  # fmt: skip

        admin = StaffUser(email="admin@example.org", name="Admin", role="admin",
                          password_hash="x", preferred_language="en", is_active=True)  # fmt: skip
        db.session.add(admin)
        db.session.flush()
        _, token = api_clients.create("Bench", ["read:responses"], actor=admin)
        short = Client(client_ref="SHORT", first_name="Sam", last_name="Short",
                       timezone="America/New_York", primary_clinician_id=1)  # fmt: skip
        db.session.add(short)
        db.session.commit()
        for label, client_id in (("no history", short.id), (f"{args.weeks} weeks", 1)):
            statements, ms = observation_search(app, token, client_id, args.runs)
            print(f"Observation?patient= ({label}): {statements} SQL statements "
                  f"(goal <= {GOALS['statements']}), p50 {ms:.0f} ms")  # fmt: skip

        ctx = context()
        since = utcnow() - timedelta(weeks=max(1, args.weeks // 10))
        for label, start in (("--since (last tenth)", since), ("--all", None)):
            with tempfile.TemporaryDirectory() as out, PeakRss() as rss:
                started, cpu = time.perf_counter(), time.process_time()
                counts = export_all(Path(out), ctx, since=start)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                size = sum(f.stat().st_size for f in Path(out).iterdir()) / 1e6
            total = sum(counts.values())
            goal = f" (goal <= {GOALS['all_s']:.0f} s)" if start is None else ""
            print(f"export {label}: {total:,} resources ({size:,.0f} MB NDJSON) in "
                  f"{seconds:.1f} s ({cpu:.1f} s of CPU){goal}; resident memory "
                  f"{rss.before:.0f} MB before, peak {rss.peak:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
