"""Downloading a client's whole record from their page (staff who may see the client): the
FHIR Bundle, and a CSV of every response with its answers. Each download is audit-logged."""

from __future__ import annotations

import json

from flask import Response
from flask.typing import ResponseReturnValue
from flask_login import current_user

from mbc.assessments.record_csv import record_csv
from mbc.auth.access import load_client_or_404
from mbc.auth.sessions import staff_required
from mbc.clinician.satisfaction import hidden_codes
from mbc.clinician.views import bp
from mbc.extensions import db
from mbc.fhir.codes import fhir_id
from mbc.fhir.records import client_record, context, responses_of


def _download(body: str, mimetype: str, name: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/clients/<int:client_id>/record.fhir.json")
@staff_required
def client_record_fhir(client_id: int) -> ResponseReturnValue:
    client = load_client_or_404(current_user, client_id, "client.export_fhir")
    viewer = current_user._get_current_object()  # type: ignore[attr-defined]
    bundle = client_record(client, context(), leave_out=hidden_codes(viewer))
    db.session.commit()
    body = json.dumps(bundle, ensure_ascii=False, indent=1)
    return _download(body, "application/fhir+json", f"record-{fhir_id(client.client_ref)}.json")


@bp.get("/clients/<int:client_id>/record.csv")
@staff_required
def client_record_csv(client_id: int) -> ResponseReturnValue:
    client = load_client_or_404(current_user, client_id, "client.export_csv")
    viewer = current_user._get_current_object()  # type: ignore[attr-defined]
    body = record_csv(client.client_ref, responses_of(client.id, hidden_codes(viewer)))
    db.session.commit()
    return _download(body, "text/csv", f"responses-{fhir_id(client.client_ref)}.csv")
