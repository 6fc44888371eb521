"""Issue 19 and 20 as an admin meets them in Chromium: filters chosen in the rendered form, the
figures read off the page, and the CSV downloaded through its link."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mbc.auth.models import StaffUser
from mbc.extensions import db
from tests.browser.test_staff_signin import sign_in
from tests.factories import PASSWORD
from tests.reports.builder import ReportData
from tests.reports.test_satisfaction import survey
from tests.reports.test_suppression import team_example

pytestmark = pytest.mark.browser
BOM = "\ufeff"


def open_report(page, live_server: str, admin, name: str) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("navigation", name="Reports").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()


def row_of(section, label: str):
    """The row whose header cell is ``label`` (a name match alone would also find "All" in
    "smaller")."""
    return section.get_by_role("row", name=re.compile(rf"^{re.escape(label)}\b"))


def choose_period(page) -> None:
    page.get_by_label("From").fill("2026-11-01")
    page.get_by_label("To").fill("2026-11-22")


def download(page, section, title: str) -> tuple[str, list[list[str]]]:
    """The suggested file name and the rows of the CSV behind the section's link; the file
    must start with the byte-order mark."""
    with page.expect_download() as info:
        section.get_by_role("link", name=f"Download “{title}” as CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith(BOM)
    return info.value.suggested_filename, list(csv.reader(io.StringIO(text[1:])))


def test_outcomes_by_team_cannot_be_undone_by_subtraction(
    page, live_server: str, app, make, admin
) -> None:
    team_example(app, make)
    open_report(page, live_server, admin, "Outcomes")
    choose_period(page)
    page.get_by_label("Break down by").select_option(label="Team")
    page.get_by_role("button", name="Show").click()
    # Instrument "All" shows each instrument's own section, named.
    expect(page.get_by_role("heading", name="Outcomes: GAD-7")).to_be_visible()
    section = page.locator(
        "section.report", has=page.get_by_role("heading", name="Outcomes: PHQ-9")
    )
    expect(row_of(section, "South")).to_contain_text("Too few to show")
    north = row_of(section, "North")
    expect(north).to_contain_text("Hidden so that a smaller group cannot be worked out")
    expect(north).not_to_contain_text("%")
    expect(row_of(section, "All")).to_contain_text("33.3 %")
    name, rows = download(page, section, "Outcomes: PHQ-9")
    assert name == "mbc-outcomes-outcomes_phq9-by-team-2026-11-01-2026-11-22.csv"
    by_group = {r[0]: r for r in rows[1:]}
    assert set(by_group["North"][2:]) == {""} and set(by_group["South"][2:]) == {""}
    assert by_group["All"][:3] == ["All", "9", "33.3"]


def test_satisfaction_by_team_hides_the_linked_team(
    page, live_server: str, app, make, admin
) -> None:
    north, south = make.team("North"), make.team("South")
    ann = make.user(name="Ann North", team=north)
    sam = make.user(name="Sam South", team=south)
    data = ReportData(app)
    for day in range(2, 7):
        survey(data, make.client(ann, team_id=north.id), day, 4)
    for day in range(2, 6):
        survey(data, make.client(sam, team_id=south.id), day, 1)
    open_report(page, live_server, admin, "Satisfaction")
    choose_period(page)
    page.get_by_label("Break down by").select_option(label="Team")
    page.get_by_role("button", name="Show").click()
    section = page.locator("section.report").first
    expect(row_of(section, "North")).to_contain_text("Hidden so that")
    expect(row_of(section, "South")).to_contain_text("Too few to show")
    name, rows = download(page, section, "Satisfaction")
    assert name == "mbc-satisfaction-by-team-2026-11-01-2026-11-22.csv"
    assert {r[0]: set(r[2:]) for r in rows[1:3]} == {"North": {""}, "South": {""}}


def test_the_current_week_shows_open_check_ins_apart(
    page, live_server: str, app, make, admin
) -> None:
    clinician = make.user(name="Ann")
    data = ReportData(app)
    done, waiting = make.client(clinician), make.client(clinician)
    # The tests' clock stands at Monday 23 November, 17:00 UTC.
    data.check_in(
        done,
        datetime(2026, 11, 23, 14, tzinfo=UTC),
        completed_at=datetime(2026, 11, 23, 15, tzinfo=UTC),
        session_at=datetime(2026, 11, 24, 15, tzinfo=UTC),
    )
    data.check_in(waiting, datetime(2026, 11, 23, 14, tzinfo=UTC))
    open_report(page, live_server, admin, "Completion")
    page.get_by_label("From").fill("2026-11-23")
    page.get_by_label("To").fill("2026-11-23")
    page.get_by_label("Break down by").select_option(label="Week starting")
    page.get_by_role("button", name="Show").click()
    section = page.locator("section.report").first
    expect(section).to_contain_text("both of the check-ins no longer open")
    headings = section.locator("thead th").all_inner_texts()
    cells = row_of(section, "2026-11-23").locator("td").all_inner_texts()
    row = dict(zip(headings[1:], cells, strict=True))
    assert (row["Check-ins"], row["Completed"], row["Still open"], row["Not completed"]) == (
        "2",
        "1",
        "1",
        "0",
    )
    assert row["Completed %"] == row["Before the session %"] == "100.0 %"
    name, rows = download(page, section, "Completion funnel")
    assert name == "mbc-completion-funnel-by-week-2026-11-23-2026-11-23.csv"
    assert rows[0][7:9] == ["Still open", "Not completed"] and rows[1][7:9] == ["1", "0"]


def test_utilisation_of_a_clinician_who_started_part_way(
    page, live_server: str, app, make, admin
) -> None:
    olga, nia = make.user(name="Olga Old"), make.user(name="Nia Newcomer")
    with app.app_context():
        for user in (olga, nia):
            db.session.get(StaffUser, user.id).weekly_capacity = 5
        db.session.commit()
    data = ReportData(app)
    regular, newcomer = make.client(olga), make.client(nia)
    data.appointment(regular, datetime(2026, 10, 26, 14, tzinfo=UTC))  # before the period
    for day in (2, 9, 16):
        data.appointment(regular, datetime(2026, 11, day, 14, tzinfo=UTC))
    for day in (15, 16, 18):  # Nia's first appointment: Sunday 15 November
        data.appointment(newcomer, datetime(2026, 11, day, 14, tzinfo=UTC))
    open_report(page, live_server, admin, "Practice metrics")
    choose_period(page)
    page.get_by_role("button", name="Show").click()
    section = page.locator("section.report").first
    expect(row_of(section, "Nia Newcomer")).to_contain_text("52.5 %")  # 3 / (5 × 8/7)
    expect(row_of(section, "Olga Old")).to_contain_text("19.1 %")  # 3 / (5 × 22/7)


def test_clients_to_fix_download_escapes_a_formula_reference(
    page, live_server: str, app, make, admin
) -> None:
    clinician = make.user(name="＝1+1")
    make.client(clinician, client_ref='=HYPERLINK("http://x.example")', consent=())
    open_report(page, live_server, admin, "Delivery health")
    page.get_by_role("button", name="Show").click()
    section = page.locator("section.report", has=page.get_by_role("heading", name="Clients to fix"))
    expect(section.get_by_role("link", name='=HYPERLINK("http://x.example")')).to_be_visible()
    name, rows = download(page, section, "Clients to fix")
    assert name.startswith("mbc-delivery-contact_clients-")
    assert rows[1][:2] == ['\'=HYPERLINK("http://x.example")', "'＝1+1"]
