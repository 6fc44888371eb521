"""A check-in's funnel stages on its own row follow its messages as they are sent, reported
delivered or undelivered (reconciliation: tests/delivery/test_exactly_once.py), through the fake
Twilio API and a real SMTP server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from mbc.clock import FrozenClock
from mbc.delivery import outbox, stages
from mbc.delivery.models import Message
from mbc.extensions import db
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import check_ins, messages, post_signed, tick

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


@pytest.fixture
def planned(make, client_en):
    make.plan_rule(("phq9",))
    return make.appointment(client_en, starts_at=TOMORROW_10AM_NY)


def stage(app) -> tuple[bool, bool, datetime | None]:
    [check_in] = check_ins(app)
    return check_in.message_sent, check_in.message_delivered, check_in.first_reminder_at


def test_an_accepted_sms_is_sent_and_its_delivery_report_makes_it_delivered(
    app, web, planned, twilio
) -> None:
    tick(app)
    assert stage(app) == (True, False, None)
    form = {"MessageSid": twilio.messages[0]["sid"], "MessageStatus": "delivered"}
    post_signed(web, "/hooks/twilio/status", form)
    assert stage(app) == (True, True, None)


def test_an_undelivered_report_takes_the_message_back_out_of_sent(
    app, web, planned, twilio
) -> None:
    tick(app)
    form = {"MessageSid": twilio.messages[0]["sid"], "MessageStatus": "undelivered"}
    post_signed(web, "/hooks/twilio/status", form)
    assert messages(app)[0].status == "undeliverable"
    assert stage(app) == (False, False, None)


def test_an_accepted_email_counts_as_delivered(app, make, clinician_a, smtp) -> None:
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, phone=None, email="e@example.com")
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    tick(app)
    assert messages(app)[0].channel == "email"
    assert stage(app) == (True, True, None)


def test_the_first_accepted_reminder_is_kept(app, clock: FrozenClock, planned) -> None:
    tick(app)
    for _ in range(2):  # at its time, then (quiet hours) at the hour it was moved to
        [_, reminder] = messages(app)
        clock.at = max(clock.at, reminder.due_at)
        tick(app)
    [_, reminder] = messages(app)
    assert reminder.status == "sent"
    assert stage(app) == (True, False, reminder.sent_at)


def test_a_reminder_accepted_after_a_delivery_keeps_the_check_in_delivered(
    app, web, clock: FrozenClock, planned, twilio
) -> None:
    tick(app)
    post_signed(
        web,
        "/hooks/twilio/status",
        {"MessageSid": twilio.messages[0]["sid"], "MessageStatus": "delivered"},
    )
    for _ in range(2):
        [_, reminder] = messages(app)
        clock.at = max(clock.at, reminder.due_at)
        tick(app)
    [_, reminder] = messages(app)
    assert stage(app) == (True, True, reminder.sent_at)


def test_an_undelivered_report_while_a_reminder_is_being_accepted_keeps_the_reminder(
    app, planned
) -> None:
    """The sender accepts the reminder while the status hook reports the invitation
    undelivered. The hook recomputes the stages, which must wait for the sender's commit and
    see its reminder: the check-in stays sent, though not delivered."""
    tick(app)
    invitation, reminder = messages(app)
    now = reminder.scheduled_at
    with app.app_context():  # the sender's transaction, left open
        db.session.execute(
            update(Message).where(Message.id == reminder.id).values(status="sending")
        )
        outbox.mark_sent({reminder.id: "SM-reminder"}, now)
        hook_done = threading.Event()

        def hook() -> None:
            with app.app_context():
                stored = db.session.get(Message, invitation.id)
                stored.status = "undeliverable"
                db.session.flush()
                stages.refresh([stored.check_in_id])
                db.session.commit()
            hook_done.set()

        thread = threading.Thread(target=hook)
        thread.start()
        assert not hook_done.wait(0.5)  # it waits for the sender's transaction
        db.session.commit()
    thread.join(timeout=30)
    assert hook_done.is_set()
    assert stage(app) == (True, False, now)
