"""Demo score histories: completed check-ins before past sessions, with believable courses.

Most demo clients improve, some stay flat, a few get worse, and one recent PHQ-9 endorses item 9,
so every part of the clinician's pages has something to show. Answers are generated for a
target total and scored by the real scoring engine, so stored scores are exactly what a client
answering those items would get. Fictional data only.

Each past check-in has the invitation that was sent for it (and a reminder when it was answered
late), and about one in eight was never answered (some opened, most not), so the admin's
completion funnel and delivery pages look like a practice's, not like a perfect one.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import insert

from mbc.alerts.services import raise_alert
from mbc.assessments.models import CheckIn, Response
from mbc.assessments.services import (
    check_in_objects,
    check_in_rows,
    language_for,
    raise_progress_alerts,
    score_values,
    storable,
)
from mbc.clients.models import Appointment, Client
from mbc.delivery import stages
from mbc.delivery.models import Message
from mbc.delivery.outbox import pending_row
from mbc.delivery.planner import ClientSnapshot, message_rows
from mbc.extensions import db
from mbc.instruments import registry
from mbc.scoring import ScoreResult, score_definition

# About one past check-in in eight went unanswered (never the latest, which the pages feature).
UNANSWERED = 0.12
REMINDER_BEFORE = timedelta(hours=3)  # the practice default
# The satisfaction survey goes with the check-in before the fourth session.
SATISFACTION_AT = 3
COMMENTS = {
    "en": (
        "The evening appointments make this possible for me.",
        "I would like reminders a little earlier.",
        "Thank you for listening.",
        "The waiting room is noisy.",
    ),
    "es": (
        "Gracias por escucharme.",
        "Me gustaría recibir el recordatorio un poco antes.",
        "Las citas por la tarde me ayudan mucho.",
    ),
}
# Course by client index: the share of clients on each, in a fixed cycle.
COURSES = ("improving", "improving", "improving", "slow", "flat", "improving", "worsening")


def seed_history(
    client: Client,
    index: int,
    appointments: list[Appointment],
    now: datetime,
    *,
    unanswered: float = UNANSWERED,
    satisfaction: bool = True,
) -> int:
    """Check-ins for the client's past attended sessions, with their messages; about
    ``unanswered`` of them (never the latest) were not answered, and with ``satisfaction`` the
    one before the fourth session carries the satisfaction survey. Returns how many were
    answered."""
    rng = random.Random(index * 7919)
    course = COURSES[index % len(COURSES)]
    trauma = client.team is not None and "Trauma" in client.team.name
    attended = [a for a in appointments if a.status == "completed" and a.starts_at < now]
    latest: list[tuple[Response, ScoreResult]] = []
    sent: list[tuple[CheckIn, Appointment]] = []
    completed = 0
    for number, appointment in enumerate(attended):
        instruments = ["phq9", "gad7"]
        if trauma and number % 4 == 0:
            instruments.append("pcl5")
        if satisfaction and number == SATISFACTION_AT:
            instruments.append("satisfaction")
        opens_at = appointment.starts_at - timedelta(hours=24)
        check_in = check_in_objects(
            check_in_rows(
                client,
                instruments,
                opens_at=opens_at,
                closes_at=appointment.starts_at + timedelta(hours=1),
                channel="sms" if client.phone else "email",
                appointment_id=appointment.id,
                plan_key=f"appointment:{appointment.id}",
                session_starts_at=appointment.starts_at,
            )
        )
        db.session.add(check_in)
        sent.append((check_in, appointment))
        last = number == len(attended) - 1
        if not last and unanswered and rng.random() < unanswered:
            check_in.status = "closed"
            if rng.random() < 0.3:  # opened, then left
                check_in.first_opened_at = opens_at + timedelta(hours=rng.randint(1, 20))
            continue
        completed_at = appointment.starts_at - timedelta(hours=rng.randint(1, 20))
        check_in.status, check_in.completed_at = "completed", completed_at
        check_in.first_opened_at = completed_at - timedelta(minutes=3)
        check_in.started_at = completed_at - timedelta(minutes=2)
        completed += 1
        latest = []
        for assignment in check_in.assignments:
            code = assignment.instrument_code
            answers: dict[str, int | str]
            if code == "satisfaction":  # its own random numbers: the courses stay as they were
                answers = _satisfaction_answers(course, client.language, random.Random(index))
            else:
                progress = number / max(len(attended) - 1, 1)
                total = _course_total(code, course, progress, rng)
                endorse_item9 = code == "phq9" and index % 23 == 5 and last
                answers = dict(_answers_for(code, total, rng, endorse_item9))
            result = score_definition(registry.get(code), answers)
            response = Response(
                client_id=client.id,
                instrument_code=code,
                instrument_version=assignment.instrument_version,
                language=language_for(registry.get(code), client.language),
                channel=check_in.channel,
                answers=storable(answers),
                opened_at=completed_at - timedelta(minutes=3),
                started_at=completed_at - timedelta(minutes=2),
                **score_values(result, completed_at),
            )
            assignment.response = response
            latest.append((response, result))
    db.session.flush()
    _messages(client, sent)
    for response, result in latest:  # the latest check-in's responses raise alerts
        if "critical_item" in result.flags:
            raise_alert(
                client_id=client.id,
                kind="critical_item",
                now=response.completed_at,
                response_id=response.id,
                instrument_code=response.instrument_code,
            )
        if result.valid and result.total is not None:
            raise_progress_alerts(response, result.total, response.completed_at)
    return completed


def _messages(client: Client, sent: list[tuple[CheckIn, Appointment]]) -> None:
    """The invitation of each past check-in, delivered (email has no receipts: sent), and the
    reminder 3 hours before the session when it was still unanswered then: the rows the
    scheduler would have enqueued (``message_rows``), as they stand once sent."""
    snapshot = ClientSnapshot.of(client)
    rows = []
    for check_in, appointment in sent:
        reminder_at = appointment.starts_at - REMINDER_BEFORE
        answered_in_time = check_in.completed_at and check_in.completed_at <= reminder_at
        planned = message_rows(
            check_in.id,
            snapshot,
            invite_at=check_in.opens_at,
            reminder_at=None if answered_in_time else reminder_at,
        )
        sms = check_in.channel == "sms"
        for row in planned:
            at = row["scheduled_at"]
            rows.append(
                pending_row(row)
                | {
                    "channel": check_in.channel,
                    "recipient": client.phone if sms else client.email,
                    "status": "delivered" if sms else "sent",
                    "attempts": 1,
                    "sent_at": at,
                    "delivered_at": at + timedelta(seconds=20) if sms else None,
                    "provider_id": f"demo-{row['dedupe_key']}",
                }
            )
    if rows:
        db.session.execute(insert(Message), rows)
        stages.refresh([check_in.id for check_in, _appointment in sent])


def _satisfaction_answers(course: str, language: str, rng: random.Random) -> dict[str, int | str]:
    """Agreement that follows how the client is doing, and now and then a comment."""
    low, high = {"improving": (4, 5), "slow": (3, 5), "flat": (3, 4), "worsening": (2, 4)}[course]
    definition = registry.get("satisfaction")
    answers: dict[str, int | str] = {
        item.id: rng.randint(low, high) for item in definition.scored_items
    }
    if rng.random() < 0.5:
        answers["satisfaction_comment"] = rng.choice(COMMENTS.get(language, COMMENTS["en"]))
    return answers


def _course_total(code: str, course: str, progress: float, rng: random.Random) -> int:
    """A total on the client's course, ``progress`` from 0 (first session) to 1 (latest)."""
    top = {"phq9": 27, "gad7": 21, "pcl5": 80}[code]
    start = {"phq9": 17, "gad7": 14, "pcl5": 48}[code]
    end = {
        "improving": start * 0.35,
        "slow": start * 0.8,
        "flat": start,
        "worsening": start * 1.3,
    }[course]
    noise = rng.uniform(-1.5, 1.5) * top / 27
    return max(0, min(top, round(start + (end - start) * progress + noise)))


def _answers_for(code: str, total: int, rng: random.Random, endorse_item9: bool) -> dict[str, int]:
    definition = registry.get(code)
    items = list(definition.scored_items)
    top = max(items[0].allowed_values)
    answers = {i.id: 0 for i in items}
    fillable = [i.id for i in items if i.id != "phq9_9"]
    if endorse_item9:
        answers["phq9_9"], total = 1, max(total - 1, 0)
    remaining = min(total, top * len(fillable))
    while remaining:
        item = rng.choice(fillable)
        if answers[item] < top:
            answers[item] += 1
            remaining -= 1
    difficulty = f"{code}_difficulty"
    if any(i.id == difficulty for i in definition.items):
        answers[difficulty] = min(3, total // 7)
    return answers
