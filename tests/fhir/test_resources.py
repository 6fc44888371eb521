"""FHIR resources built from stored data: every one validated by fhir.resources' R4 models,
with the LOINC codes of shared/INSTRUMENTS.md where the instrument has them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mbc.extensions import db
from mbc.fhir.codes import LOINC, Context
from mbc.fhir.patient import build_patient
from mbc.fhir.questionnaire import build_questionnaire
from mbc.fhir.records import client_record, context
from mbc.instruments import registry
from tests.fhir.helpers import answer_check_in, validated
from tests.survey.helpers import gad7, phq9

CTX = Context("https://mbc.test", "https://ehr.example/mrn", "https://ehr.example/appt")
PHQ9_ITEMS = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
    "44258-2", "44252-5", "44253-3", "44260-8",
]  # fmt: skip


def codes(codeable: list[dict]) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in codeable]


def test_the_phq9_questionnaire_carries_its_loinc_codes_and_answer_weights() -> None:
    q = validated(build_questionnaire(registry.get("phq9", "1"), CTX))
    assert q["url"] == "https://mbc.test/fhir/Questionnaire/phq9" and q["version"] == "1"
    assert codes(q["code"]) == [(LOINC, "44249-1")]
    by_link = {item["linkId"]: item for item in q["item"]}
    assert [by_link[f"phq9_{n}"]["code"][0]["code"] for n in range(1, 10)] == PHQ9_ITEMS
    assert by_link["phq9_difficulty"]["code"][0]["code"] == "69722-7"
    assert by_link["phq9.total"]["code"][0]["code"] == "44261-6"
    assert by_link["phq9.total"]["readOnly"] is True
    options = by_link["phq9_1"]["answerOption"]
    assert [(o["valueCoding"]["code"], o["valueCoding"]["extension"][0]["valueDecimal"])
            for o in options] == [("LA6568-5", 0), ("LA6569-3", 1), ("LA6570-1", 2),
                                  ("LA6571-9", 3)]  # fmt: skip
    difficulty = [o["valueCoding"]["code"] for o in by_link["phq9_difficulty"]["answerOption"]]
    assert difficulty == ["LA6572-7", "LA6573-5", "LA6575-0", "LA6574-3"]


def test_the_gad7_questionnaire_has_its_panel_and_total_codes() -> None:
    q = validated(build_questionnaire(registry.get("gad7", "1"), CTX))
    assert codes(q["code"]) == [(LOINC, "69737-5")]
    assert q["item"][-1]["code"][0]["code"] == "70274-6"


@pytest.mark.parametrize("code", registry.codes())
def test_every_instrument_version_is_a_valid_questionnaire(code: str) -> None:
    """Built from the loaded definition alone: a clinic's new instrument needs no code here."""
    for version in registry.versions(code):
        definition = registry.get(code, version)
        q = validated(build_questionnaire(definition, CTX))
        assert [i["linkId"] for i in q["item"][:-1]] == [i.id for i in definition.items]
        if not definition.loinc:  # PCL-5, ORS, SRS, ours: mbc's own code system
            assert codes(q["code"]) == [("https://mbc.test/fhir/CodeSystem/mbc", code)]


def test_a_patient_shows_contact_details_only_when_asked() -> None:
    client = SimpleNamespace(
        id=7, client_ref="MRN-1", first_name="Zelda", last_name="Quixote", status="active",
        phone="+14155552671", email="z@example.com", language="es",
    )  # fmt: skip
    bare = validated(build_patient(client, CTX))
    assert bare["identifier"] == [{"system": "https://ehr.example/mrn", "value": "MRN-1"}]
    assert "telecom" not in bare and "communication" not in bare
    full = validated(build_patient(client, CTX, contact=True))
    assert {t["value"] for t in full["telecom"]} == {"+14155552671", "z@example.com"}


def test_a_clients_record_is_a_valid_collection_of_responses_and_observations(
    app, make, client_en
) -> None:
    phq9_id, gad7_id = answer_check_in(
        app, make, client_en, {"phq9": phq9(total_on_item=2, item9=1), "gad7": gad7(1)}
    )
    with app.app_context():
        bundle = validated(client_record(db.session.merge(client_en), context()))
    assert bundle["type"] == "collection"
    found = {(e["resource"]["resourceType"], e["resource"]["id"]): e["resource"]
             for e in bundle["entry"]}  # fmt: skip
    assert ("Patient", str(client_en.id)) in found
    assert ("Questionnaire", "phq9-1") in found and ("Questionnaire", "gad7-1") in found
    qr = found[("QuestionnaireResponse", str(phq9_id))]
    assert qr["questionnaire"] == "https://mbc.test/fhir/Questionnaire/phq9|1"
    assert qr["subject"] == {"reference": f"Patient/{client_en.id}"}
    assert qr["status"] == "completed" and qr["language"] == "en"
    answers = {i["linkId"]: i["answer"][0] for i in qr["item"]}
    assert answers["phq9_9"]["valueCoding"]["code"] == "LA6569-3"  # item 9 endorsed: 1
    assert answers["phq9.total"] == {"valueInteger": 17}  # 8 items x 2 + item 9
    total = found[("Observation", str(phq9_id))]
    assert total["code"]["coding"][0]["code"] == "44249-1"
    assert total["valueInteger"] == 17
    assert total["category"][0]["coding"][0]["code"] == "survey"
    assert total["interpretation"][0]["text"] == "Moderately severe"
    assert total["component"][0]["code"]["coding"][0]["code"] == "44261-6"
    assert total["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{phq9_id}"}]
    members = [found[tuple(m["reference"].split("/"))] for m in total["hasMember"]]
    assert [m["code"]["coding"][0]["code"] for m in members] == [*PHQ9_ITEMS, "69722-7"]
    assert members[8]["valueCodeableConcept"]["coding"][0]["code"] == "LA6569-3"
    gad = found[("Observation", str(gad7_id))]
    assert gad["code"]["coding"][0]["code"] == "69737-5" and gad["valueInteger"] == 7
    assert gad["component"][0]["code"]["coding"][0]["code"] == "70274-6"


def test_an_unscorable_response_has_its_answers_but_no_observation(app, make, client_en) -> None:
    few = {"phq9_1": "1", "phq9_2": "1", "phq9_9": "0"}
    [response_id] = answer_check_in(app, make, client_en, {"phq9": few})
    with app.app_context():
        bundle = validated(client_record(db.session.merge(client_en), context()))
    kinds = [(e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle["entry"]]
    assert ("QuestionnaireResponse", str(response_id)) in kinds
    assert not [k for k in kinds if k[0] == "Observation"]
    qr = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == str(response_id)
              and e["resource"]["resourceType"] == "QuestionnaireResponse")  # fmt: skip
    assert [i["linkId"] for i in qr["item"]] == ["phq9_1", "phq9_2", "phq9_9"]


@pytest.mark.parametrize(
    "stored",
    [
        {"phq9_1": 2, "phq9_9": 1},
        {"phq9_1": 7},  # not an option: read as missing, as scoring reads it
        {"phq9_1": "2"},
        {"phq9_1": True},
        {"phq9_1": 1, "unknown": 3},
        {},
    ],
)
def test_stored_answers_are_read_exactly_as_scoring_reads_them(stored: dict) -> None:
    from mbc.fhir.responses import answer_values
    from mbc.scoring.answers import parse_answers

    definition = registry.get("phq9", "1")
    row = SimpleNamespace(answers=stored)
    assert answer_values(row, definition) == parse_answers(definition, stored).values
