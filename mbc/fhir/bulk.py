"""The bulk export: one NDJSON file per resource type (the FHIR Bulk Data file format), written
as the rows stream in batches, so memory stays flat whatever the practice's history."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import exists, func, or_, select

from mbc.assessments.models import Response
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.fhir.codes import Context
from mbc.fhir.patient import build_patient
from mbc.fhir.questionnaire import build_questionnaire
from mbc.fhir.records import completed_responses, resources_of_response, stream_responses
from mbc.instruments import registry

RESOURCE_TYPES = ("Patient", "Questionnaire", "QuestionnaireResponse", "Observation")
BATCH = 500


def _since(query: Any, since: datetime | None) -> Any:
    return query if since is None else query.where(Response.completed_at >= since)


def count_responses(since: datetime | None) -> int:
    counted = _since(completed_responses(), since).subquery()
    return db.session.scalar(select(func.count()).select_from(counted)) or 0


def export_all(
    out: Path,
    ctx: Context,
    *,
    since: datetime | None = None,
    contact: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write ``<out>/<Type>.ndjson`` for each type; the number of resources written of each.

    With ``since``: the responses completed from then on, their Questionnaires, and the
    Patients changed since or with such a response."""
    out.mkdir(parents=True, exist_ok=True)
    files = {t: (out / f"{t}.ndjson").open("w", encoding="utf-8") for t in RESOURCE_TYPES}
    counts = dict.fromkeys(RESOURCE_TYPES, 0)

    encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode  # made once

    def write(resource: dict[str, Any]) -> None:
        kind = resource["resourceType"]
        files[kind].write(encode(resource) + "\n")
        counts[kind] += 1

    try:
        _patients(since, ctx, contact, write)
        versions = db.session.execute(
            _since(
                completed_responses()
                .with_only_columns(Response.instrument_code, Response.instrument_version)
                .distinct(),
                since,
            )
        ).all()
        for code, version in sorted(versions):
            if registry.has(code, version):
                write(build_questionnaire(registry.get(code, version), ctx))
        for rows in stream_responses(since, BATCH):
            for row in rows:
                for resource in resources_of_response(row, ctx):
                    write(resource)
            if progress:
                progress(len(rows))
    finally:
        for handle in files.values():
            handle.close()
    return counts


def _patients(
    since: datetime | None, ctx: Context, contact: bool, write: Callable[[dict], None]
) -> None:
    after = 0
    while True:
        query = select(Client).where(Client.id > after)
        if since is not None:
            answered = exists().where(
                Response.client_id == Client.id,
                Response.status == "completed",
                Response.completed_at >= since,
            )
            query = query.where(or_(Client.updated_at >= since, answered))
        batch = list(db.session.scalars(query.order_by(Client.id).limit(BATCH)))
        if not batch:
            return
        for client in batch:
            write(build_patient(client, ctx, contact=contact))
        after = batch[-1].id


def write_json(resource: dict[str, Any], stream: IO[str]) -> None:
    json.dump(resource, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
