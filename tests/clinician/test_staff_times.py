"""Staff pages show a session's time in the practice's zone (America/New_York in the tests), in
one format per language, and the client's own time and zone beside it when that differs."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import PASSWORD
from tests.helpers import signin
from tests.helpers import text_of as raw_text

SESSION = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 3:00 PM in New York, noon in Los Angeles


def text_of(response) -> str:
    """The page with CLDR's narrow no-break space (before "PM") read as a space."""
    return raw_text(response).replace("\u202f", " ")


WEST = "3:00 PM (client: 12:00 PM Pacific Standard Time)"


def test_home_caseload_and_client_page_agree_on_the_practices_time(
    make, as_clinician, clinician_a
) -> None:
    west = make.client(clinician_a, last_name="West", timezone="America/Los_Angeles")
    east = make.client(clinician_a, last_name="East")
    make.appointment(west, starts_at=SESSION)
    make.appointment(east, starts_at=SESSION.replace(hour=21))
    home = text_of(as_clinician.get("/home"))
    assert WEST in home
    assert "4:00 PM</time>" in home  # the same zone as the practice: no label
    caseload = text_of(as_clinician.get("/caseload"))
    assert f"Mon, Nov 23, 2026, {WEST}" in caseload
    assert "Mon, Nov 23, 2026, 4:00 PM</td>" in caseload
    client_page = text_of(as_clinician.get(f"/clients/{west.id}"))
    assert f"Mon, Nov 23, 2026, {WEST}" in client_page


def test_the_admin_client_list_uses_the_same_time(make, as_admin, clinician_a) -> None:
    west = make.client(clinician_a, last_name="West", timezone="America/Los_Angeles")
    make.appointment(west, starts_at=SESSION)
    assert f"Mon, Nov 23, 2026, {WEST}" in text_of(as_admin.get("/admin/clients"))


def test_spanish_staff_pages_use_the_spanish_format(app, make, clinician_a) -> None:
    staff = make.user(email="es@example.org", language="es")
    west = make.client(staff, last_name="West", timezone="America/Los_Angeles")
    make.appointment(west, starts_at=SESSION)
    web = signin(app.test_client(), staff.email, PASSWORD)
    assert "lun, 23 nov 2026, 15:00 (cliente: 12:00 hora estándar del Pacífico)" in text_of(
        web.get("/caseload")
    )


def test_a_client_whose_day_differs_gets_the_date_too(app) -> None:
    from mbc.templating import staff_time

    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 6:30 PM in New York, next day in Tokyo
    with app.test_request_context("/"):
        shown = staff_time(late, "Asia/Tokyo", date=False).replace("\u202f", " ")
        same_zone = staff_time(late, "America/Detroit", date=False).replace("\u202f", " ")
    assert shown == "6:30 PM (client: Tue, Nov 24, 2026, 8:30 AM Japan Standard Time)"
    assert same_zone == "6:30 PM"  # another name for the same clock: no label
