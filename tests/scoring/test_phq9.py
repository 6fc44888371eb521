"""PHQ-9 scoring as INSTRUMENTS.md specifies it."""

from __future__ import annotations

import pytest

from mbc.scoring import score
from tests.scoring.helpers import answers_with_total


def phq9(**values: int | None) -> dict[str, int | None]:
    answers: dict[str, int | None] = {f"phq9_{n}": 0 for n in range(1, 10)}
    answers.update({f"phq9_{k}": v for k, v in values.items()})
    return answers


def with_total(total: int, item9: int = 0) -> dict[str, int]:
    """Items 1-8 carry the total (item 9 set separately) so item 9 never muddles the band test."""
    answers = answers_with_total("phq9", 8, 3, total - item9)
    answers["phq9_9"] = item9
    return answers


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none-minimal"),
        (4, "none-minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately-severe"),
        (19, "moderately-severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_bands_at_every_boundary(total: int, band: str) -> None:
    answers = with_total(total, item9=3 if total == 27 else 0)
    result = score("phq9", answers)
    assert (result.valid, result.total, result.severity) == (True, total, band)
    assert not result.prorated and result.n_missing == 0


@pytest.mark.parametrize(("total", "meets"), [(9, False), (10, True), (11, True)])
def test_cutoff_is_ten_or_more(total: int, meets: bool) -> None:
    assert ("meets_cutoff" in score("phq9", with_total(total)).flags) is meets


@pytest.mark.parametrize(("item9", "flagged"), [(0, False), (1, True), (2, True), (3, True)])
def test_item9_endorsed_raises_the_critical_flag(item9: int, flagged: bool) -> None:
    result = score("phq9", phq9(**{"9": item9}))
    assert ("critical_item" in result.flags) is flagged
    assert "critical_item_unanswered" not in result.flags


def test_item9_flag_survives_an_unscorable_response() -> None:
    answers = {"phq9_9": 1, "phq9_1": 3}  # 7 items missing
    result = score("phq9", answers)
    assert not result.valid and result.invalid_reason == "too_many_missing"
    assert result.total is None and result.flags == {"critical_item"}


def test_item9_flag_survives_an_out_of_range_answer_elsewhere() -> None:
    result = score("phq9", phq9(**{"3": 7, "9": 2}))
    assert result.invalid_reason == "out_of_range:phq9_3"
    assert "critical_item" in result.flags


def test_unanswered_item9_is_flagged_for_the_clinician_to_ask() -> None:
    result = score("phq9", phq9(**{"9": None}))
    assert result.valid and result.prorated
    assert result.flags >= {"critical_item_unanswered"}
    assert "critical_item" not in result.flags


@pytest.mark.parametrize(
    ("answered", "n_missing", "expected"),
    [
        # 8 answered summing to 12: mean 1.5, prorated 13.5 -> 14 (half up)
        ({1: 3, 2: 3, 3: 3, 4: 3, 5: 0, 6: 0, 7: 0, 8: 0}, 1, 14),
        # 8 answered summing to 11: 11 * 9 / 8 = 12.375 -> 12
        ({1: 3, 2: 3, 3: 3, 4: 2, 5: 0, 6: 0, 7: 0, 8: 0}, 1, 12),
        # 7 answered summing to 7: 7 * 9 / 7 = 9 exactly
        ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1}, 2, 9),
        # 7 answered summing to 5: 5 * 9 / 7 = 6.43 -> 6
        ({1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 0, 7: 0}, 2, 6),
        # 7 answered summing to 11: 11 * 9 / 7 = 14.14 -> 14
        ({1: 3, 2: 3, 3: 3, 4: 2, 5: 0, 6: 0, 7: 0}, 2, 14),
    ],
)
def test_one_or_two_missing_items_are_prorated_half_up(answered, n_missing, expected) -> None:
    answers = {f"phq9_{k}": v for k, v in answered.items()}
    result = score("phq9", answers)
    assert (result.valid, result.total, result.prorated, result.n_missing) == (
        True,
        expected,
        True,
        n_missing,
    )


def test_prorated_half_rounds_up_exactly() -> None:
    # 7 answered summing to 14 with item 9 missing: 14 * 9 / 7 = 18.0; and 8 answered summing
    # to 4: 4 * 9 / 8 = 4.5 -> 5 (half up, not to even).
    answers = {
        "phq9_1": 1,
        "phq9_2": 1,
        "phq9_3": 1,
        "phq9_4": 1,
        "phq9_5": 0,
        "phq9_6": 0,
        "phq9_7": 0,
        "phq9_9": 0,
    }
    result = score("phq9", answers)
    assert result.total == 5 and result.severity == "mild"


def test_three_missing_items_are_unscorable() -> None:
    answers = phq9()
    for n in (1, 2, 3):
        answers[f"phq9_{n}"] = None
    result = score("phq9", answers)
    assert (result.valid, result.invalid_reason, result.total, result.n_missing) == (
        False,
        "too_many_missing",
        None,
        3,
    )


def test_difficulty_is_recorded_but_not_scored() -> None:
    result = score("phq9", {**phq9(**{"1": 2}), "phq9_difficulty": 3})
    assert result.total == 2 and result.answers["phq9_difficulty"] == 3
    assert score("phq9", {**phq9(), "phq9_difficulty": 4}).invalid_reason == (
        "out_of_range:phq9_difficulty"
    )


def test_missing_difficulty_does_not_count_as_missing() -> None:
    result = score("phq9", phq9())
    assert result.n_missing == 0 and not result.prorated


@pytest.mark.parametrize(
    ("values", "flag"),
    [
        # item 1 counts and 5 items count in all -> major
        ({"1": 2, "3": 2, "4": 2, "5": 2, "6": 2}, "major_depressive_syndrome"),
        # item 9 counts at 1
        ({"2": 3, "3": 2, "4": 2, "5": 2, "9": 1}, "major_depressive_syndrome"),
        # 4 counting with item 2 -> other
        ({"2": 2, "3": 2, "4": 2, "5": 2}, "other_depressive_syndrome"),
        # 2 counting with item 1 -> other
        ({"1": 2, "7": 3}, "other_depressive_syndrome"),
    ],
)
def test_diagnostic_algorithm(values: dict[str, int], flag: str) -> None:
    flags = score("phq9", phq9(**values)).flags
    assert flag in flags
    other = {"major_depressive_syndrome", "other_depressive_syndrome"} - {flag}
    assert not flags & other


@pytest.mark.parametrize(
    "values",
    [
        {"3": 3, "4": 3, "5": 3, "6": 3, "7": 3, "8": 3},  # many count but not item 1 or 2
        {"1": 2},  # only one item counts
        {"1": 1, "2": 1, "3": 2, "4": 2, "5": 2, "6": 2},  # items 1 and 2 below 2
    ],
)
def test_no_syndrome_without_a_cardinal_item_or_with_one_item(values: dict[str, int]) -> None:
    flags = score("phq9", phq9(**values)).flags
    assert not flags & {"major_depressive_syndrome", "other_depressive_syndrome"}


def test_syndromes_are_not_computed_with_missing_items() -> None:
    answers = phq9(**{"1": 3, "2": 3, "3": 3, "4": 3, "5": 3})
    answers["phq9_8"] = None
    result = score("phq9", answers)
    assert result.valid and not result.flags & {
        "major_depressive_syndrome",
        "other_depressive_syndrome",
    }
