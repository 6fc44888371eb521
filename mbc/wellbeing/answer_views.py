"""The staff member's pulse page, ``/w/<token>``: one request, no script, their language.

Shaped like the client check-in pages (inlined stylesheet under a CSP hash, gzip, no-store),
and nothing on it or in the log names the person once the answer is stored.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from mbc.auth import throttle
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.i18n import SUPPORTED
from mbc.practice.services import get_practice
from mbc.survey.compression import gzip_html
from mbc.wellbeing import pages, services

bp = Blueprint("pulse", __name__, url_prefix="/w")
MAX_BODY = 16 * 1024  # the page posts well under 2 KB
CONTROL_FIELDS = {"csrf_token"}

MESSAGES = {
    "invalid": (
        _l("This link does not work"),
        _l("Check that you opened the whole link from the email. Each link is personal."),
    ),
    "not_open": (_l("The pulse is not open yet"), _l("Please come back when it opens.")),
    "closed": (
        _l("This pulse has closed"),
        _l("Thank you. The results are on the Wellbeing page for all staff."),
    ),
    "answered": (
        _l("You have already answered this pulse"),
        _l(
            "Thank you. Each link works once. Your answers are not stored with your name, so "
            "they cannot be shown again or changed."
        ),
    ),
    "expired_form": (
        _l("This page has expired"),
        _l("Nothing was saved. Open the link from the email again and answer once more."),
    ),
    "too_large": (_l("That was too much text"), _l("Nothing was saved. Please shorten it.")),
    "too_many": (_l("Too many tries"), _l("Please wait a few minutes and try again.")),
    "error": (_l("Something went wrong"), _l("Nothing was saved. Please try again.")),
}


def message_page(kind: str, status: int) -> Response:
    title, body = MESSAGES[kind]
    html = render_template("wellbeing/message.html", title=title, body=body)
    return make_response(html, status)


@bp.url_value_preprocessor
def _limits(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Before the CSRF check reads the form, so a huge post is refused unread."""
    request.max_content_length = MAX_BODY
    get_practice()


@bp.after_request
def _private(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Content-Security-Policy"] = pages.content_security_policy()
    return gzip_html(request, response)


def _invitation(token: str) -> services.Invitation:
    try:
        invitation = services.resolve(token, utcnow())
    except services.PulseStop as stop:
        if stop.kind == "invalid":
            paused = throttle.bad_token(request.remote_addr)
            db.session.commit()
            abort(message_page("too_many", 429) if paused else message_page("invalid", 404))
        abort(message_page(stop.kind, {"not_open": 403, "closed": 410}.get(stop.kind, 200)))
    language = request.args.get("lang")
    g.locale = language if language in SUPPORTED else invitation.user.preferred_language
    return invitation


@bp.get("/<token>")
def answer(token: str) -> ResponseReturnValue:
    invitation = _invitation(token)
    return render_template("wellbeing/answer.html", **pages.answer_context(invitation, token, {}))


@bp.post("/<token>")
def answer_post(token: str) -> ResponseReturnValue:
    invitation = _invitation(token)
    form = {k: v for k, v in request.form.items() if k not in CONTROL_FIELDS}
    try:
        results = services.submit(invitation, form)
    except services.PulseStop as stop:
        db.session.rollback()
        return message_page(stop.kind, 200)
    except services.PulseInputError as error:
        db.session.rollback()
        context = pages.answer_context(invitation, token, form)
        message = (
            _("Answer at least one question, or close this page.")
            if str(error) == "empty"
            else _("One answer was not one of the choices. Nothing was saved: please check.")
        )
        return render_template("wellbeing/answer.html", error=message, **context), 400
    db.session.commit()
    # Shown once, from this request's memory: the stored response has no name to find it by.
    return render_template("wellbeing/thanks.html", own=pages.own_results(results))
