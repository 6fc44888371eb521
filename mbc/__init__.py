"""mbc: measurement-based care for behavioural-health practices."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from mbc.config import load_settings
from mbc.extensions import babel, csrf, db, login_manager


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web app. ``config`` overrides settings (tests); otherwise ``MBC_*`` variables."""
    app = Flask(__name__, instance_relative_config=True)
    load_settings(app, config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    from mbc import log_redaction

    log_redaction.install()
    if int(app.config["TRUSTED_PROXIES"]):
        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    from mbc.instruments import registry

    # Read at start by every process (web workers, the scheduler): a restart picks up changes.
    registry.configure(app.config["INSTRUMENTS_DIR"] or None)

    from mbc import models  # noqa: F401 - complete the metadata before first use
    from mbc.i18n import select_locale

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)

    from mbc.web import register_web

    register_web(app)

    from mbc.cli import register_commands

    register_commands(app)
    return app
