"""The client's progress page, reached two ways only: ``/s/<token>/progress`` from a finished
check-in's own link (while it is open), and ``/p/<token>`` from a progress link the clinician
sent. Both show the same page, speak the client's language, and record the view as the
client's own. Everything else (switch off, another link, a tampered or expired one) gets a
clear page and no data.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    make_response,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from mbc.auth import throttle
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.i18n import SUPPORTED
from mbc.practice import crisis
from mbc.practice.services import get_practice
from mbc.progress import links, services
from mbc.survey.assets import content_security_policy
from mbc.survey.compression import gzip_html

bp = Blueprint("progress", __name__, url_prefix="/p")

PAGES = {
    "off": (
        _l("Your progress page is not available"),
        _l(
            "Your clinician has not shared a progress page with you, or has stopped sharing "
            "it. If you would like to see your progress, ask your clinician."
        ),
    ),
    "invalid": (
        _l("This link isn't valid"),
        _l(
            "It may have been cut short when it was copied. "
            "Please ask your clinician for a new link."
        ),
    ),
    "expired": (
        _l("This link has expired"),
        _l("Progress links work for a few days only. Please ask your clinician for a new link."),
    ),
    "error": (  # the check-in pages' words (mbc.survey.pages), already translated
        _l("Something went wrong"),
        _l("Nothing was lost that you had already saved. Please open your link again."),
    ),
    "too_many": (
        _l("Please wait a few minutes"),
        _l(
            "Too many links that did not work came from this connection. Please wait a "
            "few minutes and try again, or contact us."
        ),
    ),
}


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Content-Security-Policy"] = content_security_policy()
    return gzip_html(request, response)


def notice(kind: str, status: int, language: str | None = None) -> Response:
    """A page that says why there is nothing to show, in ``language`` (else the browser's)."""
    title, body = PAGES[kind]
    with force_locale(language or _browser_language()):
        html = render_template(
            "progress/notice.html", title=title, body=body, survey_practice=get_practice()
        )
    return make_response(html, status)


@bp.errorhandler(Exception)
def _error(error: Exception) -> Response:
    """A client's page, not the staff error page, whatever went wrong (a made-up method, a
    fault): nothing of the client's is shown and nothing in the address is logged."""
    db.session.rollback()
    if isinstance(error, HTTPException) and error.code and error.code < 500:
        return notice("invalid", error.code)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.endpoint)
    return notice("error", 500)


def _browser_language() -> str:
    return request.accept_languages.best_match(SUPPORTED) or "en"


def page(client: Client, via: str, *, token: str, check_in_id: int | None = None) -> str:
    """The progress page of ``client`` in their language, its view audit-logged."""
    practice = get_practice()
    language = g.get("locale") or client.language
    services.record_view(client, via, check_in_id=check_in_id)
    with force_locale(language):
        html = render_template(
            "progress/page.html",
            client=client,
            instruments=services.own_progress(client, language),
            practice=practice,
            survey_practice=practice,
            crisis_text=crisis.crisis_text(practice, language, short=True),
            via=via,
            token=token,
            language=language,
            back_url=url_for("survey.done", token=token) if via == "check_in" else None,
            check_in=g.get("check_in") if via == "check_in" else None,  # the language switch
            here="progress",
        )
    db.session.commit()
    return html


@bp.get("/<token>")
def from_link(token: str) -> ResponseReturnValue:
    """A progress link the clinician sent; ``?lang=`` shows it in the other language."""
    try:
        client_id = links.read_token(token)
    except links.ProgressLinkExpired as expired:
        client = db.session.get(Client, expired.client_id)
        abort(notice("expired", 410, client.language if client else None))
    except links.ProgressLinkInvalid:
        paused = throttle.bad_token(request.remote_addr)
        db.session.commit()
        abort(notice("too_many", 429) if paused else notice("invalid", 404))
    client = db.session.get(Client, client_id)
    if client is None or not services.visible(get_practice(), client):
        abort(notice("off", 404, client.language if client else None))
    chosen = request.args.get("lang")
    if chosen in SUPPORTED:
        g.locale = chosen
    return page(client, "progress_link", token=token)
