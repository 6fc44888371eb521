"""Appointments pushed by the EHR: ``PUT /fhir/Appointment?identifier=<system>|<value>``.

The push is the CSV import's row in FHIR form: the resource becomes the same cells
(mbc.clients.csv_format.check_row checks them, mbc.clients.importer.apply_rows writes them), so
clients, appointments, consent and, through the scheduler, check-ins follow exactly as they do
for an uploaded file. Each problem is an OperationOutcome issue naming the element it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError
from sqlalchemy import select

from mbc.clients import importer
from mbc.clients.csv_format import check_row
from mbc.clients.models import Appointment, Client
from mbc.extensions import db
from mbc.fhir.codes import Context
from mbc.fhir.models import ApiClient

Issue = tuple[str, str, str | None]  # (code, diagnostics, element)

# Appointment.status (R4, required binding). The import reads the booked ones; the others
# write nothing, as a file's row with them is skipped. [decision] ``entered-in-error`` on an
# appointment mbc has cancels it: the EHR says the session never existed, so its check-in must
# not go out (a CSV row cannot say this, as it names no earlier row).
BOOKED = ("booked", "arrived", "checked-in", "fulfilled", "cancelled", "noshow")
NOT_BOOKED = ("proposed", "pending", "waitlist")
WITHDRAWN = "entered-in-error"
STATUSES = (*BOOKED, *NOT_BOOKED, WITHDRAWN)

# Where each import column's problem lies in the resource ({p}: the Patient, {c}: clinician).
_ELEMENTS = {
    "client_ref": "{p}.identifier",
    "first_name": "{p}.name",
    "last_name": "{p}.name",
    "phone": "{p}.telecom",
    "email": "{p}.telecom",
    "language": "{p}.communication",
    "timezone": "{p}",
    "clinician_email": "{c}",
    "appointment_ref": "Appointment.identifier",
    "starts_at": "Appointment.start",
    "status": "Appointment.status",
}


class PushError(Exception):
    def __init__(self, status: int, issues: list[Issue]) -> None:
        super().__init__(issues[0][1])
        self.status, self.issues = status, issues


@dataclass
class PushResult:
    appointment: Appointment | None
    created: bool = False
    changed: list[str] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)  # warnings: why nothing was written


@dataclass
class _Party:
    element: str  # e.g. Appointment.participant[0].actor
    resource: dict[str, Any] | None = None  # a contained Patient or Practitioner
    identifier: dict[str, Any] | None = None
    reference: str | None = None


def push(body: Any, identifier: str | None, api: ApiClient, ctx: Context) -> PushResult:
    """Create or update the appointment the EHR identifies; the caller commits."""
    ref = _appointment_ref(identifier, ctx)
    _check_structure(body)
    status = body.get("status")
    if status not in STATUSES:
        allowed = ", ".join(STATUSES)
        raise PushError(
            400, [("code-invalid", f"status must be one of {allowed}", "Appointment.status")]
        )
    _check_identifier(body, ref, ctx)
    existing = db.session.scalar(select(Appointment).where(Appointment.appointment_ref == ref))
    if status in NOT_BOOKED or (status == WITHDRAWN and existing is None):
        note = f"{status!r}: not a booked appointment, nothing written"
        return PushResult(existing, notes=[("informational", note, "Appointment.status")])
    cells, given, patient, clinician = _cells(
        body, ref, "cancelled" if status == WITHDRAWN else status, ctx
    )
    client = db.session.scalar(select(Client).where(Client.client_ref == cells["client_ref"]))
    if client is None and not api.allows("write:clients"):
        message = (
            f"client {cells['client_ref']} is not in mbc, and this API client's token does "
            "not have the write:clients scope to add one"
        )
        raise PushError(403, [("forbidden", message, patient.element)])
    if client is not None:
        cells = {**_stored_details(client), **{k: v for k, v in cells.items() if v}}
    row, problems = check_row(
        cells, importer.practice_defaults(), importer.active_clinician_emails()
    )
    if problems or row is None:
        raise PushError(
            400, [_issue(p.column, p.message, patient.element, clinician.element) for p in problems]
        )
    if client is not None:
        row = replace(row, given=frozenset(given))
    if conflicts := importer.conflicts_with_stored([row]):
        raise PushError(409, [("conflict", conflicts[0].message, "Appointment.identifier")])
    summary = importer.apply_rows([row], actor=None)
    appointment = db.session.scalar(select(Appointment).where(Appointment.appointment_ref == ref))
    return PushResult(
        appointment,
        created=summary.appointments_created == 1,
        changed=summary.appointment_changes.get(ref, []),
    )


def _appointment_ref(identifier: str | None, ctx: Context) -> str:
    system, bar, value = (identifier or "").rpartition("|")
    if not bar or not value:
        message = f"identifier must be {ctx.appointment_system}|<the EHR's appointment id>"
        raise PushError(400, [("required", message, "identifier")])
    if system != ctx.appointment_system:
        message = (
            f"identifier's system must be {ctx.appointment_system} (MBC_FHIR_APPOINTMENT_SYSTEM)"
        )
        raise PushError(400, [("value", message, "identifier")])
    if len(value) > 64:
        raise PushError(
            400, [("value", "the appointment id is too long (64 at most)", "identifier")]
        )
    return value


def _check_structure(body: Any) -> None:
    """The resource as FHIR's R4 models read it: each structural problem names its element."""
    if not isinstance(body, dict) or body.get("resourceType") != "Appointment":
        raise PushError(
            400, [("structure", "the body must be an Appointment resource", "Appointment")]
        )
    try:
        get_fhir_model_class("Appointment").model_validate(body)
    except ValidationError as exc:
        issues: list[Issue] = [
            ("structure", error["msg"], _path(error["loc"])) for error in exc.errors()[:20]
        ]
        raise PushError(400, issues) from None


