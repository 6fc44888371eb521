"""Consent and opt-out: what a client agreed to, which addresses must get nothing, and the
history of both (source and time of every change)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select, tuple_

from mbc.clients.models import Client
from mbc.delivery.models import ConsentEvent, ContactConsent, Suppression
from mbc.delivery.routing import Contact
from mbc.extensions import db

EVENT_FOR_SUPPRESSION = {"opted_out": "opted_out", "unsubscribed": "unsubscribed"}


def contacts_of(clients: Iterable[Client]) -> dict[int, Contact]:
    """Each client's contact details with consents and suppressions: two queries in all."""
    clients = list(clients)
    ids = [c.id for c in clients]
    consent: dict[int, dict[str, bool]] = {i: {} for i in ids}
    decisions = select(ContactConsent.client_id, ContactConsent.channel, ContactConsent.granted)
    for client_id, channel, granted in db.session.execute(
        decisions.where(ContactConsent.client_id.in_(ids))
    ):
        consent[client_id][channel] = granted
    pairs = {("sms", c.phone) for c in clients if c.phone}
    pairs |= {("email", c.email) for c in clients if c.email}
    suppressed = suppressions(pairs)
    return {
        c.id: Contact(
            preferred_channel=c.preferred_channel,
            phone=c.phone,
            email=c.email,
            consent=consent[c.id],
            suppressed={
                key: suppressed[key]
                for key in (("sms", c.phone), ("email", c.email))
                if key in suppressed
            },
        )
        for c in clients
    }


def suppressions(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    if not pairs:
        return {}
    found: dict[tuple[str, str], str] = {}
    pair_list = sorted(pairs)
    for start in range(0, len(pair_list), 500):
        chunk = pair_list[start : start + 500]
        rows = db.session.execute(
            select(Suppression.channel, Suppression.address, Suppression.reason).where(
                tuple_(Suppression.channel, Suppression.address).in_(chunk)
            )
        )
        found.update({(channel, address): reason for channel, address, reason in rows})
    return found


def has_decision(client_id: int, channel: str) -> bool:
    return db.session.get(ContactConsent, (client_id, channel)) is not None


def consents_of(client_id: int) -> dict[str, ContactConsent]:
    rows = db.session.scalars(select(ContactConsent).where(ContactConsent.client_id == client_id))
    return {row.channel: row for row in rows}


def set_consent(
    client: Client,
    channel: str,
    granted: bool,
    *,
    source: str,
    now: datetime,
    actor_id: int | None = None,
) -> bool:
    """Record a client's consent (or its withdrawal) for a channel; True when it changed."""
    current = db.session.get(ContactConsent, (client.id, channel))
    if current is not None and current.granted == granted:
        return False
    if current is None:
        current = ContactConsent(client_id=client.id, channel=channel)
        db.session.add(current)
    current.granted, current.source = granted, source
    current.recorded_at, current.recorded_by_id = now, actor_id
    _event(
        "granted" if granted else "withdrawn",
        channel,
        client.phone if channel == "sms" else client.email,
        source=source,
        now=now,
        client_id=client.id,
        actor_id=actor_id,
    )
    return True


def clients_at(channel: str, address: str) -> list[int]:
    """The ids of every client with this phone number (``sms``) or email address: a family
    may share one, and an opt-out of the address is every such client's."""
    column = Client.phone if channel == "sms" else Client.email
    return list(db.session.scalars(select(Client.id).where(column == address).order_by(Client.id)))


def suppress(
    channel: str,
    address: str,
    reason: str,
    *,
    source: str,
    now: datetime,
    detail: str | None = None,
    client_ids: Sequence[int] | None = None,
) -> None:
    """Stop everything on ``channel`` to ``address`` (an opt-out, unsubscribe or bad address).
    An opt-out or unsubscribe is recorded for each client at the address (``client_ids``, found
    when not given)."""
    row = db.session.get(Suppression, (channel, address))
    if row is None:
        row = Suppression(channel=channel, address=address)
        db.session.add(row)
    row.reason, row.source, row.detail, row.since = reason, source, detail, now
    db.session.flush()
    if reason in EVENT_FOR_SUPPRESSION:
        event = EVENT_FOR_SUPPRESSION[reason]
        _events(event, channel, address, source=source, now=now, client_ids=client_ids)


def lift(
    channel: str,
    address: str,
    *,
    source: str,
    now: datetime,
    client_ids: Sequence[int] | None = None,
) -> bool:
    """An opt-in (SMS START): the address may receive messages again, recorded for each client
    at the address. True when it was opted out."""
    result = db.session.execute(
        delete(Suppression).where(
            Suppression.channel == channel,
            Suppression.address == address,
            Suppression.reason.in_(("opted_out", "unsubscribed")),
        )
    )
    _events("opted_in", channel, address, source=source, now=now, client_ids=client_ids)
    return bool(result.rowcount)


def _events(
    event: str,
    channel: str,
    address: str,
    *,
    source: str,
    now: datetime,
    client_ids: Sequence[int] | None,
) -> None:
    """A line of history per client at the address; one without a client when none has it."""
    ids = clients_at(channel, address) if client_ids is None else client_ids
    for client_id in ids or [None]:
        _event(event, channel, address, source=source, now=now, client_id=client_id)


def _event(
    event: str,
    channel: str,
    address: str | None,
    *,
    source: str,
    now: datetime,
    client_id: int | None = None,
    actor_id: int | None = None,
) -> None:
    """One line of consent history (flushed with the change it records)."""
    db.session.add(
        ConsentEvent(
            client_id=client_id,
            channel=channel,
            address=address,
            event=event,
            source=source,
            recorded_at=now,
            recorded_by_id=actor_id,
        )
    )
    db.session.flush()
