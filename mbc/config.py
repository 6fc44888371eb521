"""Settings: safe development defaults, overridden by ``MBC_*`` environment variables.

Every setting is documented in README.md (Configuration). Tests pass a mapping of overrides to
``create_app``; nothing else reads the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-only-insecure-secret-key"
ENVIRONMENTS = ("development", "production", "testing")


def default_settings(instance_path: str) -> dict[str, Any]:
    """The development defaults; each key is read from ``MBC_<KEY>`` when set."""
    return {
        "ENV": "development",
        "SECRET_KEY": DEV_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'mbc.db'}",
        "BASE_URL": "http://127.0.0.1:5000",
        "DEFAULT_PHONE_REGION": "US",
        # Staff sessions: signed out after this many idle minutes, and after 12 hours in any case.
        "IDLE_TIMEOUT_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        # Sign-in throttling (mbc.auth.throttle): free tries per account and per address, then each
        # further failure doubles the wait before the next (1 s, 2 s, ... at most the lock minutes);
        # a count is forgotten after the window's minutes without a try.
        "SIGNIN_MAX_FAILURES_PER_ACCOUNT": 5,
        "SIGNIN_MAX_FAILURES_PER_ADDRESS": 20,
        "SIGNIN_WINDOW_MINUTES": 15,
        "SIGNIN_LOCK_MINUTES": 15,
        # Check-in links that fail to resolve, per address, before that address is slowed down.
        "MAX_INVALID_LINKS_PER_ADDRESS": 20,
        "MAX_UPLOAD_MB": 10,
        "TRUSTED_PROXIES": 0,
        "LOG_LEVEL": "INFO",
        # Delivery. Console backends store messages for /dev/outbox (development only).
        "SMS_BACKEND": "console",
        "TWILIO_ACCOUNT_SID": "",
        "TWILIO_AUTH_TOKEN": "",
        "TWILIO_FROM": "",
        "TWILIO_API_BASE": "",
        "EMAIL_BACKEND": "console",
        "SMTP_HOST": "localhost",
        "SMTP_PORT": 587,
        "SMTP_USERNAME": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": True,
        "MAIL_FROM": "mbc@localhost",
        # The scheduler wakes this often (seconds) and sends at most this many messages a pass.
        "SCHEDULER_INTERVAL_SECONDS": 30,
        "SCHEDULER_BATCH": 500,
        "PASSWORD_RESET_MINUTES": 30,
        # FHIR (mbc.fhir): calls a minute per API client, and the identifier systems of the
        # EHR's patient and appointment ids (empty: under BASE_URL, see README).
        "FHIR_API_REQUESTS_PER_MINUTE": 300,
        "FHIR_CLIENT_SYSTEM": "",
        "FHIR_APPOINTMENT_SYSTEM": "",
        "PROGRESS_LINK_DAYS": 7,  # a progress link a clinician sends opens for this many days
        # A folder of the practice's own instrument definitions, loaded beside the built-in
        # ones when a process starts (web and scheduler: restart both after adding one).
        "INSTRUMENTS_DIR": "",
        # Kiosk mode (mbc.kiosk): a kiosk warns after the warning seconds without a touch and
        # returns to its start page after the idle seconds; the server ends a visit with no
        # request for the visit minutes even if the page could not. Wrong check-in codes are
        # free up to the limit per device, then each waits twice as long as the last.
        "KIOSK_IDLE_SECONDS": 120,
        "KIOSK_IDLE_WARNING_SECONDS": 90,
        "KIOSK_VISIT_IDLE_MINUTES": 10,
        "KIOSK_MAX_BAD_CODES": 5,
    }


class ConfigError(RuntimeError):
    """The settings are unsafe or inconsistent; the app refuses to start."""


def load_settings(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill ``app.config``: defaults, then the environment, then explicit overrides."""
    app.config.update(default_settings(app.instance_path))
    app.config.from_prefixed_env("MBC")
    if overrides:
        app.config.update(overrides)
    _derive(app)
    _validate(app)


