"""Time off from a CSV (the HR or payroll system's export): all or nothing, like the
appointment import.

Columns: ``email`` (the staff member's sign-in email), ``starts_on``, ``ends_on`` (ISO dates,
YYYY-MM-DD; ``ends_on`` blank means one day), ``amount``, ``unit`` (``days`` or ``hours``),
``kind`` (``annual_leave``, ``sick``, ``parental``, ``training``, ``unpaid``, ``other``; blank:
annual leave) and optionally ``ref`` (the HR system's id: a row whose ref is already in mbc is
left as it is, so importing the same file twice adds nothing).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.staffing import services
from mbc.staffing.models import TIME_OFF_KINDS, TIME_OFF_UNITS, TimeOff

REQUIRED = ("email", "starts_on", "amount", "unit")
OPTIONAL = ("ends_on", "kind", "ref")
MAX_ROWS = 50_000
AMOUNT = re.compile(r"[0-9]{1,4}(\.[0-9]{1,2})?")  # read by shape first (never "1e1000000")


@dataclass
class Checked:
    rows: list[tuple[int, int, services.TimeOffValues]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line N, column: reason"


@dataclass
class Imported:
    added: int = 0
    already_there: int = 0


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def check(data: bytes) -> Checked:
    checked = Checked()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        checked.errors.append("line 1: the file is not UTF-8 text")
        return checked
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        checked.errors.append(f"line 1: missing columns {', '.join(missing)}")
        return checked
    reader.fieldnames = columns
    staff = {
        email: user_id
        for email, user_id in db.session.execute(select(func.lower(StaffUser.email), StaffUser.id))
    }
    for line, raw in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            checked.errors.append(f"line {line}: more than {MAX_ROWS} rows")
            break
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        _check_row(line, row, staff, checked)
    if not checked.rows and not checked.errors:
        checked.errors.append("line 2: the file has no rows")
    return checked


def _check_row(line: int, row: dict[str, str], staff: dict[str, int], checked: Checked) -> None:
    errors_before = len(checked.errors)

    def fail(column: str, reason: str) -> None:
        checked.errors.append(f"line {line}, {column}: {reason}")

    user_id = staff.get(row.get("email", "").lower())
    if user_id is None:
        fail("email", f"{row.get('email')!r} is not a staff member in mbc")
    starts = _date(row.get("starts_on", ""))
    if starts is None:
        fail("starts_on", "give a date as YYYY-MM-DD")
    ends = _date(row["ends_on"]) if row.get("ends_on") else starts
    if row.get("ends_on") and ends is None:
        fail("ends_on", "give a date as YYYY-MM-DD")
    amount = None
    if AMOUNT.fullmatch(row.get("amount", "")):
        try:
            amount = Decimal(row["amount"])
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            amount = None
    if amount is None:
        fail("amount", "give a number such as 1, 0.5 or 7.5")
    unit = row.get("unit", "").lower()
    if unit not in TIME_OFF_UNITS:
        fail("unit", "is days or hours")
    kind = row.get("kind", "").lower() or "annual_leave"
    if kind not in TIME_OFF_KINDS:
        fail("kind", f"is one of {', '.join(TIME_OFF_KINDS)}")
    ref = row.get("ref") or None
    if ref and len(ref) > 64:
        fail("ref", "is too long (64 characters at most)")
    if len(checked.errors) > errors_before:
        return
    values = services.TimeOffValues(starts, ends, amount, unit, kind, ref)  # type: ignore[arg-type]
    problem = services.check_time_off(values)
    if problem == "ends_before_start":
        fail("ends_on", "is before starts_on")
    elif problem:
        fail("amount", "is more than the dates allow (or not above 0)")
    else:
        checked.rows.append((line, user_id, values))  # type: ignore[arg-type]


def apply(checked: Checked, actor: StaffUser | None) -> Imported:
    """Add the checked rows (the caller commits); rows whose ref mbc has are left out."""
    result = Imported()
    refs = {v.external_ref for _, _, v in checked.rows if v.external_ref}
    known = set(
        db.session.scalars(select(TimeOff.external_ref).where(TimeOff.external_ref.in_(refs)))
    )
    users = {u.id: u for u in db.session.scalars(select(StaffUser))}
    for _line, user_id, values in checked.rows:
        if values.external_ref and values.external_ref in known:
            result.already_there += 1
            continue
        services.add_time_off(users[user_id], values, actor=actor)
        if values.external_ref:
            known.add(values.external_ref)
        result.added += 1
    return result
