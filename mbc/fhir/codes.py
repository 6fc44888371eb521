"""Code systems and identifiers the resources use.

LOINC codes come from the instrument definitions (panel, items, answers). Two are not in the
released definition files, which are never edited: the PHQ-9 and GAD-7 total-score codes
(shared/INSTRUMENTS.md, official). A definition that carries a ``total_loinc`` wins over the
table below. Everything without a LOINC code is coded in mbc's own code system (README: FHIR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
FHIR_VERSION = "4.0.1"

# [official] shared/INSTRUMENTS.md: PHQ-9 total 44261-6, GAD-7 total 70274-6.
TOTAL_LOINC = {"phq9": "44261-6", "gad7": "70274-6"}

_NOT_IN_ID = re.compile(r"[^A-Za-z0-9.\-]")


@dataclass(frozen=True)
class Context:
    """Where this installation's resources live: the canonical base and the identifier systems."""

    base_url: str
    client_system: str  # the practice's client references (the EHR's patient identifiers)
    appointment_system: str  # the EHR's appointment ids

    @cached_property
    def code_system(self) -> str:
        """mbc's own code system: instruments, items, totals, bands and answers without LOINC."""
        return f"{self.base_url}/fhir/CodeSystem/mbc"

    def questionnaire_url(self, code: str) -> str:
        return f"{self.base_url}/fhir/Questionnaire/{fhir_id(code)}"


def fhir_id(text: str) -> str:
    """A FHIR logical id ([A-Za-z0-9-.]{1,64}): item ids such as ``phq9_1`` use underscores."""
    return _NOT_IN_ID.sub("-", text)[:64]


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def total_loinc(definition: Any) -> str | None:
    return getattr(definition, "total_loinc", None) or TOTAL_LOINC.get(definition.code)


def total_link_id(definition: Any) -> str:
    """The Questionnaire item that carries the total (read-only, filled in by mbc)."""
    return f"{definition.code}.total"
