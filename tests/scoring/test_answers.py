"""How raw answers are read: exact values, missing answers, and invalid input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mbc.scoring import score

ZEROS = {f"phq9_{n}": 0 for n in range(1, 10)}


@pytest.mark.parametrize("value", [2, "2", " 2 ", 2.0, Decimal("2"), "2.0"])
def test_the_same_answer_in_any_form(value) -> None:
    result = score("phq9", {**ZEROS, "phq9_1": value})
    assert result.valid and result.total == 2 and result.answers["phq9_1"] == 2


@pytest.mark.parametrize("value", [4, -1, 2.5, "2.5", "two", True, [], {}])
def test_values_outside_the_set_are_invalid(value) -> None:
    result = score("phq9", {**ZEROS, "phq9_4": value})
    assert (result.valid, result.invalid_reason, result.total) == (
        False,
        "out_of_range:phq9_4",
        None,
    )


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_none_and_blank_are_missing(missing) -> None:
    result = score("phq9", {**ZEROS, "phq9_4": missing})
    assert result.valid and result.n_missing == 1


def test_unknown_item_is_named() -> None:
    result = score("phq9", {**ZEROS, "phq9_10": 1})
    assert (result.valid, result.invalid_reason) == (False, "unknown_item:phq9_10")


def test_version_is_recorded_and_can_be_chosen() -> None:
    result = score("phq9", ZEROS, version="1")
    assert (result.instrument, result.version) == ("phq9", "1")
