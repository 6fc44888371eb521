"""Check-ins: creating them, opening them from a link, saving drafts and completing responses.

Services flush; the view or command that called them commits once. Completing a response
scores it and creates its alerts in the same transaction, so an alert can never be lost.

A client's page view writes with prebuilt Core statements (mbc.assessments.statements), not
the ORM's unit of work, and keeps the loaded objects in step with ``set_committed_value``, so
the rest of the request sees what was stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from mbc.alerts import services as alerts
from mbc.assessments.links import (
    InvalidLink,
    hash_nonce,
    make_token,
    new_nonce,
    nonce_matches,
    read_token,
)
from mbc.assessments.models import Assignment, CheckIn, CheckInLink, Response
from mbc.assessments.statements import insert_draft, statements
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.instruments import registry
from mbc.instruments.schema import Definition
from mbc.practice.licences import licensed_codes
from mbc.practice.services import get_practice, keep_for_request
from mbc.scoring import ScoreResult, on_track, score_definition
from mbc.scoring.answers import parse_answers
from mbc.scoring.on_track import OnTrackRule

# Flags that must reach a clinician as an alert of the same kind.
ALERT_FLAGS = ("critical_item", "critical_item_unanswered", "alliance_concern")


class CheckInError(ValueError):
    pass


class ClientLike(Protocol):
    """What a check-in needs of its client (a Client, or a plain snapshot of one)."""

    id: int
    language: str


def is_enabled(code: str) -> bool:
    """Licensed instruments stay off until an admin records the practice's licence."""
    return registry.get(code).enabled_by_default or code in licensed_codes()


def create_check_in(
    client: Client,
    instruments: list[str],
    *,
    opens_at: datetime,
    closes_at: datetime,
    channel: str,
    appointment_id: int | None = None,
    created_by: StaffUser | None = None,
    plan_key: str | None = None,
    session_starts_at: datetime | None = None,
) -> tuple[CheckIn, str]:
    """A check-in with one assignment per instrument (latest versions); returns it and its token."""
    rows = check_in_rows(
        client,
        instruments,
        opens_at=opens_at,
        closes_at=closes_at,
        channel=channel,
        appointment_id=appointment_id,
        created_by=created_by,
        plan_key=plan_key,
        session_starts_at=session_starts_at,
    )
    check_in = check_in_objects(rows)
    db.session.add(check_in)
    db.session.flush()
    db.session.refresh(check_in)
    return check_in, make_token(check_in.id, rows.nonce)


@dataclass(frozen=True)
class CheckInRows:
    """A new check-in as the rows to insert: the check-in, its assignments (without their
    ``check_in_id``, known once it is stored) and its link's nonce (``make_token`` needs the id)."""

    check_in: dict[str, Any]
    assignments: list[dict[str, Any]]
    nonce: bytes


def check_in_rows(
    client: ClientLike,
    instruments: list[str],
    *,
    opens_at: datetime,
    closes_at: datetime,
    channel: str,
    appointment_id: int | None = None,
    created_by: StaffUser | None = None,
    plan_key: str | None = None,
    session_starts_at: datetime | None = None,
) -> CheckInRows:
    """A check-in with one assignment per instrument (latest versions), checked: plain rows,
    so the scheduler can insert thousands without building ORM objects."""
    if not instruments:
        raise CheckInError("choose at least one instrument")
    if closes_at <= opens_at:
        raise CheckInError("a check-in must close after it opens")
    if len(set(instruments)) != len(instruments):
        raise CheckInError("each instrument once")
    definitions = []
    for code in instruments:
        try:
            definition = registry.get(code)
        except registry.UnknownInstrument as exc:
            raise CheckInError(str(exc)) from exc
        if not is_enabled(code):
            raise CheckInError(f"{code} is licensed and not enabled for this practice")
        definitions.append(definition)
    nonce = new_nonce()
    check_in = {
        "client_id": client.id,
        "appointment_id": appointment_id,
        "token_hash": hash_nonce(nonce),
        "status": "open",
        "language": client.language,
        "channel": channel,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "created_by_id": created_by.id if created_by else None,
        "plan_key": plan_key,
        "session_starts_at": session_starts_at,
    }
    assignments = [
        {
            "client_id": client.id,
            "appointment_id": appointment_id,
            "instrument_code": definition.code,
            "instrument_version": definition.version,
            "position": position,
            "opens_at": opens_at,
            "closes_at": closes_at,
        }
        for position, definition in enumerate(definitions, start=1)
    ]
    return CheckInRows(check_in, assignments, nonce)


def check_in_objects(rows: CheckInRows) -> CheckIn:
    """The new check-in and its assignments as ORM objects, not yet in the session."""
    check_in = CheckIn(**rows.check_in)
    check_in.assignments = [Assignment(**row) for row in rows.assignments]
    return check_in


