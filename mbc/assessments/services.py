"""Check-ins: creating them, opening them from a link, saving drafts and completing responses.

Services flush; the view or command that called them commits once. Completing a response
scores it and creates its alerts in the same transaction, so an alert can never be lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from mbc.assessments.links import (
    InvalidLink,
    hash_nonce,
    make_token,
    new_nonce,
    nonce_matches,
    read_token,
)
from mbc.assessments.models import Alert, Assignment, CheckIn, CheckInLink, Response
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.instruments import registry
from mbc.instruments.schema import Definition
from mbc.scoring import ScoreResult, score_definition
from mbc.scoring.answers import parse_answers

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
    return registry.get(code).enabled_by_default


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
    check_in, nonce = build_check_in(
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
    db.session.add(check_in)
    db.session.flush()
    db.session.refresh(check_in)
    return check_in, make_token(check_in.id, nonce)


def build_check_in(
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
) -> tuple[CheckIn, bytes]:
    """The check-in with its assignments and its link's nonce, not yet in the session: the
    scheduler adds many and flushes once. The token (``make_token``) needs the id."""
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
    check_in = CheckIn(
        client_id=client.id,
        appointment_id=appointment_id,
        token_hash=hash_nonce(nonce),
        status="open",
        language=client.language,
        channel=channel,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by_id=created_by.id if created_by else None,
        plan_key=plan_key,
        session_starts_at=session_starts_at,
    )
    check_in.assignments = [
        Assignment(
            client_id=client.id,
            appointment_id=appointment_id,
            instrument_code=definition.code,
            instrument_version=definition.version,
            position=position,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        for position, definition in enumerate(definitions, start=1)
    ]
    return check_in, nonce


def new_link(check_in: CheckIn, *, message_id: int | None, now: datetime) -> str:
    """A further link to ``check_in`` (one per message sent); returns its token."""
    nonce = new_nonce()
    db.session.add(
        CheckInLink(
            check_in_id=check_in.id,
            message_id=message_id,
            token_hash=hash_nonce(nonce),
            created_at=now,
        )
    )
    return make_token(check_in.id, nonce)


def resolve(token: str) -> CheckIn:
    """The check-in a link points to; InvalidLink when tampered, made up or unknown."""
    return resolve_link(token)[0]


def resolve_link(token: str) -> tuple[CheckIn, CheckInLink | None]:
    """The check-in and, for a link sent in a message, that link's row (None: the first link)."""
    parsed = read_token(token)
    check_in = (
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.id == parsed.check_in_id)
            .options(joinedload(CheckIn.assignments).joinedload(Assignment.response))
        )
        .unique()
        .first()
    )
    if check_in is None:
        raise InvalidLink("unknown check-in")
    if nonce_matches(parsed.nonce, check_in.token_hash):
        return check_in, None
    link = db.session.scalar(
        select(CheckInLink).where(
            CheckInLink.token_hash == parsed.nonce_hash,
            CheckInLink.check_in_id == check_in.id,
        )
    )
    if link is None:
        raise InvalidLink("wrong nonce")
    return check_in, link


def mark_opened(check_in: CheckIn, link: CheckInLink | None, now: datetime) -> bool:
    """Record the first opening of the check-in and of the link used; True when anything changed."""
    changed = False
    if check_in.first_opened_at is None:
        check_in.first_opened_at, changed = now, True
    if link is not None and link.first_opened_at is None:
        link.first_opened_at, changed = now, True
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


def open_step(check_in: CheckIn, assignment: Assignment, now: datetime) -> Response:
    """The response a page shows: its draft, created (with ``opened_at``) on first view."""
    if check_in.first_opened_at is None:
        check_in.first_opened_at = now
    if assignment.response is not None:
        return assignment.response
    definition = definition_of(assignment)
    response = Response(
        assignment_id=assignment.id,
        client_id=check_in.client_id,
        instrument_code=assignment.instrument_code,
        instrument_version=assignment.instrument_version,
        language=language_for(definition, check_in.language),
        channel=check_in.channel,
        status="draft",
        answers={},
        opened_at=now,
        flags=[],
        subscales={},
    )
    db.session.add(response)
    db.session.flush()
    assignment.response = response
    return response


def locked_response(assignment: Assignment) -> Response | None:
    """The assignment's response, locked for update, so two submits are applied one at a time."""
    return db.session.scalar(
        select(Response).where(Response.assignment_id == assignment.id).with_for_update()
    )


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
    """Store the page's answers; on ``complete`` score them and raise alerts, all in one flush.

    A completed response is never changed again: a second submit returns it as it is.
    """
    response = locked_response(assignment) or open_step(check_in, assignment, now)
    definition = definition_of(assignment)
    if response.status == "completed":
        return SaveResult(response, None, "critical_item" in response.flags)
    response.answers = storable(answers)
    response.started_at = response.started_at or now
    crisis = _critical_endorsed(definition, answers)
    if crisis:
        _raise_alert(response, "critical_item", now)  # even on a draft: never lost
    result = None
    if complete:
        result = score_definition(definition, response.answers)
        _store_score(response, result, now)
        for flag in ALERT_FLAGS:
            if flag in result.flags:
                _raise_alert(response, flag, now)
        if next_step(check_in) is None:
            check_in.status, check_in.completed_at = "completed", now
    db.session.flush()
    return SaveResult(response, result, crisis)


def _critical_endorsed(definition: Definition, answers: dict[str, Any]) -> bool:
    for critical in definition.scoring.critical_items:
        value = answers.get(critical.item)
        if value is not None and value >= critical.minimum:
            return True
    return False


def _raise_alert(response: Response, kind: str, now: datetime) -> None:
    exists = db.session.scalar(
        select(Alert.id).where(Alert.response_id == response.id, Alert.kind == kind)
    )
    if exists is None:
        db.session.add(
            Alert(
                client_id=response.client_id,
                response_id=response.id,
                kind=kind,
                status="open",
                created_at=now,
            )
        )


def _store_score(response: Response, result: ScoreResult, now: datetime) -> None:
    response.status, response.completed_at = "completed", now
    response.is_valid, response.invalid_reason = result.valid, result.invalid_reason
    response.total = None if result.total is None else Decimal(result.total)
    response.severity, response.is_prorated = result.severity, result.prorated
    response.n_missing = result.n_missing
    response.flags = sorted(result.flags)
    response.subscales = dict(result.subscales)


def parse_page(definition: Definition, form: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    """A page's answers from its form fields, exact, or the reason they are invalid."""
    raw = {item.id: form.get(item.id) for item in definition.items}
    parsed = parse_answers(definition, raw)
    return parsed.values, parsed.invalid_reason
