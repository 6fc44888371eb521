"""The check-in code by text message, on request at the front desk.

The text says only the practice, that it is today's check-in code, the code and how to opt out:
no questionnaire, no clinician, nothing about the client's health. It goes only to a number with
SMS consent that has not opted out, at most once per five minutes per check-in, and is skipped
when the scheduler could not send it within the hour or the check-in is no longer open today.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from mbc.assessments.check_ins import state
from mbc.assessments.models import CheckIn
from mbc.clients.models import Client
from mbc.delivery import consent, outbox
from mbc.delivery.routing import Contact, route
from mbc.kiosk import codes

KIND = "kiosk_code"
EVERY = 300  # seconds: one text per check-in in this time, however often the button is pressed
LATEST = timedelta(hours=1)


def sms_refusal(contact: Contact) -> str | None:
    """Why this client cannot get a text (a delivery reason code), or None."""
    chosen = route(Contact("sms", contact.phone, None, contact.consent, contact.suppressed))
    return None if chosen.channel == "sms" else chosen.reasons[-1]


def request(check_in: CheckIn, client: Client, now: datetime) -> str | None:
    """Queue the text; the reason it cannot go (a delivery reason code), or None."""
    refusal = sms_refusal(consent.contacts_of([client])[client.id])
    if refusal is not None:
        return refusal
    outbox.enqueue(
        kind=KIND,
        dedupe_key=f"{KIND}:{check_in.id}:{int(now.timestamp()) // EVERY}",
        language=check_in.language,
        scheduled_at=now,
        client_id=client.id,
        check_in_id=check_in.id,
        channel="sms",
        recipient=client.phone,
    )
    return None


def text(practice: str, language: str, code: str) -> str:
    with force_locale(language):
        return _(
            "%(practice)s: your check-in code for today is %(code)s. Type it on the tablet in "
            "the waiting room. Reply STOP to opt out.",
            practice=practice,
            code=code,
        )


def decide(
    check_in: CheckIn | None,
    contact: Contact | None,
    practice: str,
    scheduled: datetime,
    now: datetime,
) -> tuple[str | None, str | None]:
    """For the scheduler: the text to send, or why it is skipped."""
    if check_in is None or contact is None:
        return None, "check_in_missing"
    if state(check_in, now) != "open" or codes.session_day(check_in) != codes.today(now):
        return None, "check_in_closed"
    if now - scheduled > LATEST:
        return None, "too_late"
    refusal = sms_refusal(contact)
    if refusal is not None:
        return None, refusal
    code = codes.codes_for([check_in])[check_in.id]
    return text(practice, check_in.language, code), None
