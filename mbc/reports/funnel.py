"""The completion funnel: check-ins created, sent, delivered, opened, started, completed.

One row per check-in whose window opened in the period (a CTE of 0/1 stage flags), then summed
per group in SQL. A check-in is *intake* when it is the client's first, *follow-up* otherwise;
follow-ups are shown apart because that is where completion drops. Email has no delivery
receipts, so an email accepted by the mail server counts as delivered.

A check-in that can still be answered (open, its window not yet closed) is *open*, shown apart
from *not completed*; the completed and before-the-session shares both divide by the check-ins
no longer open, so neither counts the current week's unanswered ones as missed, and before the
session (a kind of completed) can never exceed completed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, case, exists, func, literal, select
from sqlalchemy.orm import aliased

from mbc.assessments.models import Assignment, CheckIn
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.delivery import labels
from mbc.extensions import db
from mbc.practice.models import Team
from mbc.reports.filters import ReportFilters
from mbc.reports.sql import month_start, week_start
from mbc.reports.table import Column, Table, share
from mbc.templating import instrument_name

STAGES = ("created", "sent", "delivered", "opened", "started", "completed")
GROUPINGS = {
    "clinician": _l("Clinician"),
    "team": _l("Team"),
    "instrument": _l("Instrument"),
    "channel": _l("Channel"),
    "week": _l("Week starting"),
    "month": _l("Month"),
    "kind": _l("Intake or follow-up"),
}
KINDS = {1: _l("Intake"), 0: _l("Follow-up")}
IN_SESSION_KEYS = "%:in_session"  # mbc.delivery.planner's plan keys for them


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


def first_check_ins(filters: ReportFilters) -> Any:
    """The clients the filters keep, with their clinician and team and their first check-in:
    one index probe per client (ix_check_ins_client_id_opens_at), not a search for an earlier
    one per check-in."""
    earlier = aliased(CheckIn)
    first = (
        select(earlier.id)
        .where(earlier.client_id == Client.id)
        .order_by(earlier.opens_at, earlier.id)
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )
    # OFFSET 0 keeps PostgreSQL from pulling the probe up into every check-in row.
    return (
        select(
            Client.id.label("client_id"),
            Client.primary_clinician_id.label("clinician_id"),
            Client.team_id.label("team_id"),
            first.label("first_id"),
        )
        .where(filters.people(Client.team_id, Client.primary_clinician_id))
        .offset(0)
        .subquery("first_check_ins")
    )


def check_in_flags(filters: ReportFilters, now: datetime) -> Any:
    """A CTE: one row per check-in in the filters, with its group columns and stage flags.

    Every stage is a column of the check-in's own row (started by mbc.assessments.services,
    the message stages by mbc.delivery.stages), so a year of check-ins is one scan."""
    clients = first_check_ins(filters)
    # A check-in asked from its session's start (SRS) cannot be done before it.
    has_session = CheckIn.session_starts_at.is_not(None) & ~func.coalesce(
        CheckIn.plan_key, ""
    ).like(IN_SESSION_KEYS)
    query = (
        select(
            CheckIn.id.label("id"),
            clients.c.clinician_id,
            clients.c.team_id,
            CheckIn.channel.label("channel"),
            CheckIn.opens_at.label("opens_at"),
            _flag(CheckIn.id == clients.c.first_id).label("intake"),
            _flag(CheckIn.message_sent).label("sent"),
            _flag(CheckIn.message_delivered).label("delivered"),
            _flag(CheckIn.first_opened_at.is_not(None)).label("opened"),
            _flag(CheckIn.started_at.is_not(None)).label("started"),  # completing starts it
            _flag(CheckIn.completed_at.is_not(None)).label("completed"),
            _flag(
                CheckIn.completed_at.is_(None)
                & (CheckIn.status == "open")
                & (CheckIn.closes_at > now)
            ).label("open"),
            _flag(has_session).label("has_session"),
            _flag(has_session & (CheckIn.completed_at <= CheckIn.session_starts_at)).label(
                "before_session"
            ),
            CheckIn.completed_at.label("completed_at"),
            CheckIn.first_reminder_at.label("first_reminder"),
        )
        .join(clients, clients.c.client_id == CheckIn.client_id)
        .where(filters.between(CheckIn.opens_at))
    )
    if filters.channel:
        query = query.where(CheckIn.channel == filters.channel)
    if filters.instrument:
        query = query.where(
            exists().where(
                Assignment.check_in_id == CheckIn.id,
                Assignment.instrument_code == filters.instrument,
            )
        )
    return query.cte("check_in_flags")


def _sums(flags: Any) -> list[Any]:
    reminded = flags.c.first_reminder.is_not(None)
    after_reminder = flags.c.completed_at >= flags.c.first_reminder
    return [
        func.count().label("created"),
        *(
            func.coalesce(func.sum(getattr(flags.c, name)), 0).label(name)
            for name in (*STAGES[1:], "open", "has_session", "before_session")
        ),
        func.coalesce(func.sum(_flag(reminded)), 0).label("reminded"),
        func.coalesce(func.sum(_flag(after_reminder)), 0).label("after_reminder"),
    ]


def _grouped(flags: Any, by: str, zone: str) -> tuple[Select[Any], Callable[[Any], str]]:
    """The GROUP BY query for ``by`` (weeks and months on the calendar of ``zone``) and how to
    name each group's key."""
    if by == "clinician":
        query = (
            select(StaffUser.name.label("label"), StaffUser.id.label("key"), *_sums(flags))
            .select_from(flags)
            .join(StaffUser, StaffUser.id == flags.c.clinician_id)
            .group_by(StaffUser.id, StaffUser.name)
            .order_by(StaffUser.name)
        )
        return query, str
    if by == "team":
        query = (
            select(Team.name.label("label"), Team.id.label("key"), *_sums(flags))
            .select_from(flags)
            .outerjoin(Team, Team.id == flags.c.team_id)
            .group_by(Team.id, Team.name)
            .order_by(Team.name)
        )
        return query, lambda name: name if name is not None else str(_l("No team"))
    if by == "instrument":
        query = (
            select(
                Assignment.instrument_code.label("label"), literal(0).label("key"), *_sums(flags)
            )
            .select_from(flags)
            .join(Assignment, Assignment.check_in_id == flags.c.id)
            .group_by(Assignment.instrument_code)
            .order_by(Assignment.instrument_code)
        )
        return query, instrument_name
    if by in ("week", "month"):
        bucket = (week_start if by == "week" else month_start)(
            flags.c.opens_at, literal(zone, String())
        )
        query = (
            select(bucket.label("label"), literal(0).label("key"), *_sums(flags))
            .group_by(bucket)
            .order_by(bucket)
        )
        return query, str
    if by == "channel":
        query = (
            select(flags.c.channel.label("label"), literal(0).label("key"), *_sums(flags))
            .group_by(flags.c.channel)
            .order_by(flags.c.channel)
        )
        return query, lambda channel: str(labels.CHANNEL.get(channel, channel))
    query = (
        select(flags.c.intake.label("label"), literal(0).label("key"), *_sums(flags))
        .group_by(flags.c.intake)
        .order_by(flags.c.intake.desc())
    )
    return query, lambda intake: str(KINDS[int(intake)])


