"""PCL-5: total, clusters, cut-off and the provisional-PTSD cluster rule."""

from __future__ import annotations

import pytest

from mbc.scoring import score

CLUSTERS = {"B": range(1, 6), "C": range(6, 8), "D": range(8, 15), "E": range(15, 21)}


def pcl5(default: int = 0, **values: int | None) -> dict[str, int | None]:
    answers: dict[str, int | None] = {f"pcl5_{n}": default for n in range(1, 21)}
    answers.update({f"pcl5_{k}": v for k, v in values.items()})
    return answers


def test_total_and_subscales() -> None:
    answers = pcl5(**{str(n): n % 5 for n in range(1, 21)})
    result = score("pcl5", answers)
    expected = {c: sum(n % 5 for n in items) for c, items in CLUSTERS.items()}
    assert result.subscales == expected
    assert result.total == sum(expected.values()) and result.severity is None


@pytest.mark.parametrize(("total", "meets"), [(32, False), (33, True), (34, True)])
def test_cutoff_flag_at_33(total: int, meets: bool) -> None:
    answers = pcl5(**{str(n): min(4, max(0, total - 4 * (n - 1))) for n in range(1, 21)})
    result = score("pcl5", answers)
    assert result.total == total
    assert ("meets_cutoff" in result.flags) is meets


def minimal_ptsd() -> dict[str, int | None]:
    """Exactly the cluster minimum: 1 B, 1 C, 2 D, 2 E items rated 2."""
    return pcl5(**{"1": 2, "6": 2, "8": 2, "9": 2, "15": 2, "16": 2})


def test_provisional_ptsd_at_the_cluster_minimum_and_under_31() -> None:
    result = score("pcl5", minimal_ptsd())
    assert result.total == 12 and "provisional_ptsd" in result.flags
    assert "meets_cutoff" not in result.flags  # a total under 31 does not exclude it


@pytest.mark.parametrize("drop", ["1", "6", "9", "16"])
def test_one_cluster_short_fails(drop: str) -> None:
    answers = minimal_ptsd()
    answers[f"pcl5_{drop}"] = 1  # rated 1 is not endorsed
    assert not score("pcl5", answers).flags & {"provisional_ptsd", "provisional_ptsd_indeterminate"}


def test_a_total_over_33_that_fails_the_cluster_rule() -> None:
    answers = pcl5(**{str(n): 4 for n in range(1, 15)})  # no E item endorsed
    result = score("pcl5", answers)
    assert result.total == 56 and "meets_cutoff" in result.flags
    assert "provisional_ptsd" not in result.flags


def test_missing_items_that_cannot_change_the_result_keep_it() -> None:
    met = minimal_ptsd()
    met["pcl5_2"] = met["pcl5_20"] = None  # met with the missing items at 0
    result = score("pcl5", met)
    assert result.valid and result.prorated and "provisional_ptsd" in result.flags
    failing = pcl5()
    failing["pcl5_15"] = failing["pcl5_16"] = None  # fails even with both at 4 (no B, C, D)
    result = score("pcl5", failing)
    assert result.valid and not result.flags & {
        "provisional_ptsd",
        "provisional_ptsd_indeterminate",
    }


def test_missing_items_that_could_change_the_result_are_indeterminate() -> None:
    answers = minimal_ptsd()
    answers["pcl5_16"] = None  # E has one endorsed; the missing one decides
    result = score("pcl5", answers)
    assert result.valid
    assert "provisional_ptsd_indeterminate" in result.flags
    assert "provisional_ptsd" not in result.flags
    assert result.subscales["E"] is None and result.subscales["B"] == 2


def test_two_missing_items_are_prorated_and_three_unscorable() -> None:
    answers = pcl5(default=2)
    answers["pcl5_1"] = answers["pcl5_2"] = None
    result = score("pcl5", answers)
    assert (result.total, result.prorated, result.n_missing) == (40, True, 2)
    answers["pcl5_3"] = None
    result = score("pcl5", answers)
    assert (result.valid, result.invalid_reason) == (False, "too_many_missing")


def test_prorated_total_rounds_half_up() -> None:
    answers = pcl5(**{"1": 4, "2": 4, "3": 1})
    answers["pcl5_20"] = answers["pcl5_19"] = None  # 9 * 20 / 18 = 10.0
    assert score("pcl5", answers).total == 10
    answers["pcl5_3"] = 0  # 8 * 20 / 18 = 8.89 -> 9
    assert score("pcl5", answers).total == 9
    answers["pcl5_3"] = 1
    answers["pcl5_4"] = 4  # 13.5 * ... : 13 * 20 / 18 = 14.44 -> 14
    assert score("pcl5", answers).total == 14


def test_item_values_above_four_are_out_of_range() -> None:
    assert score("pcl5", pcl5(**{"7": 5})).invalid_reason == "out_of_range:pcl5_7"
