"""Which instruments a plan asks for, and when their messages go out. Pure: no database.

Conventions (operational, not clinical; a practice can change each in its settings):
- Session numbers count the client's sessions that were held or are still scheduled, in time
  order; cancelled sessions and no-shows are not counted. Session 1 is the first session.
- "Every Nth session" is due at sessions 1, 1+N, 1+2N, ... (so intake always gets a baseline).
- "Every N weeks" is due on the start date and every N weeks after it; a due date more than the
  unscheduled window in the past is not sent late.
- When several rules are due at one session their instruments go out together, once each, in
  rule order; a rule's own timing wins over the practice's, the first rule with one deciding.
- [decision, from the instrument: SRS asks about "today's session"] SRS is never asked before
  the session: it goes in a check-in of its own that opens when the session starts and closes
  by the same closing rule, on the session's own day. Calendar rules (every N weeks, discharge)
  have no session to rate and leave it out; in the room, a clinician's "send now" can give it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SESSION_RULES = ("every_session", "every_nth_session", "first_session")
# Instruments about the session itself, asked only once it has started.
IN_SESSION = frozenset({"srs"})


def split_in_session(instruments: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(before the session, from its start): the order of each part kept."""
    before = tuple(code for code in instruments if code not in IN_SESSION)
    return before, tuple(code for code in instruments if code in IN_SESSION)


@dataclass(frozen=True)
class Timing:
    invite_hours_before: int
    reminder_hours_before: int
    close_hours_after: int


@dataclass(frozen=True)
class RuleValues:
    """What a plan rule says, as a clinician or admin sets it."""

    rule: str
    instruments: tuple[str, ...]
    every_n: int | None = None
    start_date: date | None = None
    stop_date: date | None = None
    # None: the practice's timing.
    invite_hours_before: int | None = None
    reminder_hours_before: int | None = None
    close_hours_after: int | None = None

    @classmethod
    def of(cls, rule: Any) -> RuleValues:
        """The values of a stored rule (or of any object with the same attributes)."""
        return cls(
            rule.rule,
            tuple(rule.instruments),
            rule.every_n,
            rule.start_date,
            rule.stop_date,
            rule.invite_hours_before,
            rule.reminder_hours_before,
            rule.close_hours_after,
        )


@dataclass(frozen=True)
class RuleSpec(RuleValues):
    """A stored rule as the schedule reads it: its values and its id."""

    id: int = 0

    def active_on(self, day: date) -> bool:
        if self.start_date and day < self.start_date:
            return False
        return not (self.stop_date and day > self.stop_date)

    def due_at_session(self, number: int) -> bool:
        if self.rule == "every_session":
            return True
        if self.rule == "first_session":
            return number == 1
        if self.rule == "every_nth_session":
            return (number - 1) % max(1, self.every_n or 1) == 0
        return False


@dataclass(frozen=True)
class SessionPlan:
    instruments: tuple[str, ...]
    timing: Timing


def plan_for_session(
    rules: Sequence[RuleSpec], number: int, local_day: date, practice: Timing
) -> SessionPlan | None:
    """The instruments due at session ``number`` on ``local_day``, or None when nothing is."""
    due = [
        r
        for r in rules
        if r.rule in SESSION_RULES and r.active_on(local_day) and r.due_at_session(number)
    ]
    if not due:
        return None
    instruments = tuple(dict.fromkeys(code for r in due for code in r.instruments))
    return SessionPlan(instruments, _timing(due, practice))


def _timing(rules: Sequence[RuleSpec], practice: Timing) -> Timing:
    def first(name: str) -> int:
        for r in rules:
            value = getattr(r, name)
            if value is not None:
                return int(value)
        return int(getattr(practice, name))

    return Timing(
        first("invite_hours_before"), first("reminder_hours_before"), first("close_hours_after")
    )


@dataclass(frozen=True)
class SessionWindow:
    """When a session's check-in opens and closes, and when its messages are scheduled."""

    opens_at: datetime
    invite_at: datetime
    reminder_at: datetime | None
    closes_at: datetime


def session_window(starts_at: datetime, timing: Timing, now: datetime) -> SessionWindow:
    """Invite ``invite_hours_before`` the session (or now, if planned late), remind
    ``reminder_hours_before`` when that is still ahead and after the invitation, close
    ``close_hours_after`` the start. Hours are elapsed hours, so they hold across DST changes."""
    invite_at = max(starts_at - timedelta(hours=timing.invite_hours_before), now)
    reminder: datetime | None = starts_at - timedelta(hours=timing.reminder_hours_before)
    if timing.reminder_hours_before <= 0 or reminder is None or reminder <= invite_at:
        reminder = None
    closes_at = starts_at + timedelta(hours=timing.close_hours_after)
    return SessionWindow(invite_at, invite_at, reminder, closes_at)


def in_session_window(starts_at: datetime, timing: Timing, zone: str) -> SessionWindow | None:
    """The window of the check-in asked from the session's start (SRS): it opens and invites
    at the start, has no reminder (reminders come before a session), and closes
    ``close_hours_after`` the start but by the end of the session's day on the client's
    calendar. None when that leaves no time (a practice that closes check-ins at the start)."""
    local = starts_at.astimezone(ZoneInfo(zone))
    end_of_day = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)
    closes_at = min(starts_at + timedelta(hours=timing.close_hours_after), end_of_day)
    if closes_at <= starts_at:
        return None
    return SessionWindow(starts_at, starts_at, None, closes_at.astimezone(starts_at.tzinfo))


def weekly_due_date(rule: RuleSpec, today: date, fallback_start: date) -> date | None:
    """The latest due date of an every-N-weeks rule on or before ``today``, if any."""
    start = rule.start_date or fallback_start
    if today < start:
        return None
    period = 7 * max(1, rule.every_n or 1)
    due = start + timedelta(days=((today - start).days // period) * period)
    return due if rule.active_on(due) else None
