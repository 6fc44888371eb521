"""The import template an admin downloads: every column the import reads and one example row."""

from __future__ import annotations

import csv
import io

from mbc.clients.csv_format import KNOWN_COLUMNS

# The example row: a phone without "+" and no cell starting with "-" or "=", so a spreadsheet
# opens it as text rather than running a formula.
_EXAMPLE = {
    "client_ref": "C-1001",
    "first_name": "Pat",
    "last_name": "Lee",
    "clinician_email": "clinician@example.org",
    "appointment_ref": "A-5001",
    "phone": "(415) 555-2671",
    "email": "pat@example.com",
    "language": "en",
    "status": "booked",
    "channel": "sms",
    "sms_consent": "yes",
    "email_consent": "yes",
    "documentation_completed_at": "",  # blank until the note is signed
}
_EXAMPLE_START = {"mdy": "12/01/2026 3:00 PM", "dmy": "01/12/2026 15:00"}


def import_template_csv(timezone: str, date_format: str) -> str:
    """The template as text with a UTF-8 byte-order mark, so Excel reads accents right."""
    example = dict(_EXAMPLE, timezone=timezone, starts_at=_EXAMPLE_START[date_format])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(KNOWN_COLUMNS)
    writer.writerow([example[c] for c in KNOWN_COLUMNS])
    return "\ufeff" + out.getvalue()
