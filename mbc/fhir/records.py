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
from mbc.fhir.responses import build_observations, build_questionnaire_response, instant
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


def completed_responses() -> Select[Any]:
    return select(*RESPONSE_COLUMNS).where(Response.status == "completed")


def resources_of_response(row: Any, ctx: Context) -> list[dict[str, Any]]:
    definition = registry.get(row.instrument_code, row.instrument_version)
    return [
        build_questionnaire_response(row, definition, ctx),
        *build_observations(row, definition, ctx),
    ]


def client_record(client: Client, ctx: Context, *, contact: bool = True) -> dict[str, Any]:
    """One client's record as a Bundle of type ``collection``: the Patient, each Questionnaire
    version they answered, every completed response and its Observations."""
    rows = db.session.execute(
        completed_responses()
        .where(Response.client_id == client.id)
        .order_by(Response.completed_at, Response.id)
    ).all()
    versions = sorted({(r.instrument_code, r.instrument_version) for r in rows})
    resources = [build_patient(client, ctx, contact=contact)]
    resources += [build_questionnaire(registry.get(c, v), ctx) for c, v in versions]
    for row in rows:
        resources += resources_of_response(row, ctx)
    return collection(resources, ctx)


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
    after = 0
    while True:
        query = completed_responses().where(Response.id > after)
        if since is not None:
            query = query.where(Response.completed_at >= since)
        rows = db.session.execute(query.order_by(Response.id).limit(batch)).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id
