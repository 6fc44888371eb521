"""Wiring the web side: blueprints, error pages and the headers every response carries."""

from __future__ import annotations

from flask import Flask, Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from mbc.extensions import db


def register_web(app: Flask) -> None:
    from mbc.admin.views import bp as admin_bp
    from mbc.alerts.views import bp as alerts_bp
    from mbc.auth.sessions import init_sessions
    from mbc.auth.views import bp as auth_bp
    from mbc.auth.views import home_for
    from mbc.clinician.views import bp as clinician_bp
    from mbc.delivery.dev_outbox import bp as dev_outbox_bp
    from mbc.delivery.hooks import bp as twilio_hooks_bp
    from mbc.delivery.unsubscribe import bp as unsubscribe_bp
    from mbc.fhir.views import bp as fhir_bp
    from mbc.health import bp as health_bp
    from mbc.kiosk.staff_views import bp as kiosk_staff_bp
    from mbc.kiosk.views import bp as kiosk_bp
    from mbc.progress.views import bp as progress_bp
    from mbc.reports.views import bp as reports_bp
    from mbc.supervision.views import bp as supervision_bp
    from mbc.survey.views import bp as survey_bp
    from mbc.wellbeing.answer_views import bp as pulse_bp
    from mbc.wellbeing.views import bp as wellbeing_bp

    init_sessions(app)
    blueprints = [
        auth_bp,
        clinician_bp,
        alerts_bp,
        admin_bp,
        reports_bp,
        wellbeing_bp,
        supervision_bp,
        health_bp,
        survey_bp,
        pulse_bp,
        twilio_hooks_bp,
        unsubscribe_bp,
        fhir_bp,
        progress_bp,
        kiosk_bp,
        kiosk_staff_bp,
    ]
    if app.config["ENV"] != "production":
        blueprints.append(dev_outbox_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)

    @app.get("/")
    def index() -> ResponseReturnValue:
        if current_user.is_authenticated:
            return redirect(home_for(current_user))
        return redirect(url_for("auth.signin"))

    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)
    app.after_request(_security_headers)

    from mbc.static_files import init_static
    from mbc.templating import init_templating

    init_static(app)
    init_templating(app)


def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    db.session.rollback()
    if request.blueprint == "survey":
        return _survey_message("expired_form", 400)
    if request.blueprint == "pulse":
        return _pulse_message("expired_form", 400)
    message = _(
        "This form has expired or was sent without its security token. Nothing was saved. "
        "Go back, reload the page and try again."
    )
    return render_template("errors/error.html", code=400, message=message), 400


_MESSAGES = {
    400: _l("The request could not be understood. Nothing was saved."),
    403: _l("You do not have permission to see this page."),
    404: _l("We could not find that page."),
    405: _l("That action is not allowed here."),
    410: _l("This page is no longer available."),
    413: _l("That file or form is too large. Nothing was saved."),
    429: _l("Too many requests. Please wait a moment and try again."),
}


def _http_error(error: HTTPException) -> ResponseReturnValue:
    db.session.rollback()
    code = error.code or 500
    if request.path.startswith("/fhir/"):  # a system, not a person: an OperationOutcome
        from mbc.fhir.api import http_error

        return http_error(error)
    if request.blueprint == "survey":
        kinds = {404: "invalid", 413: "too_large", 429: "too_many", 400: "expired_form"}
        return _survey_message(kinds.get(code, "error"), code)
    if request.blueprint == "pulse":
        kinds = {404: "invalid", 413: "too_large", 429: "too_many", 400: "expired_form"}
        return _pulse_message(kinds.get(code, "error"), code)
    message = str(_MESSAGES[code]) if code in _MESSAGES else error.description
    response = render_template("errors/error.html", code=code, message=message)
    return response, code, dict(error.get_headers()) if code == 405 else {}


def _server_error(error: Exception) -> ResponseReturnValue:
    if isinstance(error, HTTPException):  # pragma: no cover - handled above
        return _http_error(error)
    from flask import current_app

    db.session.rollback()
    # The path of a check-in link holds its token: log the endpoint, never the URL.
    current_app.logger.exception("unhandled error on %s %s", request.method, request.endpoint)
    if request.blueprint == "survey":
        return _survey_message("error", 500)
    message = _("Something went wrong on our side. Nothing was saved; please try again.")
    return render_template("errors/error.html", code=500, message=message), 500


def _pulse_message(kind: str, code: int) -> ResponseReturnValue:
    from mbc.wellbeing.answer_views import message_page

    return message_page(kind, code)


def _survey_message(kind: str, code: int) -> ResponseReturnValue:
    """Error pages on a check-in speak to the client, in the check-in's language."""
    from mbc.survey.pages import message_page

    return message_page(kind, code)


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    # Nothing here uses the camera, microphone, location or payment; no page may ask.
    headers.setdefault(
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    )
    if current_app.config["ENV"] == "production":  # production is https (config checks it)
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint not in ("static",):
        headers.setdefault("Cache-Control", "no-store")
    return response
