"""The read API at /fhir/: bearer tokens with scopes, searchset Bundles with next links,
OperationOutcome for every error, each call audit-logged, a per-client rate limit."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from tests.fhir.helpers import answer_check_in, api_token, bearer, validated
from tests.survey.helpers import gad7, phq9


@pytest.fixture
def token(app, admin) -> str:
    return api_token(app, admin)


def get(web, url: str, token: str | None = None):
    response = web.get(url, headers=bearer(token) if token else {})
    assert response.content_type.startswith("application/fhir+json")
    assert "Set-Cookie" not in response.headers  # no cookies, ever
    return response, validated(response.get_json())


def test_metadata_is_a_capability_statement_without_a_token(web) -> None:
    response, body = get(web, "/fhir/metadata")
    assert response.status_code == 200 and body["fhirVersion"] == "4.0.1"
    kinds = {r["type"] for r in body["rest"][0]["resource"]}
    assert kinds == {"Questionnaire", "QuestionnaireResponse", "Observation", "Patient",
                     "Appointment"}  # fmt: skip


def test_no_token_a_wrong_token_or_a_revoked_one_is_401(app, web, admin, token) -> None:
    for headers in ({}, bearer("mbc_not-a-token"), {"Authorization": f"Basic {token}"}):
        response = web.get("/fhir/Questionnaire/phq9-1", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert validated(response.get_json())["issue"][0]["code"] == "login"
    from mbc.auth.models import StaffUser
    from mbc.fhir import api_clients
    from mbc.fhir.models import ApiClient

    with app.app_context():
        [client] = db.session.scalars(select(ApiClient))
        assert token not in (client.token_hash, client.token_hint)  # only its hash is kept
        api_clients.revoke(client, actor=db.session.get(StaffUser, admin.id))
        db.session.commit()
    assert web.get("/fhir/Questionnaire/phq9-1", headers=bearer(token)).status_code == 401


def test_a_scope_the_token_lacks_is_403(app, web, admin) -> None:
    pusher = api_token(app, admin, scopes=("write:appointments",), name="Scheduler")
    response, body = get(web, "/fhir/Patient?identifier=X", pusher)
    assert response.status_code == 403 and "read:responses" in body["issue"][0]["diagnostics"]


def test_questionnaire_read_and_404(web, token) -> None:
    response, body = get(web, "/fhir/Questionnaire/phq9-1", token)
    assert response.status_code == 200 and body["code"][0]["code"] == "44249-1"
    response, body = get(web, "/fhir/Questionnaire/nope-1", token)
    assert response.status_code == 404 and body["issue"][0]["code"] == "not-found"
    response, body = get(web, "/fhir/Nothing/here", token)
    assert response.status_code == 404 and body["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    ("query", "element"),
    [
        ("", "patient"),
        ("?patient=abc", "patient"),
        ("?patient=1&date=yesterday", "date"),
        ("?patient=1&colour=red", "colour"),
        ("?patient=1&_count=0", "_count"),
    ],
)
def test_a_bad_search_parameter_is_a_400_naming_it(web, token, client_en, query, element) -> None:
    query = query.replace("patient=1", f"patient={client_en.id}")
    response, body = get(web, f"/fhir/Observation{query}", token)
    assert response.status_code == 400
    assert body["issue"][0]["expression"] == [element]


def test_observations_of_a_patient_page_with_next_links_and_filter_by_code_and_date(
    app, make, clock, web, token, client_en
) -> None:
    for _ in range(3):
        answer_check_in(app, make, client_en, {"phq9": phq9(), "gad7": gad7()})
        clock.advance(days=7)
    url = f"/fhir/Observation?patient=Patient/{client_en.id}&code=http://loinc.org|44249-1&_count=2"
    _, first = get(web, url, token)
    assert first["type"] == "searchset" and len(first["entry"]) == 2
    assert {e["resource"]["code"]["coding"][0]["code"] for e in first["entry"]} == {"44249-1"}
    [next_link] = [link["url"] for link in first["link"] if link["relation"] == "next"]
    _, second = get(web, next_link.removeprefix("https://mbc.test"), token)
    assert len(second["entry"]) == 1 and "next" not in [x["relation"] for x in second["link"]]
    ids = [e["resource"]["id"] for e in first["entry"] + second["entry"]]
    assert len(set(ids)) == 3
    _, items = get(web, f"/fhir/Observation?patient={client_en.id}&code=44260-8", token)
    assert [e["resource"]["code"]["coding"][0]["code"] for e in items["entry"]] == ["44260-8"] * 3
    _, recent = get(web, f"/fhir/Observation?patient={client_en.id}&code=69737-5"
                         f"&date=ge2026-12-01", token)  # fmt: skip
    assert len(recent["entry"]) == 1  # the third check-in, on 7 December
    _, surveys = get(web, f"/fhir/Observation?patient={client_en.id}&code=69737-5"
                          "&category=survey", token)  # fmt: skip
    assert len(surveys["entry"]) == 3
    _, labs = get(web, f"/fhir/Observation?patient={client_en.id}&category=laboratory", token)
    assert labs["entry"] == []
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "fhir.read.Observation")
        ).all()
    assert len(events) == 6 and events[0].client_id == client_en.id
    assert events[0].actor_label.startswith("api:") and events[0].detail["ids"] == ids[:2]


def test_questionnaire_responses_of_a_patient_by_last_updated(
    app, make, clock, web, token, client_en
) -> None:
    answer_check_in(app, make, client_en, {"phq9": phq9()})
    clock.advance(days=30)
    answer_check_in(app, make, client_en, {"phq9": phq9(total_on_item=2)})
    _, body = get(web, f"/fhir/QuestionnaireResponse?patient={client_en.id}"
                       "&_lastUpdated=gt2026-12-01", token)  # fmt: skip
    [entry] = body["entry"]
    assert entry["resource"]["item"][-1]["answer"] == [{"valueInteger": 16}]


def test_patient_by_identifier_shows_contact_only_with_its_scope(
    app, web, admin, token, client_en
) -> None:
    _, body = get(web, f"/fhir/Patient?identifier={client_en.client_ref}", token)
    [entry] = body["entry"]
    assert entry["resource"]["name"][0]["family"] == "Quixote"
    assert "telecom" not in entry["resource"]
    contact = api_token(app, admin, scopes=("read:responses", "read:contact"), name="Portal")
    system = "https://mbc.test/fhir/sid/client-ref"
    _, body = get(web, f"/fhir/Patient?identifier={system}|{client_en.client_ref}", contact)
    assert body["entry"][0]["resource"]["telecom"]
    _, body = get(web, f"/fhir/Patient?identifier=urn:other|{client_en.client_ref}", contact)
    assert body["entry"] == []


def test_observation_search_takes_the_same_statements_whatever_the_history(
    app, make, clock, web, token, client_en
) -> None:
    """The issue's bound: at most 15 SQL statements for Observation?patient=."""

    def statements() -> int:
        seen: list[str] = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response = web.get(f"/fhir/Observation?patient={client_en.id}", headers=bearer(token))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        return len(seen)

    answer_check_in(app, make, client_en, {"phq9": phq9(), "gad7": gad7()})
    statements()  # the first request of a new database stores the practice's settings row
    short = statements()
    for _ in range(6):
        clock.advance(days=7)
        answer_check_in(app, make, client_en, {"phq9": phq9(), "gad7": gad7()})
    assert statements() == short <= 15


