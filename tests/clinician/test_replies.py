"""SMS replies on the clinician's pages: "new reply" on home for their own clients, the text and
the consent history on the client's page, read once the client's clinician opens it."""

from __future__ import annotations

import pytest

from mbc.audit.models import AuditEvent
from mbc.delivery.models import InboundMessage
from tests.clinician.test_pre_session import count_statements
from tests.delivery.helpers import post_signed, rows
from tests.factories import PASSWORD
from tests.fakes.twilio_api import AUTH_TOKEN
from tests.helpers import signin, text_of

NUMBER = "+14155552671"


@pytest.fixture
def app_config() -> dict:
    return {"TWILIO_AUTH_TOKEN": AUTH_TOKEN}


def sms(web, body: str, sid: str, number: str = NUMBER) -> None:
    form = {"MessageSid": sid, "From": number, "Body": body}
    assert post_signed(web, "/hooks/twilio/inbound", form).status_code == 200


def test_home_shows_a_new_reply_only_to_the_clients_own_clinicians(
    app, web, make, clinician_a, clinician_b, as_clinician
) -> None:
    mine = make.client(clinician_a, first_name="Zelda", last_name="Quixote", phone=NUMBER)
    make.client(clinician_b, first_name="Other", last_name="Person", phone="+14155550123")
    sms(web, "I'm not doing well today", "SM1")
    sms(web, "hello", "SM2", number="+14155550123")
    home = text_of(as_clinician.get("/home"))
    assert "1 client sent a new reply" in home and "Zelda Quixote" in home
    assert "Other Person" not in home
    assert "not doing well" not in home  # the words stay on the client's page
    other = signin(app.test_client(), clinician_b.email, PASSWORD)
    assert "Zelda Quixote" not in text_of(other.get("/home"))
    assert as_clinician.get(f"/clients/{mine.id}").status_code == 200


def test_the_client_page_lists_replies_and_consent_history_and_marks_them_seen(
    app, web, make, clinician_a, admin, as_clinician
) -> None:
    client = make.client(clinician_a, first_name="Zelda", last_name="Quixote", phone=NUMBER)
    sms(web, "STOP", "SM1")
    sms(web, "Start.", "SM2")
    sms(web, "I'm not doing <well> today", "SM3")
    as_admin = signin(app.test_client(), admin.email, PASSWORD)
    as_admin.get(f"/clients/{client.id}")  # an admin's look leaves the reply new
    assert "new reply" in text_of(as_clinician.get("/home"))

    page = text_of(as_clinician.get(f"/clients/{client.id}"))
    assert "I&#39;m not doing &lt;well&gt; today" in page
    assert "new reply" in page and "opt-out keyword" in page
    history = page[page.index("Consent history") :]
    assert "opted out" in history and "opted back in" in history
    assert "text reply (STOP or START)" in history
    [seen] = [r for r in rows(app, InboundMessage) if r.keyword is None]
    assert seen.seen_at is not None and seen.seen_by_id == clinician_a.id
    assert "new reply" not in text_of(as_clinician.get("/home"))
    assert "new reply" not in text_of(as_clinician.get(f"/clients/{client.id}"))
    views = rows(app, AuditEvent, AuditEvent.action == "client.view")
    assert {v.client_id for v in views} == {client.id} and len(views) == 3


def test_replies_add_no_queries_per_client(app, web, make, clinician_a, as_clinician) -> None:
    first = make.client(clinician_a, phone="+14155550100")
    sms(web, "one", "SM100", number="+14155550100")
    few = {u: count_statements(app, as_clinician, u) for u in ("/home", f"/clients/{first.id}")}
    for n in range(101, 121):
        make.client(clinician_a, phone=f"+1415555{n:04d}")
        sms(web, "more", f"SM{n}", number=f"+1415555{n:04d}")
        sms(web, "again", f"SM{n}b", number=f"+1415555{n:04d}")
    sms(web, "two", "SM100b", number="+14155550100")
    html = text_of(as_clinician.get("/home"))
    assert "21 clients sent a new reply" in html
    many = {u: count_statements(app, as_clinician, u) for u in ("/home", f"/clients/{first.id}")}
    assert few == many
