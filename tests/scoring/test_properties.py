"""Properties that hold for every response, checked on generated ones (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mbc.instruments import registry
from mbc.scoring import score

CHOICE_CODES = ["phq9", "gad7", "pcl5", "satisfaction", "who5", "brcs"]


@st.composite
def complete_response(draw):
    code = draw(st.sampled_from([*CHOICE_CODES, "ors", "srs"]))
    definition = registry.get(code)
    answers = {}
    for item in definition.scored_items:
        if item.kind == "choice":
            answers[item.id] = draw(st.sampled_from(sorted(item.allowed_values)))
        else:
            tenths = draw(st.integers(0, 100))
            answers[item.id] = Decimal(tenths) / 10
    return code, answers


@given(complete_response())
def test_a_complete_valid_responses_total_is_the_sum_of_its_values(case) -> None:
    """...times the definition's multiplier (WHO-5 reports its raw sum as a percentage)."""
    code, answers = case
    result = score(code, answers)
    assert result.valid and result.n_missing == 0 and not result.prorated
    if code == "satisfaction":
        mean = Decimal(sum(answers.values())) / len(answers)
        assert abs(result.total - mean) <= Decimal("0.05")
    else:
        assert result.total == sum(answers.values()) * registry.get(code).scoring.multiplier


anything = st.one_of(
    st.none(),
    st.integers(-5, 15),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.decimals(min_value=-20, max_value=20, places=2),
    st.booleans(),
)


@st.composite
def any_response(draw):
    code = draw(st.sampled_from(registry.codes()))
    ids = [item.id for item in registry.get(code).items] + ["bogus_item"]
    keys = draw(st.lists(st.sampled_from(ids), unique=True))
    return code, {key: draw(anything) for key in keys}


@given(any_response())
def test_an_invalid_result_never_carries_a_total(case) -> None:
    code, answers = case
    result = score(code, answers)
    if result.valid:
        assert result.total is not None and result.invalid_reason is None
    else:
        assert result.total is None and result.severity is None and result.invalid_reason
        assert not result.flags - {"critical_item", "critical_item_unanswered"}
