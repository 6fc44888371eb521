"""Reading and checking an appointment export from the practice's EHR. Pure: no database.

A file is checked whole before anything is written: every bad row is reported with its line
number, and a file with any bad row imports nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from mbc.clients.contact import ContactError, check_timezone, normalize_email, normalize_phone
from mbc.clients.start_times import StartTimeError, parse_start

REQUIRED_COLUMNS = (
    "client_ref",
    "first_name",
    "last_name",
    "clinician_email",
    "appointment_ref",
    "starts_at",
)
OPTIONAL_COLUMNS = (
    "phone",
    "email",
    "language",
    "timezone",
    "status",
    "channel",
    "sms_consent",
    "email_consent",
    "documentation_completed_at",  # when the session's note was signed (#22)
)
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CLIENT_DETAIL_COLUMNS = ("first_name", "last_name", "phone", "email", "language", "timezone")

Fail = Callable[[str, str], None]

# FHIR Appointment.status words as EHRs export them, and the plain ones. [decision] ``arrived``
# and ``checked-in`` are completed: the client came, which is what a held session means in mbc
# (there is nothing left to plan for it, and it counts the same in session numbers).
_STATUS_ALIASES = {
    "": "scheduled",
    "scheduled": "scheduled",
    "booked": "scheduled",
    "completed": "completed",
    "attended": "completed",
    "fulfilled": "completed",
    "arrived": "completed",
    "checked_in": "completed",
    "checkedin": "completed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "no_show": "no_show",
    "noshow": "no_show",
    "dna": "no_show",
}
# [decision] Rows the EHR has not booked (or entered by mistake) are not appointments: they are
# skipped with a warning, and the rest of the file imports.
_SKIPPED_STATUSES = ("proposed", "pending", "waitlist", "entered_in_error")


_YES_NO: dict[str, bool | None] = {
    "": None,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportRow:
    line: int
    client: dict[str, str | None]
    clinician_email: str
    appointment_ref: str
    starts_at: datetime
    status: str
    # Blank columns are None: the defaults apply (see mbc.clients.importer).
    channel: str | None = None
    consent: dict[str, bool | None] = field(default_factory=dict)
    # The client details the file gives a value for. ``client`` also holds the practice's
    # defaults for the blank or absent ones, which only a new client takes.
    given: frozenset[str] = frozenset(CLIENT_DETAIL_COLUMNS)
    # When the EHR says the session's documentation was completed; blank keeps what mbc has.
    documentation_completed_at: datetime | None = None


@dataclass
class CheckedFile:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass(frozen=True)
class Defaults:
    phone_region: str
    language: str
    timezone: str
    # How a slashed date such as 12/01/2026 is read: ``mdy`` (month first) or ``dmy``.
    date_format: str = "mdy"


def check_file(data: bytes, defaults: Defaults, clinician_emails: set[str]) -> CheckedFile:
    """Parse and check every row; ``clinician_emails`` are the active clinicians' addresses."""
    result = CheckedFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(
            Problem(1, None, "the file is not UTF-8 text; save it as 'CSV UTF-8' and try again")
        )
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        result.errors.append(Problem(1, None, "the file is empty: a header row is needed"))
        return result
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        result.errors.append(Problem(1, None, f"missing column(s): {', '.join(missing)}"))
        return result
    for dup in sorted({c for c in columns if columns.count(c) > 1 and c}):
        result.errors.append(Problem(1, dup, "the column appears more than once"))
    for unknown in [c for c in columns if c not in KNOWN_COLUMNS]:
        result.warnings.append(Problem(1, unknown or "(blank)", "unknown column, ignored"))
    _check_rows(reader, columns, defaults, clinician_emails, result)
    if not result.rows and not result.errors:
        result.errors.append(Problem(2, None, "the file has a header but no appointments"))
    return result


def check_row(
    values: dict[str, str], defaults: Defaults, clinician_emails: set[str]
) -> tuple[ImportRow | None, list[Problem]]:
    """One row's cells (column -> text) checked exactly as a file's row is; used by the FHIR
    Appointment push (mbc.fhir.appointments), which maps each problem's column to its element."""
    errors: list[Problem] = []
    row = _check_row(1, values, defaults, clinician_emails, errors)
    return (None if errors else row), errors


