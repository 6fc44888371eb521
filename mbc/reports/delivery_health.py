"""Delivery health: why messages failed or were not sent, and which clients cannot be reached
(opted out, no consent, an address that does not work), each with a link to fix it."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import aliased

from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.delivery import labels
from mbc.delivery.models import ContactConsent, Message, Suppression
from mbc.extensions import db
from mbc.reports.filters import ReportFilters
from mbc.reports.table import Column, Table

CONTACT_ISSUES = {
    "no_address": _l("No address for the preferred channel"),
    "opted_out": _l("Opted out (STOP or unsubscribe)"),
    "invalid": _l("Address does not work"),
    "no_consent": _l("No consent recorded"),
}
CLIENTS_SHOWN = 500


def failures(filters: ReportFilters) -> Table:
    """Failed, undelivered and unsent client messages created in the period, by reason."""
    reason = func.coalesce(Message.last_error, Message.skip_reason, "")
    query = (
        select(Message.channel, Message.status, reason.label("reason"), func.count().label("n"))
        .join(Client, Client.id == Message.client_id)
        .where(
            Message.status.in_(("failed", "undeliverable", "skipped")),
            filters.between(Message.created_at),
            filters.people(Client.team_id, Client.primary_clinician_id),
        )
        .group_by(Message.channel, Message.status, reason)
        .order_by(func.count().desc(), Message.status)
    )
    if filters.channel in ("sms", "email"):
        query = query.where(Message.channel == filters.channel)
    rows = []
    for channel, status, why, n in db.session.execute(query):
        rows.append(
            {
                "channel": str(labels.CHANNEL.get(channel, channel or "")),
                "status": str(labels.STATUS.get(status, status)),
                "reason": labels.reasons(why) if status == "skipped" else why,
                "n": int(n),
            }
        )
    return Table(
        "failures",
        str(_l("Messages not delivered, by reason")),
        [
            Column("channel", _l("Channel")),
            Column("status", _l("Status")),
            Column("reason", _l("Reason")),
            Column("n", _l("Messages"), "count"),
        ],
        rows,
    )


def _issue_expression() -> tuple[Any, list[Any]]:
    """The contact issue of an active client's preferred channel, as a CASE, and its joins."""
    sms_block = aliased(Suppression)
    email_block = aliased(Suppression)
    agreed = aliased(ContactConsent)
    address = case((Client.preferred_channel == "sms", Client.phone), else_=Client.email)
    blocked = case((Client.preferred_channel == "sms", sms_block.reason), else_=email_block.reason)
    issue = case(
        (address.is_(None), "no_address"),
        (blocked.in_(("opted_out", "unsubscribed")), "opted_out"),
        (blocked.in_(("invalid_address", "blocked")), "invalid"),
        (or_(agreed.granted.is_(None), agreed.granted.is_(False)), "no_consent"),
        else_=None,
    )
    joins = [
        (sms_block, and_(sms_block.channel == "sms", sms_block.address == Client.phone)),
        (email_block, and_(email_block.channel == "email", email_block.address == Client.email)),
        (
            agreed,
            and_(agreed.client_id == Client.id, agreed.channel == Client.preferred_channel),
        ),
    ]
    return issue, joins


def contact_issues(filters: ReportFilters) -> list[Table]:
    issue, joins = _issue_expression()
    flagged = select(
        Client.id,
        Client.client_ref,
        Client.preferred_channel,
        Client.primary_clinician_id,
        issue.label("issue"),
    )
    for target, on in joins:
        flagged = flagged.outerjoin(target, on)
    flagged_sq = (
        flagged.where(
            Client.status == "active",
            filters.people(Client.team_id, Client.primary_clinician_id),
        )
        .where(issue.is_not(None))
        .subquery()
    )
    if filters.channel in ("sms", "email"):
        scope = flagged_sq.c.preferred_channel == filters.channel
    else:
        scope = true()
    counts = db.session.execute(
        select(flagged_sq.c.issue, func.count())
        .where(scope)
        .group_by(flagged_sq.c.issue)
        .order_by(flagged_sq.c.issue)
    ).all()
    listed = db.session.execute(
        select(flagged_sq, StaffUser.name)
        .join(StaffUser, StaffUser.id == flagged_sq.c.primary_clinician_id)
        .where(scope)
        .order_by(flagged_sq.c.issue, flagged_sq.c.client_ref)
        .limit(CLIENTS_SHOWN)
    ).all()
    summary = Table(
        "contact_summary",
        str(_l("Active clients who cannot be reached")),
        [Column("issue", _l("Issue")), Column("n", _l("Clients"), "count")],
        [{"issue": str(CONTACT_ISSUES[key]), "n": int(n)} for key, n in counts],
    )
    clients = Table(
        "contact_clients",
        str(_l("Clients to fix")),
        [
            Column("client", _l("Client"), "link"),
            Column("clinician", _l("Clinician")),
            Column("channel", _l("Preferred channel")),
            Column("issue", _l("Issue")),
        ],
        [
            {
                "client": (
                    r.client_ref,
                    url_for("admin.client_edit", client_id=r.id),
                ),
                "clinician": r.name,
                "channel": str(labels.CHANNEL.get(r.preferred_channel, r.preferred_channel)),
                "issue": str(CONTACT_ISSUES[r.issue]),
            }
            for r in listed
        ],
        note=str(_l("Each reference opens the client's details to fix the contact or consent.")),
        client_ids=[r.id for r in listed],
    )
    return [summary, clients]
