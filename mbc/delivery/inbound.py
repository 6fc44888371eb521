"""SMS replies to the practice's number: kept for the client's clinicians, keywords acted on,
and free text answered automatically at most once a day per number.

Every reply is stored (``InboundMessage``), with each client the number belongs to, or without a
client when it matches nobody. STOP and START change the number's consent; HELP is answered at
once with the practice's contact. Anything else is a "new reply" for the client's clinicians,
and gets an automatic answer (an outbox message, so it goes exactly once): this number is not
watched, how to reach the practice, the crisis line, and how to opt out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, update

from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.delivery import consent, outbox
from mbc.delivery.keywords import keyword_of
from mbc.delivery.models import InboundMessage
from mbc.extensions import db
from mbc.practice.models import PracticeSettings

MAX_BODY = 1600  # Twilio's longest message


@dataclass(frozen=True)
class Received:
    """What became of a reply: its keyword (None for free text), the clients it belongs to,
    and the language to answer in."""

    keyword: str | None
    clients: list[Client]
    language: str
    duplicate: bool = False


def receive(
    sid: str | None, number: str, body: str, now: datetime, practice: PracticeSettings
) -> Received:
    """Store a reply and act on it (flushes; the webhook commits). A ``sid`` already stored is
    a replay of the same webhook and changes nothing."""
    if sid and db.session.scalar(select(exists().where(InboundMessage.message_sid == sid))):
        return Received(None, [], practice.default_language, duplicate=True)
    keyword = keyword_of(body)
    clients = list(
        db.session.scalars(select(Client).where(Client.phone == number).order_by(Client.id))
        if number
        else []
    )
    db.session.add_all(
        InboundMessage(
            message_sid=sid or None,
            from_number=number[:64],
            client_id=client.id if client else None,
            body=body[:MAX_BODY],
            keyword=keyword,
            received_at=now,
        )
        for client in (clients or [None])
    )
    db.session.flush()
    language = language_for(clients, practice)
    ids = [c.id for c in clients]
    if number and keyword == "opt_out":
        consent.suppress("sms", number, "opted_out", source="sms_keyword", now=now, client_ids=ids)
    elif number and keyword == "opt_in":
        consent.lift("sms", number, source="sms_keyword", now=now, client_ids=ids)
    elif number and keyword is None:
        answer_once_a_day(number, clients, language, now, practice)
    return Received(keyword, clients, language)


def language_for(clients: Sequence[Client], practice: PracticeSettings) -> str:
    """The clients' language when they share one (a family on one phone may not), else the
    practice's default."""
    languages = {c.language for c in clients}
    return languages.pop() if len(languages) == 1 else practice.default_language


def answer_once_a_day(
    number: str,
    clients: Sequence[Client],
    language: str,
    now: datetime,
    practice: PracticeSettings,
) -> bool:
    """Queue the automatic answer unless this number had one today (the practice's calendar):
    the day is in the outbox's dedupe key, so two replies, or two webhooks at once, make one."""
    day = now.astimezone(ZoneInfo(practice.timezone)).date()
    return outbox.enqueue(
        kind="auto_reply",
        dedupe_key=f"auto_reply:{number}:{day.isoformat()}",
        language=language,
        scheduled_at=now,
        channel="sms",
        recipient=number,
        client_id=clients[0].id if len(clients) == 1 else None,
    )


def mark_seen(
    client: Client, user: StaffUser, now: datetime, shown: Sequence[InboundMessage]
) -> int:
    """The client's replies are read once their primary clinician or a care-team member opens
    the client's page (``shown``: the replies it lists, newest first); an admin's look leaves
    them new for the client's own clinicians."""
    caring = {client.primary_clinician_id, *(m.user_id for m in client.care_team)}
    if user.id not in caring or all(r.seen_at is not None for r in shown):
        return 0  # older replies than those shown were seen before them
    result = db.session.execute(
        update(InboundMessage)
        .where(InboundMessage.client_id == client.id, InboundMessage.seen_at.is_(None))
        .values(seen_at=now, seen_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
