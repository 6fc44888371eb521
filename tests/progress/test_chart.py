"""The client's chart (``plain_chart``): the clinician chart's time axis and band areas, the
bands named in plain words, and none of the clinical lines."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from mbc.clinician.charts import Score, instrument_chart, plain_chart
from mbc.clinician.labels import CHART_WORDS
from mbc.instruments import registry

SCORES = [
    Score(datetime(2026, 11, day, tzinfo=UTC), Decimal(total))
    for day, total in ((2, 16), (9, 12), (23, 6))
]
WORDS = ["none", "some", "fair", "lot", "great"]


def test_the_same_points_and_band_areas_as_the_clinicians_chart() -> None:
    phq9 = registry.get("phq9")
    plain = plain_chart(phq9, SCORES, title="PHQ-9", band_words=WORDS)
    words = {key: str(value) for key, value in CHART_WORDS.items()}
    clinical = instrument_chart(phq9, SCORES, language="en", title="PHQ-9", labels=words)
    assert [(p.x, p.y) for p in plain.points] == [(p.x, p.y) for p in clinical.points]
    bands = [s for s in clinical.shades if s.css.startswith("band ")]
    assert [(s.top, s.height) for s in plain.shades] == [(s.top, s.height) for s in bands]
    assert plain.x_ticks == clinical.x_ticks and plain.y_ticks == clinical.y_ticks


def test_bands_named_in_plain_words_and_no_clinical_lines() -> None:
    plain = plain_chart(registry.get("phq9"), SCORES, title="PHQ-9", band_words=WORDS)
    assert [s.label for s in plain.shades] == WORDS
    assert [e.label for e in plain.legend] == WORDS
    assert plain.rules == []  # no cut-off, no baseline
    assert not any(s.css in ("reliable", "cutoff-range", "clinical") for s in plain.shades)


def test_an_unbanded_instrument_has_no_areas_and_no_legend() -> None:
    plain = plain_chart(registry.get("pcl5"), SCORES, title="PCL-5", band_words=[])
    assert plain.shades == [] and plain.legend == [] and len(plain.points) == 3