COUNTS = (*STAGES, "open", "has_session", "before_session", "reminded", "after_reminder")


def _counts(row: Any) -> dict[str, int]:
    return {name: int(getattr(row, name) or 0) for name in COUNTS}


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for name in COUNTS:
        into[name] = into.get(name, 0) + counts[name]


def _row(label: str, counts: dict[str, int]) -> dict[str, Any]:
    row: dict[str, Any] = {"group": label, **{name: counts.get(name, 0) for name in COUNTS}}
    row["not_completed"] = row["created"] - row["completed"] - row["open"]
    row["closed"] = row["created"] - row["open"]  # the one denominator of both shares
    row["completed_share"] = share(row["completed"], row["closed"])
    row["before_session_share"] = share(row["before_session"], row["closed"])
    row["after_reminder_share"] = share(row["after_reminder"], row["reminded"])
    return row


def columns(group_label: str) -> list[Column]:
    return [
        Column("group", group_label),
        Column("created", _l("Check-ins"), "count"),
        Column("sent", _l("Sent"), "count"),
        Column("delivered", _l("Delivered"), "count"),
        Column("opened", _l("Link opened"), "count"),
        Column("started", _l("Started"), "count"),
        Column("completed", _l("Completed"), "count"),
        Column("open", _l("Still open"), "count"),
        Column("not_completed", _l("Not completed"), "count"),
        Column("completed_share", _l("Completed %"), "percent"),
        Column("before_session_share", _l("Before the session %"), "percent"),
        Column("reminded", _l("Reminded"), "count"),
        Column("after_reminder_share", _l("Completed after a reminder %"), "percent"),
    ]


