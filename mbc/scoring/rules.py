"""Instrument-specific algorithms named by a definition's ``scoring.rules``."""

from __future__ import annotations

from collections.abc import Mapping

Values = Mapping[str, int | None]


def phq9_diagnostic(values: Values) -> set[str]:
    """Kroenke et al.: items 1-8 count at >= 2, item 9 at >= 1; needs item 1 or 2 to count.

    Called only for a response with no missing items; the result suggests, never diagnoses.
    """
    counts = {n: (values[f"phq9_{n}"] or 0) >= (1 if n == 9 else 2) for n in range(1, 10)}
    if not (counts[1] or counts[2]):
        return set()
    n_counting = sum(counts.values())
    if n_counting >= 5:
        return {"major_depressive_syndrome"}
    if 2 <= n_counting <= 4:
        return {"other_depressive_syndrome"}
    return set()


PCL5_CLUSTERS = {
    "B": (range(1, 6), 1),
    "C": (range(6, 8), 1),
    "D": (range(8, 15), 2),
    "E": (range(15, 21), 2),
}


def pcl5_provisional_ptsd(values: Values) -> set[str]:
    """Provisional PTSD from the DSM-5 cluster rule (an item rated >= 2 is endorsed).

    With missing items the result stands only if every possible answer to them agrees:
    met when it is met with all missing items at 0, absent when it fails with them all at 4,
    otherwise indeterminate.
    """
    if _pcl5_met(values, missing_as=0):
        return {"provisional_ptsd"}
    if not _pcl5_met(values, missing_as=4):
        return set()
    return {"provisional_ptsd_indeterminate"}


def _pcl5_met(values: Values, missing_as: int) -> bool:
    for items, needed in PCL5_CLUSTERS.values():
        endorsed = 0
        for n in items:
            value = values[f"pcl5_{n}"]
            endorsed += (missing_as if value is None else value) >= 2
        if endorsed < needed:
            return False
    return True


RULES = {"phq9_diagnostic": phq9_diagnostic, "pcl5_provisional_ptsd": pcl5_provisional_ptsd}
# Rules that are only computed on a complete response (the others handle missing items).
COMPLETE_ONLY = {"phq9_diagnostic"}
