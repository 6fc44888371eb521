"""The pulse's part of each scheduler pass: open the window that is due, queue its reminders
once, and close what has ended (deleting participation and the pulse's messages).

The database decides what is due. Each step claims its row with a guarded UPDATE or an INSERT
that ignores a duplicate, so of several scheduler processes exactly one does each thing; the
outbox's dedupe keys keep every email single even then. Each step commits its own work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, false, not_, or_, select, update

from mbc.auth.models import StaffUser
from mbc.db import insert_ignoring
from mbc.delivery import outbox
from mbc.delivery.models import DevOutboxEntry, Message
from mbc.extensions import db
from mbc.practice.services import get_practice
from mbc.wellbeing import calendar
from mbc.wellbeing.models import PulseParticipation, PulseSchedule, PulseWindow, PulseWindowTeam

PULSE_KINDS = ("pulse_invitation", "pulse_reminder")


@dataclass
class PulseStats:
    opened: int = 0
    invited: int = 0
    reminded: int = 0
    closed: int = 0
    messages_deleted: int = 0


def dedupe_key(window_id: int, participation_id: int, kind: str) -> str:
    return f"pulse:{window_id}:{participation_id}:{kind}"


def participation_of(message_key: str) -> int | None:
    """The participation a pulse message's dedupe key names."""
    parts = message_key.split(":")
    return int(parts[2]) if len(parts) == 4 and parts[2].isdigit() else None


def run(now: datetime) -> PulseStats:
    stats = PulseStats()
    open_due(now, stats)
    db.session.commit()
    queue_reminders(now, stats)
    db.session.commit()
    close_ended(now, stats)
    db.session.commit()
    return stats


def open_due(now: datetime, stats: PulseStats) -> PulseWindow | None:
    """Create the window the schedule says is open now (once), invite every active member of
    staff and queue their emails."""
    schedule = db.session.scalar(select(PulseSchedule).where(PulseSchedule.is_active.is_(True)))
    if schedule is None:
        return None
    practice = get_practice()
    due = calendar.due_opening(
        schedule.first_opens_on,
        schedule.every_months,
        schedule.window_days,
        schedule.reminder_days_before_close,
        practice.timezone,
        now,
    )
    if due is None:
        return None
    row = {
        "opens_on": due.opens_on,
        "opens_at": due.opens_at,
        "closes_at": due.closes_at,
        "reminder_at": due.reminder_at,
        "invited": 0,
        "answered": 0,
        "min_group_size": practice.min_group_size,
    }
    inserted = db.session.execute(
        insert_ignoring(PulseWindow.__table__, "opens_on")
        .values(**row)
        .returning(PulseWindow.__table__.c.id)
    ).first()
    if inserted is None:
        return None  # already opened (by this process earlier, or another one)
    window = db.session.get(PulseWindow, inserted[0])
    assert window is not None
    _invite(window, now, stats)
    stats.opened += 1
    return window


def _invite(window: PulseWindow, now: datetime, stats: PulseStats) -> None:
    active = select(StaffUser.id, StaffUser.team_id, StaffUser.preferred_language).where(
        StaffUser.is_active.is_(True)
    )
    staff = db.session.execute(active).all()
    if staff:
        db.session.execute(
            PulseParticipation.__table__.insert(),
            [{"window_id": window.id, "staff_user_id": s.id, "has_answered": False} for s in staff],
        )
    teams: dict[int, int] = {}
    for member in staff:
        if member.team_id is not None:
            teams[member.team_id] = teams.get(member.team_id, 0) + 1
    if teams:
        db.session.execute(
            PulseWindowTeam.__table__.insert(),
            [{"window_id": window.id, "team_id": t, "invited": n} for t, n in teams.items()],
        )
    window.invited = len(staff)
    _queue(window, "pulse_invitation", window.opens_at, answered_too=True)
    stats.invited += len(staff)


def _queue(window: PulseWindow, kind: str, at: datetime, *, answered_too: bool) -> int:
    query = (
        select(PulseParticipation.id, PulseParticipation.staff_user_id)
        .add_columns(StaffUser.preferred_language)
        .join(StaffUser, StaffUser.id == PulseParticipation.staff_user_id)
        .where(PulseParticipation.window_id == window.id)
    )
    if not answered_too:
        query = query.where(PulseParticipation.has_answered.is_(False))
    rows = [
        {
            "kind": kind,
            "dedupe_key": dedupe_key(window.id, p.id, kind),
            "language": p.preferred_language,
            "scheduled_at": at,
            "staff_user_id": p.staff_user_id,
        }
        for p in db.session.execute(query)
    ]
    outbox.enqueue_many(rows)
    return len(rows)


def queue_reminders(now: datetime, stats: PulseStats) -> None:
    """One reminder per window, to those who have not answered, claimed by a guarded UPDATE."""
    due = db.session.scalars(
        select(PulseWindow).where(
            PulseWindow.closed_at.is_(None),
            PulseWindow.reminders_queued_at.is_(None),
            PulseWindow.reminder_at <= now,
            PulseWindow.closes_at > now,
        )
    ).all()
    for window in due:
        claimed = db.session.execute(
            update(PulseWindow)
            .where(PulseWindow.id == window.id, PulseWindow.reminders_queued_at.is_(None))
            .values(reminders_queued_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            stats.reminded += _queue(window, "pulse_reminder", now, answered_too=False)


def close_ended(now: datetime, stats: PulseStats) -> None:
    """Close every ended window: keep how many answered, delete who was invited and who
    answered, and the pulse emails (a reminder's recipient says they had not answered yet)."""
    ended = db.session.scalars(
        select(PulseWindow.id).where(PulseWindow.closed_at.is_(None), PulseWindow.closes_at <= now)
    ).all()
    for window_id in ended:
        claimed = db.session.execute(
            update(PulseWindow)
            .where(PulseWindow.id == window_id, PulseWindow.closed_at.is_(None))
            .values(closed_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        # Counted from the deleted rows themselves: on PostgreSQL the DELETE waits for an answer
        # being saved this moment (it holds its participation row) and returns the row as that
        # answer left it, so the count misses nobody.
        gone = db.session.execute(
            delete(PulseParticipation)
            .where(PulseParticipation.window_id == window_id)
            .returning(PulseParticipation.has_answered)
        ).scalars()
        answered = sum(1 for has_answered in gone if has_answered)
        db.session.execute(
            update(PulseWindow)
            .where(PulseWindow.id == window_id)
            .values(answered=answered)
            .execution_options(synchronize_session=False)
        )
        stats.closed += 1
    stats.messages_deleted += delete_closed_messages()


def delete_closed_messages() -> int:
    """Delete the pulse messages of every window no longer open (but for one a process is
    sending this moment: a later pass takes it once it is settled)."""
    open_ids = db.session.scalars(
        select(PulseWindow.id).where(PulseWindow.closed_at.is_(None))
    ).all()
    of_open = or_(false(), *(Message.dedupe_key.like(f"pulse:{i}:%") for i in open_ids))
    doomed = select(Message.id).where(
        Message.kind.in_(PULSE_KINDS), Message.status != "sending", not_(of_open)
    )
    db.session.execute(delete(DevOutboxEntry).where(DevOutboxEntry.message_id.in_(doomed)))
    result = db.session.execute(
        delete(Message).where(Message.id.in_(doomed)).execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
