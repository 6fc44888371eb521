"""BRCS: the 4-20 sum, the developers' bands, the <= 13 flag, no prorating, and no
reliable-change verdict (INSTRUMENTS.md, Brief Resilient Coping Scale)."""

from __future__ import annotations

import pytest

from mbc.instruments import registry
from mbc.scoring import change, score

ITEMS = [f"brcs_{n}" for n in range(1, 5)]


def with_total(total: int) -> dict[str, int]:
    """Answers (1-5 each) summing to ``total``: 1s raised from item 1 upwards."""
    assert 4 <= total <= 20
    values, extra = {}, total - 4
    for item in ITEMS:
        values[item] = 1 + min(4, extra)
        extra -= values[item] - 1
    return values


@pytest.mark.parametrize(
    ("total", "band", "low"),
    [
        (4, "low", True),
        (13, "low", True),
        (14, "medium", False),
        (16, "medium", False),
        (17, "high", False),
        (20, "high", False),
    ],
)
def test_bands_and_the_low_coping_flag_at_every_boundary(total: int, band: str, low: bool) -> None:
    result = score("brcs", with_total(total))
    assert (result.valid, result.total, result.severity) == (True, total, band)
    assert result.flags == ({"meets_cutoff"} if low else frozenset())
    assert not result.prorated and result.subscales == {}


@pytest.mark.parametrize("missing", ITEMS)
def test_any_missing_item_is_unscorable_and_named(missing: str) -> None:
    answers = with_total(20)
    answers[missing] = None
    result = score("brcs", answers)
    assert (result.valid, result.invalid_reason, result.total) == (
        False,
        f"missing:{missing}",
        None,
    )
    assert result.flags == frozenset()


def test_an_empty_response_is_unscorable() -> None:
    assert score("brcs", {}).invalid_reason == "missing:brcs_1"


@pytest.mark.parametrize("value", [0, 6, 3.5, "x"])
def test_answers_outside_1_to_5_invalidate_the_response(value) -> None:
    answers = with_total(12)
    answers["brcs_2"] = value
    assert score("brcs", answers).invalid_reason == "out_of_range:brcs_2"


@pytest.mark.parametrize(("baseline", "current"), [(8, 18), (18, 8), (12, 12)])
def test_change_is_reported_without_a_reliable_change_verdict(baseline, current) -> None:
    result = change("brcs", baseline, current)
    assert result.change == current - baseline
    assert (result.reliable_improvement, result.reliable_deterioration) == (None, None)
    assert result.reliable_recovery is None and result.response is None


@pytest.mark.parametrize("value", [3, 21])
def test_totals_outside_4_to_20_are_refused(value) -> None:
    with pytest.raises(ValueError):
        change("brcs", value, 10)


def test_wording_options_and_licence() -> None:
    d = registry.get("brcs")
    assert [d.item(i).text["en"] for i in ITEMS] == [
        "I look for creative ways to alter difficult situations",
        "Regardless of what happens to me, I believe I can control my reaction to it",
        "I believe I can grow in positive ways by dealing with difficult situations",
        "I actively look for ways to replace the losses I encounter in life",
    ]
    assert [(o.value, o.label["en"]) for o in d.item("brcs_1").options] == [
        (1, "Does not describe me at all"),
        (2, "Does not describe me"),
        (3, "Neutral"),
        (4, "Describes me"),
        (5, "Describes me very well"),
    ]
    assert (d.licence, d.enabled_by_default, d.languages) == (
        "not_established",
        False,
        {"en": "official"},
    )
    assert d.scoring.direction == "higher_is_better" and d.scoring.change.reliable is None
