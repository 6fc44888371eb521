"""ORS and SRS: exact one-decimal sums, cut-offs, and any missing scale makes them unscorable."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mbc.scoring import score

ORS = ("ors_individual", "ors_interpersonal", "ors_social", "ors_overall")
SRS = ("srs_relationship", "srs_goals", "srs_approach", "srs_overall")


def test_decimal_sum_is_exact() -> None:
    result = score("ors", dict(zip(ORS, [5.0, 5.2, 7.1, 7.7], strict=True)))
    assert result.total == Decimal("25.0") and isinstance(result.total, Decimal)
    assert str(result.total) == "25.0"


def test_values_arrive_as_strings_floats_or_decimals() -> None:
    answers = {
        "ors_individual": "8.2",
        "ors_interpersonal": Decimal("3.2"),
        "ors_social": 0.1,
        "ors_overall": 10,
    }
    assert score("ors", answers).total == Decimal("21.5")


def test_two_decimal_places_are_invalid_even_when_the_sum_is_whole() -> None:
    result = score("ors", dict(zip(ORS, [6.25, 6.25, 6.25, 6.25], strict=True)))
    assert result.invalid_reason == "out_of_range:ors_individual"  # never rounded


@pytest.mark.parametrize(
    ("values", "total", "clinical"),
    [
        ((6.3, 6.3, 6.2, 6.2), "25.0", True),
        ((6.3, 6.3, 6.3, 6.2), "25.1", False),
        ((0, 0, 0, 0), "0.0", True),
        ((10, 10, 10, 10), "40.0", False),
    ],
)
def test_clinical_range_is_25_or_below(values, total, clinical) -> None:
    result = score("ors", dict(zip(ORS, values, strict=True)))
    assert result.total == Decimal(total)
    assert ("clinical_range" in result.flags) is clinical
    assert result.severity is None and not result.prorated


@pytest.mark.parametrize("value", [10.4, -0.1, 5.25, "ten", "nan", "inf", True])
def test_values_outside_the_line_are_invalid_not_clamped(value) -> None:
    answers = dict(zip(ORS, [5, 5, 5, 5], strict=True))
    answers["ors_social"] = value
    result = score("ors", answers)
    assert (result.valid, result.invalid_reason, result.total) == (
        False,
        "out_of_range:ors_social",
        None,
    )


def test_any_missing_scale_is_named() -> None:
    answers = dict(zip(ORS, [5, 5, 5, 5], strict=True))
    answers["ors_social"] = None
    assert score("ors", answers).invalid_reason == "missing:ors_social"
    del answers["ors_individual"]
    assert score("ors", answers).invalid_reason == "missing:ors_individual"


@pytest.mark.parametrize(
    ("values", "concern"),
    [
        ((9.0, 9.0, 9.0, 8.9), True),  # 35.9
        ((9.0, 9.0, 9.0, 9.0), False),  # 36.0
        ((10, 10, 10, 6.5), False),  # one scale under 9 is not flagged
    ],
)
def test_srs_alliance_concern_below_36(values, concern) -> None:
    result = score("srs", dict(zip(SRS, values, strict=True)))
    assert ("alliance_concern" in result.flags) is concern
