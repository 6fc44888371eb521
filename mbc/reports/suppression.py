"""Small-group suppression that subtraction cannot undo.

A report hides the figures of a group smaller than the practice's ``min_group_size`` (primary
suppression). With the other groups' figures and the "All" row on view, one hidden group's
figures are the total minus the rest, so more is hidden (complementary suppression): the hidden
groups together must be at least two and, between them, hold at least ``min_group_size``
clients; the next-smallest groups are hidden until they do, and when no group is left to hide
the total is hidden instead. Sizes (n) stay on view: they are what the rule is about.

Rows are one level (groups and their total): no report shows sub-totals. Pure, so it is tested
by enumeration without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SMALL = "small"  # fewer than the minimum: hidden for itself
LINKED = "linked"  # hidden so that a small group's figures cannot be worked out


@dataclass(frozen=True)
class Plan:
    """Which groups (by position) and whether the total lose their figures, and why."""

    small: frozenset[int]
    linked: frozenset[int]
    total: str | None  # SMALL, LINKED or None (shown)

    @property
    def hidden(self) -> frozenset[int]:
        return self.small | self.linked


def plan(sizes: Sequence[int], total: int, min_size: int) -> Plan:
    """What to hide for groups of these ``sizes`` and their ``total`` (the sum of the groups)."""
    small = frozenset(i for i, n in enumerate(sizes) if n < min_size)
    if total < min_size:
        return Plan(small, frozenset(range(len(sizes))) - small, SMALL)
    hidden = set(small)

    def safe() -> bool:
        return not hidden or (len(hidden) >= 2 and sum(sizes[i] for i in hidden) >= min_size)

    by_size = sorted((i for i in range(len(sizes)) if i not in hidden), key=lambda i: sizes[i])
    while not safe() and by_size:
        hidden.add(by_size.pop(0))
    linked = frozenset(hidden) - small
    if not safe():
        # Every group is hidden and still one of them could be told from the total.
        return Plan(small, linked, LINKED)
    return Plan(small, linked, None)


def apply(groups: list[dict[str, Any]], total: dict[str, Any], min_size: int) -> None:
    """Hide the figures of ``groups`` rows and the ``total`` row in place, keeping only
    ``group`` and ``n``; a hidden row gets ``hidden`` set to SMALL or LINKED."""
    decided = plan([int(r["n"]) for r in groups], int(total["n"]), min_size)
    for i, row in enumerate(groups):
        if i in decided.hidden:
            hide(row, SMALL if i in decided.small else LINKED)
    if decided.total is not None:
        hide(total, decided.total)


def hide(row: dict[str, Any], why: str) -> None:
    """Drop every figure of ``row`` but its label and size, saying ``why``."""
    for key in [k for k in row if k not in ("group", "n")]:
        del row[key]
    row["hidden"] = why
