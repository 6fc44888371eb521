"""Reading stored data into FHIR resources: a client's whole record, and the bulk export.

Queries do not grow with history: one for the client, one for their completed responses (in
batches for the bulk export, so memory stays flat however many there are).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, select

from mbc.assessments.models import Response
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.fhir.codes import Context
from mbc.fhir.patient import build_patient
from mbc.fhir.questionnaire import build_questionnaire
from mbc.fhir.responses import (
    answer_values,
    build_observations,
    build_questionnaire_response,
    coded_answers,
    instant,
)
from mbc.instruments import registry

# The columns the builders read: plain rows, no ORM objects or relationships to load.
RESPONSE_COLUMNS = (
    Response.id,
    Response.client_id,
    Response.instrument_code,
    Response.instrument_version,
    Response.language,
    Response.answers,
    Response.completed_at,
    Response.is_valid,
    Response.total,
    Response.severity,
    Response.invalid_reason,
    Response.is_prorated,
    Response.flags,
)


def context() -> Context:
    """This installation's canonical base and identifier systems (README: FHIR)."""
    cfg = current_app.config
    base = cfg["BASE_URL"]
    return Context(
        base_url=base,
        client_system=cfg.get("FHIR_CLIENT_SYSTEM") or f"{base}/fhir/sid/client-ref",
        appointment_system=cfg.get("FHIR_APPOINTMENT_SYSTEM") or f"{base}/fhir/sid/appointment",
    )


def withheld() -> frozenset[str]:
    """[decision] Instruments whose answers never leave mbc: the satisfaction survey (about the
    clinician) unless the practice shows its answers to clinicians, as clients are told so on
    the survey page and an export lands in the EHR where every clinician reads it."""
    from mbc.clinician.satisfaction import CODE
    from mbc.practice.services import get_practice

    return frozenset() if get_practice().satisfaction_visible_to_clinician else frozenset({CODE})


def completed_responses(leave_out: frozenset[str] | None = None) -> Select[Any]:
    """Completed responses' columns, without the withheld instruments, and without those of an
    instrument this process has not loaded (a practice's file refused or removed): their words
    and codes are not known here, so they are left out rather than failing the whole answer."""
    query = select(*RESPONSE_COLUMNS).where(
        Response.status == "completed", Response.instrument_code.in_(registry.codes())
    )
    leave_out = withheld() if leave_out is None else leave_out
    return query.where(Response.instrument_code.not_in(leave_out)) if leave_out else query


def resources_of_response(row: Any, ctx: Context) -> list[dict[str, Any]]:
    if not registry.has(row.instrument_code, row.instrument_version):
        return []  # a version not loaded (see completed_responses)
    definition = registry.get(row.instrument_code, row.instrument_version)
    coded = coded_answers(definition, answer_values(row, definition), ctx)
    return [
        build_questionnaire_response(row, definition, ctx, coded),
        *build_observations(row, definition, ctx, coded),
    ]


def client_record(
    client: Client,
    ctx: Context,
    *,
    contact: bool = True,
    leave_out: frozenset[str] | None = None,
) -> dict[str, Any]:
    """One client's record as a Bundle of type ``collection``: the Patient, each Questionnaire
    version they answered, every completed response and its Observations."""
    rows = responses_of(client.id, leave_out)
    versions = sorted({(r.instrument_code, r.instrument_version) for r in rows})
    resources = [build_patient(client, ctx, contact=contact)]
    resources += [
        build_questionnaire(registry.get(c, v), ctx) for c, v in versions if registry.has(c, v)
    ]
    for row in rows:
        resources += resources_of_response(row, ctx)
    return collection(resources, ctx)


def responses_of(client_id: int, leave_out: frozenset[str] | None = None) -> list[Any]:
    """A client's completed responses, oldest first (one query)."""
    return list(
        db.session.execute(
            completed_responses(leave_out)
            .where(Response.client_id == client_id)
            .order_by(Response.completed_at, Response.id)
        ).all()
    )


def collection(resources: list[dict[str, Any]], ctx: Context) -> dict[str, Any]:
    from mbc.clock import utcnow

    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(utcnow()),
        "entry": [
            {"fullUrl": f"{ctx.base_url}/fhir/{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ],
    }


def stream_responses(since: datetime | None, batch: int = 500) -> Iterator[list[Any]]:
    """Completed responses in id order, ``batch`` rows at a time (keyset paging: each batch is
    one indexed query, and only one batch is held in memory)."""
    after, leave_out = 0, withheld()
    while True:
        query = completed_responses(leave_out).where(Response.id > after)
        if since is not None:
            query = query.where(Response.completed_at >= since)
        rows = db.session.execute(query.order_by(Response.id).limit(batch)).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id
