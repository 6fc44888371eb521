"""The admin's schedule: defaults shown, values checked, saved and audited."""

from __future__ import annotations

import re
from datetime import date

from mbc.audit.models import AuditEvent
from mbc.wellbeing.models import PulseSchedule
from tests.delivery.helpers import rows
from tests.helpers import text_of


def csrf(page) -> str:
    return (
        page.get_data(as_text=True).split('name="csrf_token"')[1].split('value="')[1].split('"')[0]
    )


def test_defaults_are_monthly_for_ten_days(as_admin) -> None:
    html = as_admin.get("/wellbeing/schedule").get_data(as_text=True)

    def value(name: str) -> str:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag, name
        return re.search(r'value="([^"]*)"', tag.group(0)).group(1)

    assert value("every_months") == "1" and value("window_days") == "10"
    assert value("reminder_days_before_close") == "3" and value("first_opens_on") == "2026-11-23"


def test_a_reminder_after_the_close_is_refused_and_nothing_saved(app, as_admin) -> None:
    page = as_admin.get("/wellbeing/schedule")
    bad = as_admin.post(
        "/wellbeing/schedule",
        data={
            "csrf_token": csrf(page),
            "is_active": "y",
            "first_opens_on": "2026-12-01",
            "every_months": "1",
            "window_days": "5",
            "reminder_days_before_close": "5",
        },
    )
    assert bad.status_code == 400 and "must come after the window opens" in text_of(bad)
    assert rows(app, PulseSchedule) == []


def test_saving_is_audited(app, as_admin) -> None:
    page = as_admin.get("/wellbeing/schedule")
    done = as_admin.post(
        "/wellbeing/schedule",
        data={
            "csrf_token": csrf(page),
            "is_active": "y",
            "first_opens_on": "2026-12-01",
            "every_months": "3",
            "window_days": "14",
            "reminder_days_before_close": "4",
        },
    )
    assert done.status_code == 302
    [saved] = rows(app, PulseSchedule)
    assert (saved.first_opens_on, saved.every_months, saved.window_days) == (
        date(2026, 12, 1),
        3,
        14,
    )
    assert [e.action for e in rows(app, AuditEvent)][-1] == "wellbeing.schedule"
