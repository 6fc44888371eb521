"""An admin in a real browser: the completion funnel filtered by team, a CSV download, and
axe-core over the report and clinician pages."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.browser.test_staff_signin import sign_in
from tests.clinician.history import clients_with_history
from tests.factories import PASSWORD
from tests.reports.builder import ReportData

pytestmark = pytest.mark.browser
AT = datetime(2026, 11, 10, 15, tzinfo=UTC)


def test_admin_filters_the_funnel_by_team_and_downloads_it(
    page, live_server: str, app, make, admin
) -> None:
    north, south = make.team("North"), make.team("South")
    ann = make.user(name="Ann North", team=north)
    bob = make.user(name="Bob South", team=south)
    data = ReportData(app)
    for clinician, team, done in ((ann, north, True), (ann, north, False), (bob, south, True)):
        client = make.client(clinician, team_id=team.id)
        data.check_in(client, AT, opened=done, completed_at=AT if done else None)
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Completion", exact=True)).to_be_visible()
    funnel = page.locator("section.report").first
    expect(funnel).to_contain_text("Bob South")
    assert axe_violations(page) == []

    page.get_by_label("Team").select_option(label="North")
    page.get_by_role("button", name="Show").click()
    funnel = page.locator("section.report").first
    expect(funnel).not_to_contain_text("Bob South")
    row = funnel.get_by_role("row", name="Ann North")
    expect(row).to_contain_text("50.0 %")

    with page.expect_download() as download_info:
        funnel.get_by_role("link", name="Download “Completion funnel” as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("mbc-completion-funnel-by-clinician-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["Ann North", "All"]
    assert rows[1][1] == "2" and rows[1][6] == "1"

    for key in ("delivery", "outcomes", "caseload", "practice", "satisfaction", "goals"):
        page.goto(f"{live_server}/admin/reports/{key}")
        assert axe_violations(page) == [], key


def test_clinician_pages_pass_axe(page, live_server: str, app, make, clinician_a) -> None:
    ids = clients_with_history(app, make, clinician_a, 2, weeks=4)
    sign_in(page, live_server, clinician_a.email, PASSWORD)
    for path in ("/home", "/caseload", f"/clients/{ids[0]}", f"/clients/{ids[0]}/print"):
        page.goto(f"{live_server}{path}")
        assert axe_violations(page) == [], path
