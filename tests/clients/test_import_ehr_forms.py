"""Importing files as practices export them: local start times in the practice's zone, the
date order the upload names, semicolons and a BOM, FHIR statuses, and a preview that writes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from mbc.audit.models import AuditEvent
from mbc.clients.csv_template import import_template_csv
from mbc.clients.importer import apply_rows, check_upload, preview_rows
from mbc.clients.models import Appointment, AppointmentChange, Client
from mbc.extensions import db
from mbc.practice.services import get_practice

HEADER = "client_ref,first_name,last_name,email,clinician_email,appointment_ref,starts_at,status"


def csv(*rows: str, sep: str = ",", bom: bool = False) -> bytes:
    text = "\n".join([HEADER, *rows]).replace(",", sep) + "\n"
    return (("\ufeff" if bom else "") + text).encode()


def row(when: str, status: str = "booked", appt: str = "A-1", client: str = "C-1") -> str:
    return f"{client},Pat,Lee,pat@example.com,a@example.org,{appt},{when},{status}"


def run_import(app: Flask, data: bytes, date_format: str | None = None):
    with app.app_context():
        checked = check_upload(data, date_format)
        assert checked.ok, [str(p) for p in checked.errors]
        summary = apply_rows(checked.rows, actor=None)
        db.session.commit()
        return summary


def stored(app: Flask) -> list[tuple[str, datetime, str]]:
    with app.app_context():
        return [
            (a.appointment_ref, a.starts_at.astimezone(UTC), a.status)
            for a in db.session.scalars(select(Appointment).order_by(Appointment.appointment_ref))
        ]


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("when", "date_format"),
    [
        ("2026-12-01 15:00", None),
        ("12/01/2026 3:00 PM", None),
        ("12/01/2026 3:00 PM", "mdy"),
        ("01/12/2026 15:00", "dmy"),
    ],
)
def test_each_local_form_is_stored_in_utc_from_the_practice_zone(
    app, clinician_a, when: str, date_format: str | None
) -> None:
    run_import(app, csv(row(when)), date_format)
    assert stored(app) == [("A-1", datetime(2026, 12, 1, 20, 0, tzinfo=UTC), "scheduled")]


def test_a_semicolon_file_with_a_bom_imports(app, clinician_a) -> None:
    summary = run_import(app, csv(row("12/01/2026 3:00 PM"), sep=";", bom=True))
    assert (summary.clients_created, summary.appointments_created) == (1, 1)
    with app.app_context():
        assert db.session.scalar(select(Client.email)) == "pat@example.com"


def test_a_dmy_practice_reads_day_first_by_default(app, clinician_a) -> None:
    with app.app_context():
        get_practice().phone_region = "ES"
        db.session.commit()
    run_import(app, csv(row("01/12/2026 15:00")))
    assert stored(app)[0][1] == datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def test_fhir_statuses_move_an_appointment_and_are_recorded(app, clinician_a) -> None:
    run_import(app, csv(row("2026-12-01 15:00", "booked")))
    summary = run_import(app, csv(row("2026-12-01 15:00", "fulfilled")))
    assert summary.appointment_changes == {"A-1": ["status"]}
    run_import(app, csv(row("2026-12-01 15:00", "noshow")))
    assert stored(app)[0][2] == "no_show"
    with app.app_context():
        changes = [
            (c.old_value, c.new_value)
            for c in db.session.scalars(select(AppointmentChange).order_by(AppointmentChange.id))
        ]
    assert changes == [("scheduled", "completed"), ("completed", "no_show")]


def test_a_waitlist_row_is_skipped_and_the_rest_imports(app, clinician_a) -> None:
    data = csv(row("2026-12-01 15:00"), row("2026-12-02 15:00", "waitlist", appt="A-2"))
    run_import(app, data)
    assert [ref for ref, _, _ in stored(app)] == ["A-1"]


def test_preview_counts_what_import_would_do_and_writes_nothing(app, clinician_a) -> None:
    run_import(app, csv(row("2026-12-01 15:00")))
    before = (count(app, Client), count(app, Appointment), count(app, AuditEvent))
    data = csv(
        row("12/02/2026 3:00 PM"),  # A-1 moved
        row("12/03/2026 3:00 PM", appt="A-2", client="C-2"),  # new client and appointment
        row("03/08/2026 2:30 AM", appt="A-3"),  # refused: the clocks skip it
    )
    with app.app_context():
        checked = check_upload(data)
        preview = preview_rows(checked, actor=None)
        assert [p.line for p in checked.errors] == [4]
    assert (preview.clients_created, preview.appointments_created) == (1, 1)
    assert preview.appointment_changes == {"A-1": ["starts_at"]}
    assert (count(app, Client), count(app, Appointment), count(app, AuditEvent)) == before
    assert stored(app)[0][1] == datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def test_the_template_imports_once_its_clinician_is_real(app, make) -> None:
    make.user(email="clinician@example.org")
    for date_format in ("mdy", "dmy"):
        data = import_template_csv("America/New_York", date_format).encode()
        assert data.startswith(b"\xef\xbb\xbf")
        with app.app_context():
            checked = check_upload(data, date_format)
            assert checked.ok and not checked.warnings, [str(p) for p in checked.errors]
            assert checked.rows[0].starts_at == datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    cells = import_template_csv("America/New_York", "mdy").splitlines()[1].split(",")
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_the_cli_reads_day_first_and_its_dry_run_says_what_it_would_write(
    app, clinician_a, tmp_path
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(csv(row("01/12/2026 15:00"), sep=";", bom=True))
    runner = app.test_cli_runner()
    args = ["import", "appointments", "--date-format", "dmy", str(path)]
    dry = runner.invoke(args=[*args[:2], "--dry-run", *args[2:]])
    assert dry.exit_code == 0, dry.output
    assert "clients: 1 created, 0 updated; appointments: 1 created" in dry.output
    assert count(app, Appointment) == 0
    done = runner.invoke(args=args)
    assert done.exit_code == 0, done.output
    assert stored(app) == [("A-1", datetime(2026, 12, 1, 20, 0, tzinfo=UTC), "scheduled")]
