"""Free-text SMS replies, through Twilio-signed webhooks: every one stored with its client (or
none), never logged, and answered at most once a day per number through the outbox."""

from __future__ import annotations

import logging

import pytest

from mbc.delivery.models import ConsentEvent, InboundMessage, Message, Suppression
from mbc.delivery.segments import count_segments
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.delivery.conftest import provider_settings
from tests.delivery.helpers import messages, post_signed, rows, tick

NUMBER = "+14155552671"
SAD = "I'm not doing well today"


@pytest.fixture
def app_config(twilio, smtp) -> dict:
    return provider_settings(twilio, smtp)


@pytest.fixture
def practice(app):
    with app.app_context():
        practice = get_practice()
        practice.name, practice.contact_phone = "Riverside Counseling", "+1 415 555 0199"
        db.session.commit()


def reply(web, body: str, sid: str, number: str = NUMBER):
    form = {"MessageSid": sid, "From": number, "To": "+15005550006", "Body": body}
    response = post_signed(web, "/hooks/twilio/inbound", form)
    assert response.status_code == 200 and "<Message>" not in response.get_data(as_text=True)
    return response


def test_a_free_text_reply_is_stored_and_answered_once(
    app, web, practice, client_en, twilio
) -> None:
    reply(web, SAD, "SM0001")
    [stored] = rows(app, InboundMessage)
    assert (stored.client_id, stored.from_number, stored.body) == (client_en.id, NUMBER, SAD)
    assert stored.keyword is None and stored.seen_at is None
    tick(app)
    [answer] = twilio.to(NUMBER)
    body = answer["body"]
    assert body.startswith("Riverside Counseling: this number is not monitored.")
    assert "+1 415 555 0199" in body and "911" in body and "988" in body
    assert "Reply STOP to opt out" in body
    assert SAD not in body
    assert count_segments(body).segments == 1
    [message] = messages(app)
    assert (message.kind, message.status, message.client_id) == ("auto_reply", "sent", client_en.id)
    assert rows(app, Suppression) == [] and rows(app, ConsentEvent) == []


def test_one_answer_per_number_per_practice_day(app, web, practice, clock, client_en, twilio):
    reply(web, SAD, "SM0001")  # Monday 12:00 in New York
    tick(app)
    clock.advance(hours=11, minutes=30)  # Monday 23:30 in New York, Tuesday in UTC
    reply(web, "still here", "SM0002")
    tick(app)
    assert len(twilio.to(NUMBER)) == 1
    clock.advance(hours=1)  # Tuesday 00:30 in New York
    reply(web, "hello?", "SM0003")
    tick(app)
    assert len(twilio.to(NUMBER)) == 2
    assert [r.body for r in rows(app, InboundMessage)] == [SAD, "still here", "hello?"]


def test_a_keyword_among_other_words_is_free_text_and_the_answer_says_how_to_opt_out(
    app, web, practice, client_en, twilio
) -> None:
    reply(web, "stop please", "SM0001")
    assert rows(app, Suppression) == []
    [stored] = rows(app, InboundMessage)
    assert stored.keyword is None and stored.body == "stop please"
    tick(app)
    [answer] = twilio.to(NUMBER)
    assert "Reply STOP to opt out" in answer["body"]


def test_an_unknown_number_is_kept_and_answered_in_the_practices_language(
    app, web, practice, twilio
) -> None:
    with app.app_context():
        get_practice().default_language = "es"
        db.session.commit()
    reply(web, "hola", "SM0001", number="+14155550000")
    [stored] = rows(app, InboundMessage)
    assert stored.client_id is None and stored.from_number == "+14155550000"
    tick(app)
    [answer] = twilio.to("+14155550000")
    assert "este teléfono no se revisa" in answer["body"]
    assert "Responda STOP" in answer["body"]
    assert count_segments(answer["body"]).segments == 1


def test_the_answer_is_in_the_clients_language_with_the_practices_crisis_text(
    app, web, practice, client_es, twilio
) -> None:
    with app.app_context():
        get_practice().crisis_text_es = "En una crisis llame a la línea local 555 0100."
        db.session.commit()
    reply(web, "no me siento bien", "SM0001")
    tick(app)
    [answer] = twilio.to(NUMBER)
    assert "Contacto: +1 415 555 0199" in answer["body"]
    assert "En una crisis llame a la línea local 555 0100." in answer["body"]
    assert "988" not in answer["body"]


def test_a_replayed_webhook_is_ignored(app, web, practice, client_en, twilio) -> None:
    reply(web, SAD, "SM0001")
    reply(web, SAD, "SM0001")
    assert len(rows(app, InboundMessage)) == 1
    tick(app)
    assert len(twilio.to(NUMBER)) == 1


def test_a_shared_number_stores_the_reply_with_each_client_and_answers_once(
    app, web, practice, make, clinician_a, twilio
) -> None:
    parent = make.client(clinician_a, phone=NUMBER, language="es")
    child = make.client(clinician_a, phone=NUMBER, language="es")
    reply(web, SAD, "SM0001")
    assert sorted(r.client_id for r in rows(app, InboundMessage)) == [parent.id, child.id]
    tick(app)
    [answer] = twilio.to(NUMBER)
    assert "Responda STOP" in answer["body"]  # the language they share


def test_an_opted_out_number_gets_no_answer(app, web, practice, client_en, twilio) -> None:
    reply(web, "STOP", "SM0001")
    reply(web, "why do you text me", "SM0002")
    tick(app)
    assert twilio.to(NUMBER) == []
    [answer] = messages(app, Message.kind == "auto_reply")
    assert (answer.status, answer.skip_reason) == ("skipped", "sms_opted_out")
    assert len(rows(app, InboundMessage)) == 2


def test_an_empty_or_emoji_reply_is_kept_and_answered(app, web, practice, client_en, twilio):
    reply(web, "", "SM0001")
    reply(web, "🙂", "SM0002")
    assert [r.body for r in rows(app, InboundMessage)] == ["", "🙂"]
    tick(app)
    assert len(twilio.to(NUMBER)) == 1


def test_the_body_of_a_reply_is_never_logged(app, web, practice, client_en, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    reply(web, SAD, "SM0001")
    tick(app)
    assert SAD not in caplog.text
