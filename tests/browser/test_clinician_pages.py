"""The clinician's pages in a real browser (issue 19): the pre-session view on a laptop screen
with many alerts, charts and what opens on the client page, times on every staff page, and the
print view on paper and in Spanish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from mbc.clock import utcnow
from tests.browser.test_staff_signin import sign_in
from tests.clinician.alert_data import add_alert
from tests.clinician.history import clients_with_history
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def test_todays_schedule_stays_in_the_first_screen_with_13_alerts(
    page, live_server: str, app, make, clinician_a
) -> None:
    with app.app_context():
        now = utcnow()
    clients = [make.client(clinician_a, last_name=f"Alerted{i}") for i in range(6)]
    for hours, client in enumerate(clients, start=1):
        make.appointment(client, starts_at=now + timedelta(hours=hours))
    kinds = {
        0: ["critical_item", "not_on_track", "not_on_track", "reliable_deterioration"],
        1: ["critical_item_unanswered", "alliance_concern"],
        2: ["not_on_track", "not_on_track", "reliable_deterioration"],
        3: ["not_on_track", "reliable_deterioration"],
        4: ["alliance_concern"],
        5: ["not_on_track"],
    }
    for index, client_kinds in kinds.items():
        for n, kind in enumerate(client_kinds):
            code = {"alliance_concern": "srs"}.get(kind, ("phq9", "gad7")[n % 2])
            add_alert(app, clients[index], kind, code)
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    alerts = page.get_by_role("region", name="13 open alerts")
    expect(alerts).to_contain_text("(6 clients)")
    urgent = alerts.locator("li.alert-group.urgent")
    expect(urgent).to_have_count(2)
    expect(urgent.first).to_contain_text("Urgent")
    expect(urgent.first).to_contain_text("Answer: More than half the days (2)")
    expect(urgent.first).to_contain_text(clients[0].client_ref)
    first_session = page.locator("li.session").first
    expect(first_session).to_contain_text("Alerted0")
    box = first_session.bounding_box()
    assert box is not None and box["y"] + 24 < LAPTOP["height"], box
    # each kind still opens its own alert
    badge = alerts.locator("span.badge", has_text="Not on track").first
    badge.get_by_role("link", name="GAD-7").click()
    expect(page.get_by_role("heading", name="Not on track")).to_be_visible()


def test_the_client_page_shows_what_opens_and_a_dated_chart_with_a_legend(
    page, live_server: str, app, make, clinician_a
) -> None:
    clients_with_history(app, make, clinician_a, 1, weeks=4)
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    page.get_by_role("link", name="My clients", exact=True).click()
    page.get_by_role("link", name="Pat History000").click()
    phq9 = page.locator("section.instrument").filter(has=page.locator("#i-phq9"))
    legend = phq9.locator("ul.legend").first
    for words in ("baseline", "clinical cut-off", "reliable change band"):
        expect(legend).to_contain_text(words)
    expect(phq9.locator("svg text.date").first).to_be_visible()
    summary = phq9.locator("summary").first
    marker = summary.evaluate("s => getComputedStyle(s, '::before').content")
    assert "\u25b8" in marker, marker  # a closed disclosure shows it opens
    heat = phq9.locator("table.heat")
    expect(heat).to_be_hidden()
    summary.click()
    expect(heat).to_be_visible()
    marker = summary.evaluate("s => getComputedStyle(s, '::before').content")
    assert "\u25be" in marker, marker


def test_staff_pages_show_the_practices_time_and_label_the_clients_zone(
    page, live_server: str, app, make, clinician_a, admin
) -> None:
    from datetime import UTC, datetime

    west = make.client(clinician_a, last_name="West", timezone="America/Los_Angeles")
    make.appointment(west, starts_at=datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
    label = "3:00\u202fPM (client: 12:00\u202fPM Pacific Standard Time)"
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    expect(page.locator("li.session time").first).to_have_text(label)
    page.get_by_role("link", name="My clients", exact=True).click()
    expect(page.get_by_role("row", name="Pat West")).to_contain_text(label)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, admin.email, PASSWORD)
    page.wait_for_url(f"{live_server}/admin/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Clients", exact=True).click()
    expect(page.get_by_role("row", name="Pat West")).to_contain_text(label)


def test_the_print_view_keeps_every_row_on_paper_and_prints_in_spanish(
    page, live_server: str, app, make, clinician_a
) -> None:
    clients_with_history(app, make, clinician_a, 1, weeks=12)
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    page.get_by_role("link", name="Pat History000").first.click()
    page.get_by_role("link", name="Print view to share with the client").click()
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    expect(page.locator("header.print-header")).to_contain_text("Clinician A")
    expect(page.locator("header.print-header")).to_contain_text("Printed")
    page.emulate_media(media="print")
    table = page.locator("#p-phq9-data")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(12)
    scroller = page.locator(".table-scroll").filter(has=table)
    clipped = scroller.evaluate("el => el.scrollHeight - el.clientHeight")
    assert clipped <= 1, f"{clipped}px of the table are cut off on paper"
    expect(page.get_by_role("navigation", name="Language / Idioma")).to_be_hidden()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", name="Su evolución")).to_be_visible()
    expect(page.locator("header.print-header")).to_contain_text("Fecha de impresión")
    expect(page.locator("html")).to_have_attribute("lang", "es")
