"""Clients who see their own progress (issue 24), in Chromium: a client on a phone goes from
the done page to their progress (and with scripts off), in their language; the clinician turns
sharing on, sends a progress link and turns the screen to the client."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mbc.clients.models import Client
from mbc.extensions import db
from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey
from tests.browser.test_staff_signin import sign_in
from tests.clinician.history import clients_with_history
from tests.factories import PASSWORD
from tests.progress.helpers import share
from tests.survey.helpers import answer, gad7, phq9

pytestmark = pytest.mark.browser


def finished_check_in(app, make, web, clinician) -> tuple[Client, str]:
    """A client with six weeks of scores who has just finished today's check-in."""
    [client_id] = clients_with_history(app, make, clinician, 1, weeks=6)
    with app.app_context():
        client = db.session.get(Client, client_id)
    _, link = make.check_in(client)
    answer(web, link, 1, phq9(total_on_item=1))
    answer(web, link, 2, gad7(1))
    share(app, client)
    return client, link


def test_a_client_on_a_phone_goes_from_done_to_their_progress(
    phone, live_server: str, app, make, web, clinician_a
) -> None:
    _, link = finished_check_in(app, make, web, clinician_a)
    page = phone.new_page()
    page.goto(f"{live_server}/s/{link}/done")
    page.get_by_role("link", name="See your progress").tap()
    page.wait_for_url(f"{live_server}/s/{link}/progress")
    expect(page.get_by_role("heading", name="Your progress", exact=True)).to_be_visible()
    phq = page.locator("section").filter(has=page.locator("#h-phq9"))
    expect(phq.locator("p.latest")).to_contain_text("8 out of 27. Some low mood")
    expect(phq.locator("svg circle.point")).to_have_count(7)  # six weeks and today
    expect(phq.locator("ul.legend")).to_contain_text("A lot of low mood")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Español").tap()
    page.wait_for_url(f"{live_server}/s/{link}/progress")
    expect(page.get_by_role("heading", name="Su evolución", exact=True)).to_be_visible()
    expect(phq.locator("p.latest")).to_contain_text("Algo de ánimo bajo")


def test_the_progress_page_works_without_scripts(
    phone_without_scripts, live_server: str, app, make, web, clinician_a
) -> None:
    _, link = finished_check_in(app, make, web, clinician_a)
    page = phone_without_scripts.new_page()
    page.goto(f"{live_server}/s/{link}/done")
    page.get_by_role("link", name="See your progress").click()
    page.wait_for_url(f"{live_server}/s/{link}/progress")
    expect(page.locator("section svg").first).to_be_visible()
    page.get_by_text("Your scores as a list").first.click()  # <details> opens without scripts
    expect(page.locator("section table").first.locator("tbody tr")).to_have_count(7)


@journey("clinician.progress_sharing", "clinician.progress_link_send")
def test_the_clinician_shares_progress_sends_a_link_and_shows_the_client(
    page, live_server: str, app, make, clinician_a
) -> None:
    [client_id] = clients_with_history(app, make, clinician_a, 1, weeks=4)
    share(app, make.client(clinician_a), client_on=False)  # the practice allows it
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    page.goto(f"{live_server}/clients/{client_id}")
    page.get_by_label("Let this client see their own progress").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("This client can now see their own progress.")).to_be_visible()
    page.get_by_role("button", name="Send a progress link").click()
    expect(page.get_by_text("Progress link queued")).to_be_visible()
    expect(page.locator("table").filter(has_text="Progress link").first).to_be_visible()
    page.get_by_role("link", name="Client view (turn the screen to the client)").click()
    expect(page.get_by_role("heading", name="Your progress", exact=True)).to_be_visible()
    body = page.locator("main").inner_text()
    for clinical in ("baseline", "cut-off", "Reliabl", "Alert", "Not on track"):
        assert clinical not in body, clinical
    assert axe_violations(page) == []
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", name="Su evolución", exact=True)).to_be_visible()
    page.get_by_role("link", name="Copia para imprimir para el cliente").click()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Language / Idioma")).to_be_hidden()
    expect(page.locator("main")).to_contain_text("Fecha de impresión")