def test_calls_beyond_the_clients_rate_limit_are_429_with_retry_after(
    app, web, token, clock
) -> None:
    app.config["FHIR_API_REQUESTS_PER_MINUTE"] = 3
    codes = [web.get("/fhir/Questionnaire/gad7-1", headers=bearer(token)).status_code
             for _ in range(4)]  # fmt: skip
    assert codes == [200, 200, 200, 429]
    refused = web.get("/fhir/Questionnaire/gad7-1", headers=bearer(token))
    assert int(refused.headers["Retry-After"]) >= 1
    assert validated(refused.get_json())["issue"][0]["code"] == "throttled"
    clock.advance(minutes=2)
    assert web.get("/fhir/Questionnaire/gad7-1", headers=bearer(token)).status_code == 200


def test_in_production_plain_http_is_refused_before_the_token_is_read(app, web, token) -> None:
    app.config["ENV"] = "production"
    plain = web.get("/fhir/Questionnaire/phq9-1", headers=bearer(token))
    assert plain.status_code == 403
    assert validated(plain.get_json())["issue"][0]["code"] == "security"
    secure = web.get(
        "/fhir/Questionnaire/phq9-1", headers=bearer(token), base_url="https://mbc.test"
    )
    assert secure.status_code == 200


def test_the_read_api_over_real_http(app, make, live_server, token, client_en) -> None:
    """As an EHR calls it: a real server, a real socket, no cookies kept or sent."""
    import json
    import urllib.request

    answer_check_in(app, make, client_en, {"phq9": phq9(total_on_item=3)})
    request = urllib.request.Request(
        f"{live_server}/fhir/Observation?patient=Patient/{client_en.id}&code=44249-1",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("application/fhir+json")
        assert response.headers.get("Set-Cookie") is None
        bundle = validated(json.load(response))
    [entry] = bundle["entry"]
    assert entry["resource"]["valueInteger"] == 24
    assert entry["resource"]["interpretation"][0]["text"] == "Severe"
