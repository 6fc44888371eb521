"""Email unsubscribe links: ``/u/<token>``, a signed message id (no client data in the URL).

One click (RFC 8058 ``List-Unsubscribe-Post``, sent by the mail provider without any form token)
or the page's button suppresses that address for email and records the event. The link never
expires: people unsubscribe from old mail. The POST is exempt from CSRF for the one-click case;
it can only ever unsubscribe the address the signed token names.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer

from mbc.auth import throttle
from mbc.clock import utcnow
from mbc.delivery import consent
from mbc.delivery.models import Message
from mbc.extensions import csrf, db
from mbc.practice.services import get_practice

SALT = "mbc.unsubscribe"
bp = Blueprint("unsubscribe", __name__, url_prefix="/u")


class UnsubscribeForm(FlaskForm):
    class Meta:
        csrf = False  # see the module docstring


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_url(message_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/u/{_serializer().dumps(message_id)}"


def read(token: str) -> int | None:
    if len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _message(token: str) -> Message:
    message_id = read(token)
    message = db.session.get(Message, message_id) if message_id else None
    if message is None or message.channel != "email" or not message.recipient:
        paused = throttle.bad_token(request.remote_addr)
        db.session.commit()
        abort(429 if paused else 404)
    g.locale = message.language
    return message


@bp.after_request
def _private(response):  # type: ignore[no-untyped-def]
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/<token>")
def confirm(token: str) -> ResponseReturnValue:
    _message(token)
    return render_template(
        "delivery/unsubscribe.html",
        form=UnsubscribeForm(),
        done=False,
        survey_practice=get_practice(),
    )


@bp.post("/<token>")
@csrf.exempt
def unsubscribe(token: str) -> ResponseReturnValue:
    message = _message(token)
    address = str(message.recipient)
    # Everyone at the address, and the client it was sent to even if their address changed since.
    client_ids = set(consent.clients_at("email", address))
    client_ids |= {message.client_id} if message.client_id else set()
    consent.suppress(
        "email",
        address,
        "unsubscribed",
        source="email_unsubscribe",
        now=utcnow(),
        client_ids=sorted(client_ids),
    )
    db.session.commit()
    return render_template(
        "delivery/unsubscribe.html", form=None, done=True, survey_practice=get_practice()
    )
