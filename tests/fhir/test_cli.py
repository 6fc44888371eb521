"""``mbc export fhir``: one client's Bundle on stdout, or every resource as NDJSON files."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from tests.fhir.helpers import answer_check_in, validated
from tests.survey.helpers import gad7, phq9


def ndjson(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_one_clients_record_prints_as_a_valid_bundle_and_is_audited(app, make, client_en) -> None:
    answer_check_in(app, make, client_en, {"phq9": phq9(), "gad7": gad7()})
    result = app.test_cli_runner().invoke(args=["export", "fhir", client_en.client_ref])
    assert result.exit_code == 0, result.output
    bundle = validated(json.loads(result.stdout))
    kinds = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds.count("QuestionnaireResponse") == 2 and kinds.count("Patient") == 1
    assert "telecom" not in bundle["entry"][0]["resource"]  # no contact details unless asked
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "fhir.export"))
        assert event.client_id == client_en.id


def test_an_unknown_client_or_a_missing_argument_is_a_clear_error(app) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["export", "fhir", "NOPE"])
    assert unknown.exit_code == 1 and "no client 'NOPE'" in unknown.output
    neither = runner.invoke(args=["export", "fhir"])
    assert neither.exit_code == 2 and "give a CLIENT_REF, or --all" in neither.output
    bad_date = runner.invoke(args=["export", "fhir", "--all", "--since", "yesterday"])
    assert bad_date.exit_code == 2 and "'yesterday' is not a date" in bad_date.output


def test_all_writes_ndjson_per_type_and_since_keeps_the_newer(
    app, make, clock, client_en, client_es, tmp_path
) -> None:
    answer_check_in(app, make, client_en, {"phq9": phq9()})
    clock.advance(days=10)
    answer_check_in(app, make, client_es, {"gad7": gad7()})
    runner = app.test_cli_runner()
    out = tmp_path / "all"
    result = runner.invoke(args=["export", "fhir", "--all", "--out", str(out), "--contact"])
    assert result.exit_code == 0, result.output
    kinds = ("Patient", "Questionnaire", "QuestionnaireResponse", "Observation")
    lines = {k: ndjson(out / f"{k}.ndjson") for k in kinds}
    for resources in lines.values():
        for resource in resources:
            validated(resource)
    assert len(lines["Patient"]) == 2 and "telecom" in lines["Patient"][0]
    assert sorted(q["id"] for q in lines["Questionnaire"]) == ["gad7-1", "phq9-1"]
    assert len(lines["QuestionnaireResponse"]) == 2
    newer = tmp_path / "newer"
    since = (clock.at - timedelta(days=1)).date().isoformat()
    result = runner.invoke(args=["export", "fhir", "--all", "--since", since, "--out", str(newer)])
    assert result.exit_code == 0, result.output
    [qr] = ndjson(newer / "QuestionnaireResponse.ndjson")
    assert qr["subject"] == {"reference": f"Patient/{client_es.id}"}
    assert [q["id"] for q in ndjson(newer / "Questionnaire.ndjson")] == ["gad7-1"]
