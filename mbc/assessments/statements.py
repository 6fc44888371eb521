"""The SQL of a check-in page view and of completing an answer, built once per process.

A client's page view reads its check-in and writes a few columns. Building these statements
(eager loads, EXISTS subqueries) cost more than running them, and the ORM's unit of work cost
more than the writes, so the page uses these prebuilt Core statements with bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, Update, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import joinedload

from mbc.assessments.models import Assignment, CheckIn, CheckInLink, Response, valid_score
from mbc.db import insert_ignoring
from mbc.practice.models import PRACTICE_ID, PracticeSettings

CHECK_INS, LINKS, ASSIGNMENTS, RESPONSES = (
    CheckIn.__table__,
    CheckInLink.__table__,
    Assignment.__table__,
    Response.__table__,
)


@dataclass(frozen=True)
class Statements:
    # :check_in_id: the check-in with its assignments and their responses, and the practice's
    # settings (every check-in page shows them) in the same round trip
    check_in: Select[Any]
    check_in_locked: Select[Any]  # the same, the check-in's row locked until commit
    link: Select[Any]  # :token_hash, :check_in_id
    check_in_opened: Update  # :row_id, :first_opened_at (only while still NULL)
    link_opened: Update  # :row_id, :first_opened_at (only while still NULL)
    save_draft: Update  # :response_id and the columns to set, only while a draft; RETURNING id
    response_flags: Select[Any]  # :response_id
    # :response_id, :check_in_id and the columns to set: a completed page changed while its
    # check-in is still open; RETURNING id
    revise_response: Update
    skips_prompted: Update  # :response_id, :now
    check_in_started: Update  # :check_in_id, :now (only while started_at is still NULL)
    # :check_in_id, :now (completed, and started if it was not), when nothing is left unfinished
    complete_check_in: Update
    # :client_id, :code, :response_id: the client's first other valid score of the instrument,
    # with how many there are (the progress check of a completed answer)
    baseline: Select[Any]


@cache
def statements() -> Statements:
    check_in = (
        select(CheckIn, PracticeSettings)
        .outerjoin(PracticeSettings, PracticeSettings.id == PRACTICE_ID)
        .where(CheckIn.id == bindparam("check_in_id"))
        .options(joinedload(CheckIn.assignments).joinedload(Assignment.response))
    )
    unfinished = (
        select(ASSIGNMENTS.c.id)
        .outerjoin(RESPONSES, RESPONSES.c.assignment_id == ASSIGNMENTS.c.id)
        .where(
            ASSIGNMENTS.c.check_in_id == bindparam("check_in_id"),
            or_(RESPONSES.c.id.is_(None), RESPONSES.c.status != "completed"),
        )
    )
    return Statements(
        check_in=check_in,
        check_in_locked=check_in.with_for_update(of=CheckIn),
        link=select(CheckInLink).where(
            CheckInLink.token_hash == bindparam("token_hash"),
            CheckInLink.check_in_id == bindparam("check_in_id"),
        ),
        check_in_opened=_first_opening(CHECK_INS),
        link_opened=_first_opening(LINKS),
        save_draft=update(RESPONSES)
        .where(RESPONSES.c.id == bindparam("response_id"), RESPONSES.c.status == "draft")
        .returning(RESPONSES.c.id),
        response_flags=select(RESPONSES.c.flags).where(RESPONSES.c.id == bindparam("response_id")),
        revise_response=update(RESPONSES)
        .where(
            RESPONSES.c.id == bindparam("response_id"),
            RESPONSES.c.status == "completed",
            exists(
                select(CHECK_INS.c.id).where(
                    CHECK_INS.c.id == bindparam("check_in_id"), CHECK_INS.c.status == "open"
                )
            ),
        )
        .returning(RESPONSES.c.id),
        skips_prompted=update(RESPONSES)
        .where(RESPONSES.c.id == bindparam("response_id"))
        .values(skips_prompted_at=bindparam("now")),
        check_in_started=update(CHECK_INS)
        .where(CHECK_INS.c.id == bindparam("check_in_id"), CHECK_INS.c.started_at.is_(None))
        .values(started_at=bindparam("now")),
        complete_check_in=update(CHECK_INS)
        .where(
            CHECK_INS.c.id == bindparam("check_in_id"),
            CHECK_INS.c.status == "open",
            ~exists(unfinished),
        )
        .values(
            status="completed",
            completed_at=bindparam("now"),
            started_at=func.coalesce(CHECK_INS.c.started_at, bindparam("now")),
        ),
        baseline=select(Response.total, Response.completed_at, func.count().over().label("n"))
        .where(
            Response.client_id == bindparam("client_id"),
            Response.instrument_code == bindparam("code"),
            valid_score(),
            Response.id != bindparam("response_id"),
        )
        .order_by(Response.completed_at, Response.id)
        .limit(1),
    )


def _first_opening(table: Any) -> Update:
    return update(table).where(table.c.id == bindparam("row_id"), table.c.first_opened_at.is_(None))


@cache
def insert_draft(dialect: str) -> Any:
    """INSERT of a draft response that quietly does nothing when the draft exists (two tabs)."""
    return insert_ignoring(RESPONSES, "assignment_id", dialect=dialect)
