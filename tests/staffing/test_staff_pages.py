"""An admin records employment dates, a reason for leaving and time off on the staff page,
or imports time off from a CSV; bad input says why and saves nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.staffing.models import EmploymentRecord, TimeOff
from tests.factories import Factory
from tests.helpers import submit, text_of


def _records(app: Flask, model) -> list:
    with app.app_context():
        found = list(db.session.scalars(select(model)))
        db.session.expunge_all()
        return found


def test_employment_details_saved_and_audited_by_field(app, as_admin, clinician_a) -> None:
    page = f"/admin/settings/staff/{clinician_a.id}"
    values = {
        "started_on": "2024-02-01",
        "left_on": "2026-11-30",
        "leaving_reason": "other",
        "leaving_reason_other": "Going back to study",
        "annual_allowance_days": "22.5",
    }
    submit(as_admin, f"{page}/employment", values, form_url=page)
    assert "Employment details saved." in text_of(as_admin.get(page))
    [record] = _records(app, EmploymentRecord)
    assert (record.started_on, record.left_on) == (date(2024, 2, 1), date(2026, 11, 30))
    assert record.leaving_reason_other == "Going back to study"
    assert record.annual_allowance_days == Decimal("22.5")
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "staff.employment")
        ).one()
    assert "Going back" not in str(event.detail) and "leaving_reason" in event.detail["fields"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"started_on": "2026-05-01", "left_on": "2026-04-01"}, "The last day is before"),
        ({"leaving_reason": "pay"}, "Give the last day when you record a reason"),
        ({"left_on": "2026-04-01", "leaving_reason": "other"}, "Say the reason in a few words"),
        ({"annual_allowance_days": "1e1000000"}, "Give a number such as 1, 0.5 or 7.5."),
        ({"annual_allowance_days": "400"}, "Number must be between 0 and 366."),
        ({"leaving_reason": "fired_for_fun"}, "Not a valid choice."),
    ],
)
def test_bad_employment_details_save_nothing(app, as_admin, clinician_a, values, message) -> None:
    page = f"/admin/settings/staff/{clinician_a.id}"
    submit(as_admin, f"{page}/employment", values, form_url=page)
    assert message in text_of(as_admin.get(page))
    assert _records(app, EmploymentRecord) == []


def test_time_off_by_hand_added_and_removed(app, as_admin, clinician_a) -> None:
    page = f"/admin/settings/staff/{clinician_a.id}"
    values = {
        "starts_on": "2026-12-21",
        "ends_on": "2026-12-24",
        "amount": "4",
        "unit": "days",
        "kind": "annual_leave",
    }
    submit(as_admin, f"{page}/time-off", values, form_url=page)
    [entry] = _records(app, TimeOff)
    assert (entry.amount, entry.unit, entry.kind) == (Decimal(4), "days", "annual_leave")
    # Five days in four is refused; so is an end before the start.
    submit(as_admin, f"{page}/time-off", {**values, "amount": "5"}, form_url=page)
    assert "no more than the days" in text_of(as_admin.get(page))
    submit(as_admin, f"{page}/time-off", {**values, "ends_on": "2026-12-01"}, form_url=page)
    assert "The last day is before the first day." in text_of(as_admin.get(page))
    assert len(_records(app, TimeOff)) == 1
    submit(as_admin, f"{page}/time-off/{entry.id}/delete", {}, form_url=page)
    assert _records(app, TimeOff) == []


HEADER = "email,starts_on,ends_on,amount,unit,kind,ref\n"


def _upload(web, text: str):
    from io import BytesIO

    url = "/admin/settings/time-off/import"
    return submit(
        web,
        url,
        {"file": (BytesIO(text.encode()), "leave.csv")},
        content_type="multipart/form-data",
    )


def test_time_off_import_all_or_nothing_and_idempotent(app, make: Factory, as_admin) -> None:
    make.user(email="ann@example.org")
    good = HEADER + (
        "ann@example.org,2026-07-06,2026-07-10,5,days,annual_leave,HR-1\n"
        "ANN@example.org,2026-08-03,,7.5,hours,,HR-2\n"
    )
    response = _upload(as_admin, good)
    assert response.status_code == 200 and "2 added, 0 already in mbc" in text_of(response)
    again = _upload(as_admin, good)
    assert "0 added, 2 already in mbc" in text_of(again)
    entries = _records(app, TimeOff)
    assert sorted((e.external_ref, e.kind, e.ends_on) for e in entries) == [
        ("HR-1", "annual_leave", date(2026, 7, 10)),
        ("HR-2", "annual_leave", date(2026, 8, 3)),  # blank end: one day; blank kind: leave
    ]
    bad = HEADER + (
        "ann@example.org,2026-09-01,2026-09-01,1,days,annual_leave,HR-3\n"
        "nobody@example.org,2026-09-01,,1,days,,\n"
        "ann@example.org,01/09/2026,,NaN,weeks,holiday,\n"
        "ann@example.org,2026-09-05,2026-09-04,1,days,,\n"
    )
    response = _upload(as_admin, bad)
    page = text_of(response)
    assert response.status_code == 422 and "Nothing was imported" in page
    for problem in (
        "line 3, email: &#39;nobody@example.org&#39; is not a staff member in mbc",
        "line 4, starts_on: give a date as YYYY-MM-DD",
        "line 4, amount: give a number",
        "line 4, unit: is days or hours",
        "line 4, kind: is one of",
        "line 5, ends_on: is before starts_on",
    ):
        assert problem in page
    assert len(_records(app, TimeOff)) == 2


def test_a_file_that_is_not_csv_text_is_refused(as_admin) -> None:
    from io import BytesIO

    url = "/admin/settings/time-off/import"
    response = submit(
        as_admin,
        url,
        {"file": (BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "not UTF-8 text" in text_of(response)
    response = _upload(as_admin, "name,when\nx,y\n")
    assert "missing columns email, starts_on, amount, unit" in text_of(response)
