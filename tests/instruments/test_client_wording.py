"""Client wording (ours): plain words for every band of every shipped instrument, in English and
Spanish, checked against the definitions; a band without words falls back to nothing clinical."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from mbc.instruments import registry, wording
from mbc.instruments.schema import DefinitionError
from mbc.progress.build import build

WEEK = timedelta(weeks=1)
SHIPPED = ("phq9", "gad7", "pcl5", "ors", "srs", "who5", "brcs")
JARGON = ("depress", "anxiety", "disorder", "severe", "ptsd", "clinical", "diagnos", "cut-off")


@pytest.mark.parametrize("code", SHIPPED)
def test_every_band_of_every_shipped_instrument_has_plain_words(code: str) -> None:
    words = registry.client_wording(code)
    assert words.about.keys() >= {"en", "es"}
    for version in registry.versions(code):
        for band in registry.get(code, version).scoring.bands:
            assert words.bands[band.key].keys() >= {"en", "es"}, (code, band.key)


def test_the_words_are_ours_and_free_of_clinical_terms() -> None:
    for path in sorted(wording.WORDING.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert 'tag = "ours"' in text
        spoken = [line for line in text.splitlines() if line.startswith(("en =", "es ="))]
        for line in spoken:
            assert not any(term in line.lower() for term in JARGON), (path.name, line)


def _parse(data: dict, keys: set[str]) -> wording.ClientWording:
    return wording.parse(data, Path("phq9.toml"), keys)


OURS = {"tag": "ours", "text": "by us"}


def test_a_band_the_instrument_lacks_is_refused() -> None:
    with pytest.raises(DefinitionError, match="not bands of phq9"):
        _parse({"code": "phq9", "source": OURS, "bands": {"mild-ish": {"en": "x"}}}, {"mild"})


def test_words_not_tagged_ours_are_refused() -> None:
    official = {"tag": "official", "text": "?"}
    with pytest.raises(DefinitionError, match="ours"):
        _parse({"code": "phq9", "source": official}, set())


def test_english_is_required() -> None:
    with pytest.raises(DefinitionError, match="English"):
        _parse({"code": "phq9", "source": OURS, "bands": {"mild": {"es": "algo"}}}, {"mild"})


def test_a_file_must_be_named_for_its_code() -> None:
    with pytest.raises(DefinitionError, match="file name"):
        _parse({"code": "gad7", "source": OURS}, set())


def _response(total: int, severity: str) -> SimpleNamespace:
    return SimpleNamespace(
        id=total,
        instrument_code="phq9",
        instrument_version="1",
        completed_at=datetime(2026, 11, total + 1, tzinfo=UTC),
        is_valid=True,
        total=Decimal(total),
        severity=severity,
    )


def test_an_instrument_without_words_shows_no_clinical_label(monkeypatch) -> None:
    """As WHO-5 or BRCS would before their wording file exists: the scores, and a note that the
    clinician can explain them, never the definition's band label."""
    monkeypatch.setattr(registry, "client_wording", lambda code: wording.ClientWording(code))
    [entry] = build([_response(17, "moderately-severe")], "en")
    assert entry.words_missing and entry.latest.words is None and entry.about is None
    assert entry.chart.legend == [] and all(not s.label for s in entry.chart.shades)


def test_the_page_shows_the_latest_52_scores_of_each_questionnaire() -> None:
    """[decision] A year of weekly check-ins; older ones are counted, not shown."""
    many = [_response(n % 20, "mild") for n in range(60)]
    for n, response in enumerate(many):
        response.id, response.completed_at = n, datetime(2025, 1, 1, tzinfo=UTC) + n * WEEK
    [entry] = build(many, "en")
    assert entry.earlier == 8 and len(entry.rows) == 52 and len(entry.chart.points) == 52
    assert entry.rows[0].at == many[8].completed_at and entry.latest.at == many[-1].completed_at
