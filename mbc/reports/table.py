"""A report table: what a page renders and what its CSV download writes, from one object."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Spreadsheet programs run a cell that starts with one of these as a formula (OWASP's list),
# and some read the full-width forms of = + - @ as the ASCII ones.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A plain number such as -3.50 is data, not a formula: it stays a number in the spreadsheet.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# Excel reads a CSV without a byte-order mark in the machine's legacy code page (accents garble).
BOM = "\ufeff"


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
    client_ids: list[int] = field(default_factory=list)  # the clients a list names, for the audit

    def to_csv(self) -> str:
        """The table as CSV text, starting with a UTF-8 byte-order mark; every cell, the
        headings included, goes through ``csv_cell``."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([csv_cell(c.label, "text") for c in self.columns])
        for row in self.rows:
            writer.writerow([csv_cell(row.get(c.key), c.kind) for c in self.columns])
        return BOM + out.getvalue()


def csv_cell(value: Any, kind: str) -> str:
    """A cell as text, whatever its kind, made safe for a spreadsheet by ``formula_safe``."""
    if value is None:
        return ""
    if isinstance(value, tuple):  # (text, url) links: the text only
        value = value[0]
    if kind == "percent" and isinstance(value, int | float | Decimal):
        text = f"{value:.1f}"
    elif isinstance(value, float | Decimal) and kind == "number":
        text = f"{value:.2f}"
    else:
        text = str(value)
    return formula_safe(text)


def formula_safe(text: str) -> str:
    """``text``, quoted with a leading ' when a spreadsheet would run it as a formula.

    Leading spaces are looked through (some programs trim them before reading a formula); a
    plain number such as -3.50 is left as it is.
    """
    if text.lstrip(" ").startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def share(part: int | None, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``; None when there is nothing to divide by."""
    if not whole:
        return None
    return 100.0 * (part or 0) / whole
