"""A practice's own definitions (MBC_INSTRUMENTS_DIR): loaded beside the built-in ones when
released and valid, refused whole otherwise with every problem named; and what the schema
lets them say (reverse-scored items, critical answers, mean totals, unscored questionnaires,
no prorating, Jacobson-Truax reliable change)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from mbc.instruments import registry
from mbc.instruments.schema import DefinitionError
from mbc.scoring import change, score
from tests.instruments.clinic.helpers import CLINIC_MOOD, drop

ANSWERS = {"rwc_worry": 1, "rwc_sleep": 2, "rwc_coping": 3, "rwc_harm": 0}


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    registry.configure(None)  # as the next process start without the folder


def load(folder: Path, text: str = CLINIC_MOOD, **kw) -> list[str]:
    drop(folder, text, **kw)
    registry.configure(folder)
    return registry.problems()


def test_a_released_file_loads_beside_the_built_in_ones(clinic: Path) -> None:
    assert load(clinic) == []
    assert "clinic_mood" in registry.codes() and "phq9" in registry.codes()
    d = registry.get("clinic_mood")
    assert d.clinic and not registry.get("phq9").clinic
    registry.configure(None)
    assert not registry.has("clinic_mood")


def test_reverse_scored_items_count_backwards_and_subscales_sum(clinic: Path) -> None:
    load(clinic)
    result = score("clinic_mood", ANSWERS)  # 1 + 2 + (3 - 3 = 0) + 0
    assert (result.valid, result.total, result.severity) == (True, 3, "low")
    assert result.answers["rwc_coping"] == 3  # stored as answered
    assert result.subscales == {"distress": 3}


@pytest.mark.parametrize(("harm", "critical"), [(0, False), (1, False), (2, True), (3, True)])
def test_the_critical_item_is_critical_for_its_listed_answers(clinic: Path, harm, critical) -> None:
    load(clinic)
    result = score("clinic_mood", {**ANSWERS, "rwc_harm": harm})
    assert ("critical_item" in result.flags) is critical


def test_a_critical_answer_is_flagged_even_when_the_rest_is_unscorable(clinic: Path) -> None:
    load(clinic)
    result = score("clinic_mood", {"rwc_harm": 3})
    assert not result.valid and result.flags == {"critical_item"}
    assert score("clinic_mood", {"rwc_worry": 1}).flags == {"critical_item_unanswered"}


def test_one_missing_answer_is_prorated_two_are_unscorable(clinic: Path) -> None:
    load(clinic)
    one = score("clinic_mood", {**ANSWERS, "rwc_worry": None})  # (2 + 0 + 0) * 4 / 3 = 2.67
    assert (one.valid, one.total, one.prorated) == (True, 3, True)
    two = score("clinic_mood", {"rwc_coping": 0, "rwc_harm": 0})
    assert two.invalid_reason == "too_many_missing"


def test_reliable_change_comes_from_sd_and_reliability(clinic: Path) -> None:
    load(clinic)
    threshold = registry.get("clinic_mood").scoring.change.reliable
    expected = 1.96 * math.sqrt(2 * (2.5 * math.sqrt(1 - 0.8)) ** 2)
    assert float(threshold) == pytest.approx(expected)  # 3.099
    assert change("clinic_mood", 8, 4).reliable_improvement is True  # 4 >= 3.099
    assert change("clinic_mood", 8, 5).reliable_improvement is False  # 3 < 3.099
    assert change("clinic_mood", 4, 8).reliable_deterioration is True


def variant(old: str, new: str) -> str:
    assert old in CLINIC_MOOD
    return CLINIC_MOOD.replace(old, new)


def test_a_mean_total_and_no_prorating(clinic: Path) -> None:
    text = variant('method = "sum"', 'method = "mean"')
    text = text.replace("total_range = [0, 12]", "total_range = [0.0, 3.0]")
    text = text.replace("max = 5\n", "max = 1.4\n").replace("min = 6\n", "min = 1.5\n")
    text = text.replace("max = 12\n", "max = 3.0\n").replace("value = 6\n", "value = 1.5\n")
    text = text.replace("max_prorated = 1", "max_prorated = 0").replace(
        'reason = "too_many_missing"', 'reason = "missing_item"'
    )
    assert load(clinic, text) == []
    result = score("clinic_mood", {**ANSWERS, "rwc_harm": 1})  # (1 + 2 + 0 + 1) / 4
    assert (result.total, result.severity, "meets_cutoff" in result.flags) == (
        Decimal("1.0"),
        "low",
        False,
    )
    missing = score("clinic_mood", {**ANSWERS, "rwc_sleep": None})
    assert missing.invalid_reason == "missing:rwc_sleep"


def test_an_unscored_questionnaire_keeps_answers_without_a_total(clinic: Path) -> None:
    start = CLINIC_MOOD.index("[scoring]")
    text = CLINIC_MOOD[:start] + '[scoring]\nmethod = "none"\n'
    assert load(clinic, text) == []
    result = score("clinic_mood", {**ANSWERS, "rwc_note": "fine"})
    assert (result.valid, result.total, result.severity) == (True, None, None)
    assert result.answers["rwc_note"] == "fine" and not registry.get("clinic_mood").is_scored


def test_an_unscored_questionnaire_may_not_have_bands(clinic: Path) -> None:
    text = variant('method = "sum"', 'method = "none"')
    [problem] = [p for p in load(clinic, text) if "scoring.bands" in p]
    assert 'an unscored questionnaire (method = "none") has no total to judge' in problem


def test_an_unreleased_file_is_refused_with_its_release_line(clinic: Path) -> None:
    [problem] = load(clinic, release=False)
    assert "not released" in problem and "clinic_mood/1.toml" in problem
    assert not registry.has("clinic_mood")


def test_a_released_file_edited_afterwards_is_refused(clinic: Path) -> None:
    path = drop(clinic)
    path.write_text(CLINIC_MOOD.replace("have you worried?", "did you worry?"))
    registry.configure(clinic)
    [problem] = registry.problems()
    assert "changed since it was released" in problem and not registry.has("clinic_mood")


def test_a_built_in_code_is_refused(clinic: Path) -> None:
    text = CLINIC_MOOD.replace('code = "clinic_mood"', 'code = "phq9"')
    path = clinic / "phq9" / "1.toml"
    path.parent.mkdir()
    path.write_text(text)
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (clinic / "RELEASED.sha256").write_text(f"{digest}  phq9/1.toml\n")
    registry.configure(clinic)
    assert registry.problems() == [f"{path}: code: 'phq9' is a built-in instrument"]
    assert not registry.get("phq9").clinic


def test_every_problem_is_named_and_nothing_is_half_loaded(clinic: Path) -> None:
    text = variant('op = ">="', 'op = "=="')
    text = text.replace("answers = [2, 3]", "answers = [2, 7]")
    text = text.replace("reverse = true", "reverse = true\nweight = 2")
    text = text.replace('direction = "higher_is_worse"', 'direction = "up"')
    problems = load(clinic, text)
    assert not registry.has("clinic_mood")
    fields = [p.split(": ")[1] for p in problems]
    assert fields == [
        "items[2] (rwc_coping).weight",
        "scoring.critical_items[0].answers",
        "scoring.thresholds[0].op",
        "scoring.direction",
    ]
    assert all(p.startswith(str(clinic / "clinic_mood" / "1.toml")) for p in problems)
    assert "is not a field mbc understands" in problems[0]
    assert "must be values of rwc_harm's options [0, 1, 2, 3]" in problems[1]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("answers = [2, 3]", "answers = [2, 3]\nmin = 2", "give either min or answers"),
        ("sd = 2.5\n", "", "give both sd and reliability"),
        ("reliability = 0.8", "reliability = 1.2", "reliability from 0 to below 1"),
        ('id = "rwc_sleep"', 'id = "csrf_token"', "must be lower-case letters, digits or _"),
        ('kind = "text"', 'kind = "text"\nreverse = true', "only a choice item can be reverse"),
        ('version = "1"', 'version = "one"', "version: must be a number"),
        ("total_range = [0, 12]", "total_range = [0, 15]", "must be [0, 12], the totals"),
        (
            'method = "sum"',
            'method = "sum"\nrules = ["phq9_diagnostic"]',
            "are PHQ-9's and PCL-5's own algorithms only",
        ),
    ],
)
def test_what_the_schema_cannot_express_is_refused(clinic: Path, old, new, message) -> None:
    problems = load(clinic, variant(old, new))
    assert any(message in p for p in problems), problems
    assert not registry.has("clinic_mood")


def test_a_checksum_listed_for_a_missing_file_and_a_missing_folder_are_reported(
    clinic: Path,
) -> None:
    (clinic / "RELEASED.sha256").write_text(f"{'0' * 64}  gone/1.toml\n")
    registry.configure(clinic)
    assert registry.problems() == [
        f"{clinic / 'RELEASED.sha256'}: lists gone/1.toml, which is not in the folder"
    ]
    registry.configure(clinic / "nowhere")
    assert "MBC_INSTRUMENTS_DIR is not a folder" in registry.problems()[0]


def test_built_in_files_still_load_unchanged_and_unstrict() -> None:
    from mbc.instruments.registry import DEFINITIONS, load_file

    for path in sorted(DEFINITIONS.glob("*/*.toml")):
        assert load_file(path).code == path.parent.name
        try:  # read strictly, only their own algorithms (PHQ-9's, PCL-5's) would be refused
            load_file(path, strict=True)
        except DefinitionError as exc:
            assert all("scoring.rules" in p for p in exc.problems), exc.problems
