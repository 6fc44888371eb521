"""The `mbc` command line, run as an operator would run it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from mbc.auth.models import StaffUser
from mbc.auth.passwords import verify_password
from mbc.cli import main
from mbc.clients.models import Appointment, Client
from mbc.extensions import db
from tests.test_config import PROVIDERS

CSV = (
    "client_ref,first_name,last_name,phone,email,language,timezone,clinician_email,"
    "appointment_ref,starts_at,status\n"
    "C-1,Pat,Lee,(415) 555-2671,,en,,a@example.org,A-1,2026-11-24T15:00:00-05:00,scheduled\n"
    "C-1,Pat,Lee,(415) 555-2671,,en,,a@example.org,A-2,2026-12-01T15:00:00-05:00,scheduled\n"
)


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_help_lists_every_command(app: Flask) -> None:
    result = app.test_cli_runner().invoke(main, ["--help"])
    commands = ("db", "audit", "user", "import", "clients", "instruments", "seed-demo")
    for command in (*commands, "translations", "run"):
        assert f"  {command} " in result.output


def test_user_create_reads_the_password_from_stdin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "user",
            "create",
            "--email",
            "New@Example.org",
            "--name",
            "New One",
            "--role",
            "clinician",
            "--team",
            "North",
            "--password-stdin",
        ],
        input="a good long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "created clinician new@example.org" in result.output
    with app.app_context():
        user = db.session.scalar(select(StaffUser))
        assert user.team.name == "North"
        assert verify_password(user.password_hash, "a good long passphrase")


def test_user_create_prompts_twice_for_the_password(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["user", "create", "--email", "p@example.org", "--name", "P", "--role", "admin"],
        input="a good long passphrase\na good long passphrase\n",
    )
    assert result.exit_code == 0, result.output


def test_user_create_refuses_weak_passwords_and_duplicates(app: Flask, clinician_a) -> None:
    runner = app.test_cli_runner()
    base = ["user", "create", "--name", "X", "--role", "clinician", "--password-stdin"]
    weak = runner.invoke(args=[*base, "--email", "x@example.org"], input="short\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    dup = runner.invoke(args=[*base, "--email", clinician_a.email], input="a long passphrase\n")
    assert dup.exit_code == 1 and "already exists" in dup.output
    assert count(app, StaffUser) == 1


def test_import_appointments_reports_progress_and_counts(app: Flask, clinician_a, tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(CSV)
    result = app.test_cli_runner().invoke(args=["import", "appointments", str(path)])
    assert result.exit_code == 0, result.output
    assert "Importing" in result.output
    assert "clients: 1 created, 0 updated; appointments: 2 created" in result.output
    again = app.test_cli_runner().invoke(args=["import", "appointments", str(path)])
    assert "appointments: 0 created, 0 updated, 2 unchanged" in again.output
    assert count(app, Appointment) == 2
    path.write_text(CSV.replace(",en,", ",es,"))
    changed = app.test_cli_runner().invoke(args=["import", "appointments", str(path)])
    assert "clients: 0 created, 1 updated" in changed.output
    assert "C-1: language changed" in changed.output


def test_import_with_bad_rows_lists_them_and_writes_nothing(
    app: Flask, clinician_a, tmp_path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        CSV.replace("(415) 555-2671", "12", 1).replace("2026-12-01T15:00:00-05:00", "x")
    )
    result = app.test_cli_runner().invoke(args=["import", "appointments", str(path)])
    assert result.exit_code == 1
    assert "error: line 2, phone: '12' is not" in result.output
    assert "error: line 3, starts_at: 'x' is not a date and time" in result.output
    assert "2 problem(s) found; nothing was imported" in result.output
    assert count(app, Client) == 0


def test_import_dry_run_writes_nothing(app: Flask, clinician_a, tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(CSV)
    result = app.test_cli_runner().invoke(args=["import", "appointments", "--dry-run", str(path)])
    assert "2 row(s) checked; no problems" in result.output
    assert count(app, Client) == 0


def test_seed_demo_twice_adds_nothing_the_second_time(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--clients", "12", "--weeks", "3"])
    assert first.exit_code == 0, first.output
    assert "demo data: 12 client(s)" in first.output
    assert "admin@demo.example.org" in first.output and "demo-clinician-password" in first.output
    counts = (count(app, Client), count(app, Appointment), count(app, StaffUser))
    second = runner.invoke(args=["seed-demo", "--clients", "12", "--weeks", "3"])
    assert "demo data: 0 client(s) and 0 appointment(s) added" in second.output
    assert (count(app, Client), count(app, Appointment), count(app, StaffUser)) == counts
    assert counts[2] == 5  # 1 admin, 3 clinicians and a supervisor
    with app.app_context():
        past = db.session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.status != "scheduled")
        )
        assert 0 < past < counts[1]  # past and future sessions


def test_seed_demo_is_refused_in_production(tmp_path) -> None:
    from mbc import create_app

    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "k" * 40,
            "BASE_URL": "https://mbc.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
            **PROVIDERS,
        }
    )
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1 and "refused in production" in result.output
    app.extensions["mbc.db"].dispose()
