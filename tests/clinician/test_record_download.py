"""A client's whole record from their page: the FHIR Bundle and a CSV of every response with
its answers, for staff who may see the client, audit-logged, without what the viewer may not see."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.fhir.records import withheld
from tests.clinician.test_satisfaction_visibility import satisfaction
from tests.factories import PASSWORD
from tests.fhir.helpers import answer_check_in, validated
from tests.helpers import signin
from tests.survey.helpers import gad7, phq9


def test_the_clinician_downloads_the_bundle_and_the_csv_and_both_are_audited(
    app, make, as_clinician, client_en
) -> None:
    phq9_id, _ = answer_check_in(
        app, make, client_en, {"phq9": phq9(total_on_item=1, item9=1), "gad7": gad7(2)}
    )
    answer_check_in(app, make, client_en, {"satisfaction": satisfaction(1, "=HYPERLINK(x)")})
    fhir = as_clinician.get(f"/clients/{client_en.id}/record.fhir.json")
    assert fhir.status_code == 200 and fhir.mimetype == "application/fhir+json"
    assert "attachment" in fhir.headers["Content-Disposition"]
    bundle = validated(fhir.get_json())
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2  # not the satisfaction survey
    assert "telecom" in bundle["entry"][0]["resource"]  # staff see the contact details anyway

    table = as_clinician.get(f"/clients/{client_en.id}/record.csv")
    assert table.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(table.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["instrument"] for r in rows] == ["phq9", "gad7"]
    assert rows[0]["response_id"] == str(phq9_id) and rows[0]["total"] == "9.0"
    assert rows[0]["phq9_9"] == "1" and rows[0]["phq9_9_label"] == "Several days"
    assert rows[0]["flags"] == "critical_item" and rows[1]["gad7_1"] == "2"
    assert rows[1]["phq9_1"] == "" and "satisfaction_comment" not in rows[0]
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.client_id == client_en.id)
        ).all()
    assert "client.export_fhir" in actions and "client.export_csv" in actions


def test_the_satisfaction_answers_go_only_where_clinicians_see_them(app, make, admin) -> None:
    clinician = make.user(email="c@example.org")
    client = make.client(clinician)
    answer_check_in(app, make, client, {"satisfaction": satisfaction(1, "=cmd|' /C calc'!A0")})
    with app.app_context():
        assert withheld() == {"satisfaction"}
        from mbc.practice.services import get_practice

        get_practice().satisfaction_visible_to_clinician = True
        db.session.commit()
        assert withheld() == frozenset()
    web = signin(app.test_client(), clinician.email, PASSWORD)
    text = web.get(f"/clients/{client.id}/record.csv").get_data(as_text=True)
    assert "'=cmd|' /C calc'!A0" in text  # a formula is quoted, never run by a spreadsheet


def test_a_clinician_without_access_gets_404_and_the_refusal_is_audited(
    app, make, client_en, clinician_b
) -> None:
    web = signin(app.test_client(), clinician_b.email, PASSWORD)
    for url in ("record.fhir.json", "record.csv"):
        assert web.get(f"/clients/{client_en.id}/{url}").status_code == 404
    with app.app_context():
        refused = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "client.access_denied")
        ).all()
    assert len(refused) == 2
