"""Search parameters of the read API, checked strictly: anything unknown or malformed is a 400
naming the parameter, never silently ignored (a search that drops a filter returns too much)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# Paging and format parameters every search accepts.
COMMON = ("_count", "_after", "_format")
DEFAULT_COUNT, MAX_COUNT = 50, 200
_PREFIXES = ("ge", "gt", "le", "lt", "eq")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SearchError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Page:
    count: int
    after: int  # the last id of the previous page (keyset paging)


def check_names(args: Any, allowed: tuple[str, ...]) -> None:
    for name in args:
        if name not in allowed + COMMON:
            raise SearchError(name, f"unknown search parameter {name!r}")


def page(args: Any) -> Page:
    return Page(
        count=min(_whole(args, "_count", DEFAULT_COUNT, minimum=1), MAX_COUNT),
        after=_whole(args, "_after", 0, minimum=0),
    )


def _whole(args: Any, name: str, default: int, *, minimum: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 12 or int(raw) < minimum:
        raise SearchError(name, f"{name} must be a whole number of at least {minimum}")
    return int(raw)


def patient_id(args: Any, name: str = "patient") -> int:
    """``patient=123`` or ``patient=Patient/123`` (required: a search spans one client)."""
    raw = args.get(name)
    if not raw:
        raise SearchError(name, f"{name} is required (Patient/<id>)")
    value = raw.removeprefix("Patient/")
    if not value.isdigit() or len(value) > 12:
        raise SearchError(name, f"{name} must be a Patient id such as Patient/123")
    return int(value)


def date_range(args: Any, name: str) -> tuple[datetime | None, datetime | None]:
    """FHIR date parameters (repeatable, ANDed): ``ge2026-01-01``, ``lt2026-02-01T00:00:00Z``,
    a plain date meaning that whole day (UTC). Returns [start, end) bounds."""
    start: datetime | None = None
    end: datetime | None = None
    for raw in args.getlist(name):
        prefix, value = (raw[:2], raw[2:]) if raw[:2] in _PREFIXES else ("eq", raw)
        low, high = _moment(name, value)
        if prefix in ("ge", "gt", "eq"):
            bound = high if prefix == "gt" else low
            start = bound if start is None else max(start, bound)
        if prefix in ("le", "lt", "eq"):
            bound = low if prefix == "lt" else high
            end = bound if end is None else min(end, bound)
    return start, end


def _moment(name: str, value: str) -> tuple[datetime, datetime]:
    """The span a value names: a whole day for a date, one second for a time."""
    try:
        if _DATE.fullmatch(value):
            day = datetime.fromisoformat(value).replace(tzinfo=UTC)
            return day, day + timedelta(days=1)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SearchError(name, f"{name}: {value!r} is not a date or a time with its offset")
    moment = moment.astimezone(UTC)
    return moment, moment + timedelta(seconds=1)


def tokens(args: Any, name: str) -> list[tuple[str | None, str]] | None:
    """``code=http://loinc.org|44249-1,44261-6``: (system or None, code) pairs; None when absent."""
    raw = args.get(name)
    if raw is None:
        return None
    found = []
    for part in raw.split(","):
        system, bar, code = part.rpartition("|")
        if not code:
            raise SearchError(name, f"{name}: {part!r} has no code")
        found.append((system if bar else None, code))
    return found


def identifier(args: Any) -> tuple[str | None, str]:
    raw = args.get("identifier")
    if not raw:
        raise SearchError("identifier", "identifier is required (<system>|<value>)")
    system, bar, value = raw.rpartition("|")
    if not value:
        raise SearchError("identifier", "identifier has no value")
    return (system or None) if bar else None, value


def matches(codings: list[dict[str, Any]], wanted: list[tuple[str | None, str]]) -> bool:
    return any(
        c["code"] == code and (system is None or c["system"] == system)
        for c in codings
        for system, code in wanted
    )
