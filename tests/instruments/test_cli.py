from __future__ import annotations

from datetime import date

from flask import Flask

from mbc import create_app
from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.practice.licences import record_licence


def app_for_cli(tmp_path) -> Flask:
    return create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})


def test_list_shows_every_instrument_with_licence_and_languages(app) -> None:
    out = app.test_cli_runner().invoke(args=["instruments", "list"]).output
    for code in ("phq9", "gad7", "pcl5", "ors", "srs", "satisfaction", "who5", "brcs"):
        assert code in out
    assert "es (unverified)" in out
    assert out.count("disabled until a licence is recorded") == 3  # ORS, SRS and BRCS


def test_list_shows_a_licensed_instrument_enabled_once_its_licence_is_recorded(app, admin) -> None:
    with app.app_context():
        record_licence(
            "ors",
            holder="Riverside Counseling",
            reference="BTC-1234",
            licensed_on=date(2026, 11, 1),
            actor=db.session.get(StaffUser, admin.id),
        )
        db.session.commit()
    lines = app.test_cli_runner().invoke(args=["instruments", "list"]).output.splitlines()
    ors = lines[[line.split()[0] for line in lines].index("ors") + 1]
    srs = lines[[line.split()[0] for line in lines].index("srs") + 1]
    assert "enabled (the practice's licence is recorded)" in ors
    assert "disabled until a licence is recorded" in srs


def test_show_in_spanish_with_sources(tmp_path) -> None:
    app = app_for_cli(tmp_path)
    out = app.test_cli_runner().invoke(args=["instruments", "show", "phq9", "--lang", "es"]).output
    assert "Poco interés o placer en hacer cosas" in out
    assert "Language: es (official translation)" in out
    assert "[standard] NHS Data Dictionary" in out and "critical: phq9_9 >= 1" in out
    app.extensions["mbc.db"].dispose()


def test_show_falls_back_to_english_and_says_so(tmp_path) -> None:
    app = app_for_cli(tmp_path)
    out = app.test_cli_runner().invoke(args=["instruments", "show", "pcl5", "--lang", "es"]).output
    assert "(no es translation: shown in English)" in out
    app.extensions["mbc.db"].dispose()


def test_show_unknown_version_is_an_error(tmp_path) -> None:
    app = app_for_cli(tmp_path)
    result = app.test_cli_runner().invoke(args=["instruments", "show", "phq9", "--version", "7"])
    assert result.exit_code == 1 and "no version '7' of 'phq9'" in result.output
    app.extensions["mbc.db"].dispose()


def test_show_who5_gives_the_percentage_rule_low_item_and_credit(tmp_path) -> None:
    app = app_for_cli(tmp_path)
    out = app.test_cli_runner().invoke(args=["instruments", "show", "who5"]).output
    assert "total = raw sum x 4" in out and "subscale raw: who5_1" in out
    assert "flag low_item when any of who5_1" in out and "<= 1" in out
    assert "flag meets_cutoff when total <= 50" in out
    assert "WHO-5 © Psychiatric Research Unit, Mental Health Centre North Zealand." in out
    app.extensions["mbc.db"].dispose()
