"""Change between two totals of one instrument, and the Jacobson-Truax reliable change index."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from mbc.instruments import registry
from mbc.scoring.result import ChangeResult, Total


def change(
    code: str, baseline_total: Any, current_total: Any, version: str | None = None
) -> ChangeResult:
    """Change from ``baseline_total`` to ``current_total``, judged by the instrument's thresholds.

    Direction matters: for PHQ-9 a drop is improvement, for ORS a rise. A judgement the
    instrument does not define (response for GAD-7, reliable change for SRS) is None.
    Reliable recovery needs both a reliable-change threshold and a clinical cut-off: reliable
    improvement that also leaves the clinical range (Jacobson & Truax's reliable and
    clinically significant change, as NHS Talking Therapies counts it).
    """
    definition = registry.get(code, version)
    scoring = definition.scoring
    baseline, current = _total(baseline_total, definition), _total(current_total, definition)
    delta = current - baseline
    improvement = -delta if scoring.direction == "higher_is_worse" else delta
    rules = scoring.change
    cutoff = scoring.clinical_cutoff
    baseline_clinical = None if cutoff is None else cutoff.met_by(Decimal(baseline))
    current_clinical = None if cutoff is None else cutoff.met_by(Decimal(current))
    reliable_improvement = None if rules.reliable is None else improvement >= rules.reliable
    recovery = None
    if reliable_improvement is not None and cutoff is not None:
        recovery = bool(reliable_improvement and baseline_clinical and not current_clinical)
    response = None
    if rules.response_fraction is not None and baseline > 0:
        response = Decimal(baseline - current) / Decimal(baseline) >= rules.response_fraction
    return ChangeResult(
        instrument=definition.code,
        version=definition.version,
        baseline=baseline,
        current=current,
        change=delta,
        reliable_improvement=reliable_improvement,
        reliable_deterioration=None if rules.reliable is None else -improvement >= rules.reliable,
        clinically_meaningful_improvement=(
            None
            if rules.clinically_meaningful is None
            else improvement >= rules.clinically_meaningful
        ),
        response=response,
        remission=None if rules.remission_below is None else current < rules.remission_below,
        baseline_clinical=baseline_clinical,
        current_clinical=current_clinical,
        reliable_recovery=recovery,
    )


def _total(value: Any, definition: Any) -> Total:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a total")
    exact = Decimal(str(value))
    scoring = definition.scoring
    if not scoring.total_min <= exact <= scoring.total_max:
        raise ValueError(
            f"{value} is outside {definition.code}'s range {scoring.total_min}-{scoring.total_max}"
        )
    if scoring.method == "sum":
        if exact != exact.to_integral_value() or int(exact) % scoring.multiplier:
            raise ValueError(f"{value} is not a possible {definition.code} total")
        return int(exact)
    return exact.quantize(Decimal("0.1"))


def reliable_change_index(x1: float, x2: float, sd: float, reliability: float) -> float:
    """Jacobson-Truax RCI = (x2 - x1) / S_diff, S_diff = sqrt(2 SE^2), SE = SD sqrt(1 - r).

    For instruments a clinic adds with a published SD and reliability; change is reliable when
    |RCI| > 1.96.
    """
    if sd <= 0:
        raise ValueError("sd must be positive")
    if not 0 <= reliability < 1:
        raise ValueError("reliability must be in [0, 1)")
    standard_error = sd * math.sqrt(1 - reliability)
    return (x2 - x1) / math.sqrt(2 * standard_error**2)
