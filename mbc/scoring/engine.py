"""Scoring one response against its instrument definition."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from mbc.instruments import registry
from mbc.instruments.schema import Definition
from mbc.scoring.answers import ONE_PLACE, parse_answers
from mbc.scoring.result import ScoreResult, Total
from mbc.scoring.rules import COMPLETE_ONLY, RULES


def score(code: str, answers: Mapping[str, Any], version: str | None = None) -> ScoreResult:
    """Score ``answers`` (item id -> value) on ``code`` at ``version`` (the latest when None)."""
    return score_definition(registry.get(code, version), answers)


def score_definition(definition: Definition, answers: Mapping[str, Any]) -> ScoreResult:
    parsed = parse_answers(definition, answers)
    values = parsed.values
    scoring = definition.scoring
    flags = _critical_flags(definition, values)
    missing = [item.id for item in definition.scored_items if values[item.id] is None]
    reason = parsed.invalid_reason
    if reason is None and len(missing) > scoring.missing.max_prorated:
        reason = (
            "too_many_missing"
            if scoring.missing.reason == "too_many_missing"
            else (f"missing:{missing[0]}")
        )
    kept = {k: v for k, v in values.items() if v is not None}
    if reason is not None:
        return ScoreResult(
            definition.code,
            definition.version,
            False,
            reason,
            None,
            False,
            len(missing),
            None,
            {},
            frozenset(flags),
            kept,
        )
    if not definition.is_scored:  # answers kept and shown, no total to judge
        return ScoreResult(
            definition.code,
            definition.version,
            True,
            None,
            None,
            False,
            len(missing),
            None,
            {},
            frozenset(flags),
            kept,
        )
    total = _total(definition, values, n_missing=len(missing))
    exact = Decimal(total)
    flags |= {t.flag for t in scoring.thresholds if t.met_by(exact)}
    flags |= _item_flags(definition, values)
    for rule in scoring.rules:
        if not (missing and rule in COMPLETE_ONLY):
            flags |= RULES[rule](values)  # type: ignore[arg-type]
    return ScoreResult(
        instrument=definition.code,
        version=definition.version,
        valid=True,
        invalid_reason=None,
        total=total,
        prorated=bool(missing) and scoring.method == "sum",
        n_missing=len(missing),
        severity=next((b.key for b in scoring.bands if b.minimum <= exact <= b.maximum), None),
        subscales=_subscales(definition, values),
        flags=frozenset(flags),
        answers=kept,
    )


def _critical_flags(definition: Definition, values: Mapping[str, Any]) -> set[str]:
    """Raised from the critical item alone, so they survive an otherwise unscorable response."""
    flags = set()
    for critical in definition.scoring.critical_items:
        value = values[critical.item]
        if value is None:
            if critical.unanswered_flag:
                flags.add(critical.unanswered_flag)
        elif critical.endorsed_by(value):
            flags.add(critical.flag)
    return flags


def _item_flags(definition: Definition, values: Mapping[str, Any]) -> set[str]:
    """Flags such as WHO-5's low_item (any item answered 0 or 1), on a scorable response: an
    unscorable one carries only the critical-item flags."""
    flags = set()
    for item_flag in definition.scoring.item_flags:
        answered = [values[i] for i in item_flag.items if values[i] is not None]
        if any(item_flag.met_by(Decimal(v)) for v in answered):
            flags.add(item_flag.flag)
    return flags


def _total(definition: Definition, values: Mapping[str, Any], n_missing: int) -> Total:
    answered = [
        i.scored_value(values[i.id]) if i.kind == "choice" else values[i.id]
        for i in definition.scored_items
        if values[i.id] is not None
    ]
    method = definition.scoring.method
    if method == "vas_sum":
        return sum(answered, Decimal(0)).quantize(ONE_PLACE)
    if method == "mean":
        mean = Fraction(sum(answered), len(answered))
        return _half_up(mean, ONE_PLACE)
    multiplier = definition.scoring.multiplier
    if n_missing == 0:
        return int(sum(answered)) * multiplier
    # Each missing item takes the mean of the answered ones: sum * n_items / n_answered.
    prorated = Fraction(sum(answered) * len(definition.scored_items), len(answered))
    return int(_half_up(prorated, Decimal(1))) * multiplier


def _half_up(value: Fraction, places: Decimal) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    # The division is exact to 28 digits; a half that lies beyond them does not occur for the
    # small integer ratios scoring produces (denominators of at most 20).
    return exact.quantize(places, rounding=ROUND_HALF_UP)


def _subscales(definition: Definition, values: Mapping[str, Any]) -> dict[str, int | None]:
    """Cluster sums; a cluster with a missing item is not reported (its sum would understate it)."""
    result: dict[str, int | None] = {}
    for name, items in definition.scoring.subscales.items():
        member_values = [values[i] for i in items]
        if None in member_values:
            result[name] = None
            continue
        result[name] = int(sum(definition.item(i).scored_value(values[i]) for i in items))
    return result
