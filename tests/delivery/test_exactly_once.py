"""Exactly once: several scheduler processes on the same due messages send each once, and a
process killed mid-send causes neither a duplicate nor a silent loss."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mbc.clock import FrozenClock
from mbc.delivery.sms import TwilioSms
from tests.conftest import TEST_NOW
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import check_ins, messages, post_signed, tick
from tests.fakes.twilio_api import FakeTwilio

ROOT = Path(__file__).resolve().parents[2]
TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


def worker_env(app) -> dict[str, str]:
    env = dict(os.environ)
    for key in (
        "DATABASE_URL",
        "SECRET_KEY",
        "BASE_URL",
        "SMS_BACKEND",
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_FROM",
        "TWILIO_API_BASE",
        "EMAIL_BACKEND",
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_STARTTLS",
        "MAIL_FROM",
    ):
        env[f"MBC_{key}"] = (
            str(app.config[key]).lower() if key == "SMTP_STARTTLS" else str(app.config[key])
        )
    env["MBC_ENV"] = "testing"
    env["MBC_LOG_LEVEL"] = "WARNING"
    return env


def start_worker(app, at: datetime) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.delivery.worker", at.isoformat()],
        cwd=ROOT,
        env=worker_env(app),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_processes_send_each_message_exactly_once(app, make, clinician_a, twilio) -> None:
    make.plan_rule(("phq9", "gad7"))
    numbers = [f"+1415555{i:04d}" for i in range(120)]
    for number in numbers:
        client = make.client(clinician_a, phone=number)
        make.appointment(client, starts_at=TOMORROW_10AM_NY)
    workers = [start_worker(app, TEST_NOW) for _ in range(4)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0], outputs
    assert Counter(m["to"] for m in twilio.messages) == Counter(numbers)
    invitations = messages(app, _kind("invitation"))
    assert len(invitations) == 120 and {m.status for m in invitations} == {"sent"}
    assert sorted(m.provider_id for m in invitations) == sorted(m["sid"] for m in twilio.messages)


def _kind(kind: str):
    from mbc.delivery.models import Message

    return Message.kind == kind


@pytest.fixture
def one_invitation_due(make, client_en):
    make.plan_rule(("phq9",))
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)


def test_killed_after_twilio_accepted_is_reconciled_as_sent(
    app, clock: FrozenClock, twilio: FakeTwilio, one_invitation_due
) -> None:
    worker = start_worker(app, TEST_NOW)
    twilio.on_message = lambda _message: os.kill(worker.pid, signal.SIGKILL)
    worker.communicate(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    [invitation, _reminder] = messages(app)
    assert invitation.status == "sending" and len(twilio.messages) == 1
    clock.advance(minutes=1)
    tick(app)  # too soon to call it stale: a live worker may still be waiting for Twilio
    assert messages(app)[0].status == "sending" and twilio.lookups == 0
    assert not check_ins(app)[0].message_sent  # the funnel does not count it yet
    clock.advance(minutes=5)
    report = tick(app)
    assert report.reconciled.confirmed_sent == 1 and twilio.lookups == 1
    invitation = messages(app)[0]
    assert invitation.status == "sent" and invitation.provider_id == twilio.messages[0]["sid"]
    assert len(twilio.messages) == 1  # no duplicate
    assert check_ins(app)[0].message_sent


NUMBER = "+14155552671"  # client_en's phone


def _killed_after_twilio_accepted(app, twilio: FakeTwilio) -> dict:
    worker = start_worker(app, TEST_NOW)
    twilio.on_message = lambda _message: os.kill(worker.pid, signal.SIGKILL)
    worker.communicate(timeout=60)
    twilio.on_message = None
    assert worker.returncode == -signal.SIGKILL
    assert messages(app)[0].status == "sending"
    [accepted] = twilio.messages
    return accepted


def _newer_messages(twilio: FakeTwilio, clock: FrozenClock, count: int) -> None:
    """Other texts to the same number after the crash (from this account, or another app)."""
    clock.advance(seconds=30)
    for n in range(count):
        twilio.record(NUMBER, f"Another text {n}")


def test_reconciled_as_sent_however_many_newer_messages_the_number_has(
    app, clock: FrozenClock, twilio: FakeTwilio, one_invitation_due
) -> None:
    accepted = _killed_after_twilio_accepted(app, twilio)
    _newer_messages(twilio, clock, 120)
    clock.advance(minutes=6)
    report = tick(app)
    assert (report.reconciled.confirmed_sent, report.reconciled.requeued) == (1, 0)
    assert twilio.lookups == 3  # 121 messages in the claim's window, 50 a page
    invitation = messages(app)[0]
    assert invitation.status == "sent" and invitation.provider_id == accepted["sid"]
    assert len(twilio.to(NUMBER)) == 121  # nothing sent twice
    tick(app)
    assert len(twilio.to(NUMBER)) == 121


def test_a_message_still_queued_at_twilio_is_found_without_a_date_sent(
    app, clock: FrozenClock, twilio: FakeTwilio, one_invitation_due
) -> None:
    twilio.hand_on = False  # Twilio's queue is backed up: no DateSent yet
    accepted = _killed_after_twilio_accepted(app, twilio)
    twilio.hand_on = True
    _newer_messages(twilio, clock, 60)
    clock.advance(minutes=6)
    report = tick(app)
    assert report.reconciled.confirmed_sent == 1
    assert messages(app)[0].provider_id == accepted["sid"] and len(twilio.to(NUMBER)) == 61


def test_a_look_up_too_long_to_finish_decides_nothing(
    app, clock: FrozenClock, twilio: FakeTwilio, one_invitation_due, monkeypatch
) -> None:
    monkeypatch.setattr(TwilioSms, "MAX_PAGES", 2)
    worker = start_worker(app, TEST_NOW)

    def kill_and_drop(_form: dict) -> bool:
        os.kill(worker.pid, signal.SIGKILL)
        return True

    twilio.on_request = kill_and_drop
    worker.communicate(timeout=60)
    twilio.on_request = None
    _newer_messages(twilio, clock, 120)  # more than two pages, none of them ours
    clock.advance(minutes=6)
    report = tick(app)
    assert report.reconciled.waiting == 1 and report.reconciled.requeued == 0
    assert messages(app)[0].status == "sending" and len(twilio.to(NUMBER)) == 120


def test_twilios_report_on_an_interrupted_message_settles_it_by_our_reference(
    app, web, clock: FrozenClock, twilio: FakeTwilio, one_invitation_due
) -> None:
    accepted = _killed_after_twilio_accepted(app, twilio)
    callback = urlsplit(accepted["status_callback"])
    path = f"{callback.path}?{callback.query}"
    report = {"MessageSid": accepted["sid"], "MessageStatus": "delivered", "To": NUMBER}
    elsewhere = {**report, "To": "+14155550000"}  # a reference that is not this text's
    assert post_signed(web, path, elsewhere).status_code == 204
    assert messages(app)[0].status == "sending"
    assert post_signed(web, path, report).status_code == 204
    invitation = messages(app)[0]
    assert invitation.status == "delivered" and invitation.provider_id == accepted["sid"]
    assert check_ins(app)[0].message_sent
    clock.advance(minutes=6)
    assert tick(app).reconciled.confirmed_sent == 0 and twilio.lookups == 0
    assert len(twilio.messages) == 1


def test_killed_before_twilio_recorded_anything_is_sent_again_once(
    app, clock: FrozenClock, twilio: FakeTwilio, one_invitation_due
) -> None:
    worker = start_worker(app, TEST_NOW)

    def kill_and_drop(_form: dict) -> bool:
        os.kill(worker.pid, signal.SIGKILL)
        return True

    twilio.on_request = kill_and_drop
    worker.communicate(timeout=60)
    twilio.on_request = None
    assert messages(app)[0].status == "sending" and twilio.messages == []
    clock.advance(minutes=6)
    report = tick(app)
    assert report.reconciled.requeued == 1 and report.sending.sent == 1
    assert len(twilio.messages) == 1 and messages(app)[0].status == "sent"


def test_an_email_interrupted_mid_send_is_marked_for_an_admin_not_resent(
    app, clock: FrozenClock, make, clinician_a, smtp
) -> None:
    from mbc.delivery.models import Message
    from mbc.extensions import db

    make.plan_rule(("phq9",))
    client = make.client(clinician_a, phone=None, preferred_channel="email")
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    tick(app)
    with app.app_context():  # as a process that died after rendering, before the result
        message = db.session.get(Message, messages(app)[0].id)
        message.status, message.claimed_at = "sending", clock.at
        db.session.commit()
    delivered = len(smtp.inbox.messages)
    clock.advance(minutes=6)
    report = tick(app)
    assert report.reconciled.unconfirmed == 1
    invitation = messages(app)[0]
    assert invitation.status == "failed" and invitation.last_error.startswith("unconfirmed")
    assert len(smtp.inbox.messages) == delivered


def test_a_stale_claim_with_nothing_rendered_goes_back_to_its_own_time(
    app, clock: FrozenClock, twilio, one_invitation_due
) -> None:
    from mbc.delivery.models import Message
    from mbc.extensions import db

    tick(app)
    reminder = messages(app)[1]
    with app.app_context():  # claimed by a process that died before rendering anything
        stored = db.session.get(Message, reminder.id)
        stored.status, stored.claimed_at = "sending", clock.at - timedelta(minutes=10)
        db.session.commit()
    report = tick(app)
    assert report.reconciled.requeued == 1 and twilio.lookups == 0
    reminder = messages(app)[1]
    assert (reminder.status, reminder.due_at) == ("pending", reminder.scheduled_at)
    assert len(twilio.messages) == 1  # the invitation only: the reminder is not sent early