def new_link(check_in: CheckIn, *, message_id: int | None, now: datetime) -> tuple[str, dict]:
    """A further link to ``check_in`` (one per message sent): its token, and the
    ``check_in_links`` row that makes it valid, for the caller to insert (the dispatcher
    inserts a whole batch's links in one statement)."""
    nonce = new_nonce()
    row = {
        "check_in_id": check_in.id,
        "message_id": message_id,
        "token_hash": hash_nonce(nonce),
        "created_at": now,
    }
    return make_token(check_in.id, nonce), row


def resolve(token: str) -> CheckIn:
    """The check-in a link points to; InvalidLink when tampered, made up or unknown."""
    return resolve_link(token)[0]


def resolve_link(token: str, *, lock: bool = False) -> tuple[CheckIn, CheckInLink | None]:
    """The check-in and, for a link sent in a message, that link's row (None: the first link).

    ``lock`` (for a post) holds the check-in's row until commit on PostgreSQL, so two tabs
    saving pages of the same check-in are applied one after the other.
    """
    parsed = read_token(token)
    sql = statements()
    statement = sql.check_in_locked if lock else sql.check_in
    row = db.session.execute(statement, {"check_in_id": parsed.check_in_id}).unique().first()
    if row is None:
        raise InvalidLink("unknown check-in")
    check_in, practice = row
    keep_for_request(practice)
    if nonce_matches(parsed.nonce, check_in.token_hash):
        return check_in, None
    link = db.session.scalar(
        sql.link, {"token_hash": parsed.nonce_hash, "check_in_id": check_in.id}
    )
    if link is None:
        raise InvalidLink("wrong nonce")
    return check_in, link


def mark_opened(check_in: CheckIn, link: CheckInLink | None, now: datetime) -> bool:
    """Record the first opening of the check-in and of the link used; True when anything changed.

    Guarded by ``IS NULL``, so of two tabs opened at once the first time stays.
    """
    sql, changed = statements(), False
    for row, statement in ((check_in, sql.check_in_opened), (link, sql.link_opened)):
        if row is not None and row.first_opened_at is None:
            db.session.execute(statement, {"row_id": row.id, "first_opened_at": now})
            set_committed_value(row, "first_opened_at", now)
            changed = True
    return changed


def state(check_in: CheckIn, now: datetime) -> str:
    """``open``, ``completed``, ``closed`` (expired, revoked or not yet open)."""
    if check_in.status == "completed":
        return "completed"
    if check_in.status in ("revoked", "closed") or now >= check_in.closes_at:
        return "closed"
    if now < check_in.opens_at:
        return "not_open"
    return "open"


def definition_of(assignment: Assignment) -> Definition:
    return registry.get(assignment.instrument_code, assignment.instrument_version)


def language_for(definition: Definition, wanted: str) -> str:
    """The client's language where the instrument has it; English otherwise (and recorded)."""
    return wanted if wanted in definition.languages else "en"


def next_step(check_in: CheckIn) -> int | None:
    """Position of the first assignment without a completed response; None when all are done."""
    for assignment in check_in.assignments:
        if assignment.response is None or assignment.response.status != "completed":
            return assignment.position
    return None


def open_step(check_in: CheckIn, assignment: Assignment, now: datetime) -> dict[str, Any]:
    """The answers a page shows: its draft's, the draft created (with ``opened_at``) on first
    view. Two tabs opening the page at once create one draft (the other insert is ignored)."""
    if assignment.response is not None:
        return dict(assignment.response.answers)
    insert = insert_draft(db.engine.dialect.name)
    db.session.execute(insert, _draft(check_in, assignment, now))
    return {}


def _draft(check_in: CheckIn, assignment: Assignment, now: datetime) -> dict[str, Any]:
    return {
        "assignment_id": assignment.id,
        "client_id": check_in.client_id,
        "instrument_code": assignment.instrument_code,
        "instrument_version": assignment.instrument_version,
        "language": language_for(definition_of(assignment), check_in.language),
        "channel": check_in.channel,
        "status": "draft",
        "answers": {},
        "opened_at": now,
        "flags": [],
        "subscales": {},
    }


