"""Turning raw answers (from forms or JSON) into exact values, or the reason they are invalid.

A value outside an item's allowed set invalidates the whole response: a client's answer is never
clamped or rounded. ``None``, an absent key or an empty string is a missing answer.

Answers are read by their shape before any conversion. ``Decimal("1e1000000")`` is nine bytes
that ``int()`` or ``quantize`` take seconds to minutes to expand, and a check-in link lets anyone
post one; so a string is converted only once a short pattern has matched it, and anything else
is refused at once as out of range. Choices are a short whole number ("2", and "2.0" as a float
posts it); rating-scale lines a short decimal with a point or a comma ("7.5", "7,5": a Spanish
keyboard's decimal separator).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mbc.instruments.schema import Definition, Item

ONE_PLACE = Decimal("0.1")
# Longer than any answer's shape even with the spaces a caller left around it.
MAX_RAW_LENGTH = 32
# Every option value of every instrument is a whole number below 1000 (CBI's largest is 100).
CHOICE_SHAPE = re.compile(r"-?[0-9]{1,3}(?:\.0{1,3})?")
VAS_SHAPE = re.compile(r"-?(?:[0-9]{1,3}(?:[.,][0-9]{0,3})?|[.,][0-9]{1,3})")
# The magnitudes (as Decimal.adjusted(), the exponent of the leading digit) read at all: below
# 10000 and, but for zero, at least 0.001 (no shape has more than three places).
ADJUSTED_RANGE = range(-4, 4)


@dataclass(frozen=True)
class ParsedAnswers:
    values: dict[str, int | Decimal | str | None]  # every item of the definition
    invalid_reason: str | None


class _Invalid(Exception):
    pass


def parse_answers(definition: Definition, answers: Mapping[str, Any]) -> ParsedAnswers:
    known = {item.id for item in definition.items}
    unknown = sorted(str(key) for key in answers if key not in known)
    values: dict[str, int | Decimal | str | None] = {}
    reason = f"unknown_item:{unknown[0]}" if unknown else None
    for item in definition.items:
        try:
            values[item.id] = _parse(item, answers.get(item.id))
        except _Invalid:
            values[item.id] = None
            reason = reason or f"out_of_range:{item.id}"
    return ParsedAnswers(values=values, invalid_reason=reason)


def _parse(item: Item, raw: Any) -> int | Decimal | str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if item.kind == "text":
        if not isinstance(raw, str) or (item.max_length and len(raw) > item.max_length):
            raise _Invalid
        return raw.strip()
    if item.kind == "choice":
        return _choice(item, raw)
    return _vas(item, raw)


def _choice(item: Item, raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        if not -1000 < raw < 1000:  # sized first: hashing a huge int reads all of it
            raise _Invalid
        value = raw
    else:
        value = int(Decimal(_shaped(raw, CHOICE_SHAPE)))  # at most three digits: instant
    if value not in item.allowed_values:
        raise _Invalid
    return value


def _vas(item: Item, raw: Any) -> Decimal:
    assert item.minimum is not None and item.maximum is not None
    if isinstance(raw, int) and not isinstance(raw, bool):
        # Sized as an int first: comparing a huge int with a Decimal converts it.
        if not -1000 < raw < 1000 or not item.minimum <= raw <= item.maximum:
            raise _Invalid
        number = Decimal(raw)
    else:
        number = Decimal(_shaped(raw, VAS_SHAPE).replace(",", "."))
    if not item.minimum <= number <= item.maximum or number != number.quantize(ONE_PLACE):
        raise _Invalid
    # "-0" is zero: stored as "0.0", never "-0.0".
    return abs(number).quantize(ONE_PLACE) if number.is_zero() else number.quantize(ONE_PLACE)


def _shaped(raw: Any, shape: re.Pattern[str]) -> str:
    """The answer as a short string of the item's shape, or invalid: never converted first."""
    if isinstance(raw, Decimal):
        # Sized before it is written out: adjusted() is the leading digit's exponent, read
        # without expanding the number (the "f" form of 1E+1000000 has a million digits).
        if not raw.is_finite() or raw.adjusted() not in ADJUSTED_RANGE:
            raise _Invalid
        text = format(raw, "f")  # 1E+1 is "10"; a tiny value has too many places for the shape
    elif isinstance(raw, float):
        text = repr(raw)  # at most ~24 characters; 7.1 is "7.1", 1e20 "1e+20", nan "nan"
    elif isinstance(raw, str):
        text = raw
    else:
        raise _Invalid  # bools, lists, dicts...
    if len(text) > MAX_RAW_LENGTH:
        raise _Invalid
    text = text.strip()
    if not shape.fullmatch(text):
        raise _Invalid
    return text
