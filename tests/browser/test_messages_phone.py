"""From a message to the check-in on a phone: the link in an SMS opens the check-in, and the
email unsubscribe page works by tapping, with no accessibility problems."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from mbc.delivery.unsubscribe import unsubscribe_url
from tests.browser.conftest import axe_violations
from tests.delivery.helpers import link_in, messages, sent, tick

pytestmark = pytest.mark.browser
TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_the_sms_link_opens_the_check_in(phone, live_server: str, app, make, client_en) -> None:
    make.plan_rule(("phq9", "gad7"))
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    page = phone.new_page()
    page.goto(live_server + link_in(sent(app)[0].body))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Start").tap()
    expect(page.get_by_text("1 of 2")).to_be_visible()


def test_unsubscribing_from_email_by_tapping(phone, live_server: str, app, make, clinician_a):
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, phone=None, preferred_channel="email", language="es")
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    tick(app)
    with app.app_context():
        url = unsubscribe_url(messages(app)[0].id).replace("https://mbc.test", live_server)
    page = phone.new_page()
    page.goto(url)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Dejar de recibir los correos").click()
    expect(page.get_by_role("heading", name="No recibirá más correos nuestros")).to_be_visible()
    assert axe_violations(page) == []
