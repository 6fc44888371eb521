"""The real twilio client against a local fake Twilio API, and smtplib against a real SMTP
server: what is sent, retries on outages, and permanent refusals that stop an address."""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from mbc.clock import FrozenClock
from mbc.delivery.models import Message, Suppression
from mbc.delivery.sms import proxy_for
from tests.delivery.conftest import SENDER, provider_settings
from tests.delivery.helpers import check_ins, link_in, messages, rows, sent, tick
from tests.fakes.twilio_api import FakeTwilio

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


@pytest.fixture
def booked(make, client_en):
    make.plan_rule(("phq9", "gad7"))
    return make.appointment(client_en, starts_at=TOMORROW_10AM_NY)


def test_sms_goes_through_twilio_with_a_status_callback(app, web, twilio: FakeTwilio, booked):
    report = tick(app)
    assert report.sending.sent == 1
    [sms] = twilio.messages
    assert sms["to"] == "+14155552671" and sms["from"] == SENDER
    invitation = messages(app)[0]
    # our own reference to the message rides on its callback (Twilio signs the whole URL)
    assert sms["status_callback"] == f"https://mbc.test/hooks/twilio/status?m={invitation.id}"
    assert sms["body"].endswith("Reply STOP to opt out")
    assert invitation.provider_id == sms["sid"] and invitation.status == "sent"
    assert web.get(link_in(sms["body"])).status_code == 200


def test_a_messaging_service_sid_is_used_as_the_sender(app, twilio, booked) -> None:
    app.config["TWILIO_FROM"] = "MG" + "2" * 32
    tick(app)
    assert twilio.messages[0]["messaging_service_sid"] == "MG" + "2" * 32
    assert twilio.messages[0]["from"] is None


def test_an_outage_is_retried_with_backoff_then_sent_once(
    app, clock: FrozenClock, twilio: FakeTwilio, booked
) -> None:
    twilio.transient = [503, 429]
    assert tick(app).sending.retrying == 1
    invitation = messages(app)[0]
    assert (invitation.status, invitation.attempts) == ("pending", 1)
    assert invitation.due_at == clock.at + timedelta(minutes=1)
    assert "503" in invitation.last_error
    clock.advance(minutes=1)
    assert tick(app).sending.retrying == 1
    assert messages(app)[0].due_at == clock.at + timedelta(minutes=2)
    clock.advance(minutes=2)
    assert tick(app).sending.sent == 1
    assert len(twilio.messages) == 1 and messages(app)[0].attempts == 3


def test_twilio_unreachable_is_retried(app, twilio: FakeTwilio, booked) -> None:
    app.config["TWILIO_API_BASE"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    assert tick(app).sending.retrying == 1
    assert "unreachable" in messages(app)[0].last_error


def test_an_unsubscribed_number_fails_for_good_and_stops_further_sms(
    app, clock: FrozenClock, make, twilio: FakeTwilio, smtp, clinician_a
) -> None:
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, phone="+14155550123", email="pat@example.com")
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    make.appointment(client, starts_at=TOMORROW_10AM_NY + timedelta(hours=5))
    twilio.errors_for["+14155550123"] = (400, 21610, "Attempt to send to unsubscribed recipient")
    tick(app)
    first, second = messages(app, rows_kind("invitation"))
    assert first.status == "failed" and "21610" in first.last_error and first.attempts == 1
    [suppression] = rows(app, Suppression)
    assert (suppression.channel, suppression.reason) == ("sms", "opted_out")
    clock.at = second.due_at  # the later session's invitation: SMS is now off, email is not
    tick(app)
    assert messages(app, rows_kind("invitation"))[1].channel == "email"
    assert len(smtp.inbox.to("pat@example.com")) == 1
    assert len(twilio.messages) == 0


def rows_kind(kind: str):
    return Message.kind == kind


def test_email_is_multipart_with_one_click_unsubscribe(app, web, make, smtp, clinician_a):
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, preferred_channel="email", email="pat@example.com")
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    assert tick(app).sending.sent == 1
    [mail] = smtp.inbox.to("pat@example.com")
    assert mail["From"] == "Riverside Counseling <checkins@riverside.example>"
    assert mail["Subject"] == "A short check-in before your session tomorrow"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("https://mbc.test/u/")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    path = link_in(text)
    assert path in html
    # Tokens are random base64 and may spell "PHQ" by chance; only the words must not.
    words = re.sub(r"/[su]/[\w.-]+", " ", text + html)
    assert "PHQ" not in words and "depress" not in words.lower()
    assert web.get(path).status_code == 200
    # The one-click POST a mail provider makes, with no form token:
    response = web.post(
        unsubscribe[len("https://mbc.test") :], data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    [suppression] = rows(app, Suppression)
    assert (suppression.channel, suppression.address) == ("email", "pat@example.com")


def test_a_refused_mailbox_fails_and_is_suppressed(app, make, smtp, clinician_a) -> None:
    make.plan_rule(("phq9",))
    client = make.client(
        clinician_a, phone=None, preferred_channel="email", email="gone@example.com"
    )
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    smtp.inbox.refuse["gone@example.com"] = "550 5.1.1 No such user"
    tick(app)
    invitation = messages(app)[0]
    assert invitation.status == "failed" and "550" in invitation.last_error
    [suppression] = rows(app, Suppression)
    assert suppression.reason == "invalid_address"


def test_smtp_down_is_retried(app, make, smtp, clinician_a) -> None:
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, preferred_channel="email", phone=None)
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    app.config["SMTP_PORT"] = 9
    tick(app)
    invitation = messages(app)[0]
    assert invitation.status == "pending" and "unreachable" in invitation.last_error
    assert len(check_ins(app)) == 1


