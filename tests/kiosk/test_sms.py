"""The check-in code by text message, on request at the front desk."""

from __future__ import annotations

from datetime import timedelta

from mbc.delivery.models import Message
from mbc.delivery.segments import count_segments
from tests.delivery.helpers import messages, sent, tick
from tests.helpers import submit, text_of
from tests.kiosk.helpers import code_of, session_check_in


def _text(as_staff, check_in):
    return submit(as_staff, f"/check-ins/{check_in.id}/kiosk-sms", {}, form_url="/home")


def test_the_front_desk_texts_the_code_with_nothing_about_health(
    app, make, as_admin, client_en
) -> None:
    check_in = session_check_in(app, make, client_en)
    response = _text(as_admin, check_in)
    assert response.status_code == 302
    assert "will be texted" in text_of(as_admin.get("/home"))
    tick(app)
    [entry] = sent(app)
    code = code_of(app, check_in)
    assert entry.body == (
        f"Our practice: your check-in code for today is {code}. Type it on the tablet in the "
        "waiting room. Reply STOP to opt out."
    )
    assert "PHQ" not in entry.body and client_en.first_name not in entry.body
    assert count_segments(entry.body).segments == 1
    [message] = messages(app)
    assert (message.kind, message.status, message.recipient) == (
        "kiosk_code",
        "sent",
        client_en.phone,
    )


def test_pressing_twice_sends_one_text(app, make, as_admin, client_en) -> None:
    check_in = session_check_in(app, make, client_en)
    _text(as_admin, check_in)
    _text(as_admin, check_in)
    assert len(messages(app)) == 1


def test_the_text_is_in_the_clients_language(app, make, as_admin, client_es) -> None:
    check_in = session_check_in(app, make, client_es)
    _text(as_admin, check_in)
    tick(app)
    assert "su código" in sent(app)[0].body


def test_no_text_without_sms_consent(app, make, as_admin, clinician_a) -> None:
    client = make.client(clinician_a, consent=("email",))
    check_in = session_check_in(app, make, client)
    _text(as_admin, check_in)
    assert "cannot be texted" in text_of(as_admin.get("/home"))
    assert messages(app) == []


def test_a_text_held_up_too_long_is_skipped(app, make, as_admin, client_en, clock) -> None:
    check_in = session_check_in(app, make, client_en)
    _text(as_admin, check_in)
    clock.advance(minutes=61)
    tick(app)
    assert sent(app) == []
    [message] = messages(app, Message.kind == "kiosk_code")
    assert (message.status, message.skip_reason) == ("skipped", "too_late")


def test_only_todays_session_can_be_texted(app, make, as_admin, client_en) -> None:
    from tests.kiosk.helpers import TODAY_SESSION

    check_in = session_check_in(app, make, client_en, starts_at=TODAY_SESSION + timedelta(days=1))
    assert _text(as_admin, check_in).status_code == 410
