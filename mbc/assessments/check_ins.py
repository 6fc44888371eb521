"""Check-ins: creating them (one assignment per instrument, pinned to its latest version),
and what a check-in's state and next questionnaire are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import or_, update

from mbc.assessments.links import hash_nonce, make_token, new_nonce
from mbc.assessments.models import Assignment, CheckIn
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.delivery import outbox
from mbc.extensions import db
from mbc.instruments import registry
from mbc.instruments.schema import Definition
from mbc.practice.licences import licensed_codes


class CheckInError(ValueError):
    pass


class ClientLike(Protocol):
    """What a check-in needs of its client (a Client, or a plain snapshot of one)."""

    id: int
    language: str


def is_enabled(code: str) -> bool:
    """Licensed instruments stay off until an admin records the practice's licence; one this
    process has not loaded (a practice's definition removed or refused) is off."""
    if not registry.has(code):
        return False
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


def state(check_in: CheckIn, now: datetime) -> str:
    """``open``, ``completed``, ``cancelled`` (its session was: the planner revokes a cancelled
    session's check-in and nothing else), ``closed`` (expired or closed) or ``not_open``."""
    if check_in.status == "completed":
        return "completed"
    if check_in.status == "revoked":
        return "cancelled"
    if check_in.status == "closed" or now >= check_in.closes_at:
        return "closed"
    if now < check_in.opens_at:
        return "not_open"
    return "open"


def unavailable(check_in: CheckIn) -> list[Assignment]:
    """The check-in's questionnaires whose definition (code and version) this process has not
    loaded: a practice's own file removed, refused, or added without a restart."""
    return [
        a for a in check_in.assignments if not registry.has(a.instrument_code, a.instrument_version)
    ]


def report_unavailable(check_in: CheckIn, missing: list[Assignment], now: datetime) -> None:
    """One open alert per client and instrument tells staff the client could not answer."""
    from mbc.alerts import services as alerts

    for assignment in missing:
        code = assignment.instrument_code
        if alerts.has_open(check_in.client_id, "instrument_unavailable", code):
            continue
        alerts.raise_alert(
            client_id=check_in.client_id,
            kind="instrument_unavailable",
            now=now,
            instrument_code=code,
            detail={"version": assignment.instrument_version, "check_in": check_in.id},
        )


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


def close_for_discharge(client_id: int) -> list[int]:
    """A discharged client's open check-ins close (their pending messages with them), but for
    the check-in the discharge rule plans for that moment; returns the closed ids."""
    closed = db.session.scalars(
        update(CheckIn)
        .where(
            CheckIn.client_id == client_id,
            CheckIn.status == "open",
            or_(CheckIn.plan_key.is_(None), ~CheckIn.plan_key.like("discharge:%")),
        )
        .values(status="closed")
        .returning(CheckIn.id)
        .execution_options(synchronize_session="fetch")
    ).all()
    outbox.cancel_pending(list(closed), "cancelled", "client_discharged")
    return list(closed)
