"""What the kiosk's own pages show: the start page, its messages, and the kiosk's links."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from mbc.survey.pages import MESSAGES as CHECK_IN_MESSAGES

# The check-in's endpoints and the kiosk's pages that stand for them. Any other check-in
# endpoint a template links to (one that needs the link's token) leads back to the start.
KIOSK_ENDPOINTS = {
    "survey.start": "kiosk.intro",
    "survey.step": "kiosk.step",
    "survey.support": "kiosk.support",
    "survey.done": "kiosk.done",
    "survey.language": "kiosk.language",
}

THANKS_SECONDS = 15  # the thank-you after finishing, then the plain start page

MESSAGES = {
    "not_enrolled": (
        _l("This device is not set up as a kiosk"),
        _l(
            "Please ask at the front desk. An administrator can set up this device as a "
            "kiosk from the Kiosks page."
        ),
    ),
    "revoked": (
        _l("This kiosk has been switched off"),
        _l(
            "It can no longer be used for check-ins. Please ask at the front desk for "
            "another way to answer."
        ),
    ),
    "done": (
        _l("Already done, thank you"),
        _l("This check-in has already been answered. There is nothing more to do."),
    ),
    "closed": CHECK_IN_MESSAGES["closed"],
    "cancelled": CHECK_IN_MESSAGES["cancelled"],
    "not_open": (
        _l("This check-in is not open yet"),
        _l("Please ask at the front desk."),
    ),
    "unavailable": (CHECK_IN_MESSAGES["unavailable"][0], _l("Please ask at the front desk.")),
    "unexpected_fields": CHECK_IN_MESSAGES["unexpected_fields"],
    "expired_form": CHECK_IN_MESSAGES["expired_form"],
}

ERRORS = {
    "format": _l("A check-in code has 6 digits. Please type it again."),
    "wrong": _l("That code did not work. Please check it and try again, or ask at the front desk."),
    "expired": _l("The page had expired, so nothing was saved. Please type your code again."),
}


def _too_many(wait: int) -> str:
    return ngettext(
        "Too many codes that did not work. Please wait %(num)s second, or ask at the front desk.",
        "Too many codes that did not work. Please wait %(num)s seconds, or ask at the front desk.",
        wait,
    )


def kiosk_url(endpoint: str, **values: Any) -> str:
    """``url_for`` for check-in templates shown on a kiosk: no token in any address."""
    values.pop("token", None)
    if endpoint.startswith("survey."):
        target = KIOSK_ENDPOINTS.get(endpoint)
        return url_for(target, **values) if target else url_for("kiosk.start")
    return url_for(endpoint, **values)


def message(kind: str, status: int) -> Response:
    title, body = MESSAGES[kind]
    html = render_template("kiosk/message.html", title=title, body=body, kind=kind)
    return make_response(html, status)


def start_page(
    form: Any,
    *,
    error: str | None = None,
    wait: int = 0,
    finished: bool = False,
    status: int = 200,
) -> Response:
    text = None
    if error == "wrong" and wait:
        error = "too_many"
    if error is not None:
        text = _too_many(wait) if error == "too_many" else str(ERRORS[error])
    html = render_template(
        "kiosk/start.html",
        form=form,
        error=text,
        finished=finished,
        thanks_seconds=THANKS_SECONDS,
    )
    return make_response(html, status)
