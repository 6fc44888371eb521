"""The EHR pushes appointments over real HTTP: each PUT does what the CSV import does for the
same row, the scheduler then plans, moves and revokes check-ins, and a repeat changes nothing."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from sqlalchemy import func, select

from mbc.assessments.models import CheckIn
from mbc.audit.models import AuditEvent
from mbc.clients.models import Appointment, AppointmentChange, Client
from mbc.delivery.scheduler import run_pass
from mbc.extensions import db
from tests.fhir.helpers import api_token, validated

APPOINTMENTS = "https://mbc.test/fhir/sid/appointment"
CLIENTS = "https://mbc.test/fhir/sid/client-ref"


def put(base: str, ref: str, body: Any, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}/fhir/Appointment?identifier={APPOINTMENTS}|{ref}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Type"].startswith("application/fhir+json")
            return response.status, validated(json.load(response))
    except urllib.error.HTTPError as error:
        with error:
            return error.code, validated(json.load(error))


def appointment(ref: str, client_ref: str, start: str, *, status: str = "booked",
                clinician: str = "a@example.org", patient: dict | None = None) -> dict:  # fmt: skip
    """An Appointment as an EHR sends it; ``patient``: a contained Patient (a new client)."""
    actor: dict[str, Any] = {"type": "Patient",
                             "identifier": {"system": CLIENTS, "value": client_ref}}  # fmt: skip
    body: dict[str, Any] = {
        "resourceType": "Appointment",
        "identifier": [{"system": APPOINTMENTS, "value": ref}],
        "status": status,
        "start": start,
        "minutesDuration": 50,
        "participant": [
            {"actor": actor, "status": "accepted"},
            {"actor": {"type": "Practitioner", "identifier": {"value": f"mailto:{clinician}"}},
             "status": "accepted"},
        ],
    }  # fmt: skip
    if patient:
        body["contained"] = [{"resourceType": "Patient", "id": "p", **patient}]
        actor["reference"] = "#p"
    return body


def week(existing: Client) -> dict[str, dict]:
    """A week at the practice (New York): Tuesday to the next Monday, 10:00 each day."""
    new = [
        ("N-1", "Ana", "Baez", "+14155550101"),
        ("N-2", "Ben", "Cole", "+14155550102"),
        ("N-3", "Cai", "Dunn", "+14155550103"),
        ("N-4", "Dee", "Earl", "+14155550104"),
    ]
    days = ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]
    pushes = {}
    for n, day in enumerate(days):
        start = f"{day}T10:00:00-05:00"
        if n == 2:
            pushes[f"E-{n}"] = appointment(f"E-{n}", existing.client_ref, start)
            continue
        ref, given, family, phone = new[n if n < 2 else n - 1]
        patient = {
            "identifier": [{"system": CLIENTS, "value": ref}],
            "name": [{"family": family, "given": [given]}],
            "telecom": [{"system": "phone", "value": phone}],
            "communication": [{"language": {"coding": [{"code": "es" if n == 4 else "en"}]}}],
        }
        pushes[f"E-{n}"] = appointment(f"E-{n}", ref, start, patient=patient)
    return pushes


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Client, Appointment, AppointmentChange, CheckIn)
        }


def plan_the_week(app, clock) -> None:
    """The scheduler's passes over the week (it plans a session a day or two ahead)."""
    for _ in range(8):
        run_pass(app)
        clock.advance(days=1)


@pytest.fixture
def ehr(app, admin) -> str:
    return api_token(app, admin, scopes=("write:appointments", "write:clients"), name="EHR")


def test_a_week_pushed_plans_its_check_ins_and_a_repeat_changes_nothing(
    app, make, clock, live_server, ehr, clinician_a, client_en
) -> None:
    make.plan_rule(("phq9", "gad7"))
    pushes = week(client_en)
    statuses = [put(live_server, ref, body, ehr)[0] for ref, body in pushes.items()]
    assert statuses == [201] * 5
    before = counts(app)
    assert before["Client"] == 5 and before["Appointment"] == 5
    again = [put(live_server, ref, body, ehr) for ref, body in pushes.items()]
    assert [status for status, _ in again] == [200] * 5
    assert counts(app) == before  # nothing changed
    _, stored = again[4]
    assert stored["status"] == "booked" and stored["start"] == "2026-11-30T15:00:00+00:00"
    with app.app_context():
        new = db.session.scalar(select(Client).where(Client.client_ref == "N-4"))
        assert (new.first_name, new.language, new.phone) == ("Dee", "es", "+14155550104")
        assert new.primary_clinician_id == clinician_a.id
        actors = db.session.scalars(
            select(AuditEvent.actor_label).where(AuditEvent.action == "appointment.create")
        ).all()
        assert actors and all(a.startswith("api:") for a in actors)

    clock.advance(hours=-17)  # Monday midnight: the first pass sees Tuesday's session
    plan_the_week(app, clock)
    with app.app_context():
        planned = db.session.execute(
            select(Appointment.appointment_ref, CheckIn.session_starts_at, CheckIn.status)
            .join(CheckIn, CheckIn.appointment_id == Appointment.id)
            .order_by(Appointment.starts_at)
        ).all()
    assert [ref for ref, _, _ in planned] == list(pushes)  # one check-in per session
    days = ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]
    assert [start.isoformat() for _, start, _ in planned] == [f"{d}T15:00:00+00:00" for d in days]


