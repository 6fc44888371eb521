"""Emails before an agreed goal's review date, planned by the scheduler.

The database decides what is due: an open goal whose review date is within
``REMIND_DAYS_BEFORE`` days of the practice's today (or is today). Each reminder is one outbox
row per person (the clinician and each of their supervisors) with a dedupe key of goal, review
date and person, so a pass run by several workers at once, or again and again, queues it once;
a new review date gets a reminder of its own. The email names no goal and nobody: it says a
review is coming and links to the sign-in page.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from mbc.auth.models import StaffUser
from mbc.delivery import outbox
from mbc.extensions import db
from mbc.practice.services import get_practice
from mbc.supervision.models import AgreedGoal, Supervision

# [decision] a convention of mbc, not a rule from the literature: three days' notice leaves
# time to prepare and is close enough to be remembered.
REMIND_DAYS_BEFORE = 3
KIND = "goal_review"


def due_goals(today: date) -> list[tuple[int, int, date]]:
    """(goal id, clinician id, review date) of open goals to remind about today."""
    rows = db.session.execute(
        select(AgreedGoal.id, AgreedGoal.clinician_id, AgreedGoal.review_on).where(
            AgreedGoal.status == "active",
            AgreedGoal.review_on >= today,
            AgreedGoal.review_on <= today + timedelta(days=REMIND_DAYS_BEFORE),
        )
    )
    return [(r.id, r.clinician_id, r.review_on) for r in rows]


def queue_reminders(now: datetime) -> int:
    """Queue the reminders due now (the caller commits); returns how many goals were due."""
    today = now.astimezone(ZoneInfo(get_practice().timezone)).date()
    due = due_goals(today)
    if not due:
        return 0
    clinicians = {clinician_id for _, clinician_id, _ in due}
    supervisors: dict[int, list[int]] = {}
    for supervisee_id, supervisor_id in db.session.execute(
        select(Supervision.supervisee_id, Supervision.supervisor_id).where(
            Supervision.supervisee_id.in_(clinicians)
        )
    ):
        supervisors.setdefault(supervisee_id, []).append(supervisor_id)
    people = clinicians | {s for ids in supervisors.values() for s in ids}
    staff = {
        u.id: u
        for u in db.session.scalars(
            select(StaffUser).where(StaffUser.id.in_(people), StaffUser.is_active.is_(True))
        )
    }
    rows = []
    for goal_id, clinician_id, review_on in due:
        for person_id in (clinician_id, *supervisors.get(clinician_id, [])):
            person = staff.get(person_id)
            if person is None:
                continue
            rows.append(
                {
                    "kind": KIND,
                    "dedupe_key": f"{KIND}:{goal_id}:{review_on.isoformat()}:{person_id}",
                    "language": person.preferred_language,
                    "scheduled_at": now,
                    "staff_user_id": person_id,
                }
            )
    outbox.enqueue_many(rows)
    return len(due)
