"""A report table: what a page renders and what its CSV download writes, from one object."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, count, percent, number, date, link


@dataclass
class Table:
    key: str
    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(c.label) for c in self.columns])
        for row in self.rows:
            writer.writerow([csv_cell(row.get(c.key), c.kind) for c in self.columns])
        return out.getvalue()


def csv_cell(value: Any, kind: str) -> str:
    """A cell as text; free text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if kind == "percent":
        return f"{value:.1f}"
    if isinstance(value, float | Decimal) and kind == "number":
        return f"{value:.2f}"
    if isinstance(value, tuple):  # (text, url) links: the text only
        value = value[0]
    text = str(value)
    if kind == "text" and text.startswith(FORMULA_START):
        return "'" + text
    return text


def share(part: int | None, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``; None when there is nothing to divide by."""
    if not whole:
        return None
    return 100.0 * (part or 0) / whole
