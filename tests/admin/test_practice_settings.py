"""Admin settings, the practice: every practice-wide setting on one form, checked before saving,
saved together, audit-logged by field name."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mbc.admin.settings_views import PRACTICE_FIELDS
from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.practice.models import PracticeSettings
from mbc.practice.services import get_practice
from tests.helpers import submit, text_of

URL = "/admin/settings"

CURRENT = {
    "name": "Riverside Counseling",
    "contact_phone": "(212) 555-0100",
    "contact_email": "Front.Desk@Riverside.example",
    "timezone": "America/Chicago",
    "default_language": "es",
    "phone_region": "us",
    "crisis_text_en": "  Call our on-call line: 212 555 0199.  ",
    "crisis_text_es": "",
    "invite_hours_before": "48",
    "reminder_hours_before": "0",
    "close_hours_after": "0",
    "quiet_hours_start": "22",
    "quiet_hours_end": "7",
    "unscheduled_window_days": "5",
    "not_on_track_sessions": "4",
    "not_on_track_weeks": "10",
    "office_hours_start": "0",
    "office_hours_end": "24",
    "working_days": ["0", "1", "2", "3", "4", "5"],
    "alert_escalation_minutes": "30",
    "min_group_size": "8",
    "utilisation_warning_percent": "70",
    "late_cancel_hours": "48",
    "audit_retention_years": "7",
    "discharged_retention_years": "10",
    "two_factor_required": "off",  # "admins" would send this admin to enrolment first
}


# What the form above is stored as: whole numbers, tidied text, weekdays as "0,1,...".
EXPECTED = {
    "name": "Riverside Counseling",
    "contact_phone": "(212) 555-0100",
    "contact_email": "Front.Desk@riverside.example",  # the domain part is normalised
    "timezone": "America/Chicago",
    "default_language": "es",
    "phone_region": "US",
    "crisis_text_en": "Call our on-call line: 212 555 0199.",
    "crisis_text_es": "",
    "show_scores_to_clients": False,
    "satisfaction_visible_to_clinician": False,
    "client_progress_enabled": False,
    "invite_hours_before": 48,
    "reminder_hours_before": 0,
    "close_hours_after": 0,
    "quiet_hours_start": 22,
    "quiet_hours_end": 7,
    "unscheduled_window_days": 5,
    "not_on_track_sessions": 4,
    "not_on_track_weeks": 10,
    "office_hours_start": 0,
    "office_hours_end": 24,
    "working_days": "0,1,2,3,4,5",
    "alert_escalation_minutes": 30,
    "min_group_size": 8,
    "utilisation_warning_percent": 70,
    "late_cancel_hours": 48,
    "audit_retention_years": 7,
    "discharged_retention_years": 10,
    "two_factor_required": "off",  # "admins" would send this admin to enrolment first
}


def stored(app, *names: str) -> dict:
    with app.app_context():
        practice = get_practice()
        return {name: getattr(practice, name) for name in names}


def test_the_page_shows_the_current_settings(as_admin) -> None:
    page = text_of(as_admin.get(URL))
    assert 'value="Our practice"' in page
    assert re.search(r'name="invite_hours_before"[^>]* value="24"', page)
    assert "after 6 check-ins of that measure or 8 weeks" in page  # the rule in words


def test_an_admin_saves_every_setting_at_once(app, as_admin) -> None:
    response = submit(as_admin, URL, CURRENT)
    assert response.status_code == 302
    assert stored(app, *EXPECTED) == EXPECTED
    page = text_of(as_admin.get(URL))
    assert "Settings saved." in page
    assert "after 4 check-ins of that measure or 10 weeks" in page


def test_the_change_is_audit_logged_by_field_name_only(app, as_admin) -> None:
    submit(as_admin, URL, {**CURRENT, "show_scores_to_clients": "y"})
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "practice.update")
        ).all()
        assert "show_scores_to_clients" in event.detail["fields"]
        assert "crisis_text_en" in event.detail["fields"]
        assert "on-call" not in str(event.detail)


def test_saving_unchanged_settings_changes_and_logs_nothing(app, as_admin) -> None:
    submit(as_admin, URL, CURRENT)
    submit(as_admin, URL, CURRENT)
    assert "Nothing changed." in text_of(as_admin.get(URL))
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "practice.update")
        ).all()
    assert len(events) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reminder_hours_before": "48"}, "The reminder must come after the invitation."),
        ({"office_hours_start": "18", "office_hours_end": "9"}, "close after it opens"),
        ({"working_days": []}, "Choose at least one working day."),
        ({"timezone": "Mars/Olympus"}, "Enter an IANA time zone"),
        ({"phone_region": "XX"}, "two-letter country code"),
        ({"contact_phone": "12"}, "a phone number clients can call"),
        ({"contact_email": "front desk"}, "Enter a valid email address."),
        ({"quiet_hours_start": "24"}, "between 0 and 23"),
        ({"close_hours_after": ""}, "This field is required."),
        ({"not_on_track_sessions": "1"}, "between 2 and 52"),
        ({"min_group_size": "0"}, "between 1 and 100"),
        ({"audit_retention_years": "5"}, "between 6 and 100"),  # HIPAA: six years at least
        ({"discharged_retention_years": "5"}, "between 6 and 100"),
        ({"invite_hours_before": "soon"}, "Not a valid integer value."),
        ({"name": ""}, "This field is required."),
        ({"name": "Riverside\r\nBcc: everyone@example.com"}, "without line breaks"),
        ({"contact_phone": "555\n0100"}, "without line breaks"),
        ({"crisis_text_en": "x" * 2001}, "longer than 2000"),
    ],
)
def test_a_bad_value_is_explained_and_nothing_is_saved(app, as_admin, changes, message) -> None:
    response = submit(as_admin, URL, {**CURRENT, **changes})
    assert response.status_code == 400
    page = text_of(response)
    assert message in page and "Nothing was saved." in page
    assert stored(app, "name", "min_group_size") == {"name": "Our practice", "min_group_size": 5}


def test_a_clinician_cannot_change_the_settings(app, as_clinician) -> None:
    response = submit(as_clinician, URL, CURRENT, form_url="/home")
    assert response.status_code == 403
    assert stored(app, "name") == {"name": "Our practice"}


def test_every_practice_setting_is_on_the_form() -> None:
    columns = {c.name for c in PracticeSettings.__table__.columns}
    assert set(PRACTICE_FIELDS) == set(EXPECTED) == columns - {"id", "created_at", "updated_at"}
