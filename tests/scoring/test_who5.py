"""WHO-5: the percentage total (raw x 4), Topp et al.'s bands, the <= 50 screen, low_item, no
prorating, and the 10-point change rule (INSTRUMENTS.md, WHO-5)."""

from __future__ import annotations

import pytest

from mbc.scoring import change, score
from tests.scoring.helpers import answers_with_total

ITEMS = [f"who5_{n}" for n in range(1, 6)]


def raw(total: int) -> dict[str, int]:
    """Answers whose raw sum is ``total`` (0-25), filled with 5s from item 1 upwards."""
    return answers_with_total("who5", 5, 5, total)


def test_the_total_is_the_percentage_and_the_raw_sum_a_subscale() -> None:
    result = score("who5", {"who5_1": 5, "who5_2": 4, "who5_3": 3, "who5_4": 2, "who5_5": 3})
    assert (result.valid, result.total, result.subscales) == (True, 68, {"raw": 17})
    assert isinstance(result.total, int) and not result.prorated


@pytest.mark.parametrize(
    ("raw_total", "percentage", "band"),
    [
        (0, 0, "likely-depression"),
        (7, 28, "likely-depression"),
        (8, 32, "poor"),
        (12, 48, "poor"),
        (13, 52, "not-poor"),
        (25, 100, "not-poor"),
    ],
)
def test_bands_at_every_boundary(raw_total: int, percentage: int, band: str) -> None:
    result = score("who5", raw(raw_total))
    assert (result.valid, result.total, result.severity) == (True, percentage, band)
    assert result.subscales == {"raw": raw_total}


@pytest.mark.parametrize(
    ("raw_total", "meets"),
    [(0, True), (12, True), (13, False), (25, False)],  # 48 % screens positive, 52 % does not
)
def test_meets_cutoff_at_fifty_percent_or_below(raw_total: int, meets: bool) -> None:
    assert ("meets_cutoff" in score("who5", raw(raw_total)).flags) is meets


@pytest.mark.parametrize(
    ("answers", "low"),
    [
        ((5, 5, 5, 5, 0), True),  # At no time
        ((5, 5, 5, 1, 5), True),  # Some of the time
        ((2, 2, 2, 2, 2), False),  # Less than half of the time is not low
        ((5, 5, 5, 5, 5), False),
    ],
)
def test_low_item_when_any_item_is_answered_0_or_1(answers, low: bool) -> None:
    result = score("who5", dict(zip(ITEMS, answers, strict=True)))
    assert result.valid and ("low_item" in result.flags) is low


def test_flags_are_only_the_screen_and_low_item() -> None:
    assert score("who5", raw(0)).flags == {"meets_cutoff", "low_item"}
    assert score("who5", raw(25)).flags == frozenset()


@pytest.mark.parametrize("missing", ITEMS)
def test_any_missing_item_is_unscorable_and_named(missing: str) -> None:
    answers = raw(25)
    answers[missing] = None
    result = score("who5", answers)
    assert (result.valid, result.invalid_reason, result.total, result.severity) == (
        False,
        f"missing:{missing}",
        None,
        None,
    )
    assert result.flags == frozenset() and result.n_missing == 1


def test_several_missing_items_name_the_first_and_an_empty_response_is_unscorable() -> None:
    assert score("who5", {"who5_4": 0, "who5_5": 0}).invalid_reason == "missing:who5_1"
    assert score("who5", {}).invalid_reason == "missing:who5_1"
    assert score("who5", {"who5_1": "", **{i: 3 for i in ITEMS[1:]}}).invalid_reason == (
        "missing:who5_1"
    )


def test_low_item_is_not_raised_on_an_unscorable_response() -> None:
    result = score("who5", {"who5_1": 0, "who5_2": 0})
    assert not result.valid and result.flags == frozenset()


@pytest.mark.parametrize("value", [6, -1, 2.5, "five", True])
def test_values_outside_0_to_5_invalidate_the_response(value) -> None:
    answers = raw(10)
    answers["who5_3"] = value
    result = score("who5", answers)
    assert (result.valid, result.invalid_reason) == (False, "out_of_range:who5_3")


def test_options_are_the_official_wording_in_the_forms_order() -> None:
    from mbc.instruments import registry

    d = registry.get("who5")
    assert [(o.value, o.label["en"]) for o in d.item("who5_1").options] == [
        (5, "All of the time"),
        (4, "Most of the time"),
        (3, "More than half of the time"),
        (2, "Less than half of the time"),
        (1, "Some of the time"),
        (0, "At no time"),
    ]


@pytest.mark.parametrize(
    ("baseline", "current", "improved", "deteriorated"),
    [
        (40, 52, True, False),  # +12
        (40, 48, False, False),  # +8: percentages move in 4s, so 12 is the least reliable change
        (52, 40, False, True),
        (52, 44, False, False),
    ],
)
def test_a_change_of_10_percentage_points_is_reliable_either_way(
    baseline, current, improved, deteriorated
) -> None:
    result = change("who5", baseline, current)
    assert (result.reliable_improvement, result.reliable_deterioration) == (improved, deteriorated)


def test_improvement_is_a_rise_and_recovery_leaves_the_screen_positive_range() -> None:
    result = change("who5", 28, 60)
    assert result.change == 32 and result.baseline_clinical and not result.current_clinical
    assert result.reliable_recovery is True
    assert change("who5", 44, 52).reliable_recovery is False  # out of range but only +8


@pytest.mark.parametrize("value", [101, -4, 42, 50.5])
def test_a_total_no_response_can_have_is_refused(value) -> None:
    with pytest.raises(ValueError):
        change("who5", value, 40)


def test_the_change_rule_is_ten_points_from_the_scoring_guidance() -> None:
    from mbc.instruments import registry

    rules = registry.get("who5").scoring.change
    assert rules.reliable == 10 and rules.reliable_source.tag == "official"
    assert (rules.response_fraction, rules.remission_below) == (None, None)
