"""Sending what is due, exactly once.

A pass claims a batch (``sending``), decides for each message whether it still makes sense (the
check-in may be completed or closed, the client opted out, the hour too late), creates the link
and renders the text, and commits all of that before any provider is called (``sending``
makes the calls). Provider results are then committed in small groups as they arrive. A process
that dies in between leaves rows in ``sending``; ``reconcile`` settles them against the provider
instead of sending again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import lazyload

from mbc.alerts import services as alerts
from mbc.assessments import services as check_ins
from mbc.assessments.links import link_url
from mbc.assessments.models import Alert, CheckIn, CheckInLink
from mbc.auth.models import StaffUser
from mbc.auth.reset import reset_url
from mbc.clients.models import Client
from mbc.delivery import compose, consent, outbox, sending
from mbc.delivery.backends import Backends
from mbc.delivery.failures import SendError, retry_after
from mbc.delivery.mail import Email, unwritable
from mbc.delivery.models import ClientPlan, Message
from mbc.delivery.quiet_hours import next_allowed
from mbc.delivery.routing import Contact, route
from mbc.delivery.sms import body_digest
from mbc.delivery.unsubscribe import unsubscribe_url
from mbc.extensions import db
from mbc.practice.models import PracticeSettings
from mbc.practice.services import get_practice

log = logging.getLogger(__name__)
CHECK_IN_KINDS = ("invitation", "reminder")


@dataclass
class DispatchStats:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    skipped: int = 0
    deferred: int = 0


@dataclass
class Ready:
    """A message cleared to go, with its rendered text."""

    message: Message
    sms: str | None = None
    email: Email | None = None


@dataclass
class _Context:
    practice: PracticeSettings
    now: datetime
    check_ins: dict[int, CheckIn] = field(default_factory=dict)
    clients: dict[int, Client] = field(default_factory=dict)
    staff: dict[int, StaffUser] = field(default_factory=dict)
    paused: set[int] = field(default_factory=set)
    alerts: dict[int, Alert] = field(default_factory=dict)
    contacts: dict[int, Contact] = field(default_factory=dict)
    links: list[dict] = field(default_factory=list)  # check_in_links rows to insert


# Results are committed in groups, at least every RESULT_COMMIT_SECONDS and at most
# RESULT_COMMIT_MOST at a time: a crash before a group's commit leaves its rows 'sending', which
# reconciliation settles against the provider. Bounding by time keeps that group small with a
# slow provider (Twilio answers in about 0.2 s) and the commits few with a fast one.
RESULT_COMMIT_SECONDS = 0.25
RESULT_COMMIT_MOST = 200


def send_due(now: datetime, backends: Backends, *, batch: int = 500) -> DispatchStats:
    """Send everything due at ``now``, batch by batch, until nothing is left."""
    stats = DispatchStats()
    while True:
        token = outbox.claim_due(now, batch)
        if token is None:
            db.session.commit()
            return stats
        messages = outbox.claimed(token)
        ready = prepare(messages, now, stats)
        db.session.commit()  # 'sending', links and digests are durable before any call
        _deliver_all(ready, backends, now, stats)
        if len(messages) < batch:
            return stats
        db.session.expunge_all()  # keep commits cheap: each expires what the session holds


def prepare(messages: list[Message], now: datetime, stats: DispatchStats) -> list[Ready]:
    ctx = _load_context(messages, now)
    sender = current_app.config["MAIL_FROM"]
    ready = []
    for message in messages:
        item = _decide(message, ctx, stats)
        if item is not None and item.email is not None and unwritable(item.email, sender):
            _stop(message, "failed", "cannot_render", stats)
        elif item is not None:
            ready.append(item)
    if ctx.links:  # one multi-row INSERT (an ORM flush would add RETURNING, parsed per row)
        db.session.connection().execute(insert(CheckInLink.__table__), ctx.links)
    db.session.flush()
    return ready


def _deliver_all(
    ready: list[Ready], backends: Backends, now: datetime, stats: DispatchStats
) -> None:
    outgoing = [
        sending.Outgoing(i, r.message.id, str(r.message.recipient), r.sms, r.email)
        for i, r in enumerate(ready)
    ]
    sent: dict[int, str] = {}  # message id -> provider id, stored one group at a time
    last_commit = time.monotonic()

    def commit() -> None:
        nonlocal last_commit
        outbox.mark_sent(sent, now)
        db.session.commit()
        sent.clear()
        last_commit = time.monotonic()

    for out in (o for o in outgoing if sending.is_local(o, backends)):
        outcome = sending.call(out, backends)
        if isinstance(outcome, Exception) and not isinstance(outcome, SendError):
            db.session.rollback()  # the console backend's own write failed: nothing was stored
        _record(ready[out.index].message, outcome, now, stats, sent)
        commit()
    network = [o for o in outgoing if not sending.is_local(o, backends)]
    texts = [o for o in network if o.sms is not None]
    for out, outcome in sending.concurrently(texts, backends):
        _record(ready[out.index].message, outcome, now, stats, sent)
        waited = time.monotonic() - last_commit
        if len(sent) >= RESULT_COMMIT_MOST or waited >= RESULT_COMMIT_SECONDS:
            commit()
    commit()
    # Email one at a time, each handed over and recorded in commits of its own: SMTP cannot be
    # asked afterwards what it took, so at most the one email in flight is ever in doubt.
    for out in (o for o in network if o.email is not None):
        message = ready[out.index].message
        if outbox.hand_over(message, now):
            _record(message, sending.call(out, backends), now, stats, sent)
            commit()


def _record(
    message: Message,
    outcome: sending.Outcome,
    now: datetime,
    stats: DispatchStats,
    sent: dict[int, str],
) -> None:
    if isinstance(outcome, SendError):
        record_failure(message, outcome, now, stats)
    elif isinstance(outcome, Exception):  # unknown outcome: left 'sending', never resent
        log.error(
            "message %s: unexpected %s while sending; left for reconciliation",
            message.id,
            type(outcome).__name__,
        )
    else:
        sent[message.id] = outcome[:64]
        stats.sent += 1


def record_failure(message: Message, error: SendError, now: datetime, stats: Any) -> None:
    message.last_error = error.reason
    if error.permanent:
        message.status = "failed"
        stats.failed += 1
        if error.suppress and message.channel and message.recipient:
            consent.suppress(
                message.channel,
                message.recipient,
                error.suppress,
                source="provider",
                now=now,
                detail=error.reason[:200],
            )
        return
    retry = retry_after(message.attempts)
    if retry.delay_seconds is None:
        message.status = "failed"
        message.last_error = f"gave up after {message.attempts} attempts: {error.reason}"[:500]
        stats.failed += 1
    else:
        message.status = "pending"
        message.due_at = now + timedelta(seconds=retry.delay_seconds)
        stats.retrying += 1


def _load_context(messages: list[Message], now: datetime) -> _Context:
    """Everything the decisions need, in a fixed number of queries whatever the batch size."""
    ctx = _Context(practice=get_practice(), now=now)
    check_in_ids = {m.check_in_id for m in messages if m.check_in_id}
    client_ids = {m.client_id for m in messages if m.client_id}
    staff_ids = {m.staff_user_id for m in messages if m.staff_user_id}
    alert_ids = {m.alert_id for m in messages if m.alert_id}
    if alert_ids:
        ctx.alerts = {
            a.id: a
            for a in db.session.scalars(
                select(Alert).where(Alert.id.in_(alert_ids)).options(lazyload("*"))
            )
        }
    if check_in_ids:
        ctx.check_ins = {
            c.id: c
            for c in db.session.scalars(
                select(CheckIn).where(CheckIn.id.in_(check_in_ids)).options(lazyload("*"))
            )
        }
    if client_ids:
        ctx.clients = {
            c.id: c
            for c in db.session.scalars(
                select(Client).where(Client.id.in_(client_ids)).options(lazyload("*"))
            )
        }
        ctx.paused = set(
            db.session.scalars(
                select(ClientPlan.client_id).where(
                    ClientPlan.client_id.in_(client_ids), ClientPlan.paused_at.is_not(None)
                )
            )
        )
        ctx.contacts = consent.contacts_of(list(ctx.clients.values()))
    if staff_ids:
        ctx.staff = {
            u.id: u
            for u in db.session.scalars(select(StaffUser).where(StaffUser.id.in_(staff_ids)))
        }
    return ctx


def _stop(message: Message, status: str, reason: str, stats: DispatchStats) -> None:
    message.status, message.skip_reason = status, reason[:80]
    stats.skipped += 1


def _decide(message: Message, ctx: _Context, stats: DispatchStats) -> Ready | None:
    if message.kind in CHECK_IN_KINDS:
        return _decide_check_in(message, ctx, stats)
    if message.kind == "password_reset":
        return _decide_password_reset(message, ctx, stats)
    if message.kind == "alert":
        return _decide_alert(message, ctx, stats)
    if message.kind == "auto_reply":
        return _decide_auto_reply(message, ctx, stats)
    if message.kind == "progress_link":
        return _decide_progress_link(message, ctx, stats)
    _stop(message, "skipped", "unknown_kind", stats)
    return None


def _decide_check_in(message: Message, ctx: _Context, stats: DispatchStats) -> Ready | None:
    check_in = ctx.check_ins.get(message.check_in_id or 0)
    client = ctx.clients.get(message.client_id or 0)
    if check_in is None or client is None:
        _stop(message, "cancelled", "check_in_missing", stats)
        return None
    state = check_ins.state(check_in, ctx.now)
    if state == "completed":
        _stop(message, "skipped", "completed", stats)
        return None
    if check_in.status == "revoked":
        _stop(message, "cancelled", "check_in_revoked", stats)
        return None
    if state == "closed":
        _stop(message, "skipped", "check_in_closed", stats)
        return None
    if client.id in ctx.paused:
        _stop(message, "cancelled", "plan_paused", stats)
        return None
    if client.status != "active" and not (check_in.plan_key or "").startswith("discharge:"):
        _stop(message, "cancelled", "client_discharged", stats)
        return None
    chosen = route(ctx.contacts[client.id])
    if not chosen.ok:
        _stop(message, "skipped", ",".join(chosen.reasons), stats)
        return None
    practice = ctx.practice
    allowed = next_allowed(
        ctx.now, client.timezone, practice.quiet_hours_start, practice.quiet_hours_end
    )
    if state == "not_open":
        allowed = max(allowed, check_in.opens_at)
    if allowed > ctx.now:
        if allowed >= check_in.closes_at:
            _stop(message, "skipped", "quiet_hours_too_late", stats)
            return None
        message.status, message.due_at = "pending", allowed
        message.attempts -= 1  # waiting for the window is not an attempt
        stats.deferred += 1
        return None
    message.channel, message.recipient = chosen.channel, chosen.address
    token, link = check_ins.new_link(check_in, message_id=message.id, now=ctx.now)
    ctx.links.append(link)
    notice = compose.CheckInNotice(
        practice=practice.name,
        language=check_in.language,
        reminder=message.kind == "reminder",
        url=link_url(token),
        session_starts_at=check_in.session_starts_at,
        timezone=client.timezone,
        now=ctx.now,
    )
    if chosen.channel == "sms":
        text = compose.check_in_sms(notice)
        message.body_sha256 = body_digest(text)
        return Ready(message, sms=text)
    email = compose.check_in_email(notice, str(chosen.address), unsubscribe_url(message.id))
    message.body_sha256 = body_digest(email.text)
    return Ready(message, email=email)


def _decide_password_reset(message: Message, ctx: _Context, stats: DispatchStats) -> Ready | None:
    user = ctx.staff.get(message.staff_user_id or 0)
    if user is None or not user.is_active:
        _stop(message, "cancelled", "account_inactive", stats)
        return None
    if ctx.now - message.scheduled_at > timedelta(hours=1):
        _stop(message, "skipped", "too_late", stats)
        return None
    message.channel, message.recipient = "email", user.email
    email = compose.password_reset_email(
        ctx.practice.name,
        user.preferred_language,
        user.email,
        reset_url(user),
        int(current_app.config["PASSWORD_RESET_MINUTES"]),
        first=user.last_signed_in_at is None,
    )
    message.body_sha256 = body_digest(email.text)
    return Ready(message, email=email)


def _decide_alert(message: Message, ctx: _Context, stats: DispatchStats) -> Ready | None:
    """Staff notices of urgent alerts go at any hour (quiet hours are for clients), to the
    channel and address chosen when the alert was raised, and stop once it is acknowledged."""
    user = ctx.staff.get(message.staff_user_id or 0)
    alert = ctx.alerts.get(message.alert_id or 0)
    if user is None or not user.is_active:
        _stop(message, "cancelled", "account_inactive", stats)
        return None
    if alert is None or alert.status != "open":
        _stop(message, "skipped", "alert_acknowledged", stats)
        return None
    notice = compose.AlertNotice(
        practice=ctx.practice.name,
        language=user.preferred_language,
        url=f"{current_app.config['BASE_URL']}/alerts/{alert.id}",
        escalation=alerts.is_escalation(message.dedupe_key),
    )
    if message.channel == "sms" and message.recipient:
        text = compose.alert_sms(notice)
        message.body_sha256 = body_digest(text)
        return Ready(message, sms=text)
    message.channel, message.recipient = "email", user.email
    email = compose.alert_email(notice, user.email)
    message.body_sha256 = body_digest(email.text)
    return Ready(message, email=email)


# An automatic answer held up longer than this (the scheduler was down) would no longer read as
# an answer: it is skipped.
AUTO_REPLY_LATEST = timedelta(hours=1)


def _decide_auto_reply(message: Message, ctx: _Context, stats: DispatchStats) -> Ready | None:
    """The answer to a client's free-text SMS goes at any hour (they have just written), without
    asking for consent (they wrote to us), but never to a number that opted out or cannot
    receive texts."""
    number = str(message.recipient or "")
    reason = consent.suppressions({("sms", number)}).get(("sms", number))
    if reason is not None:
        code = "sms_opted_out" if reason == "opted_out" else "sms_invalid"
        _stop(message, "skipped", code, stats)
        return None
    if ctx.now - message.scheduled_at > AUTO_REPLY_LATEST:
        _stop(message, "skipped", "too_late", stats)
        return None
    text = compose.auto_reply_sms(ctx.practice, message.language)
    message.body_sha256 = body_digest(text)
    return Ready(message, sms=text)


# A progress link held up longer than this (quiet hours, the scheduler down) is not sent: the
# clinician who sent it expects it within the day.
PROGRESS_LINK_LATEST = timedelta(hours=24)


def _decide_progress_link(message: Message, ctx: _Context, stats: DispatchStats) -> Ready | None:
    """A client's progress link (mbc.progress): only while the page may still be seen, by the
    channel a check-in would take, outside the client's quiet hours; the link is signed now."""
    from mbc.progress import links as progress_links
    from mbc.progress.messages import progress_email, progress_sms
    from mbc.progress.services import visible

    client = ctx.clients.get(message.client_id or 0)
    if client is None or not visible(ctx.practice, client):
        _stop(message, "cancelled", "progress_not_shared", stats)
        return None
    if ctx.now - message.scheduled_at > PROGRESS_LINK_LATEST:
        _stop(message, "skipped", "too_late", stats)
        return None
    chosen = route(ctx.contacts[client.id])
    if not chosen.ok:
        _stop(message, "skipped", ",".join(chosen.reasons), stats)
        return None
    practice = ctx.practice
    allowed = next_allowed(
        ctx.now, client.timezone, practice.quiet_hours_start, practice.quiet_hours_end
    )
    if allowed > ctx.now:
        message.status, message.due_at = "pending", allowed
        message.attempts -= 1  # waiting for the window is not an attempt
        stats.deferred += 1
        return None
    message.channel, message.recipient = chosen.channel, chosen.address
    url = progress_links.link_url(progress_links.make_token(client.id))
    if chosen.channel == "sms":
        text = progress_sms(practice.name, client.language, url)
        message.body_sha256 = body_digest(text)
        return Ready(message, sms=text)
    days = int(current_app.config["PROGRESS_LINK_DAYS"])
    email = progress_email(
        practice.name, client.language, str(chosen.address), url, days, unsubscribe_url(message.id)
    )
    message.body_sha256 = body_digest(email.text)
    return Ready(message, email=email)
