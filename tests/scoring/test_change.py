"""Change between two totals: thresholds at and beside each value, in each direction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mbc.scoring import change, reliable_change_index


@pytest.mark.parametrize(
    ("code", "baseline", "current", "improved", "deteriorated"),
    [
        ("phq9", 15, 9, True, False),
        ("phq9", 15, 10, False, False),
        ("phq9", 9, 15, False, True),
        ("phq9", 9, 14, False, False),
        ("gad7", 14, 10, True, False),
        ("gad7", 14, 11, False, False),
        ("gad7", 10, 14, False, True),
        ("gad7", 10, 13, False, False),
        ("pcl5", 50, 45, True, False),
        ("pcl5", 50, 46, False, False),
        ("pcl5", 45, 50, False, True),
        ("pcl5", 45, 49, False, False),
        # ORS: higher is better, so improvement is a rise
        ("ors", "20.0", "25.0", True, False),
        ("ors", "20.0", "24.9", False, False),
        ("ors", "25.0", "20.0", False, True),
        ("ors", "25.0", "20.1", False, False),
    ],
)
def test_reliable_change_at_and_beside_the_threshold(
    code, baseline, current, improved, deteriorated
) -> None:
    result = change(code, baseline_total=baseline, current_total=current)
    assert (result.reliable_improvement, result.reliable_deterioration) == (improved, deteriorated)


def test_change_is_exact_and_signed() -> None:
    assert change("phq9", 15, 9).change == -6
    ors = change("ors", "8.2", "3.2")
    assert ors.change == Decimal("-5.0") and isinstance(ors.change, Decimal)


@pytest.mark.parametrize(("baseline", "current", "meaningful"), [(40, 30, True), (40, 31, False)])
def test_pcl5_clinically_meaningful_improvement_is_a_drop_of_ten(
    baseline, current, meaningful
) -> None:
    assert change("pcl5", baseline, current).clinically_meaningful_improvement is meaningful


@pytest.mark.parametrize(
    ("baseline", "current", "response"),
    [(20, 10, True), (20, 11, False), (15, 7, True), (15, 8, False)],
)
def test_phq9_response_is_a_drop_of_half(baseline, current, response) -> None:
    assert change("phq9", baseline, current).response is response


@pytest.mark.parametrize(("current", "remission"), [(4, True), (5, False)])
def test_phq9_remission_is_below_five(current, remission) -> None:
    assert change("phq9", 18, current).remission is remission


def test_undefined_judgements_are_none() -> None:
    gad = change("gad7", 15, 5)
    assert (gad.response, gad.remission, gad.clinically_meaningful_improvement) == (None,) * 3
    srs = change("srs", "30.0", "38.0")
    assert srs.reliable_improvement is None and srs.reliable_deterioration is None
    assert change("phq9", 0, 0).response is None  # no baseline to halve


@pytest.mark.parametrize(
    ("code", "value"), [("phq9", 28), ("phq9", -1), ("phq9", 4.5), ("ors", "40.1"), ("phq9", None)]
)
def test_totals_outside_the_range_are_refused(code, value) -> None:
    with pytest.raises(ValueError):
        change(code, value, 10 if code == "phq9" else "10.0")


def test_reliable_change_index_jacobson_truax() -> None:
    # SD 10, r 0.84: SE = 4, S_diff = sqrt(32) = 5.657; a change of 12 -> RCI 2.12
    assert reliable_change_index(30, 18, sd=10, reliability=0.84) == pytest.approx(
        -2.1213, abs=1e-4
    )
    assert reliable_change_index(18, 18, 10, 0.84) == 0


@pytest.mark.parametrize(("sd", "r"), [(0, 0.8), (-1, 0.8), (10, 1.0), (10, -0.1)])
def test_reliable_change_index_refuses_impossible_parameters(sd, r) -> None:
    with pytest.raises(ValueError):
        reliable_change_index(1, 2, sd, r)


@pytest.mark.parametrize(
    ("code", "baseline", "current", "recovered"),
    [
        # PHQ-9: reliable is a drop of 6, the clinical range is >= 10
        ("phq9", 15, 9, True),  # reliable, and leaves the range
        ("phq9", 15, 10, False),  # reliable drop of 5 would not do; 10 is still in range
        ("phq9", 16, 10, False),  # reliable (6) but still at the cut-off
        ("phq9", 10, 4, True),  # from the cut-off itself
        ("phq9", 9, 3, False),  # reliable, but the baseline was not in the clinical range
        ("phq9", 14, 9, False),  # leaves the range, but a drop of 5 is not reliable
        # GAD-7: reliable 4, range >= 10
        ("gad7", 13, 9, True),
        ("gad7", 12, 9, False),
        # PCL-5: reliable 5, range >= 33
        ("pcl5", 37, 32, True),
        ("pcl5", 36, 32, False),
        ("pcl5", 38, 33, False),
        # ORS: higher is better, reliable 5, clinical range <= 25.0
        ("ors", "25.0", "30.0", True),
        ("ors", "25.0", "29.9", False),
        ("ors", "25.1", "30.1", False),  # the baseline was not in the clinical range
        ("ors", "21.0", "25.0", False),  # still in range at 25.0, though not reliable either
        ("ors", "20.0", "25.1", True),
    ],
)
def test_reliable_recovery_needs_reliable_improvement_out_of_the_clinical_range(
    code, baseline, current, recovered
) -> None:
    assert change(code, baseline, current).reliable_recovery is recovered


def test_clinical_range_follows_each_instruments_cut_off() -> None:
    result = change("phq9", 10, 9)
    assert (result.baseline_clinical, result.current_clinical) == (True, False)
    ors = change("ors", "25.0", "25.1")
    assert (ors.baseline_clinical, ors.current_clinical) == (True, False)


def test_instruments_without_a_cut_off_or_reliable_change_have_no_recovery() -> None:
    srs = change("srs", "30.0", "39.0")
    assert srs.reliable_recovery is None and srs.baseline_clinical is None
