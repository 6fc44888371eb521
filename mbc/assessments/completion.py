"""Saving a page's answers: a draft, a completed (scored) response, or a completed page the
client went back to and changed while the check-in is still open.

Services flush; the view or command that called them commits once. Scoring, alerts and the
check-in's completion happen in the transaction that stores the answers, so an alert can never
be lost. Every write is guarded in SQL, not judged from the objects loaded at the start of the
request, so double taps and two tabs store one response and each lands where the first did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm.attributes import set_committed_value

from mbc.assessments import alerting
from mbc.assessments.check_ins import definition_of
from mbc.assessments.drafts import response_for, storable
from mbc.assessments.models import Assignment, CheckIn, Response
from mbc.assessments.statements import statements
from mbc.extensions import db
from mbc.scoring import ScoreResult, score_definition


@dataclass(frozen=True)
class SaveResult:
    response: Response
    result: ScoreResult | None  # set when scored by this save
    crisis: bool  # a critical item is endorsed: show crisis resources at once
    # The whole check-in was completed (by another tab) before this save: nothing changed.
    read_only: bool = False


def save_answers(
    check_in: CheckIn,
    assignment: Assignment,
    answers: dict[str, Any],
    *,
    complete: bool,
    now: datetime,
) -> SaveResult:
    """Store the page's answers; on ``complete`` score them and raise alerts, in one transaction.

    A completed page is revised instead (``revise``). A draft is updated only while it is
    still a draft (one guarded UPDATE): when a submit that committed first completed it, its
    answers stand, and the loaded response says so, so this request lands where that one did.
    """
    response = response_for(check_in, assignment, now)
    if response.status == "completed":
        return revise(check_in, assignment, response, answers, now)
    definition = definition_of(assignment)
    stored = storable(answers)
    values: dict[str, Any] = {"answers": stored, "started_at": response.started_at or now}
    result = score_definition(definition, stored) if complete else None
    if result is not None:
        values |= score_values(result, now)
    sql = statements()
    updated = db.session.execute(sql.save_draft, {"response_id": response.id, **values}).first()
    if updated is None:  # a submit that committed first completed it
        set_committed_value(response, "status", "completed")
        flags = db.session.scalar(sql.response_flags, {"response_id": response.id})
        return SaveResult(response, None, "critical_item" in (flags or []))
    before = dict(response.answers)
    _keep(response, values)
    # The funnel's "started", kept on the check-in's row: set with its completion when this
    # save completes it (one statement less on the usual one-page check-in), else now.
    starting = check_in.started_at is None
    if starting and result is None:
        _mark_started(check_in, now)
    crisis = alerting.follow_answers(
        response, definition, before, None, result, now, revising=False
    )
    if result is not None and not _complete_check_in(check_in, now) and starting:
        _mark_started(check_in, now)
    return SaveResult(response, result, crisis)


def revise(
    check_in: CheckIn,
    assignment: Assignment,
    response: Response,
    answers: dict[str, Any],
    now: datetime,
) -> SaveResult:
    """A completed page the client went back to: until the whole check-in is completed the new
    answers replace the old, are scored again (the missing-item rule decides, as the first
    time), and alerts follow them; earlier alerts stay and record the change. The first
    completion time stays, so the check-in's funnel and the charts keep their dates.

    Unchanged answers (a double tap, Next without an edit) write nothing.
    """
    definition = definition_of(assignment)
    stored = storable(answers)
    if stored == response.answers:
        return SaveResult(response, None, alerting.critical_endorsed(definition, response.answers))
    result = score_definition(definition, stored)
    values = {"answers": stored} | score_values(result, now)
    del values["completed_at"]
    updated = db.session.execute(
        statements().revise_response,
        {"response_id": response.id, "check_in_id": check_in.id, **values},
    ).first()
    if updated is None:  # another tab completed the whole check-in first: read-only now
        set_committed_value(check_in, "status", "completed")
        crisis = alerting.critical_endorsed(definition, response.answers)
        return SaveResult(response, None, crisis, read_only=True)
    before, before_total = dict(response.answers), response.total
    _keep(response, values)
    crisis = alerting.follow_answers(
        response, definition, before, before_total, result, now, revising=True
    )
    return SaveResult(response, result, crisis)


def _keep(response: Response, values: dict[str, Any]) -> None:
    for key, value in values.items():
        set_committed_value(response, key, value)


def _mark_started(check_in: CheckIn, now: datetime) -> None:
    db.session.execute(statements().check_in_started, {"check_in_id": check_in.id, "now": now})
    set_committed_value(check_in, "started_at", now)


def _complete_check_in(check_in: CheckIn, now: datetime) -> bool:
    """Mark the check-in completed (and started, if it was not) once every assignment has a
    completed response; True when it was.

    Judged in SQL, not from the objects loaded at the start of the request, so two tabs
    finishing different questionnaires at the same moment cannot both miss it.
    """
    completed = db.session.execute(
        statements().complete_check_in, {"check_in_id": check_in.id, "now": now}
    )
    if not completed.rowcount:
        return False
    set_committed_value(check_in, "status", "completed")
    set_committed_value(check_in, "completed_at", now)
    set_committed_value(check_in, "started_at", check_in.started_at or now)
    return True


def score_values(result: ScoreResult, now: datetime) -> dict[str, Any]:
    """The response's columns for a scored result (``mbc.scoring.score``)."""
    return {
        "status": "completed",
        "completed_at": now,
        "is_valid": result.valid,
        "invalid_reason": result.invalid_reason,
        "total": None if result.total is None else Decimal(result.total),
        "severity": result.severity,
        "is_prorated": result.prorated,
        "n_missing": result.n_missing,
        "flags": sorted(result.flags),
        "subscales": dict(result.subscales),
    }
