from __future__ import annotations

from flask import Flask

from mbc import create_app


def app_for_cli(tmp_path) -> Flask:
    return create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})


def test_list_shows_every_instrument_with_licence_and_languages(tmp_path) -> None:
    app = app_for_cli(tmp_path)
    out = app.test_cli_runner().invoke(args=["instruments", "list"]).output
    for code in ("phq9", "gad7", "pcl5", "ors", "srs", "satisfaction"):
        assert code in out
    assert "es (unverified)" in out and "disabled until a licence is recorded" in out
    app.extensions["mbc.db"].dispose()


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