def funnel(filters: ReportFilters, by: str, now: datetime) -> list[Table]:
    """The funnel by ``by`` with a practice total, and intake beside follow-up.

    One pass over the check-ins grouped by ``by`` and intake gives all three (their counts add
    up); by instrument a check-in with two instruments counts in both rows, so the total and the
    intake split need a second pass there.
    """
    flags = check_in_flags(filters, now)
    query, name = _grouped(flags, by if by != "kind" else "channel", filters.timezone)
    kinds: dict[int, dict[str, int]] = {}
    groups: dict[tuple[Any, Any], dict[str, int]] = {}
    if by == "instrument":
        for r in db.session.execute(query):
            groups[(r.label, r.key)] = _counts(r)
        kind_query, _name = _grouped(flags, "kind", filters.timezone)
        for r in db.session.execute(kind_query):
            kinds[int(r.label)] = _counts(r)
    else:
        split = query.add_columns(flags.c.intake.label("intake")).group_by(flags.c.intake)
        for r in db.session.execute(split):
            counts = _counts(r)
            _add(groups.setdefault((r.label, r.key), {}), counts)
            _add(kinds.setdefault(int(r.intake), {}), counts)
    total: dict[str, int] = {}
    for counts in kinds.values():
        _add(total, counts)
    by_kind = [_row(str(KINDS[intake]), kinds[intake]) for intake in (1, 0) if intake in kinds]
    rows = by_kind if by == "kind" else [_row(name(label), c) for (label, _k), c in groups.items()]
    main = Table(
        "funnel",
        str(_l("Completion funnel")),
        columns(str(GROUPINGS[by])),
        [*rows, _row(str(_l("All")), total)],
        note=str(
            _l(
                "Check-ins whose window opened in the period. Still open: can still be "
                "answered. The completed and before-the-session shares are both of the check-ins "
                "no longer open (check-ins minus still open). Email has no delivery receipts: "
                "accepted by the mail server counts as delivered."
            )
        ),
    )
    if by == "kind":
        return [main]
    kinds_table = Table(
        "intake_follow_up",
        str(_l("Intake and follow-up")),
        columns(str(GROUPINGS["kind"])),
        by_kind,
        note=str(_l("Follow-up check-ins are where completion usually drops.")),
    )
    return [main, kinds_table]


def completion_share(
    filters: ReportFilters, follow_up_only: bool, now: datetime
) -> tuple[float | None, int]:
    """Completed share of the check-ins in the filters no longer open (follow-ups only if
    asked), and how many those are: the funnel's completed %."""
    flags = check_in_flags(filters, now)
    query = select(func.count(), func.coalesce(func.sum(flags.c.completed), 0)).where(
        flags.c.open == literal(0)
    )
    if follow_up_only:
        query = query.where(flags.c.intake == literal(0))
    n, completed = db.session.execute(query).one()
    return share(int(completed), int(n)), int(n)
