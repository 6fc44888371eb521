"""Questionnaire: one per instrument version, built from the loaded definition alone, so an
instrument a clinic adds is exported like the shipped ones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mbc.fhir.codes import (
    LOINC,
    MAX_VALUE,
    MIN_VALUE,
    ORDINAL_VALUE,
    Context,
    coding,
    fhir_id,
    total_link_id,
    total_loinc,
)
from mbc.instruments.schema import Definition, Item, Option

# How each kind of item is answered.
ITEM_TYPES = {"choice": "choice", "vas": "decimal", "text": "string"}


def questionnaire_id(code: str, version: str) -> str:
    return fhir_id(f"{code}-{version}")


def instrument_coding(definition: Definition, ctx: Context) -> dict[str, Any]:
    title = definition.title["en"]
    if definition.loinc:
        return coding(LOINC, definition.loinc, title)
    return coding(ctx.code_system, definition.code, title)


def total_coding(definition: Definition, ctx: Context) -> dict[str, Any]:
    display = f"{definition.title['en']}: total score"
    if loinc := total_loinc(definition):
        return coding(LOINC, loinc, display)
    return coding(ctx.code_system, total_link_id(definition), display)


# Codings by what they are made of: an export builds the same few hundreds of thousands of
# times. Callers only read them.
_CODINGS: dict[tuple[str | int | None, ...], dict[str, Any]] = {}


def item_coding(item: Item, ctx: Context) -> dict[str, Any]:
    key = (item.id, item.loinc, item.text["en"], ctx.code_system)
    if key not in _CODINGS:
        system, code = (LOINC, item.loinc) if item.loinc else (ctx.code_system, item.id)
        _CODINGS[key] = coding(system, code, item.text["en"])
    return _CODINGS[key]


def option_coding(item: Item, option: Option, ctx: Context) -> dict[str, Any]:
    """An answer: its LOINC answer code where the definition has one, else ``<item>.<value>``."""
    key = (item.id, option.value, option.loinc, option.label["en"], ctx.code_system)
    if key not in _CODINGS:
        label = option.label["en"]
        if option.loinc:
            _CODINGS[key] = coding(LOINC, option.loinc, label)
        else:
            _CODINGS[key] = coding(ctx.code_system, f"{item.id}.{option.value}", label)
    return _CODINGS[key]


def build_questionnaire(definition: Definition, ctx: Context) -> dict[str, Any]:
    """The instrument version as a FHIR Questionnaire (linkId = our item id)."""
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(definition.code, definition.version),
        "url": ctx.questionnaire_url(definition.code),
        "version": definition.version,
        "name": fhir_id(definition.code).replace("-", "_").replace(".", "_").upper(),
        "title": definition.title["en"],
        "status": "active",
        "subjectType": ["Patient"],
        "language": "en",
        "copyright": definition.credit,
        "code": [instrument_coding(definition, ctx)],
        "item": [_item(item, ctx) for item in definition.items] + [_total_item(definition, ctx)],
    }
    if intro := definition.lead_in.get("en") or definition.instructions.get("en"):
        resource["description"] = intro
    return resource


def _item(item: Item, ctx: Context) -> dict[str, Any]:
    found: dict[str, Any] = {
        "linkId": item.id,
        "code": [item_coding(item, ctx)],
        "text": item.text["en"],
        "type": ITEM_TYPES[item.kind],
        "required": False,  # a skipped question is allowed; scoring has its missing-item rule
    }
    if item.kind == "choice":
        found["answerOption"] = [
            {
                "valueCoding": {
                    **option_coding(item, option, ctx),
                    "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.value}],
                }
            }
            for option in item.options
        ]
    elif item.kind == "vas":
        found["extension"] = [
            {"url": MIN_VALUE, "valueDecimal": _number(item.minimum)},
            {"url": MAX_VALUE, "valueDecimal": _number(item.maximum)},
        ]
    elif item.max_length:
        found["maxLength"] = item.max_length
    return found


def _total_item(definition: Definition, ctx: Context) -> dict[str, Any]:
    return {
        "linkId": total_link_id(definition),
        "code": [total_coding(definition, ctx)],
        "text": "Total score",
        "type": "integer" if definition.scoring.method == "sum" else "decimal",
        "readOnly": True,
    }


def _number(value: Decimal | None) -> float | int:
    if value is None:
        return 0
    return int(value) if value == value.to_integral_value() else float(value)