def _path(loc: tuple[Any, ...]) -> str:
    path = "Appointment"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _check_identifier(body: dict[str, Any], ref: str, ctx: Context) -> None:
    for n, found in enumerate(body.get("identifier") or []):
        if found.get("system") == ctx.appointment_system and found.get("value") != ref:
            message = "the resource's identifier differs from the one in the URL"
            raise PushError(400, [("value", message, f"Appointment.identifier[{n}]")])


def _cells(
    body: dict[str, Any], ref: str, status: str, ctx: Context
) -> tuple[dict[str, str], set[str], _Party, _Party]:
    """The import's cells for this appointment, and the client details the resource gives."""
    patient, clinician = _parties(body)
    problems: list[Issue] = []
    if patient is None:
        problems.append(("required", "no participant is the Patient", "Appointment.participant"))
    if clinician is None:
        message = "no participant is the Practitioner (by email, as staff sign in to mbc)"
        problems.append(("required", message, "Appointment.participant"))
    if problems:
        raise PushError(400, problems)
    assert patient is not None and clinician is not None
    cells = {
        "client_ref": _client_ref(patient, ctx),
        "clinician_email": _email(clinician),
        "appointment_ref": ref,
        "starts_at": str(body.get("start") or ""),
        "status": status,
    }
    _check_end(body)
    details = _patient_details(patient.resource or {})
    cells.update(details)
    return cells, {k for k, v in details.items() if v}, patient, clinician


def _parties(body: dict[str, Any]) -> tuple[_Party | None, _Party | None]:
    contained = {f"#{r.get('id')}": r for r in body.get("contained") or []}
    patient = clinician = None
    for n, participant in enumerate(body.get("participant") or []):
        actor = participant.get("actor") or {}
        reference = actor.get("reference") or ""
        resource = contained.get(reference)
        kind = actor.get("type") or (resource or {}).get("resourceType") or reference.split("/")[0]
        party = _Party(
            f"Appointment.participant[{n}].actor", resource, actor.get("identifier"), reference
        )
        if kind == "Patient" and patient is None:
            patient = party
        elif kind == "Practitioner" and clinician is None:
            clinician = party
    return patient, clinician


