"""Twilio's status callbacks and inbound messages: signed or refused, then acted on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from twilio.request_validator import RequestValidator

from mbc.delivery.models import ConsentEvent, InboundMessage, Suppression
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import messages, post_signed, rows, tick
from tests.fakes.twilio_api import AUTH_TOKEN

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
NUMBER = "+14155552671"


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


@pytest.fixture
def sent_sms(app, make, client_en, twilio):
    make.plan_rule(("phq9",))
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    return twilio.messages[0]


@pytest.mark.parametrize("path", ["/hooks/twilio/status", "/hooks/twilio/inbound"])
def test_unsigned_or_wrongly_signed_requests_are_refused(web, path: str) -> None:
    form = {"MessageSid": "SM1", "MessageStatus": "delivered", "From": NUMBER, "Body": "STOP"}
    assert web.post(path, data=form).status_code == 403
    assert post_signed(web, path, form, token="not-the-token").status_code == 403
    tampered = dict(form, Body="START")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"https://mbc.test{path}", form)
    response = web.post(path, data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_delivered_is_recorded(app, web, sent_sms) -> None:
    form = {"MessageSid": sent_sms["sid"], "MessageStatus": "delivered"}
    assert post_signed(web, "/hooks/twilio/status", form).status_code == 204
    invitation = messages(app)[0]
    assert invitation.status == "delivered" and invitation.delivered_at is not None


def test_undelivered_to_a_landline_is_recorded_and_stops_the_number(app, web, sent_sms) -> None:
    form = {"MessageSid": sent_sms["sid"], "MessageStatus": "undelivered", "ErrorCode": "30006"}
    post_signed(web, "/hooks/twilio/status", form)
    invitation = messages(app)[0]
    assert invitation.status == "undeliverable" and "30006" in invitation.last_error
    [suppression] = rows(app, Suppression)
    assert suppression.reason == "invalid_address"


def test_a_late_sent_report_does_not_undo_delivered(app, web, sent_sms) -> None:
    post_signed(
        web, "/hooks/twilio/status", {"MessageSid": sent_sms["sid"], "MessageStatus": "delivered"}
    )
    post_signed(
        web, "/hooks/twilio/status", {"MessageSid": sent_sms["sid"], "MessageStatus": "sent"}
    )
    assert messages(app)[0].status == "delivered"


def test_an_unknown_message_is_acknowledged(web) -> None:
    form = {"MessageSid": "SM-not-ours", "MessageStatus": "delivered"}
    assert post_signed(web, "/hooks/twilio/status", form).status_code == 204


@pytest.mark.parametrize(
    "word",
    [
        "STOP",
        "stop",
        "StopAll",
        "UNSUBSCRIBE",
        "cancel",
        "END",
        "quit",
        "Stop.",
        "STOP!",
        "stop 🛑",
    ],
)
def test_stop_words_opt_the_number_out(app, web, client_en, word: str) -> None:
    response = post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": f" {word} "})
    assert response.status_code == 200 and response.mimetype == "text/xml"
    [suppression] = rows(app, Suppression)
    assert (suppression.address, suppression.reason, suppression.source) == (
        NUMBER,
        "opted_out",
        "sms_keyword",
    )
    [event] = rows(app, ConsentEvent)
    assert (event.event, event.client_id) == ("opted_out", client_en.id)


def test_after_stop_the_client_gets_no_sms_and_start_opts_back_in(
    app, web, make, client_en, twilio
) -> None:
    make.plan_rule(("phq9",))
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "STOP"})
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    assert twilio.messages == [] and messages(app)[0].channel == "email"
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "START"})
    assert rows(app, Suppression) == []
    assert [e.event for e in rows(app, ConsentEvent)] == ["opted_out", "opted_in"]


def test_help_gets_the_practice_contact_in_the_clients_language(app, web, make, clinician_a):
    from mbc.extensions import db
    from mbc.practice.services import get_practice

    with app.app_context():
        practice = get_practice()
        practice.name, practice.contact_phone = "Riverside Counseling", "+1 415 555 0199"
        db.session.commit()
    make.client(clinician_a, phone="+14155550111", language="es")
    response = post_signed(web, "/hooks/twilio/inbound", {"From": "+14155550111", "Body": "HELP"})
    body = response.get_data(as_text=True)
    assert "Riverside Counseling" in body and "+1 415 555 0199" in body
    assert "Responda STOP" in body
    assert rows(app, Suppression) == []


def test_start_is_recorded_with_the_client(app, web, client_en) -> None:
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "STOP"})
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "START"})
    assert [(e.event, e.client_id) for e in rows(app, ConsentEvent)] == [
        ("opted_out", client_en.id),
        ("opted_in", client_en.id),
    ]


def test_start_with_punctuation_opts_back_in_and_is_in_the_clients_history(
    app, web, client_en
) -> None:
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "Stop."})
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "start."})
    assert rows(app, Suppression) == []
    events = rows(app, ConsentEvent)
    assert [(e.event, e.client_id, e.source) for e in events] == [
        ("opted_out", client_en.id, "sms_keyword"),
        ("opted_in", client_en.id, "sms_keyword"),
    ]


def test_a_shared_number_records_the_change_for_every_client(app, web, make, clinician_a):
    parent = make.client(clinician_a, phone=NUMBER)
    child = make.client(clinician_a, phone=NUMBER)
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "STOP"})
    post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "UNSTOP"})
    events = rows(app, ConsentEvent)
    assert sorted((e.event, e.client_id) for e in events) == sorted(
        [
            ("opted_out", parent.id),
            ("opted_out", child.id),
            ("opted_in", parent.id),
            ("opted_in", child.id),
        ]
    )
    replies = rows(app, InboundMessage)
    assert sorted((r.client_id, r.keyword) for r in replies) == sorted(
        [
            (parent.id, "opt_out"),
            (child.id, "opt_out"),
            (parent.id, "opt_in"),
            (child.id, "opt_in"),
        ]
    )


def test_other_replies_change_no_consent(app, web, client_en) -> None:
    response = post_signed(web, "/hooks/twilio/inbound", {"From": NUMBER, "Body": "thanks!"})
    assert response.status_code == 200 and "<Message>" not in response.get_data(as_text=True)
    assert rows(app, Suppression) == [] and rows(app, ConsentEvent) == []


def test_a_replayed_signed_stop_changes_nothing(app, web, client_en) -> None:
    """A captured STOP, signed and valid, posted again after the client opted back in."""
    stop = {"From": NUMBER, "Body": "STOP", "MessageSid": "SM" + "1" * 32}
    post_signed(web, "/hooks/twilio/inbound", stop)
    post_signed(
        web,
        "/hooks/twilio/inbound",
        {"From": NUMBER, "Body": "START", "MessageSid": "SM" + "2" * 32},
    )
    post_signed(web, "/hooks/twilio/inbound", stop)  # the replay
    assert rows(app, Suppression) == []
    assert [e.event for e in rows(app, ConsentEvent)] == ["opted_out", "opted_in"]
