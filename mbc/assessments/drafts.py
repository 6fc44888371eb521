"""Drafts: the answers of a page a client has opened but not sent, and reading a page's form.

A page's first view creates its draft (``opened_at``); every later save replaces its answers.
Writes use the prebuilt Core statements of mbc.assessments.statements and keep the loaded
objects in step with ``set_committed_value``, so the rest of the request sees what was stored.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from mbc.assessments.check_ins import definition_of, language_for
from mbc.assessments.models import Assignment, CheckIn, Response
from mbc.assessments.statements import insert_draft, statements
from mbc.extensions import db
from mbc.instruments.schema import Definition
from mbc.scoring.answers import parse_answers


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


def response_for(check_in: CheckIn, assignment: Assignment, now: datetime) -> Response:
    """The page's response, its draft made first for a page posted without having been shown
    (or shown in another request)."""
    if assignment.response is not None:
        return assignment.response
    open_step(check_in, assignment, now)
    response = db.session.scalars(
        select(Response).where(Response.assignment_id == assignment.id)
    ).one()
    set_committed_value(assignment, "response", response)
    return response


def storable(answers: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe answers: exact decimals as strings, missing answers left out."""
    return {
        k: (str(v) if isinstance(v, Decimal) else v) for k, v in answers.items() if v is not None
    }


def note_skip_prompt(response: Response, now: datetime) -> None:
    """Remember that this page has told the client what they skipped: once per page means once,
    even when they come back to it with Back and Next."""
    if response.skips_prompted_at is None:
        db.session.execute(statements().skips_prompted, {"response_id": response.id, "now": now})
        set_committed_value(response, "skips_prompted_at", now)


def parse_page(definition: Definition, form: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    """A page's answers from its form fields, exact, or the reason they are invalid."""
    raw = {item.id: form.get(item.id) for item in definition.items}
    parsed = parse_answers(definition, raw)
    return parsed.values, parsed.invalid_reason
