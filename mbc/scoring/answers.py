"""Turning raw answers (from forms or JSON) into exact values, or the reason they are invalid.

A value outside an item's allowed set invalidates the whole response: a client's answer is never
clamped or rounded. ``None``, an absent key or an empty string is a missing answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from mbc.instruments.schema import Definition, Item

ONE_PLACE = Decimal("0.1")


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
    number = _exact(raw)
    if item.kind == "choice":
        if number != number.to_integral_value() or int(number) not in item.allowed_values:
            raise _Invalid
        return int(number)
    assert item.minimum is not None and item.maximum is not None
    if not item.minimum <= number <= item.maximum or number != number.quantize(ONE_PLACE):
        raise _Invalid
    return number.quantize(ONE_PLACE)


def _exact(raw: Any) -> Decimal:
    """The exact decimal a value stands for: floats go through ``str`` (7.1 is 7.1, not 7.0999…)."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        raise _Invalid
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        raise _Invalid from None
    if not number.is_finite():
        raise _Invalid
    return number
