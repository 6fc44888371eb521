"""A client's every completed response as CSV: one row per response, its score, then a column
per item (the answer's value; a choice's label beside it), for another provider or the client."""

from __future__ import annotations

import csv
import io
from typing import Any

from mbc.instruments import registry
from mbc.reports.table import BOM, formula_safe
from mbc.scoring.answers import parse_answers

FIXED = (
    "response_id", "client_ref", "instrument", "version", "completed_at_utc", "language",
    "total", "band", "valid", "invalid_reason", "prorated", "flags",
)  # fmt: skip


def record_csv(client_ref: str, rows: list[Any]) -> str:
    """``rows``: completed responses (mbc.fhir.records.responses_of), oldest first; those of a
    version this process has not loaded are left out (their items are not known here)."""
    rows = [r for r in rows if registry.has(r.instrument_code, r.instrument_version)]
    definitions = {(r.instrument_code, r.instrument_version) for r in rows}
    items: list[str] = []
    for code, version in sorted(definitions):
        for item in registry.get(code, version).items:
            for column in (item.id, f"{item.id}_label") if item.kind == "choice" else (item.id,):
                if column not in items:
                    items.append(column)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*FIXED, *items])
    for row in rows:
        writer.writerow([formula_safe(str(v)) for v in _cells(client_ref, row, items)])
    return BOM + out.getvalue()


def _cells(client_ref: str, row: Any, items: list[str]) -> list[Any]:
    definition = registry.get(row.instrument_code, row.instrument_version)
    values = parse_answers(definition, row.answers or {}).values
    by_column: dict[str, Any] = {}
    for item in definition.items:
        value = values.get(item.id)
        if value is None:
            continue
        by_column[item.id] = value
        if item.kind == "choice":
            by_column[f"{item.id}_label"] = next(
                o.label["en"] for o in item.options if o.value == value
            )
    fixed = [
        row.id, client_ref, row.instrument_code, row.instrument_version,
        row.completed_at.isoformat(timespec="seconds"), row.language,
        "" if row.total is None else row.total, row.severity or "",
        "yes" if row.is_valid else "no", row.invalid_reason or "",
        "yes" if row.is_prorated else "no", " ".join(row.flags or []),
    ]  # fmt: skip
    return [*fixed, *(by_column.get(c, "") for c in items)]
