"""Channel and consent on import: explicit columns win; a supplied contact detail counts as
consent (source 'import'); 'no' means never, and a later file without the column keeps it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mbc.clients.models import Client
from mbc.delivery.models import ConsentEvent, ContactConsent
from mbc.extensions import db
from tests.clients.test_importer import run_import

HEADER = "client_ref,first_name,last_name,phone,email,clinician_email,appointment_ref,starts_at"
EXTRA = ",channel,sms_consent,email_consent"
WHEN = "2026-11-24T15:00:00-05:00"


def data(*rows: str, extra: bool = True) -> bytes:
    return ("\n".join([HEADER + (EXTRA if extra else ""), *rows]) + "\n").encode()


def line(appt="A-1", phone="(415) 555-2671", email="pat@example.com", extra=",,,") -> str:
    return f"C-1,Pat,Lee,{phone},{email},a@example.org,{appt},{WHEN}{extra}"


def consents(app) -> dict[str, tuple[bool, str]]:
    with app.app_context():
        rows = db.session.scalars(select(ContactConsent))
        return {r.channel: (r.granted, r.source) for r in rows}


def client(app) -> Client:
    with app.app_context():
        found = db.session.scalars(select(Client)).one()
        db.session.expunge(found)
        return found


def test_contact_details_count_as_consent_without_the_columns(app, clinician_a) -> None:
    _checked, summary = run_import(app, data(line(extra=""), extra=False))
    assert summary is not None
    assert consents(app) == {"sms": (True, "import"), "email": (True, "import")}
    assert client(app).preferred_channel == "sms"


def test_email_only_defaults_to_email(app, clinician_a) -> None:
    run_import(app, data(line(phone="", extra=""), extra=False))
    assert client(app).preferred_channel == "email"
    assert consents(app) == {"email": (True, "import")}


def test_explicit_columns_are_recorded(app, clinician_a) -> None:
    run_import(app, data(line(extra=",email,no,yes")))
    assert client(app).preferred_channel == "email"
    assert consents(app) == {"sms": (False, "import"), "email": (True, "import")}


def test_no_is_never_undone_by_a_file_without_the_column(app, clinician_a) -> None:
    run_import(app, data(line(extra=",,no,")))
    run_import(app, data(line(appt="A-2", extra=""), extra=False))
    assert consents(app)["sms"] == (False, "import")
    with app.app_context():
        events = db.session.scalars(select(ConsentEvent.event)).all()
    assert sorted(events) == ["granted", "withdrawn"]


def test_a_later_yes_grants_again(app, clinician_a) -> None:
    run_import(app, data(line(extra=",,no,")))
    run_import(app, data(line(appt="A-2", extra=",,yes,")))
    assert consents(app)["sms"] == (True, "import")


@pytest.mark.parametrize(
    ("extra", "column"),
    [
        (",pigeon,,", "channel"),
        (",,maybe,", "sms_consent"),
        (",,,sometimes", "email_consent"),
    ],
)
def test_bad_values_are_reported(app, clinician_a, extra: str, column: str) -> None:
    checked, summary = run_import(app, data(line(extra=extra)))
    assert summary is None and [p.column for p in checked.errors] == [column]


def test_a_channel_needs_its_contact_detail(app, clinician_a) -> None:
    checked, summary = run_import(app, data(line(phone="", extra=",sms,,")))
    assert summary is None
    assert [str(p) for p in checked.errors] == [
        "line 2, channel: sms needs a phone number on the row"
    ]
