"""Turning plans and appointments into check-ins and their messages, and keeping them in step
with the calendar: a cancelled session revokes its check-in, a moved one moves it, a no-show
closes it, and a check-in past its closing time closes.

Each planned check-in is committed on its own; ``check_ins.plan_key`` is unique per client, so a
second scheduler process planning the same session fails on the constraint and moves on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from mbc.assessments import bulk
from mbc.assessments import services as check_ins
from mbc.assessments.models import Assignment, CheckIn
from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, Client
from mbc.delivery import outbox
from mbc.delivery.models import Message
from mbc.delivery.plans import RuleIndex, load_rules, practice_timing
from mbc.delivery.schedule import (
    IN_SESSION,
    RuleSpec,
    Timing,
    in_session_window,
    plan_for_session,
    session_window,
    split_in_session,
    weekly_due_date,
)
from mbc.extensions import db
from mbc.practice.models import PracticeSettings
from mbc.practice.services import get_practice

HELD_OR_SCHEDULED = ("scheduled", "completed")
# Calendar check-ins open at this local hour on their due date.
UNSCHEDULED_OPEN_HOUR = 10
DISCHARGE_LOOKBACK = timedelta(days=14)


@dataclass
class PlanStats:
    planned: int = 0
    revoked: int = 0
    moved: int = 0
    closed: int = 0
    conflicts: int = 0


def planning_horizon(practice: PracticeSettings, rules: RuleIndex) -> timedelta:
    """Sessions are planned once their invitation is at most a day away."""
    hours = [practice.invite_hours_before]
    for specs in [rules.practice, *rules.team.values(), *rules.client.values()]:
        hours += [r.invite_hours_before for r in specs if r.invite_hours_before]
    return timedelta(hours=max(hours) + 24)


def plan_sessions(now: datetime, stats: PlanStats) -> None:
    practice = get_practice()
    rules = load_rules()
    horizon = now + planning_horizon(practice, rules)
    upcoming = and_(
        Appointment.status == "scheduled",
        Appointment.starts_at > now,
        Appointment.starts_at <= horizon,
    )
    # Session numbers are counted only for clients with a session within the horizon, so a
    # pass does not number the practice's whole appointment history every 30 seconds.
    soon = select(Appointment.client_id).where(upcoming)
    numbered = (
        select(
            Appointment.id.label("appointment_id"),
            func.row_number()
            .over(
                partition_by=Appointment.client_id,
                order_by=(Appointment.starts_at, Appointment.id),
            )
            .label("number"),
        )
        .where(Appointment.status.in_(HELD_OR_SCHEDULED), Appointment.client_id.in_(soon))
        .subquery()
    )
    already_planned = exists().where(
        CheckIn.appointment_id == Appointment.id, CheckIn.plan_key.is_not(None)
    )
    rows = db.session.execute(
        select(Appointment, Client, numbered.c.number)
        .join(Client, Client.id == Appointment.client_id)
        .join(numbered, numbered.c.appointment_id == Appointment.id)
        .where(upcoming, Client.status == "active", ~already_planned)
        .order_by(Appointment.starts_at)
        .options(lazyload("*"))
    ).all()
    timing = practice_timing(practice)
    planned: list[Planned] = []
    for appointment, client, number in rows:
        if client.id in rules.paused:
            continue
        _source, specs = rules.for_client(client.id, client.team_id)
        local_day = appointment.starts_at.astimezone(ZoneInfo(client.timezone)).date()
        plan = plan_for_session(specs, int(number), local_day, timing)
        if plan is None:
            continue
        planned += _session_check_ins(appointment, client, plan.instruments, plan.timing, now)
    create_planned(planned, stats)


def _session_check_ins(
    appointment: Appointment,
    client: Client,
    instruments: tuple[str, ...],
    timing: Timing,
    now: datetime,
) -> list[Planned]:
    """A session's check-ins: the one before it, and the one from its start for instruments
    about the session itself (SRS asks about "today's session", so never before it)."""
    before, during = split_in_session(instruments)
    key = f"appointment:{appointment.id}"
    parts = []
    if before:
        parts.append((before, key, session_window(appointment.starts_at, timing, now)))
    in_session = in_session_window(appointment.starts_at, timing, client.timezone)
    if during and in_session is not None:
        parts.append((during, f"{key}:in_session", in_session))
    return [
        Planned(
            client=ClientSnapshot.of(client),
            instruments=list(codes),
            plan_key=plan_key,
            appointment_id=appointment.id,
            session_starts_at=appointment.starts_at,
            opens_at=window.opens_at,
            closes_at=window.closes_at,
            invite_at=window.invite_at,
            reminder_at=window.reminder_at,
        )
        for codes, plan_key, window in parts
    ]


def plan_unscheduled(now: datetime, stats: PlanStats) -> None:
    """Every-N-weeks check-ins on their due dates, and the discharge check-in."""
    practice = get_practice()
    rules = load_rules()
    window = timedelta(days=practice.unscheduled_window_days)
    if not _has_rule(rules, ("every_n_weeks", "discharge")):
        return
    clients = db.session.scalars(
        select(Client)
        .where(
            (Client.status == "active")
            | and_(Client.status == "discharged", Client.discharged_at >= now - DISCHARGE_LOOKBACK)
        )
        .options(lazyload("*"))
    ).all()
    existing = set(
        db.session.execute(
            select(CheckIn.client_id, CheckIn.plan_key).where(
                CheckIn.plan_key.like("weeks:%") | CheckIn.plan_key.like("discharge:%"),
                # Only keys that could be due now (see _unscheduled_due), not all history.
                CheckIn.opens_at >= now - max(window, DISCHARGE_LOOKBACK) - timedelta(days=1),
            )
        ).all()
    )
    planned: list[Planned] = []
    for client in clients:
        if client.id in rules.paused:
            continue
        _source, specs = rules.for_client(client.id, client.team_id)
        for spec in specs:
            key, opens_at = _unscheduled_due(spec, client, now, window)
            if key is None or opens_at is None or (client.id, key) in existing:
                continue
            # No session to rate: instruments about one (SRS) are left out.
            instruments = [code for code in spec.instruments if code not in IN_SESSION]
            if not instruments:
                continue
            planned.append(
                Planned(
                    client=ClientSnapshot.of(client),
                    instruments=instruments,
                    plan_key=key,
                    appointment_id=None,
                    session_starts_at=None,
                    opens_at=opens_at,
                    closes_at=opens_at + window,
                    invite_at=opens_at,
                    reminder_at=None,
                )
            )
    create_planned(planned, stats)


def _has_rule(rules: RuleIndex, kinds: tuple[str, ...]) -> bool:
    every = [rules.practice, *rules.team.values(), *rules.client.values()]
    return any(r.rule in kinds for specs in every for r in specs)


def _unscheduled_due(
    spec: RuleSpec, client: Client, now: datetime, window: timedelta
) -> tuple[str | None, datetime | None]:
    zone = ZoneInfo(client.timezone)
    if spec.rule == "discharge":
        if client.status != "discharged" or client.discharged_at is None:
            return None, None
        return f"discharge:{spec.id}", max(client.discharged_at, now)
    if spec.rule != "every_n_weeks" or client.status != "active":
        return None, None
    today = now.astimezone(zone).date()
    due = weekly_due_date(spec, today, client.created_at.astimezone(zone).date())
    if due is None:
        return None, None
    opens_at = datetime.combine(due, time(UNSCHEDULED_OPEN_HOUR), tzinfo=zone)
    opens_at = opens_at.astimezone(ZoneInfo("UTC"))
    if opens_at > now or now - opens_at >= window:
        return None, None  # not yet today, or too late to be useful
    return f"weeks:{spec.id}:{due.isoformat()}", opens_at


@dataclass(frozen=True)
class ClientSnapshot:
    """The few client fields planning needs, kept as plain values so they survive commits."""

    id: int
    language: str
    preferred_channel: str

    @classmethod
    def of(cls, client: Client) -> ClientSnapshot:
        return cls(client.id, client.language, client.preferred_channel)


@dataclass(frozen=True)
class Planned:
    client: ClientSnapshot
    instruments: list[str]
    plan_key: str
    appointment_id: int | None
    session_starts_at: datetime | None
    opens_at: datetime
    closes_at: datetime
    invite_at: datetime
    reminder_at: datetime | None


CHUNK = 200


def create_planned(planned: list[Planned], stats: PlanStats) -> None:
    """Create check-ins and their messages, a chunk per transaction. A chunk that meets another
    process's check-in (the unique plan key) is retried one by one, skipping those.

    The session is emptied after each chunk: every commit expires every object it holds, so a
    growing session would make a large pass quadratic. ``Planned`` holds plain values only."""
    db.session.expunge_all()
    for start in range(0, len(planned), CHUNK):
        chunk = planned[start : start + CHUNK]
        try:
            stats.planned += _create_chunk(chunk)
            db.session.commit()
            db.session.expunge_all()
        except IntegrityError:
            db.session.rollback()
            for item in chunk:
                try:
                    stats.planned += _create_chunk([item])
                    db.session.commit()
                except IntegrityError:
                    db.session.rollback()  # another scheduler process planned it first
                    stats.conflicts += 1


def _create_chunk(chunk: list[Planned]) -> int:
    built = []
    for item in chunk:
        usable = [code for code in item.instruments if check_ins.is_enabled(code)]
        if not usable:
            continue
        new = check_ins.check_in_rows(
            item.client,
            usable,
            opens_at=item.opens_at,
            closes_at=item.closes_at,
            channel=item.client.preferred_channel,
            appointment_id=item.appointment_id,
            plan_key=item.plan_key,
            session_starts_at=item.session_starts_at,
        )
        built.append((item, new))
    ids = bulk.insert_check_ins([new for _, new in built])
    messages = []
    for (item, _), check_in_id in zip(built, ids, strict=True):
        messages += message_rows(
            check_in_id, item.client, invite_at=item.invite_at, reminder_at=item.reminder_at
        )
    outbox.enqueue_many(messages)
    return len(built)


def message_rows(
    check_in_id: int,
    client: ClientSnapshot,
    *,
    invite_at: datetime,
    reminder_at: datetime | None,
) -> list[dict]:
    """The invitation (and reminder) of a check-in; the link is made when each is sent."""
    common = {"language": client.language, "client_id": client.id, "check_in_id": check_in_id}
    rows = [
        {
            "kind": "invitation",
            "dedupe_key": f"check_in:{check_in_id}:invitation",
            "scheduled_at": invite_at,
            **common,
        }
    ]
    if reminder_at is not None:
        rows.append(
            {
                "kind": "reminder",
                "dedupe_key": f"check_in:{check_in_id}:reminder",
                "scheduled_at": reminder_at,
                **common,
            }
        )
    return rows


def sync_appointments(now: datetime, stats: PlanStats) -> None:
    """Open check-ins follow their session: cancelled revokes, no-show closes, moved moves."""
    rows = db.session.execute(
        select(CheckIn, Appointment.status, Appointment.starts_at)
        .join(Appointment, Appointment.id == CheckIn.appointment_id)
        .where(
            CheckIn.status == "open",
            CheckIn.plan_key.is_not(None),
            (Appointment.status.in_(("cancelled", "no_show")))
            | (Appointment.starts_at != CheckIn.session_starts_at),
        )
        .options(lazyload("*"))
    ).all()
    for check_in, status, starts_at in rows:
        if status == "cancelled":
            check_in.status, check_in.revoked_at, check_in.plan_key = "revoked", now, None
            outbox.cancel_pending([check_in.id], "cancelled", "appointment_cancelled")
            stats.revoked += 1
        elif status == "no_show":
            check_in.status = "closed"
            outbox.cancel_pending([check_in.id], "cancelled", "no_show")
            stats.closed += 1
        else:
            _move(check_in, starts_at, now)
            stats.moved += 1
    db.session.commit()


def _move(check_in: CheckIn, starts_at: datetime, now: datetime) -> None:
    """Shift the check-in and its pending messages with the session (never into the past)."""
    assert check_in.session_starts_at is not None
    delta = starts_at - check_in.session_starts_at
    check_in.session_starts_at = starts_at
    if check_in.opens_at > now:  # an open check-in stays open: its link may be in a hand
        check_in.opens_at = max(check_in.opens_at + delta, now)
    check_in.closes_at = check_in.closes_at + delta
    db.session.execute(
        update(Assignment)
        .where(Assignment.check_in_id == check_in.id)
        .values(opens_at=check_in.opens_at, closes_at=check_in.closes_at)
        .execution_options(synchronize_session=False)
    )
    pending = db.session.scalars(
        select(Message).where(Message.check_in_id == check_in.id, Message.status == "pending")
    )
    for message in pending:
        message.scheduled_at = max(message.scheduled_at + delta, now)
        message.due_at = message.scheduled_at


def close_expired(now: datetime, stats: PlanStats) -> None:
    expired = list(
        db.session.scalars(
            select(CheckIn.id).where(CheckIn.status == "open", CheckIn.closes_at <= now)
        )
    )
    if not expired:
        return
    db.session.execute(
        update(CheckIn)
        .where(CheckIn.id.in_(expired))
        .values(status="closed")
        .execution_options(synchronize_session=False)
    )
    outbox.cancel_pending(expired, "skipped", "check_in_closed")
    db.session.commit()
    stats.closed += len(expired)


def send_now(
    client: Client, instruments: list[str], *, actor: StaffUser | None, now: datetime
) -> CheckIn:
    """A clinician's "send now": a check-in open from now for the practice's unscheduled
    window, its invitation due at once (quiet hours still apply). The caller commits."""
    window = timedelta(days=get_practice().unscheduled_window_days)
    check_in, _token = check_ins.create_check_in(
        client,
        instruments,
        opens_at=now,
        closes_at=now + window,
        channel=client.preferred_channel,
        created_by=actor,
    )
    outbox.enqueue_many(
        message_rows(check_in.id, ClientSnapshot.of(client), invite_at=now, reminder_at=None)
    )
    return check_in
