"""Copenhagen Burnout Inventory, work-related scale: mean of answered items, four at least, band
at 50 (shared/INSTRUMENTS.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mbc.instruments import registry
from mbc.scoring import score

ITEMS = [f"cbi_work_{n}" for n in range(1, 8)]


def answers(*values: int | None) -> dict[str, int | None]:
    return dict(zip(ITEMS, values, strict=False))


def test_item_7_is_reverse_scored() -> None:
    labels = {o.label["en"]: o.value for o in registry.get("cbi_work").item("cbi_work_7").options}
    assert labels == {
        "Always": 0,
        "Often": 25,
        "Sometimes": 50,
        "Seldom": 75,
        "Never/almost never": 100,
    }
    item4 = {o.label["en"]: o.value for o in registry.get("cbi_work").item("cbi_work_4").options}
    assert item4["Always"] == 100 and item4["Never/almost never"] == 0


def test_mean_of_all_seven_in_exact_decimals() -> None:
    result = score("cbi_work", answers(100, 75, 50, 25, 0, 50, 25))  # 325 / 7 = 46.428…
    assert result.valid and result.total == Decimal("46.4") and result.severity == "not-high"


def test_mean_rounds_half_up_to_one_decimal() -> None:
    # 125 / 6 = 20.833… -> 20.8; 25 / 6 = 4.1666… -> 4.2
    assert score("cbi_work", answers(25, 25, 25, 25, 25, 0, None)).total == Decimal("20.8")
    assert score("cbi_work", answers(25, 0, 0, 0, 0, 0, None)).total == Decimal("4.2")


@pytest.mark.parametrize(
    ("values", "band"),
    [
        ((50, 50, 50, 50, 50, 50, 50), "high"),  # exactly 50: high
        ((50, 50, 50, 50, 50, 50, 25), "not-high"),  # 325 / 7 = 46.4
        ((75, 50, 50, 50, 50, 25, 50), "high"),  # 350 / 7 = 50.0
        ((75, 50, 50, 25, None, None, None), "high"),  # 200 / 4 = 50.0
        ((0, 0, 0, 0, 0, 0, 0), "not-high"),
        ((100, 100, 100, 100, 100, 100, 100), "high"),
    ],
)
def test_band_high_from_50(values: tuple, band: str) -> None:
    assert score("cbi_work", answers(*values)).severity == band


def test_four_answered_is_enough_three_is_too_many_missing() -> None:
    four = score("cbi_work", answers(100, 100, 0, 0))
    assert four.valid and four.total == Decimal("50.0") and four.n_missing == 3
    three = score("cbi_work", answers(100, 100, 0))
    assert not three.valid and three.invalid_reason == "too_many_missing"
    assert three.total is None and three.severity is None


def test_a_value_off_the_scale_is_out_of_range() -> None:
    result = score("cbi_work", answers(100, 100, 0, 0, 60))
    assert not result.valid and result.invalid_reason == "out_of_range:cbi_work_5"


def test_cbi_is_a_staff_instrument_never_offered_to_clients() -> None:
    assert registry.get("cbi_work").audience == "staff"
    assert "cbi_work" not in registry.client_codes() and "phq9" in registry.client_codes()