def storable(answers: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe answers: exact decimals as strings, missing answers left out."""
    return {
        k: (str(v) if isinstance(v, Decimal) else v) for k, v in answers.items() if v is not None
    }


@dataclass(frozen=True)
class SaveResult:
    response: Response
    result: ScoreResult | None  # set when completed now
    crisis: bool  # a critical item is endorsed: show crisis resources at once


def save_answers(
    check_in: CheckIn,
    assignment: Assignment,
    answers: dict[str, Any],
    *,
    complete: bool,
    now: datetime,
) -> SaveResult:
    """Store the page's answers; on ``complete`` score them and raise alerts, in one transaction.

    The draft is updated only while it is still a draft (one guarded UPDATE), so a second
    submit of a completed response changes nothing and reports what the first one stored.
    """
    response = assignment.response or _new_draft(check_in, assignment, now)
    if response.status == "completed":
        return SaveResult(response, None, "critical_item" in response.flags)
    definition = definition_of(assignment)
    values: dict[str, Any] = {
        "answers": storable(answers),
        "started_at": response.started_at or now,
    }
    result = score_definition(definition, values["answers"]) if complete else None
    if result is not None:
        values |= score_values(result, now)
    sql = statements()
    updated = db.session.execute(sql.save_draft, {"response_id": response.id, **values}).first()
    if updated is None:  # a submit that committed first completed it
        flags = db.session.scalar(sql.response_flags, {"response_id": response.id})
        return SaveResult(response, None, "critical_item" in (flags or []))
    for key, value in values.items():
        set_committed_value(response, key, value)
    # The funnel's "started", kept on the check-in's row: set with its completion when this
    # save completes it (one statement less on the usual one-page check-in), else now.
    starting = check_in.started_at is None
    if starting and result is None:
        _mark_started(check_in, now)
    crisis = _critical_endorsed(definition, answers)
    if crisis:
        _raise_alert(response, "critical_item", now)  # even on a draft: never lost
    if result is not None:
        for flag in ALERT_FLAGS:
            if flag in result.flags:
                _raise_alert(response, flag, now)
        if result.valid and result.total is not None:
            raise_progress_alerts(response, result.total, now)
        if not _complete_check_in(check_in, now) and starting:
            _mark_started(check_in, now)
    return SaveResult(response, result, crisis)


def _mark_started(check_in: CheckIn, now: datetime) -> None:
    db.session.execute(statements().check_in_started, {"check_in_id": check_in.id, "now": now})
    set_committed_value(check_in, "started_at", now)


def raise_progress_alerts(response: Response, total: Any, now: datetime) -> None:
    """Reliable deterioration since baseline, or not on track by the practice's rule: one open
    alert of each kind per client and instrument, raised with the response that showed it."""
    code = response.instrument_code
    scoring = registry.get(code).scoring
    if scoring.change.reliable is None or scoring.clinical_cutoff is None:
        return
    earlier = db.session.execute(
        statements().baseline,
        {"client_id": response.client_id, "code": code, "response_id": response.id},
    ).first()
    if earlier is None:
        return  # this is the baseline
    rule = OnTrackRule.of(get_practice())
    verdict = on_track.judge(
        code,
        on_track.Measurement(earlier.completed_at, earlier.total),
        on_track.Measurement(now, total),
        earlier.n + 1,
        rule,
        now,
    )
    if verdict.status != on_track.NOT_ON_TRACK:
        return
    deteriorated = verdict.reason == "reliable_deterioration"
    kind = "reliable_deterioration" if deteriorated else "not_on_track"
    if alerts.has_open(response.client_id, kind, code):
        return
    detail = {
        "baseline": str(earlier.total),
        "latest": str(total),
        "reason": verdict.reason,
        "measurements": verdict.measurements,
    }
    alerts.raise_alert(
        client_id=response.client_id,
        kind=kind,
        now=now,
        response_id=response.id,
        instrument_code=code,
        detail=detail,
    )


def _new_draft(check_in: CheckIn, assignment: Assignment, now: datetime) -> Response:
    """A draft for a page posted without having been shown (or shown in another request)."""
    open_step(check_in, assignment, now)
    response = db.session.scalars(
        select(Response).where(Response.assignment_id == assignment.id)
    ).one()
    set_committed_value(assignment, "response", response)
    return response


def _complete_check_in(check_in: CheckIn, now: datetime) -> None:
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


def _critical_endorsed(definition: Definition, answers: dict[str, Any]) -> bool:
    for critical in definition.scoring.critical_items:
        value = answers.get(critical.item)
        if value is not None and value >= critical.minimum:
            return True
    return False


def _raise_alert(response: Response, kind: str, now: datetime) -> None:
    alerts.raise_alert(
        client_id=response.client_id,
        kind=kind,
        now=now,
        response_id=response.id,
        instrument_code=response.instrument_code,
    )


def score_values(result: ScoreResult, now: datetime) -> dict[str, Any]:
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


def parse_page(definition: Definition, form: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    """A page's answers from its form fields, exact, or the reason they are invalid."""
    raw = {item.id: form.get(item.id) for item in definition.items}
    parsed = parse_answers(definition, raw)
    return parsed.values, parsed.invalid_reason
