"""What scoring returns: plain frozen values, safe to store, compare and serialise."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

Total = int | Decimal


@dataclass(frozen=True)
class ScoreResult:
    instrument: str
    version: str
    valid: bool
    invalid_reason: str | None
    total: Total | None
    prorated: bool
    n_missing: int
    severity: str | None
    subscales: dict[str, int | None] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    answers: dict[str, int | Decimal | str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeResult:
    instrument: str
    version: str
    baseline: Total
    current: Total
    change: Total  # current - baseline
    reliable_improvement: bool | None
    reliable_deterioration: bool | None
    clinically_meaningful_improvement: bool | None
    response: bool | None
    remission: bool | None
    # In the clinical range by the instrument's cut-off (None: the instrument has none).
    baseline_clinical: bool | None = None
    current_clinical: bool | None = None
    # Reliable improvement from inside to outside the clinical range.
    reliable_recovery: bool | None = None
