"""How raw answers are read: exact values, missing answers, and invalid input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mbc.instruments import registry
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


# Answers are read by their shape before any conversion (issue 20, finding 1): nine bytes such as
# "1e1000000" took ``int(Decimal(...))`` about 30 s of CPU, and any check-in link could post them.
HUGE = ["1e1000000", "1E+999999", "9" * 60_000, "-" + "9" * 50, "0." + "0" * 60_000 + "1"]
ODD = ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e1", "0x2", "+2", "٢", "2 0", "--2",
       ".", "-", "0.00001", "7,5,1", "2.0.0"]  # fmt: skip


@pytest.mark.parametrize("value", [*HUGE, *ODD, "2,0", "2.5", "1000"])
def test_choices_of_any_other_shape_are_refused(value) -> None:
    result = score("phq9", {**ZEROS, "phq9_1": value})
    assert (result.valid, result.invalid_reason) == (False, "out_of_range:phq9_1")


@pytest.mark.parametrize(
    "value",
    [Decimal("1e1000000"), Decimal("1e-1000000"), Decimal("0e-1000000"), Decimal("NaN"),
     Decimal("-Infinity"), float("nan"), float("inf"), 1e300, 10**4000, -(10**4000)],
)  # fmt: skip
def test_numbers_from_python_callers_are_sized_before_they_are_converted(value) -> None:
    result = score("phq9", {**ZEROS, "phq9_1": value})
    assert (result.valid, result.invalid_reason) == (False, "out_of_range:phq9_1")


@pytest.mark.parametrize(("value", "stored"), [("-0", 0), ("0", 0), ("3", 3), ("003", 3)])
def test_a_short_whole_number_is_a_choice(value, stored) -> None:
    result = score("phq9", {**ZEROS, "phq9_1": value})
    assert result.valid and result.answers["phq9_1"] == stored


@pytest.mark.parametrize("value", [*HUGE, *ODD])
def test_a_long_or_odd_answer_is_never_converted(monkeypatch, value) -> None:
    """The shape check runs first: the raw string never reaches ``Decimal`` or ``int``."""
    from mbc.scoring import answers

    seen: list[object] = []

    class SpyDecimal(Decimal):
        def __new__(cls, value="0", context=None):
            seen.append(value)
            return Decimal(value, context)

    class SpyInt(int):
        def __new__(cls, value=0, *base):
            seen.append(value)
            return int(value, *base)

    monkeypatch.setattr(answers, "Decimal", SpyDecimal)
    monkeypatch.setattr(answers, "int", SpyInt, raising=False)
    for code, item in (("phq9", "phq9_1"), ("srs", "srs_goals")):
        parsed = answers.parse_answers(registry.get(code), {item: value})
        assert parsed.invalid_reason == f"out_of_range:{item}"
    assert value not in seen and all(len(str(arg)) <= 8 for arg in seen)


SRS_REST = {"srs_relationship": "9", "srs_goals": "9", "srs_approach": "9"}


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("0", "0.0"),
        ("-0", "0.0"),  # never "-0.0"
        ("-0.0", "0.0"),
        ("-0,0", "0.0"),
        (-0.0, "0.0"),
        (Decimal("-0"), "0.0"),
        ("0,1", "0.1"),
        ("7,5", "7.5"),  # a Spanish keyboard's decimal comma
        ("7.5", "7.5"),
        (" 7,5 ", "7.5"),
        ("7.50", "7.5"),
        (".5", "0.5"),
        (",5", "0.5"),
        ("5.", "5.0"),
        ("9,9", "9.9"),
        ("10", "10.0"),
        ("10,0", "10.0"),
        ("10.000", "10.0"),
        (10, "10.0"),
        (Decimal("1E+1"), "10.0"),
    ],
)
def test_rating_lines_read_a_point_or_a_comma(value, stored) -> None:
    result = score("srs", {**SRS_REST, "srs_overall": value})
    assert result.valid, result.invalid_reason
    assert str(result.answers["srs_overall"]) == stored


@pytest.mark.parametrize(
    "value",
    [*HUGE, *ODD[:6], "10.1", "10,01", "-0.1", "-1", "7,5,1", "7.5.1", "7,55", "0.05", ",", "7 5",
     "1.000,5", "1,000.5", "1e1", 11, -1, 10**4000, Decimal("10.01"), 7.55],
)  # fmt: skip
def test_rating_lines_of_any_other_shape_or_outside_the_line_are_refused(value) -> None:
    result = score("srs", {**SRS_REST, "srs_overall": value})
    assert (result.valid, result.invalid_reason) == (False, "out_of_range:srs_overall")
