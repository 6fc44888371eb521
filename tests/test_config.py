"""Settings: development defaults, MBC_* variables, and refusing unsafe production settings."""

from __future__ import annotations

import pytest

from mbc import create_app
from mbc.config import ConfigError

SAFE_SECRET = "s" * 16 + "e" * 16 + "c" * 8
# What production needs besides a secret and an https base URL: real SMS and email providers.
PROVIDERS = {
    "SMS_BACKEND": "twilio",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "t" * 32,
    "TWILIO_FROM": "+15005550006",
    "EMAIL_BACKEND": "smtp",
}


def test_development_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("MBC_ENV", "MBC_DATABASE_URL", "MBC_SECRET_KEY", "MBC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["ENV"] == "development"
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
    assert app.config["SESSION_COOKIE_SECURE"] is False
    app.extensions["mbc.db"].dispose()


def test_default_database_is_sqlite_under_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MBC_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/mbc.db")
    app.extensions["mbc.db"].dispose()


def test_settings_come_from_mbc_variables(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("MBC_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("MBC_BASE_URL", "https://checkin.example.org/")
    monkeypatch.setenv("MBC_IDLE_TIMEOUT_MINUTES", "15")
    app = create_app()
    assert app.config["DATABASE_URL"].endswith("env.db")
    assert app.config["BASE_URL"] == "https://checkin.example.org"
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 15
    app.extensions["mbc.db"].dispose()


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_production_refuses_the_default_or_a_weak_secret(secret: str | None) -> None:
    overrides = {"ENV": "production", "BASE_URL": "https://mbc.example.org"}
    if secret:
        overrides["SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="MBC_SECRET_KEY"):
        create_app(overrides)


def test_production_needs_https_links() -> None:
    with pytest.raises(ConfigError, match="https"):
        create_app({"ENV": "production", "SECRET_KEY": SAFE_SECRET, "BASE_URL": "http://x.org"})


def test_production_cookies_are_secure(tmp_path) -> None:
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": SAFE_SECRET,
            "BASE_URL": "https://mbc.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
            **PROVIDERS,
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    app.extensions["mbc.db"].dispose()


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ConfigError, match="MBC_ENV"):
        create_app({"ENV": "staging"})


def test_production_refuses_the_console_backends() -> None:
    base = {"ENV": "production", "SECRET_KEY": SAFE_SECRET, "BASE_URL": "https://mbc.example.org"}
    with pytest.raises(ConfigError, match="console backends"):
        create_app({**base, **PROVIDERS, "EMAIL_BACKEND": "console"})
    with pytest.raises(ConfigError, match="console backends"):
        create_app({**base, **PROVIDERS, "SMS_BACKEND": "console"})


def test_twilio_needs_its_account_token_and_sender() -> None:
    with pytest.raises(ConfigError, match="MBC_TWILIO_AUTH_TOKEN, MBC_TWILIO_FROM"):
        create_app({"SMS_BACKEND": "twilio", "TWILIO_ACCOUNT_SID": "AC1"})


@pytest.mark.parametrize("name", ["SMS_BACKEND", "EMAIL_BACKEND"])
def test_unknown_backends_are_refused(name: str) -> None:
    with pytest.raises(ConfigError, match=f"MBC_{name}"):
        create_app({name: "carrier-pigeon"})


def test_boolean_settings_read_words(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("MBC_SMTP_STARTTLS", "false")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"})
    assert app.config["SMTP_STARTTLS"] is False
    app.extensions["mbc.db"].dispose()
