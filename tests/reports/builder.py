"""Hand-made report data: check-ins at chosen stages, scores, messages, appointments.

Rows are written directly, so a test states exactly what happened and computes the figures it
expects on its own, never through the report code.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from flask import Flask

from mbc.assessments.models import Assignment, CheckIn, Response
from mbc.clients.models import Appointment, Client
from mbc.delivery import stages
from mbc.delivery.models import Message
from mbc.extensions import db
from mbc.instruments import registry

_seq = count(1)


def band_of(code: str, total: Decimal | int | str) -> str | None:
    """The severity band of ``total``; None for instruments without bands (ORS)."""
    bands = registry.get(code).scoring.bands
    for band in bands:
        if band.minimum <= Decimal(str(total)) <= band.maximum:
            return band.key
    if bands:
        raise ValueError(total)
    return None


class ReportData:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def check_in(
        self,
        client: Client,
        opens_at: datetime,
        *,
        instruments: Sequence[str] = ("phq9",),
        channel: str = "sms",
        session_at: datetime | None = None,
        opened: bool = False,
        started: bool = False,
        completed_at: datetime | None = None,
        messages: Sequence[tuple[str, str, str, datetime | None]] = (),
        totals: dict[str, Any] | None = None,
        answers: dict[str, Any] | None = None,
    ) -> int:
        """A check-in; ``messages`` are (kind, channel, status, sent_at). A completed check-in
        gets completed responses (``totals`` per instrument, default 0); a started one drafts."""
        with self.app.app_context():
            check_in = CheckIn(
                client_id=client.id,
                token_hash=secrets.token_hex(32),
                status="completed" if completed_at else "open",
                language="en",
                channel=channel,
                opens_at=opens_at,
                closes_at=opens_at + timedelta(days=2),
                first_opened_at=opens_at + timedelta(minutes=5) if opened or started else None,
                started_at=opens_at + timedelta(minutes=5) if started or completed_at else None,
                completed_at=completed_at,
                session_starts_at=session_at,
            )
            db.session.add(check_in)
            db.session.flush()
            for position, code in enumerate(instruments):
                assignment = Assignment(
                    check_in_id=check_in.id,
                    client_id=client.id,
                    instrument_code=code,
                    instrument_version=registry.get(code).version,
                    position=position,
                    opens_at=check_in.opens_at,
                    closes_at=check_in.closes_at,
                )
                db.session.add(assignment)
                db.session.flush()
                if completed_at or started:
                    total = (totals or {}).get(code, 0 if completed_at else None)
                    db.session.add(
                        self._response(assignment, code, total, completed_at, answers=answers or {})
                    )
            for kind, msg_channel, status, sent_at in messages:
                db.session.add(
                    Message(
                        kind=kind,
                        channel=msg_channel,
                        recipient="+14155550100",
                        language="en",
                        client_id=client.id,
                        check_in_id=check_in.id,
                        dedupe_key=f"test:{next(_seq)}",
                        scheduled_at=opens_at,
                        due_at=opens_at,
                        status=status,
                        sent_at=sent_at,
                        created_at=opens_at,
                    )
                )
            db.session.flush()
            stages.refresh([check_in.id])  # as sending and the status hook keep them
            db.session.commit()
            return check_in.id

    def _response(
        self,
        assignment: Assignment,
        code: str,
        total: Any,
        completed_at: datetime | None,
        *,
        answers: dict[str, Any],
        valid: bool = True,
    ) -> Response:
        opened = assignment.opens_at + timedelta(minutes=5)
        return Response(
            assignment_id=assignment.id,
            client_id=assignment.client_id,
            instrument_code=code,
            instrument_version=assignment.instrument_version,
            language="en",
            channel="sms",
            status="completed" if completed_at else "draft",
            answers=answers,
            opened_at=opened,
            started_at=opened,
            completed_at=completed_at,
            is_valid=valid if completed_at else None,
            total=Decimal(str(total)) if completed_at and valid and total is not None else None,
            severity=band_of(code, total) if completed_at and valid and total is not None else None,
        )

    def scores(self, client: Client, code: str, series: Sequence[tuple[datetime, Any]]) -> None:
        """Completed check-ins of one instrument with these (completed_at, total) pairs."""
        for at, total in series:
            self.check_in(
                client,
                at - timedelta(hours=1),
                instruments=(code,),
                completed_at=at,
                totals={code: total},
            )

    def invalid_score(self, client: Client, code: str, at: datetime) -> None:
        with self.app.app_context():
            check_in_id = self.check_in(client, at - timedelta(hours=1), instruments=())
            assignment = Assignment(
                check_in_id=check_in_id,
                client_id=client.id,
                instrument_code=code,
                instrument_version=registry.get(code).version,
                position=0,
                opens_at=at - timedelta(hours=1),
                closes_at=at + timedelta(days=1),
            )
            db.session.add(assignment)
            db.session.flush()
            db.session.add(self._response(assignment, code, None, at, answers={}, valid=False))
            db.session.commit()

    def appointment(
        self,
        client: Client,
        starts_at: datetime,
        status: str = "completed",
        *,
        changed_at: datetime | None = None,
        clinician_id: int | None = None,
    ) -> None:
        with self.app.app_context():
            db.session.add(
                Appointment(
                    appointment_ref=f"R-{next(_seq):06d}",
                    client_id=client.id,
                    clinician_id=clinician_id or client.primary_clinician_id,
                    starts_at=starts_at,
                    status=status,
                    status_changed_at=changed_at,
                )
            )
            db.session.commit()
