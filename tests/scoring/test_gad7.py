from __future__ import annotations

import pytest

from mbc.scoring import score
from tests.scoring.helpers import answers_with_total


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_bands_at_every_boundary(total: int, band: str) -> None:
    result = score("gad7", answers_with_total("gad7", 7, 3, total))
    assert (result.valid, result.total, result.severity) == (True, total, band)


@pytest.mark.parametrize(("total", "meets"), [(9, False), (10, True)])
def test_cutoff_is_ten_or_more(total: int, meets: bool) -> None:
    assert ("meets_cutoff" in score("gad7", answers_with_total("gad7", 7, 3, total)).flags) is meets


def test_one_missing_item_takes_the_mean_half_up() -> None:
    answers = {"gad7_1": 3, "gad7_2": 3, "gad7_3": 3, "gad7_4": 0, "gad7_5": 0, "gad7_6": 0}
    result = score("gad7", answers)  # 9 * 7 / 6 = 10.5 -> 11
    assert (result.valid, result.total, result.prorated, result.n_missing) == (True, 11, True, 1)
    assert result.severity == "moderate" and "meets_cutoff" in result.flags


def test_two_missing_items_are_unscorable() -> None:
    answers = answers_with_total("gad7", 7, 3, 10)
    answers["gad7_1"] = answers["gad7_7"] = None
    result = score("gad7", answers)
    assert (result.valid, result.invalid_reason, result.total) == (False, "too_many_missing", None)


def test_no_critical_item_flags() -> None:
    assert score("gad7", answers_with_total("gad7", 7, 3, 21)).flags == {"meets_cutoff"}
