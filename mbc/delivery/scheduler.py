"""The scheduler's pass, and the long-running process that runs it every 30 seconds.

APScheduler only provides the trigger: the database decides what is due, so a pass can run from
cron (``mbc scheduler tick``), a test, or several processes at once. Never started by the web app.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from flask import Flask

from mbc.alerts.services import escalate_due
from mbc.auth.staff_sessions import purge_ended
from mbc.clock import utcnow
from mbc.delivery import backends as backend_config
from mbc.delivery.dispatch import DispatchStats, send_due
from mbc.delivery.planner import (
    PlanStats,
    close_expired,
    plan_sessions,
    plan_unscheduled,
    sync_appointments,
)
from mbc.delivery.reconcile import ReconcileStats, reconcile_stale
from mbc.extensions import db
from mbc.wellbeing import jobs as wellbeing_jobs

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class PassReport:
    reconciled: ReconcileStats
    planning: PlanStats
    sending: DispatchStats
    seconds: dict[str, float] = field(default_factory=dict)  # per step, for operators

    def as_dict(self) -> dict[str, Any]:
        return {
            "reconciled": asdict(self.reconciled),
            "planning": asdict(self.planning),
            "sending": asdict(self.sending),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def run_pass(app: Flask) -> PassReport:
    """One pass, in order: settle interrupted sends, follow the calendar, close what expired,
    plan new check-ins, escalate unacknowledged urgent alerts, send what is due, then delete
    staff sessions past their absolute lifetime.
    Every step commits its own work."""
    seconds: dict[str, float] = {}

    def timed(name: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = step()
        seconds[name] = time.perf_counter() - started
        return result

    with app.app_context():
        now = utcnow()
        backends = backend_config.from_config()
        reconciled = timed("reconcile", lambda: reconcile_stale(now, backends))
        planning = PlanStats()
        timed("calendar", lambda: sync_appointments(now, planning))
        timed("close", lambda: close_expired(now, planning))
        timed("plan_sessions", lambda: plan_sessions(now, planning))
        timed("plan_unscheduled", lambda: plan_unscheduled(now, planning))
        timed("escalate", lambda: escalate_due(now))
        timed("wellbeing", lambda: wellbeing_jobs.run(now))
        timed("goal_reminders", lambda: _goal_reminders(now))
        batch = app.config["SCHEDULER_BATCH"]
        sending = timed("send", lambda: send_due(now, backends, batch=batch))
        timed("sessions", lambda: _purge_sessions(now))
        return PassReport(reconciled, planning, sending, seconds)


def _goal_reminders(now: datetime) -> None:
    """Queue reminders of agreed goals' reviews (sent by the send step that follows)."""
    from mbc.supervision.reminders import queue_reminders

    queue_reminders(now)
    db.session.commit()


def _purge_sessions(now: datetime) -> None:
    """Staff sessions past their absolute lifetime are dead: their rows go."""
    purge_ended(now)
    db.session.commit()


def _safe_pass(app: Flask) -> None:
    try:
        report = run_pass(app)
    except Exception:  # keep the process alive; the next pass retries from the database
        log.exception("scheduler pass failed")
        return
    log.info("scheduler pass: %s", report.as_dict())


def run_forever(app: Flask) -> None:
    """Block, running a pass every ``SCHEDULER_INTERVAL_SECONDS`` (one at a time, no backlog)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone="UTC")
    scheduler.add_job(
        _safe_pass,
        "interval",
        args=[app],
        seconds=app.config["SCHEDULER_INTERVAL_SECONDS"],
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now().astimezone(),
        id="mbc-pass",
    )
    log.info("scheduler started: a pass every %ss", app.config["SCHEDULER_INTERVAL_SECONDS"])
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