def test_a_moved_and_a_cancelled_push_move_and_revoke_their_check_ins(
    app, make, clock, live_server, ehr, client_en
) -> None:
    make.plan_rule(("phq9",))
    pushes = week(client_en)
    for ref, body in pushes.items():
        put(live_server, ref, body, ehr)
    run_pass(app)  # Monday 17:00: Tuesday's and Wednesday's sessions are planned
    moved = dict(pushes["E-0"], start="2026-11-24T13:00:00-05:00")
    status, body = put(live_server, "E-0", moved, ehr)
    assert status == 200 and body["start"] == "2026-11-24T18:00:00+00:00"
    status, body = put(live_server, "E-1", dict(pushes["E-1"], status="cancelled"), ehr)
    assert status == 200 and body["status"] == "cancelled"
    run_pass(app)
    with app.app_context():
        rows = dict(
            db.session.execute(
                select(Appointment.appointment_ref, CheckIn)
                .join(CheckIn, CheckIn.appointment_id == Appointment.id)
            ).all()
        )  # fmt: skip
        assert rows["E-0"].session_starts_at.isoformat() == "2026-11-24T18:00:00+00:00"
        assert rows["E-0"].status == "open" and rows["E-1"].status == "revoked"
        changes = db.session.scalars(select(AppointmentChange.field)).all()
        assert sorted(changes) == ["starts_at", "status"]


def test_entered_in_error_cancels_an_appointment_and_proposed_writes_nothing(
    app, live_server, ehr, client_en
) -> None:
    body = appointment("X-1", client_en.client_ref, "2026-11-25T10:00:00-05:00")
    assert put(live_server, "X-1", dict(body, status="proposed"), ehr)[0] == 200
    assert counts(app)["Appointment"] == 0
    assert put(live_server, "X-1", body, ehr)[0] == 201
    status, stored = put(live_server, "X-1", dict(body, status="entered-in-error"), ehr)
    assert status == 200 and stored["status"] == "cancelled"


@pytest.mark.parametrize(
    ("change", "element", "words"),
    [
        ({"status": "maybe"}, "Appointment.status", "status must be one of"),
        ({"start": "next tuesday"}, "Appointment.start", ""),
        ({"start": "2026-11-25T10:00:00"}, "Appointment.start", ""),  # no offset: not an instant
        ({"end": "2026-11-25T09:00:00-05:00"}, "Appointment.end", "end must be after start"),
        ({"participant": [{"actor": {"type": "Patient",
                                     "identifier": {"system": CLIENTS, "value": "C-x"}},
                           "status": "accepted"}]},
         "Appointment.participant", "no participant is the Practitioner"),
        ({"minutesDuration": -5}, "Appointment.minutesDuration", ""),
    ],
)  # fmt: skip
def test_a_bad_appointment_is_a_400_whose_issue_names_the_element(
    app, live_server, ehr, client_en, change, element, words
) -> None:
    body = appointment("B-1", client_en.client_ref, "2026-11-25T10:00:00-05:00") | change
    status, outcome = put(live_server, "B-1", body, ehr)
    assert status == 400, outcome
    assert outcome["resourceType"] == "OperationOutcome"
    issue = outcome["issue"][0]
    assert issue["expression"][0].startswith(element) and words in issue["diagnostics"]
    assert counts(app)["Appointment"] == 0


def test_the_import_checks_name_the_element_an_unknown_clinician_and_a_bad_phone(
    app, live_server, ehr
) -> None:
    patient = {"identifier": [{"system": CLIENTS, "value": "N-9"}],
               "name": [{"family": "Fox", "given": ["Flo"]}],
               "telecom": [{"system": "phone", "value": "12"}]}  # fmt: skip
    body = appointment("B-2", "N-9", "2026-11-25T10:00:00-05:00", clinician="who@example.org",
                       patient=patient)  # fmt: skip
    status, outcome = put(live_server, "B-2", body, ehr)
    assert status == 400
    found = {i["expression"][0]: i["diagnostics"] for i in outcome["issue"]}
    assert "not an active clinician" in found["Appointment.participant[1].actor"]
    assert found["Appointment.participant[0].actor.telecom"].startswith("phone:")


def test_a_new_client_needs_the_write_clients_scope(app, admin, live_server) -> None:
    only = api_token(app, admin, scopes=("write:appointments",), name="Scheduler")
    patient = {"identifier": [{"system": CLIENTS, "value": "N-8"}],
               "name": [{"family": "Gil", "given": ["Gus"]}]}  # fmt: skip
    body = appointment("B-3", "N-8", "2026-11-25T10:00:00-05:00", patient=patient)
    status, outcome = put(live_server, "B-3", body, only)
    assert status == 403 and "write:clients" in outcome["issue"][0]["diagnostics"]
    reader = api_token(app, admin, scopes=("read:responses",), name="Reader")
    assert put(live_server, "B-3", body, reader)[0] == 403


def test_the_identifier_must_be_in_the_practices_appointment_system(
    app, live_server, ehr, client_en
) -> None:
    body = appointment("B-4", client_en.client_ref, "2026-11-25T10:00:00-05:00")
    request = urllib.request.Request(
        f"{live_server}/fhir/Appointment?identifier=urn:other|B-4", data=json.dumps(body).encode(),
        method="PUT", headers={"Authorization": f"Bearer {ehr}"},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    with refused.value as error:
        assert error.code == 400
        assert json.load(error)["issue"][0]["expression"] == ["identifier"]
