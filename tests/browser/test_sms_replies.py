"""A client texts the practice's number; the clinician, in a real browser, signs in, sees "new
reply" on their home page, opens the client and reads the reply and the consent history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_staff_signin import sign_in
from tests.delivery.helpers import post_signed
from tests.factories import PASSWORD
from tests.fakes.twilio_api import AUTH_TOKEN

pytestmark = pytest.mark.browser
NUMBER = "+14155552671"


@pytest.fixture
def app_config() -> dict:
    return {"TWILIO_AUTH_TOKEN": AUTH_TOKEN}


def test_clinician_sees_a_new_reply_and_the_consent_history(
    page, live_server: str, app, web, make, clinician_a
) -> None:
    client = make.client(clinician_a, first_name="Zelda", last_name="Quixote", phone=NUMBER)
    for sid, body in (("SM1", "Stop."), ("SM2", "START"), ("SM3", "I'm not doing well today")):
        form = {"MessageSid": sid, "From": NUMBER, "Body": body}
        assert post_signed(web, "/hooks/twilio/inbound", form).status_code == 200

    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    replies = page.get_by_role("region", name="1 client sent a new reply")
    expect(replies).to_contain_text("new reply")
    replies.get_by_role("link", name="Zelda Quixote").click()
    page.wait_for_url(f"{live_server}/clients/{client.id}#replies")
    expect(page.get_by_role("heading", name="Text replies")).to_be_visible()
    reply = page.locator("li.reply.unseen")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("I'm not doing well today")
    expect(reply).to_contain_text("new reply")
    history = page.locator("table.consent-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("opted back in")
    expect(history.nth(0)).to_contain_text("text reply (STOP or START)")
    expect(history.nth(1)).to_contain_text("Text message")
    expect(history.nth(1)).to_contain_text("opted out")

    page.goto(f"{live_server}/home")
    expect(page.get_by_text("sent a new reply")).to_have_count(0)
