"""Patient: only what an EHR needs to match a record (the practice's reference and the name);
phone, email and language only for a caller whose scope allows contact details."""

from __future__ import annotations

from typing import Any

from mbc.fhir.codes import Context

_LANGUAGE = "urn:ietf:bcp:47"


def build_patient(client: Any, ctx: Context, *, contact: bool = False) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(client.id),
        "identifier": [{"system": ctx.client_system, "value": client.client_ref}],
        "active": client.status == "active",
        "name": [{"family": client.last_name, "given": [client.first_name]}],
    }
    if contact:
        telecom = []
        if client.phone:
            telecom.append({"system": "phone", "value": client.phone, "use": "mobile"})
        if client.email:
            telecom.append({"system": "email", "value": client.email})
        if telecom:
            resource["telecom"] = telecom
        resource["communication"] = [
            {
                "language": {"coding": [{"system": _LANGUAGE, "code": client.language}]},
                "preferred": True,
            }
        ]
    return resource