def _client_ref(patient: _Party, ctx: Context) -> str:
    identifiers = [patient.identifier] if patient.identifier else []
    identifiers += (patient.resource or {}).get("identifier") or []
    for found in identifiers:
        if found.get("system") in (None, ctx.client_system) and found.get("value"):
            return str(found["value"])
    if patient.reference.startswith("Patient/"):
        client_id = patient.reference.removeprefix("Patient/")
        if client_id.isdigit():
            client = db.session.get(Client, int(client_id))
            if client is not None:
                return client.client_ref
    message = f"the Patient needs an identifier in the system {ctx.client_system}"
    raise PushError(400, [("required", message, f"{patient.element}.identifier")])


def _email(clinician: _Party) -> str:
    """The Practitioner's email: the actor's identifier (``mailto:`` or a bare address), or a
    contained Practitioner's email telecom."""
    values = [str((clinician.identifier or {}).get("value") or "")]
    values += [
        str(t.get("value") or "")
        for t in (clinician.resource or {}).get("telecom") or []
        if t.get("system") == "email"
    ]
    for value in values:
        if "@" in value:
            return value.removeprefix("mailto:").strip().lower()
    message = "the Practitioner needs their email (as identifier value or a contained telecom)"
    raise PushError(400, [("required", message, clinician.element)])


def _patient_details(resource: dict[str, Any]) -> dict[str, str]:
    names = resource.get("name") or [{}]
    name = next((n for n in names if n.get("use") in (None, "official", "usual")), names[0])
    telecom = resource.get("telecom") or []
    languages = [
        c.get("code")
        for comm in resource.get("communication") or []
        for c in (comm.get("language") or {}).get("coding") or []
    ]
    return {
        "first_name": " ".join(name.get("given") or []),
        "last_name": name.get("family") or "",
        "phone": next((t["value"] for t in telecom if t.get("system") in ("phone", "sms")), ""),
        "email": next((t["value"] for t in telecom if t.get("system") == "email"), ""),
        "language": next((str(code) for code in languages if code), ""),
    }


def _stored_details(client: Client) -> dict[str, str]:
    """An existing client's details, so a push that names them by identifier alone passes the
    import's checks; only what the push gives changes them."""
    return {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "language": client.language,
    }


def _check_end(body: dict[str, Any]) -> None:
    """``end`` or ``minutesDuration`` are read for their sense only: mbc plans around the start."""
    start, end = body.get("start"), body.get("end")
    if start and end:
        try:
            if datetime.fromisoformat(end) <= datetime.fromisoformat(start):
                raise PushError(400, [("value", "end must be after start", "Appointment.end")])
        except (TypeError, ValueError):
            return  # the start's own check says what is wrong with it


def _issue(column: str | None, message: str, patient: str, clinician: str) -> Issue:
    element = _ELEMENTS.get(column or "", "Appointment").format(p=patient, c=clinician)
    return ("value", f"{column}: {message}" if column else message, element)


def as_resource(appointment: Appointment, ctx: Context) -> dict[str, Any]:
    """The appointment as mbc holds it."""
    from mbc.fhir.responses import instant

    status = {"scheduled": "booked", "completed": "fulfilled", "no_show": "noshow"}
    return {
        "resourceType": "Appointment",
        "id": str(appointment.id),
        "identifier": [{"system": ctx.appointment_system, "value": appointment.appointment_ref}],
        "status": status.get(appointment.status, appointment.status),
        "start": instant(appointment.starts_at),
        "participant": [
            {
                "actor": {
                    "reference": f"Patient/{appointment.client_id}",
                    "identifier": {
                        "system": ctx.client_system,
                        "value": appointment.client.client_ref,
                    },
                },
                "status": "accepted",
            },
            {
                "actor": {
                    "type": "Practitioner",
                    "identifier": {"value": appointment.clinician.email},
                    "display": appointment.clinician.name,
                },
                "status": "accepted",
            },
        ],
    }
