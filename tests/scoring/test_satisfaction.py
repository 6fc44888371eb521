from __future__ import annotations

from decimal import Decimal

import pytest

from mbc.scoring import score

ITEMS = (
    "satisfaction_heard",
    "satisfaction_priorities",
    "satisfaction_trust",
    "satisfaction_scheduling",
    "satisfaction_recommend",
    "satisfaction_overall",
)


def test_mean_of_all_items_to_one_decimal() -> None:
    result = score("satisfaction", dict(zip(ITEMS, [5, 4, 4, 3, 5, 4], strict=True)))
    assert result.total == Decimal("4.2") and not result.prorated  # 25 / 6 = 4.1666…


def test_mean_rounds_half_up() -> None:
    answers = dict(zip(ITEMS[:4], [5, 4, 4, 4], strict=True))  # 17 / 4 = 4.25 -> 4.3
    result = score("satisfaction", answers)
    assert result.total == Decimal("4.3") and result.n_missing == 2


def test_one_answer_is_enough_and_none_is_unscorable() -> None:
    assert score("satisfaction", {"satisfaction_trust": 2}).total == Decimal("2.0")
    result = score("satisfaction", {"satisfaction_comment": "Thanks"})
    assert (result.valid, result.invalid_reason) == (False, "too_many_missing")


def test_comment_is_kept_but_not_scored() -> None:
    result = score(
        "satisfaction", {"satisfaction_heard": 5, "satisfaction_comment": "  Kind staff "}
    )
    assert result.total == Decimal("5.0") and result.answers["satisfaction_comment"] == "Kind staff"


@pytest.mark.parametrize("value", [0, 6, 3.5])
def test_agreement_outside_1_to_5_is_invalid(value) -> None:
    assert score("satisfaction", {"satisfaction_heard": value}).invalid_reason == (
        "out_of_range:satisfaction_heard"
    )


def test_over_long_comment_is_invalid() -> None:
    result = score("satisfaction", {"satisfaction_heard": 5, "satisfaction_comment": "x" * 2001})
    assert result.invalid_reason == "out_of_range:satisfaction_comment"
