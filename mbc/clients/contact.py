"""Normalising contact details the same way for forms and imports."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class ContactError(ValueError):
    """A contact detail that cannot be used; the message says why in plain words."""


def normalize_phone(raw: str, region: str) -> str:
    """A phone number in E.164, parsed with ``region`` as the default country."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ContactError(f"{raw!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ContactError(f"{raw!r} is not a valid phone number for region {region}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """A syntactically valid address; no DNS look-up, so it works offline and in tests."""
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ContactError(f"{raw!r} is not a valid email address: {exc}") from exc


def check_timezone(name: str) -> str:
    if name not in _zones():
        raise ContactError(f"{name!r} is not an IANA time zone (for example America/New_York)")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ContactError(f"{name!r} is not an IANA time zone") from exc
    return name


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def common_timezones() -> list[str]:
    """The zones offered in forms: the Americas and Europe first, then the rest."""
    zones = sorted(_zones())
    preferred = [z for z in zones if z.startswith(("America/", "Pacific/Honolulu", "Europe/"))]
    return preferred + [z for z in zones if z not in preferred and "/" in z]