def _separator(text: str) -> str:
    """Comma or semicolon (the spreadsheet default where the comma is the decimal mark), by which
    one the header line uses more."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _status_key(raw: str) -> str:
    return raw.strip().lower().replace("-", "_").replace(" ", "_")


def _check_rows(
    reader: csv.Reader,  # type: ignore[name-defined]
    columns: list[str],
    defaults: Defaults,
    clinicians: set[str],
    result: CheckedFile,
) -> None:
    seen_appointments: dict[str, int] = {}
    seen_clients: dict[str, tuple[int, dict[str, str | None]]] = {}
    line = reader.line_num
    for raw in reader:
        start_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(columns):
            result.errors.append(Problem(start_line, None, "more cells than columns in the header"))
            continue
        values = {c: (raw[i].strip() if i < len(raw) else "") for i, c in enumerate(columns)}
        if _status_key(values.get("status", "")) in _SKIPPED_STATUSES:
            result.warnings.append(
                Problem(start_line, "status", f"{values['status']!r}: not booked, row skipped")
            )
            continue
        errors_before = len(result.errors)
        row = _check_row(start_line, values, defaults, clinicians, result.errors)
        if row is None or len(result.errors) > errors_before:
            continue
        _check_consistency(row, seen_appointments, seen_clients, result.errors)
        result.rows.append(row)


def _check_row(
    line: int,
    v: dict[str, str],
    defaults: Defaults,
    clinicians: set[str],
    errors: list[Problem],
) -> ImportRow | None:
    def fail(column: str, message: str) -> None:
        errors.append(Problem(line, column, message))

    for column in ("client_ref", "first_name", "last_name", "appointment_ref"):
        if not v.get(column):
            fail(column, "is required")
        elif len(v[column]) > (64 if column.endswith("_ref") else 100):
            fail(column, "is too long")
    phone = _optional(v.get("phone", ""), lambda s: normalize_phone(s, defaults.phone_region))
    email = _optional(v.get("email", ""), normalize_email)
    for column, checked in (("phone", phone), ("email", email)):
        if isinstance(checked, ContactError):
            fail(column, str(checked))
    language = _language(v.get("language", ""), defaults.language)
    if language is None:
        fail("language", f"{v.get('language')!r} is not a supported language (en or es)")
    timezone = _optional(v.get("timezone", ""), check_timezone) or defaults.timezone
    if isinstance(timezone, ContactError):
        fail("timezone", str(timezone))
    clinician = v.get("clinician_email", "").lower()
    if not clinician:
        fail("clinician_email", "is required")
    elif clinician not in clinicians:
        fail("clinician_email", f"{clinician} is not an active clinician in mbc")
    starts_at = _starts_at(v.get("starts_at", ""), defaults, fail)
    status = _STATUS_ALIASES.get(_status_key(v.get("status", "")))
    if status is None:
        fail(
            "status",
            f"{v.get('status')!r} is not one of scheduled (booked), completed (fulfilled, "
            "arrived), cancelled, no_show (noshow)",
        )
    channel = v.get("channel", "").lower() or None
    if channel not in (None, "sms", "email"):
        fail("channel", f"{v.get('channel')!r} is not sms or email")
    elif channel == "sms" and not isinstance(phone, str):
        fail("channel", "sms needs a phone number on the row")
    elif channel == "email" and not isinstance(email, str):
        fail("channel", "email needs an email address on the row")
    consent: dict[str, bool | None] = {}
    for name in ("sms", "email"):
        answer = _YES_NO.get(v.get(f"{name}_consent", "").strip().lower(), "?")
        if answer == "?":
            fail(f"{name}_consent", f"{v.get(f'{name}_consent')!r} is not yes or no")
        else:
            consent[name] = answer  # type: ignore[assignment]
    documented = _documented_at(v.get("documentation_completed_at", ""), starts_at, defaults, fail)
    if starts_at is None or status is None or language is None:
        return None
    return ImportRow(
        line=line,
        client={
            "client_ref": v["client_ref"],
            "first_name": v["first_name"],
            "last_name": v["last_name"],
            "phone": phone if isinstance(phone, str) else None,
            "email": email if isinstance(email, str) else None,
            "language": language,
            "timezone": timezone if isinstance(timezone, str) else None,
        },
        clinician_email=clinician,
        appointment_ref=v["appointment_ref"],
        starts_at=starts_at,
        status=status,
        channel=channel,
        consent=consent,
        given=frozenset(c for c in CLIENT_DETAIL_COLUMNS if v.get(c)),
        documentation_completed_at=documented,
    )


def _documented_at(
    raw: str, starts_at: datetime | None, defaults: Defaults, fail: Fail
) -> datetime | None:
    """Read like ``starts_at``; documentation completed before the session began is refused."""
    if not raw.strip():
        return None
    try:
        documented = parse_start(raw, defaults.timezone, defaults.date_format)
    except StartTimeError as exc:
        fail("documentation_completed_at", str(exc))
        return None
    if starts_at is not None and documented < starts_at:
        fail("documentation_completed_at", "is before the session starts")
        return None
    return documented


def _optional(raw: str, parse: Callable[[str], str]) -> str | ContactError | None:
    if not raw:
        return None
    try:
        return parse(raw)
    except ContactError as exc:
        return exc


def _language(raw: str, default: str) -> str | None:
    if not raw:
        return default
    code = raw.strip().lower()
    names = {"english": "en", "spanish": "es", "español": "es", "espanol": "es"}
    code = names.get(code, code.replace("_", "-").split("-")[0])
    return code if code in ("en", "es") else None


def _starts_at(raw: str, defaults: Defaults, fail: Fail) -> datetime | None:
    """A time without an offset is the practice's wall-clock time (the EHR's calendar)."""
    if not raw:
        fail("starts_at", "is required")
        return None
    try:
        return parse_start(raw, defaults.timezone, defaults.date_format)
    except StartTimeError as exc:
        fail("starts_at", str(exc))
        return None


def _check_consistency(
    row: ImportRow,
    seen_appointments: dict[str, int],
    seen_clients: dict[str, tuple[int, dict[str, str | None]]],
    errors: list[Problem],
) -> None:
    first = seen_appointments.setdefault(row.appointment_ref, row.line)
    if first != row.line:
        errors.append(
            Problem(row.line, "appointment_ref", f"{row.appointment_ref} already on line {first}")
        )
    ref = str(row.client["client_ref"])
    earlier = seen_clients.setdefault(ref, (row.line, row.client))
    if earlier[0] != row.line:
        differing = [c for c in CLIENT_DETAIL_COLUMNS if earlier[1].get(c) != row.client.get(c)]
        if differing:
            errors.append(
                Problem(
                    row.line,
                    ", ".join(differing),
                    f"client {ref} has different details on line {earlier[0]}",
                )
            )
