"""The CapabilityStatement at /fhir/metadata: what this server supports, and nothing more."""

from __future__ import annotations

from typing import Any

from mbc.clock import utcnow
from mbc.fhir.codes import FHIR_VERSION, Context
from mbc.fhir.responses import instant


def _param(name: str, kind: str, doc: str) -> dict[str, str]:
    return {"name": name, "type": kind, "documentation": doc}


def capability_statement(ctx: Context) -> dict[str, Any]:
    paging = "Pages with _count (at most 200) and the Bundle's next link."
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(utcnow()),
        "kind": "instance",
        "software": {"name": "mbc"},
        "implementation": {"description": "mbc", "url": f"{ctx.base_url}/fhir"},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "description": "An API client's token as 'Authorization: Bearer <token>', "
                    "over TLS. Scopes: read:responses, read:contact, write:appointments, "
                    "write:clients.",
                },
                "resource": [
                    {
                        "type": "Questionnaire",
                        "interaction": [{"code": "read"}],
                    },
                    {
                        "type": "QuestionnaireResponse",
                        "interaction": [{"code": "search-type", "documentation": paging}],
                        "searchParam": [
                            _param("patient", "reference", "Required: Patient/<id>."),
                            _param("_lastUpdated", "date", "When the response was completed."),
                        ],
                    },
                    {
                        "type": "Observation",
                        "interaction": [{"code": "search-type", "documentation": paging}],
                        "searchParam": [
                            _param("patient", "reference", "Required: Patient/<id>."),
                            _param("code", "token", "LOINC or mbc code, system|code."),
                            _param("date", "date", "effectiveDateTime."),
                        ],
                    },
                    {
                        "type": "Patient",
                        "interaction": [{"code": "search-type"}],
                        "searchParam": [
                            _param("identifier", "token", "The practice's client reference.")
                        ],
                    },
                    {
                        "type": "Appointment",
                        "interaction": [
                            {"code": "update", "documentation": "Conditional: ?identifier="}
                        ],
                        "conditionalUpdate": True,
                        "updateCreate": True,
                    },
                ],
            }
        ],
    }