def test_a_batch_mixing_sms_email_and_refusals_records_every_outcome_once(
    app, make, twilio: FakeTwilio, smtp, clinician_a
) -> None:
    """Many provider calls are in flight at once; each result lands on its own message."""
    make.plan_rule(("phq9",))
    numbers = [f"+1415555{n:04d}" for n in range(12)]
    for number in numbers:
        make.appointment(make.client(clinician_a, phone=number), starts_at=TOMORROW_10AM_NY)
    for n in range(6):
        client = make.client(
            clinician_a, phone=None, preferred_channel="email", email=f"mail{n}@example.com"
        )
        make.appointment(client, starts_at=TOMORROW_10AM_NY)
    twilio.errors_for[numbers[3]] = (400, 21211, "Invalid 'To' Phone Number")
    smtp.inbox.refuse["mail2@example.com"] = "550 5.1.1 No such user"

    report = tick(app)

    assert (report.sending.sent, report.sending.failed) == (16, 2)
    by_sid = {m["sid"]: m["to"] for m in twilio.messages}
    assert sorted(by_sid.values()) == sorted(set(numbers) - {numbers[3]})
    invitations = messages(app, rows_kind("invitation"))
    for message in invitations:
        if message.recipient in (numbers[3], "mail2@example.com"):
            assert message.status == "failed" and message.provider_id is None
        else:
            assert message.status == "sent" and message.sent_at is not None
    sms_ids = {m.provider_id: m.recipient for m in invitations if m.channel == "sms"}
    assert {sid: to for sid, to in sms_ids.items() if sid} == by_sid
    assert len(smtp.inbox.messages) == 5


def test_a_pass_sends_from_a_thread_that_already_runs_an_event_loop(
    app, twilio: FakeTwilio, booked
) -> None:
    """A caller inside an event loop (a test driving a browser, an async worker) still sends."""

    sent: list[int] = []

    async def inside_a_loop() -> None:
        sent.append(tick(app).sending.sent)

    # A thread of its own: this one may already run a loop (Playwright's, in a full run).
    caller = threading.Thread(target=lambda: asyncio.run(inside_a_loop()))
    caller.start()
    caller.join(30)
    assert sent == [1]
    assert len(twilio.messages) == 1 and messages(app)[0].status == "sent"


@pytest.mark.parametrize(
    ("environment", "base", "proxy"),
    [
        ({}, None, None),
        ({"https_proxy": "http://proxy.clinic:3128"}, None, "http://proxy.clinic:3128"),
        (
            {"https_proxy": "http://proxy.clinic:3128", "no_proxy": "api.twilio.com"},
            None,
            None,
        ),
        ({"http_proxy": "http://p:3128", "no_proxy": "127.0.0.1"}, "http://127.0.0.1:80", None),
        ({"http_proxy": "http://p:3128"}, "http://gateway.clinic:8080", "http://p:3128"),
    ],
)
def test_the_proxy_is_read_once_from_the_environment(
    monkeypatch, environment: dict, base: str | None, proxy: str | None
) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert proxy_for(base) == proxy


def test_console_sms_beside_smtp_email_each_send_in_one_pass(
    app, make, twilio: FakeTwilio, smtp, clinician_a
) -> None:
    """A practice without Twilio: texts stay in the development outbox, mail goes out."""
    app.config["SMS_BACKEND"] = "console"
    make.plan_rule(("phq9",))
    texted = make.client(clinician_a, phone="+14155550177")
    mailed = make.client(clinician_a, phone=None, preferred_channel="email", email="m@example.com")
    for client in (texted, mailed):
        make.appointment(client, starts_at=TOMORROW_10AM_NY)

    assert tick(app).sending.sent == 2

    assert [entry.recipient for entry in sent(app)] == ["+14155550177"]
    assert len(smtp.inbox.to("m@example.com")) == 1 and twilio.messages == []


def test_an_email_that_cannot_be_written_fails_visibly_and_never_sticks(
    app, make, smtp, clinician_a
) -> None:
    """A practice name stored with a line break (before the settings form refused one) would
    break every email's Subject header: the message fails at once, with its reason."""
    from mbc.extensions import db
    from mbc.practice.services import get_practice

    with app.app_context():
        get_practice().name = "Riverside\r\nBcc: everyone@example.com"
        db.session.commit()
    # A check-in not tied to a session: its subject names the practice.
    make.plan_rule(("phq9",), rule="every_n_weeks", every_n=2, start_date=date(2026, 11, 23))
    make.client(clinician_a, phone=None, preferred_channel="email")
    tick(app)
    invitation = messages(app)[0]
    assert (invitation.status, invitation.skip_reason) == ("failed", "cannot_render")
    assert [m for m in messages(app) if m.status == "sending"] == []
    assert smtp.inbox.messages == []