def _derive(app: Flask) -> None:
    cfg = app.config
    production = cfg["ENV"] == "production"
    cfg["MAX_CONTENT_LENGTH"] = int(cfg["MAX_UPLOAD_MB"]) * 1024 * 1024
    cfg["PERMANENT_SESSION_LIFETIME"] = int(cfg["SESSION_MAX_HOURS"]) * 3600
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["SESSION_COOKIE_SECURE"] = production
    cfg["SESSION_COOKIE_NAME"] = "mbc_session"
    cfg["REMEMBER_COOKIE_SECURE"] = production
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    cfg["WTF_CSRF_TIME_LIMIT"] = int(cfg["SESSION_MAX_HOURS"]) * 3600
    cfg["BABEL_DEFAULT_LOCALE"] = "en"
    cfg["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    cfg["TESTING"] = cfg["ENV"] == "testing" or cfg.get("TESTING", False)
    cfg["BASE_URL"] = str(cfg["BASE_URL"]).rstrip("/")
    cfg["SMTP_PORT"] = int(cfg["SMTP_PORT"])
    cfg["SMTP_STARTTLS"] = _flag(cfg["SMTP_STARTTLS"])
    cfg["SCHEDULER_INTERVAL_SECONDS"] = int(cfg["SCHEDULER_INTERVAL_SECONDS"])
    cfg["SCHEDULER_BATCH"] = int(cfg["SCHEDULER_BATCH"])
    cfg["PASSWORD_RESET_MINUTES"] = int(cfg["PASSWORD_RESET_MINUTES"])
    cfg["PROGRESS_LINK_DAYS"] = int(cfg["PROGRESS_LINK_DAYS"])
    for key in ("IDLE_SECONDS", "IDLE_WARNING_SECONDS", "VISIT_IDLE_MINUTES", "MAX_BAD_CODES"):
        cfg[f"KIOSK_{key}"] = int(cfg[f"KIOSK_{key}"])


def _flag(value: Any) -> bool:
    """A boolean setting from the environment ("true", "1", "yes" / "false", "0", "no")."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _validate(app: Flask) -> None:
    cfg = app.config
    if cfg["ENV"] not in ENVIRONMENTS:
        raise ConfigError(f"MBC_ENV must be one of {', '.join(ENVIRONMENTS)}, not {cfg['ENV']!r}")
    if cfg["ENV"] == "production":
        if cfg["SECRET_KEY"] == DEV_SECRET_KEY or len(str(cfg["SECRET_KEY"])) < 32:
            raise ConfigError(
                "MBC_SECRET_KEY must be set to a random value of at least 32 characters in "
                "production (for example: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        if not str(cfg["BASE_URL"]).startswith("https://"):
            raise ConfigError("MBC_BASE_URL must be an https:// URL in production")
        if cfg["SMS_BACKEND"] == "console" or cfg["EMAIL_BACKEND"] == "console":
            raise ConfigError(
                "MBC_SMS_BACKEND must be twilio and MBC_EMAIL_BACKEND smtp in production: the "
                "console backends only store messages for the development outbox"
            )
    if cfg["SMS_BACKEND"] not in ("console", "twilio"):
        raise ConfigError(f"MBC_SMS_BACKEND must be console or twilio, not {cfg['SMS_BACKEND']!r}")
    if cfg["EMAIL_BACKEND"] not in ("console", "smtp"):
        raise ConfigError(
            f"MBC_EMAIL_BACKEND must be console or smtp, not {cfg['EMAIL_BACKEND']!r}"
        )
    if cfg["SMS_BACKEND"] == "twilio":
        missing = [
            f"MBC_TWILIO_{k}"
            for k in ("ACCOUNT_SID", "AUTH_TOKEN", "FROM")
            if not cfg[f"TWILIO_{k}"]
        ]
        if missing:
            raise ConfigError(f"the twilio SMS backend needs {', '.join(missing)}")
