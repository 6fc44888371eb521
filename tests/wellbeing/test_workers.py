"""Two scheduler processes at once open a window once, send each invitation and reminder
once, and close it once (real processes on the same database, as in production)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from mbc.delivery.models import Message
from mbc.wellbeing.models import PulseParticipation, PulseWindow
from tests.delivery.helpers import messages, rows, sent
from tests.wellbeing.conftest import CLOSES_AT, OPENS_AT, REMINDER_AT

ROOT = Path(__file__).resolve().parents[2]


def run_workers(app, at, n: int = 2) -> None:
    env = dict(os.environ)
    for key in ("DATABASE_URL", "SECRET_KEY", "BASE_URL"):
        env[f"MBC_{key}"] = str(app.config[key])
    env |= {"MBC_ENV": "testing", "MBC_LOG_LEVEL": "WARNING"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.delivery.worker", at.isoformat()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0] * n, outputs


def test_two_processes_open_remind_and_close_once(app, admin, staff, scheduled) -> None:
    everyone = {*staff["people"], "admin@example.org"}
    run_workers(app, OPENS_AT + timedelta(hours=3))
    assert len(rows(app, PulseWindow)) == 1 and len(rows(app, PulseParticipation)) == 16
    assert Counter(e.recipient for e in sent(app)) == Counter(everyone)
    run_workers(app, REMINDER_AT + timedelta(minutes=1))
    reminders = messages(app, Message.kind == "pulse_reminder")
    assert len(reminders) == 16 and {m.status for m in reminders} == {"sent"}
    assert len(sent(app)) == 32
    run_workers(app, CLOSES_AT + timedelta(minutes=1))
    [window] = rows(app, PulseWindow)
    assert window.closed_at is not None and window.answered == 0 and window.invited == 16
    assert rows(app, PulseParticipation) == [] and messages(app) == [] and sent(app) == []
