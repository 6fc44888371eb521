"""Appointments pushed by the EHR (conditional update), answered with the appointment as mbc
holds it: 201 when created, 200 when updated or unchanged."""

from __future__ import annotations

from typing import Any

from flask import request

from mbc.audit import services as audit
from mbc.extensions import db
from mbc.fhir.api import FhirError, answer, bp, outcome, require
from mbc.fhir.appointments import PushError, as_resource, push
from mbc.fhir.records import context


@bp.put("/Appointment")
def appointment_update() -> Any:
    api = require("write:appointments")
    body = request.get_json(silent=True)
    ctx = context()
    try:
        result = push(body, request.args.get("identifier"), api, ctx)
    except PushError as exc:
        raise FhirError(exc.status, exc.issues) from None
    if result.appointment is None:  # not booked: nothing written
        db.session.commit()
        return answer(outcome(result.notes, severity="information"))
    audit.record(
        "fhir.write.Appointment",
        client_id=result.appointment.client_id,
        target=f"appointment:{result.appointment.id}",
        detail={"api_client_id": api.id, "created": result.created, "fields": result.changed},
    )
    db.session.commit()
    resource = as_resource(result.appointment, ctx)
    if result.created:
        location = f"{ctx.base_url}/fhir/Appointment/{result.appointment.id}"
        return answer(resource, 201, Location=location)
    return answer(resource)
