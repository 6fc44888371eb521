"""Building answer sets with a chosen total, for boundary tests."""

from __future__ import annotations


def answers_with_total(prefix: str, n_items: int, top: int, total: int) -> dict[str, int]:
    """Answers for items 1..n whose values sum to ``total`` (filled from item 1 upwards)."""
    assert 0 <= total <= n_items * top
    values = {}
    remaining = total
    for n in range(1, n_items + 1):
        values[f"{prefix}_{n}"] = min(top, remaining)
        remaining -= values[f"{prefix}_{n}"]
    return values
