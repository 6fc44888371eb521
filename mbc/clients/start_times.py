"""Reading an appointment's start time as EHR exports write it. Pure: no database, no clock.

Exports rarely give ISO 8601 with an offset: most write the practice's wall-clock time, in the
order of the practice's country. Each accepted form is matched by its shape first, with bounded
regexes, so no cell of unbounded length ever reaches ``int()`` or ``fromisoformat()``. A time
without an offset is in the practice's time zone; one the clocks skip or repeat at a daylight
saving change is refused with a row error ([decision]: an appointment is never moved by a guess).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DATE_FORMATS = ("mdy", "dmy")

_ISO_WITH_OFFSET = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)"
)
_ISO_LOCAL = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_SLASHED = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([AaPp])\.?\s?[Mm]\.?)?"
)


class StartTimeError(ValueError):
    """The cell is not a start time mbc can place on the calendar; the message says why."""


def parse_start(raw: str, zone: str, date_format: str = "mdy") -> datetime:
    """The start time in UTC. ``zone`` is the practice's IANA time zone, used when the cell has
    no offset; ``date_format`` (``mdy`` or ``dmy``) orders a slashed date such as 12/01/2026."""
    text = raw.strip()
    if len(text) > 40:
        raise StartTimeError("is too long to be a date and time")
    if _ISO_WITH_OFFSET.fullmatch(text):
        try:
            return datetime.fromisoformat(text.replace("z", "Z")).astimezone(UTC)
        except ValueError:
            raise StartTimeError(f"{text!r} is not a real date and time") from None
    if match := _ISO_LOCAL.fullmatch(text):
        year, month, day, hour, minute, second = match.groups()
        return _local(text, zone, year, month, day, _hour24(text, hour), minute, second)
    if match := _SLASHED.fullmatch(text):
        first, second_part, year, hour, minute, second, half = match.groups()
        month, day = (first, second_part) if date_format == "mdy" else (second_part, first)
        hour_24 = _hour12(text, hour, half) if half else _hour24(text, hour)
        return _local(text, zone, year, month, day, hour_24, minute, second, date_format)
    raise StartTimeError(
        f"{text!r} is not a date and time mbc reads "
        "(2026-12-01 15:00, 12/01/2026 3:00 PM, or ISO 8601 such as 2026-12-01T15:00:00-05:00)"
    )


def _hour24(text: str, hour: str) -> int:
    if int(hour) > 23:
        raise StartTimeError(f"{text!r}: the hour {hour} is not 0-23")
    return int(hour)


def _hour12(text: str, hour: str, half: str) -> int:
    """12:00 AM is midnight and 12:00 PM is noon; 0 or 13 with AM/PM is a mistake."""
    value = int(hour)
    if not 1 <= value <= 12:
        raise StartTimeError(f"{text!r}: the hour {hour} is not 1-12 with AM/PM")
    return value % 12 + (12 if half.lower() == "p" else 0)


def _local(
    text: str,
    zone: str,
    year: str,
    month: str,
    day: str,
    hour: int,
    minute: str,
    second: str | None,
    date_format: str | None = None,
) -> datetime:
    try:
        wall = datetime(int(year), int(month), int(day), hour, int(minute), int(second or 0))
    except ValueError:
        hint = ""
        if date_format == "mdy" and int(month) > 12 >= int(day):
            hint = "; if the file writes the day first, choose DD/MM/YYYY"
        elif date_format == "dmy" and int(month) > 12 >= int(day):
            hint = "; if the file writes the month first, choose MM/DD/YYYY"
        raise StartTimeError(f"{text!r} is not a real date and time{hint}") from None
    return to_utc(text, wall, zone)


def to_utc(text: str, wall: datetime, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as UTC, refusing one that does not exist or happens twice."""
    tz = ZoneInfo(zone)
    earlier = wall.replace(tzinfo=tz, fold=0)
    later = wall.replace(tzinfo=tz, fold=1)
    if earlier.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
        raise StartTimeError(
            f"{text!r} does not exist in {zone}: the clocks skip it at the daylight saving "
            "change; write the time the EHR means, or give it with its UTC offset"
        )
    if earlier.utcoffset() != later.utcoffset():
        raise StartTimeError(
            f"{text!r} happens twice in {zone}, when the clocks go back; give it with its "
            f"UTC offset ({_with_offset(earlier)} or {_with_offset(later)})"
        )
    return earlier.astimezone(UTC)


def _with_offset(value: datetime) -> str:
    return value.isoformat(timespec="minutes")
