"""A scheduler process killed (SIGKILL) at random points, twelve times, with SMS and email due
together: nothing is sent twice, nothing is lost, and at most the one email in flight at each
crash is left in doubt for an admin (SMTP cannot be asked afterwards what it took).

Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL. The kill points are seeded, so a
failure can be replayed: half the runs kill during a provider call (each call of a pass in
turn), half after a random delay (planning, claiming, rendering, between calls).
"""

from __future__ import annotations

import os
import random
import signal
import threading
from collections import Counter
from datetime import timedelta

import pytest

from mbc.clock import FrozenClock
from mbc.delivery.reconcile import UNCONFIRMED
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import messages, tick
from tests.delivery.test_exactly_once import start_worker
from tests.fakes.smtp import SmtpServer
from tests.fakes.twilio_api import FakeTwilio

RUNS = 12  # the six calls of a pass each killed once, and six random moments
PER_CHANNEL = 3  # clients of each channel due in each run


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


def _book(make, clinician, clock: FrozenClock, run: int) -> None:
    starts = clock.at + timedelta(hours=20)  # invited now: inside the 24 h before the session
    for n in range(PER_CHANNEL):
        sms = make.client(clinician, phone=f"+1415556{run:02d}{n:02d}", email=None)
        mail = make.client(
            clinician, phone=None, email=f"c{run}-{n}@example.org", preferred_channel="email"
        )
        for client in (sms, mail):
            make.appointment(client, starts_at=starts)


def _kill_at_call(worker, k: int, twilio: FakeTwilio, smtp: SmtpServer) -> None:
    calls = {"n": 0}

    def count(_message) -> None:
        calls["n"] += 1
        if calls["n"] == k:
            os.kill(worker.pid, signal.SIGKILL)

    twilio.on_message = count
    smtp.inbox.on_message = count


def test_killed_at_random_points_nothing_is_sent_twice_or_lost(
    app, make, clinician_a, clock: FrozenClock, twilio: FakeTwilio, smtp: SmtpServer
) -> None:
    make.plan_rule(("phq9",), reminder_hours_before=0)
    rng = random.Random(20261201)
    in_doubt_per_crash = []
    for run in range(RUNS):
        _book(make, clinician_a, clock, run)
        worker = start_worker(app, clock.at)
        timer = None
        if run % 2 == 0:  # each call of the pass in turn: the texts first, then each email
            _kill_at_call(worker, 1 + (run // 2) % (2 * PER_CHANNEL), twilio, smtp)
        else:
            delay = rng.uniform(0.3, 3.0)
            timer = threading.Timer(delay, lambda w=worker: w.poll() is None and w.kill())
            timer.start()
        worker.communicate(timeout=120)
        if timer is not None:
            timer.cancel()
        twilio.on_message = smtp.inbox.on_message = None
        unconfirmed_before = _unconfirmed(app)
        clock.advance(minutes=6)  # past the staleness limit: settle, then send what is left
        tick(app)
        tick(app)
        in_doubt_per_crash.append(_unconfirmed(app) - unconfirmed_before)

    invitations = [m for m in messages(app) if m.kind == "invitation"]
    assert len(invitations) == RUNS * 2 * PER_CHANNEL
    texts = Counter(m["to"] for m in twilio.messages)
    mails = Counter(m["To"] for m in smtp.inbox.messages)
    assert max(texts.values()) == 1 and max(mails.values()) == 1, "sent twice"
    assert max(in_doubt_per_crash) <= 1, in_doubt_per_crash
    assert sum(in_doubt_per_crash) >= 1, "no crash hit an email in flight: the test tests nothing"
    for message in invitations:
        if message.status == "failed":  # in doubt: only an email, and it did reach the server
            assert message.channel == "email" and message.last_error == UNCONFIRMED
            assert mails[message.recipient] == 1
        else:
            assert message.status == "sent", (message.id, message.status, message.last_error)
    sms = [m for m in invitations if m.channel == "sms"]
    assert {m.status for m in sms} == {"sent"} and len(texts) == len(sms)
    print(f"crash runs: {RUNS}; emails in doubt per crash: {in_doubt_per_crash}")


def _unconfirmed(app) -> int:
    return sum(1 for m in messages(app) if m.last_error == UNCONFIRMED)
