"""Twilio webhooks: delivery status callbacks and inbound messages (replies, STOP, START, HELP).

Both reject a request without a valid ``X-Twilio-Signature`` for ``MBC_BASE_URL`` + path and
query (403). A status callback's query holds our own reference to the message (``?m=<id>``).
Keywords follow Twilio's standard opt-out set; Twilio itself answers STOP and START on long
codes, so those get an empty reply, while HELP gets the practice's contact. Other replies are
stored for the clinician and answered through the outbox (``mbc.delivery.inbound``). Nothing
of a reply's body is logged.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from mbc.clock import utcnow
from mbc.delivery import compose, consent, stages
from mbc.delivery import inbound as replies
from mbc.delivery.failures import TWILIO_UNDELIVERED_SUPPRESS
from mbc.delivery.models import Message
from mbc.extensions import csrf, db
from mbc.practice.services import get_practice

bp = Blueprint("twilio_hooks", __name__, url_prefix="/hooks/twilio")
csrf.exempt(bp)


@bp.before_request
def _verify_signature() -> None:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = request.headers.get("X-Twilio-Signature", "")
    url = current_app.config["BASE_URL"] + request.path
    if request.query_string:
        url += "?" + request.query_string.decode("latin-1")
    if not token or not signature:
        abort(403)
    if not RequestValidator(token).validate(url, request.form.to_dict(), signature):
        abort(403)


@bp.post("/status")
def status() -> ResponseReturnValue:
    """A delivery report: delivered, or undelivered/failed with Twilio's error code."""
    sid = request.form.get("MessageSid", "")
    reported = request.form.get("MessageStatus", "")
    message = db.session.scalar(select(Message).where(Message.provider_id == sid)) if sid else None
    now = utcnow()
    if message is None and sid:
        message = _interrupted(request.args.get("m", type=int), sid, request.form.get("To", ""))
    if message is None:
        return "", 204  # not ours, or already forgotten: Twilio must not retry
    if reported == "delivered" and message.status in ("sending", "sent"):
        message.status, message.delivered_at = "delivered", now
        stages.delivered(message)
    elif reported in ("undelivered", "failed") and message.status in ("sending", "sent"):
        code = request.form.get("ErrorCode", type=int)
        message.status = "undeliverable"
        message.last_error = f"Twilio {code or reported}: not delivered by the carrier"
        suppress = TWILIO_UNDELIVERED_SUPPRESS.get(code or 0)
        if suppress and message.recipient:
            consent.suppress(
                "sms",
                message.recipient,
                suppress,
                source="provider",
                now=now,
                detail=message.last_error,
            )
        stages.refresh([message.check_in_id])  # it may no longer count as sent
    db.session.commit()
    return "", 204


def _interrupted(reference: int | None, sid: str, to: str) -> Message | None:
    """A report on a text whose send was cut off before Twilio's answer (its sid) was stored:
    found by our own reference on its callback URL (``?m=<message id>``, signed by Twilio with
    the URL) and settled as sent here, before reconciliation would have to look it up."""
    if reference is None:
        return None
    message = db.session.get(Message, reference)
    if message is None or message.channel != "sms" or message.status != "sending":
        return None
    if message.provider_id is not None or message.recipient != to:
        return None
    message.status, message.provider_id = "sent", sid[:64]
    message.sent_at = message.sent_at or message.claimed_at
    message.last_error = "reconciled: Twilio reported on it"
    db.session.flush()
    stages.accepted([message.id])
    return message


@bp.post("/inbound")
def inbound() -> ResponseReturnValue:
    """A reply: stored and acted on (``mbc.delivery.inbound``); HELP is answered in the reply."""
    practice = get_practice()
    form = request.form
    reply = MessagingResponse()
    try:
        received = replies.receive(
            form.get("MessageSid", "")[:64],
            form.get("From", ""),
            form.get("Body", ""),
            utcnow(),
            practice,
        )
        db.session.commit()
    except IntegrityError:  # the same webhook twice at once: the first one stored it
        db.session.rollback()
        return Response(str(reply), mimetype="text/xml")
    if received.keyword == "help":
        reply.message(
            compose.help_reply(
                practice.name, received.language, practice.contact_phone, practice.contact_email
            )
        )
    return Response(str(reply), mimetype="text/xml")
