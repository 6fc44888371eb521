"""Completed responses stored the way a client's check-in stores them, and FHIR validation."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from mbc.assessments import services
from mbc.clock import utcnow
from mbc.extensions import db


def answer_check_in(app, make, client, pages: dict[str, dict[str, str]]) -> list[int]:
    """A check-in of ``pages``' instruments, each page saved and scored by the real services;
    the stored responses' ids."""
    _, link = make.check_in(client, tuple(pages))
    ids = []
    with app.app_context():
        loaded, _ = services.resolve_link(link)
        for assignment in loaded.assignments:
            answers, invalid = services.parse_page(
                services.definition_of(assignment), pages[assignment.instrument_code]
            )
            assert invalid is None
            saved = services.save_answers(loaded, assignment, answers, complete=True, now=utcnow())
            ids.append(saved.response.id)
        db.session.commit()
    return ids


# Required bindings that fhir.resources does not check (it accepts Observation.status "bogus").
REQUIRED_CODES = {
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected",
                                "cancelled", "entered-in-error", "unknown"},
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended",
                                          "entered-in-error", "stopped"},
    ("Questionnaire", "status"): {"draft", "active", "retired", "unknown"},
    ("Bundle", "type"): {"collection", "searchset"},
}  # fmt: skip


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """``resource`` after fhir.resources' R4 models accepted it (raises on any error), and its
    status codes from their required value sets; a Bundle's entries are checked too."""
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    for (kind, element), allowed in REQUIRED_CODES.items():
        if resource["resourceType"] == kind and allowed is not None:
            assert resource[element] in allowed, f"{kind}.{element} {resource[element]!r}"
    for entry in resource.get("entry", []):
        if "resource" in entry:
            validated(entry["resource"])
    return resource


def api_token(app, admin, scopes=("read:responses",), name="EHR") -> str:
    """A new API client's bearer token, created as the admin page does."""
    from mbc.auth.models import StaffUser
    from mbc.fhir import api_clients

    with app.app_context():
        _, token = api_clients.create(name, scopes, actor=db.session.get(StaffUser, admin.id))
        db.session.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
