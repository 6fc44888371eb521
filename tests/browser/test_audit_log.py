"""An admin in a real browser: opening the audit log is itself in the log, with the clients the
page showed, and the retention setting saves from the rendered settings form."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mbc.audit import chain
from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey
from tests.browser.test_staff_signin import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_admin_sees_their_own_earlier_look_at_the_log(
    page, live_server: str, app, make, admin, clinician_a
) -> None:
    client = make.client(clinician_a, client_ref="REF-SEEN")
    sign_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/clients/{client.id}")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    page.get_by_label("Action").fill("audit.view")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row").filter(has_text="audit.view").first
    expect(row).to_contain_text(admin.email)
    expect(row).to_contain_text(f"client_ids: {client.id}")  # the client.view row it showed
    assert axe_violations(page) == []
    with app.app_context():
        views = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit.view").order_by(AuditEvent.id)
        ).all()
        assert [v.detail["client_ids"] for v in views] == [[client.id], []]
        assert chain.verify(db.session.connection()).broken_id is None


@journey("admin.practice_settings")
def test_admin_keeps_the_audit_log_longer(page, live_server: str, app, admin) -> None:
    sign_in(page, live_server, admin.email, PASSWORD)
    page.get_by_role("link", name="Settings").click()
    years = page.get_by_label("Keep the audit log for (years)")
    expect(years).to_have_value("6")
    expect(years).to_have_attribute("min", "6")  # HIPAA: six years at least
    years.fill("8")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.get_by_label("Keep the audit log for (years)")).to_have_value("8")
    with app.app_context():
        assert get_practice().audit_retention_years == 8
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "practice.update")
        ).one()
        assert event.detail["fields"] == ["audit_retention_years"]
