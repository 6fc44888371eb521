"""QuestionnaireResponse and Observation (US Core screening-assessment shape) from a stored,
completed response. ``response`` is a Response row or any object with its attributes (the
bulk export reads plain rows), ``definition`` the exact version it was answered on."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from mbc.fhir.codes import (
    OBSERVATION_CATEGORY,
    UCUM,
    US_CORE_CATEGORY,
    Context,
    coding,
    fhir_id,
    total_link_id,
)
from mbc.fhir.questionnaire import (
    instrument_coding,
    item_coding,
    option_coding,
    total_coding,
)
from mbc.instruments.schema import Definition, Item
from mbc.scoring.answers import parse_answers

US_CORE_QR = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse"
US_CORE_SCREENING = (
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment"
)


CATEGORY = [
    {"coding": [coding(OBSERVATION_CATEGORY, "survey", "Survey")]},
    {"coding": [coding(US_CORE_CATEGORY, "screening-assessment", "Screening Assessment")]},
]


def instant(moment: datetime) -> str:
    """An ISO 8601 UTC timestamp with its offset, as FHIR's dateTime and instant want."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def patient_reference(client_id: int) -> dict[str, str]:
    return {"reference": f"Patient/{client_id}"}


def is_scored(response: Any) -> bool:
    return bool(response.is_valid) and response.total is not None


_ALLOWED: dict[tuple[str, tuple[int, ...]], frozenset[int]] = {}


def _allowed(item: Item) -> frozenset[int]:
    key = (item.id, tuple(o.value for o in item.options))
    if key not in _ALLOWED:
        _ALLOWED[key] = item.allowed_values
    return _ALLOWED[key]


def answer_values(response: Any, definition: Definition) -> dict[str, Any]:
    """The stored answers read exactly as scoring reads them (values of the item's kind).

    Stored answers are nearly always whole-number choices, which are read at once; anything
    else (a rating line, a free text, an odd value) goes through the scoring engine's reader."""
    raw = response.answers or {}
    values: dict[str, Any] = {}
    for item in definition.items:
        value = raw.get(item.id)
        if value is None:
            values[item.id] = None
        elif item.kind == "choice" and type(value) is int and value in _allowed(item):
            values[item.id] = value
        else:
            return parse_answers(definition, raw).values
    return values if len(raw) <= len(values) else parse_answers(definition, raw).values


def coded_answers(
    definition: Definition, values: dict[str, Any], ctx: Context
) -> dict[str, dict[str, Any]]:
    """Each answered item's FHIR answer (``valueCoding``, ``valueDecimal`` or ``valueString``)."""
    return {
        item.id: _answer(item, value, ctx)
        for item in definition.items
        if (value := values.get(item.id)) is not None
    }


def build_questionnaire_response(
    response: Any,
    definition: Definition,
    ctx: Context,
    coded: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Every answer, and the total, pointing at the exact Questionnaire version answered."""
    if coded is None:
        coded = coded_answers(definition, answer_values(response, definition), ctx)
    items = [
        {"linkId": item.id, "text": item.text["en"], "answer": [coded[item.id]]}
        for item in definition.items
        if item.id in coded
    ]
    if is_scored(response):
        items.append(
            {
                "linkId": total_link_id(definition),
                "text": "Total score",
                "answer": [_total_value(definition, response.total)],
            }
        )
    when = instant(response.completed_at)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.id),
        "meta": {"lastUpdated": when, "profile": [US_CORE_QR]},
        "questionnaire": f"{ctx.questionnaire_url(definition.code)}|{definition.version}",
        "status": "completed",
        "subject": patient_reference(response.client_id),
        "authored": when,
        "language": response.language,
    }
    if items:
        resource["item"] = items
    return resource


def build_observations(
    response: Any,
    definition: Definition,
    ctx: Context,
    coded: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The total's Observation first, then one per item with a LOINC code (its ``hasMember``);
    none for a response that has no valid score."""
    if not is_scored(response):
        return []
    if coded is None:
        coded = coded_answers(definition, answer_values(response, definition), ctx)
    when = instant(response.completed_at)
    # Parts every Observation of the response shares (the same objects: they are only read).
    shared = {
        "status": "final",
        "category": CATEGORY,
        "subject": patient_reference(response.client_id),
        "effectiveDateTime": when,
    }
    derived = [{"reference": f"QuestionnaireResponse/{response.id}"}]
    members = [
        {
            "resourceType": "Observation",
            "id": observation_id(response.id, item.id),
            "meta": {"lastUpdated": when},
            **shared,
            "code": {"coding": [item_coding(item, ctx)], "text": item.text["en"]},
            "derivedFrom": derived,
            **_item_value(coded[item.id]),
        }
        for item in definition.items
        if item.loinc and item.id in coded
    ]
    value = _value(definition, response.total)
    total: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(response.id),
        "meta": {"lastUpdated": when, "profile": [US_CORE_SCREENING]},
        **shared,
        "code": {"coding": [instrument_coding(definition, ctx)], "text": definition.title["en"]},
        **value,
        "derivedFrom": derived,
    }
    if band := _band(definition, response.severity, ctx):
        total["interpretation"] = [band]
    total["component"] = [{"code": {"coding": [total_coding(definition, ctx)]}, **value}]
    if members:
        total["hasMember"] = [{"reference": f"Observation/{m['id']}"} for m in members]
    return [total, *members]


def observation_id(response_id: int, item_id: str | None = None) -> str:
    return str(response_id) if item_id is None else fhir_id(f"{response_id}-{item_id}")


def _item_value(answer: dict[str, Any]) -> dict[str, Any]:
    if "valueCoding" in answer:
        return {"valueCodeableConcept": {"coding": [answer["valueCoding"]]}}
    return answer


def _answer(item: Item, value: Any, ctx: Context) -> dict[str, Any]:
    if item.kind == "choice":
        option = next(o for o in item.options if o.value == value)
        return {"valueCoding": option_coding(item, option, ctx)}
    if item.kind == "vas":
        return {"valueDecimal": float(value)}
    return {"valueString": str(value)}


def _total_value(definition: Definition, total: Decimal) -> dict[str, Any]:
    if definition.scoring.method == "sum":
        return {"valueInteger": int(total)}
    return {"valueDecimal": float(total)}


def _value(definition: Definition, total: Decimal) -> dict[str, Any]:
    """A sum is a whole number (valueInteger); a rating-scale total a UCUM ``{score}``."""
    if definition.scoring.method == "sum":
        return {"valueInteger": int(total)}
    return {
        "valueQuantity": {
            "value": float(total),
            "unit": "{score}",
            "system": UCUM,
            "code": "{score}",
        }
    }


def _band(definition: Definition, key: str | None, ctx: Context) -> dict[str, Any] | None:
    band = next((b for b in definition.scoring.bands if b.key == key), None)
    if band is None:
        return None
    code = f"{definition.code}.band.{band.key}"
    return {"coding": [coding(ctx.code_system, code, band.label["en"])], "text": band.label["en"]}
