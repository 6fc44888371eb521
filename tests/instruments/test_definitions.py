"""Definitions: what each one holds, the registry, and the rule that released files never change."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest

from mbc.instruments import registry
from mbc.instruments.registry import DEFINITIONS, UnknownInstrument, load_file
from mbc.instruments.schema import DefinitionError

RELEASED = DEFINITIONS / "RELEASED.sha256"


def released() -> dict[str, str]:
    lines = RELEASED.read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ") for line in lines if line)}


def test_released_files_have_not_changed() -> None:
    for name, digest in released().items():
        actual = hashlib.sha256((DEFINITIONS / name).read_bytes()).hexdigest()
        assert actual == digest, (
            f"{name} is released and must never change: write a new version file instead"
        )


def test_every_definition_file_is_recorded_as_released() -> None:
    files = {str(p.relative_to(DEFINITIONS)) for p in DEFINITIONS.glob("*/*.toml")}
    assert files == set(released()), "record a new version's checksum in RELEASED.sha256"


def test_registry_lists_codes_and_versions() -> None:
    assert registry.codes() == [
        "brcs",
        "gad7",
        "ors",
        "pcl5",
        "phq9",
        "satisfaction",
        "srs",
        "who5",
    ]
    assert registry.versions("phq9") == ["1"]
    assert registry.get("phq9").version == "1" and registry.get("phq9", "1").code == "phq9"


def test_unknown_code_or_version_is_a_clear_error() -> None:
    with pytest.raises(UnknownInstrument, match="no instrument 'bdi'"):
        registry.get("bdi")
    with pytest.raises(UnknownInstrument, match="no version '9' of 'phq9'"):
        registry.get("phq9", "9")


@pytest.mark.parametrize(
    ("code", "languages"),
    [
        ("phq9", {"en": "official", "es": "official"}),
        ("gad7", {"en": "official", "es": "unverified"}),
        ("pcl5", {"en": "official"}),
        ("satisfaction", {"en": "ours", "es": "ours"}),
        ("who5", {"en": "official"}),  # Spanish waits for the official wording
    ],
)
def test_translation_status_is_recorded(code: str, languages: dict[str, str]) -> None:
    assert registry.get(code).languages == languages


def test_licensed_instruments_ship_disabled() -> None:
    for code in registry.codes():
        d = registry.get(code)
        # A licensed measure, or one whose licence is not established (BRCS), ships off.
        assert d.enabled_by_default is (d.licence not in ("licensed", "not_established")), code
        assert d.credit
    assert "©" in registry.get("ors").credit and "©" in registry.get("srs").credit


def test_phq9_matches_the_official_wording_and_codes() -> None:
    d = registry.get("phq9")
    assert d.lead_in["en"] == (
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert d.item("phq9_9").text["en"] == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [o.label["en"] for o in d.item("phq9_1").options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert [o.loinc for o in d.item("phq9_difficulty").options] == [
        "LA6572-7",
        "LA6573-5",
        "LA6575-0",
        "LA6574-3",
    ]  # very = LA6575-0, extremely = LA6574-3
    assert [d.item(f"phq9_{n}").loinc for n in range(1, 10)] == [
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ]
    assert d.loinc == "44249-1" and not d.item("phq9_difficulty").scored


def test_who5_matches_the_official_wording_and_credit() -> None:
    d = registry.get("who5")
    assert d.lead_in["en"] == "Over the last two weeks:"
    assert [d.item(f"who5_{n}").text["en"] for n in range(1, 6)] == [
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ]
    assert d.credit == "WHO-5 © Psychiatric Research Unit, Mental Health Centre North Zealand."
    assert (d.licence, d.enabled_by_default, d.loinc) == ("public_domain", True, None)
    s = d.scoring
    assert (s.method, s.multiplier, s.direction) == ("sum", 4, "higher_is_better")
    assert (s.total_min, s.total_max) == (0, 100)
    assert s.missing.source.tag == "decision" and s.missing.max_prorated == 0
    assert s.clinical_cutoff is not None and (s.clinical_cutoff.op, s.clinical_cutoff.value) == (
        "<=",
        50,
    )


def test_gad7_zero_label_is_not_at_all() -> None:
    assert registry.get("gad7").item("gad7_1").options[0].label["en"] == "Not at all"


def test_every_decision_rule_is_marked() -> None:
    gad7 = registry.get("gad7")
    assert gad7.scoring.missing.source.tag == "decision"
    assert registry.get("ors").scoring.thresholds[0].source.tag == "decision"
    assert registry.get("phq9").scoring.missing.source.tag == "standard"
    assert "[decision]" in registry.get("phq9").scoring.critical_items[0].source.text


def test_english_is_used_where_a_translation_is_missing() -> None:
    d = registry.get("pcl5")
    assert d.text(d.item("pcl5_1").text, "es") == d.item("pcl5_1").text["en"]


def write(tmp_path: Path, code: str, text: str) -> Path:
    path = tmp_path / code / "1.toml"
    path.parent.mkdir()
    path.write_text(text)
    return path


def broken(field_path: list[str], value: object) -> str:
    """The PHQ-9 file with one field changed, as TOML text."""
    data = tomllib.loads((DEFINITIONS / "phq9" / "1.toml").read_text())
    target = data
    for key in field_path[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is None:
        del target[field_path[-1]]
    else:
        target[field_path[-1]] = value
    return dumps(data)


def dumps(data: object, prefix: str = "") -> str:
    """A tiny TOML writer (inline tables) for tests; enough for definition files."""
    import json

    def value(v: object) -> str:
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{json.dumps(k)} = {value(x)}" for k, x in v.items()) + " }"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, bool):
            return "true" if v else "false"
        return json.dumps(v) if isinstance(v, str) else str(v)

    assert isinstance(data, dict)
    return "\n".join(f"{json.dumps(k)} = {value(v)}" for k, v in data.items()) + "\n"


def test_the_writer_round_trips_a_real_definition(tmp_path: Path) -> None:
    path = write(tmp_path, "phq9", broken(["code"], "phq9"))
    assert load_file(path).item("phq9_9").loinc == "44260-8"


@pytest.mark.parametrize(
    ("field_path", "value", "message"),
    [
        (["title"], None, "title: is required"),
        (["licence"], "cheap", "licence: 'cheap' is not one of"),
        (["languages", "es"], "machine", "languages.es: 'machine' is not one of"),
        (["items", "0", "options"], [], "items[0] (phq9_1).options: a choice item needs options"),
        (["items", "1", "text"], {"en": "Down"}, "items.phq9_2.text: no 'es' text"),
        (["scoring", "method"], "product", "scoring.method: 'product' is not one of"),
        (["scoring", "missing"], None, "scoring.missing: is required"),
        (["scoring", "bands", "1", "min"], 6, "scoring.bands (mild): must start at 5"),
        (
            ["scoring", "thresholds", "0", "source"],
            None,
            "scoring.thresholds[0].source: is required",
        ),
        (["scoring", "critical_items", "0", "item"], "phq9_99", "unknown item 'phq9_99'"),
    ],
)
def test_a_bad_file_names_the_file_and_the_field(
    tmp_path: Path, field_path, value, message
) -> None:
    path = write(tmp_path, "phq9", broken(field_path, value))
    with pytest.raises(DefinitionError) as error:
        load_file(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def who5_with(**scoring: object) -> str:
    data = tomllib.loads((DEFINITIONS / "who5" / "1.toml").read_text())
    data["scoring"].update(scoring)
    return dumps(data)


@pytest.mark.parametrize(
    ("scoring", "message"),
    [
        ({"multiplier": 0}, "scoring.multiplier: must be a whole number of at least 1"),
        ({"multiplier": 4, "method": "mean"}, 'scoring.multiplier: applies only to method = "sum"'),
        ({"multiplier": 1}, "scoring.bands (poor): must start at 29"),  # steps of 1 leave gaps
        (
            {"item_flags": [{"flag": "low_item", "op": "<=", "value": 1, "items": ["who5_9"]}]},
            "scoring.item_flags[0].items: unknown items ['who5_9']",
        ),
        (
            {"item_flags": [{"flag": "low_item", "op": "=", "value": 1, "items": ["who5_1"]}]},
            "scoring.item_flags[0].op: '=' is not one of",
        ),
        (
            {"item_flags": [{"flag": "low", "op": "<=", "value": 1, "items": ["who5_1"]}]},
            "scoring.item_flags[0].source: is required",
        ),
    ],
)
def test_the_percentage_multiplier_and_item_flags_are_checked(
    tmp_path: Path, scoring: dict[str, object], message: str
) -> None:
    path = write(tmp_path, "who5", who5_with(**scoring))
    with pytest.raises(DefinitionError) as error:
        load_file(path)
    assert message in str(error.value)


def test_a_file_in_the_wrong_place_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "gad7", broken(["code"], "phq9"))
    with pytest.raises(DefinitionError, match="must match the file's place"):
        load_file(path)


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "phq9", "code = ")
    with pytest.raises(DefinitionError, match="not valid TOML"):
        load_file(path)
