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


def test_the_best_band_has_the_best_colour_whichever_way_the_measure_points() -> None:
    """WHO-5 and BRCS: higher is better, so their top band (listed last) is the green band-0,
    as on the clinician's chart; PHQ-9's first band (minimal) is."""
    for code, scores, words in (
        ("who5", [Score(datetime(2026, 11, 2, tzinfo=UTC), Decimal(60))], ["low", "mid", "ok"]),
        ("brcs", [Score(datetime(2026, 11, 2, tzinfo=UTC), Decimal(15))], ["low", "mid", "ok"]),
    ):
        definition = registry.get(code)
        plain = plain_chart(definition, scores, title=code, band_words=words)
        words_ = {key: str(value) for key, value in CHART_WORDS.items()}
        clinical = instrument_chart(definition, scores, language="en", title=code, labels=words_)
        staff = [s.css for s in clinical.shades if s.css.startswith("band ")]
        assert [s.css for s in plain.shades] == staff
        assert plain.shades[-1].css == "band band-0"  # the best band, drawn at the top
    phq9 = plain_chart(registry.get("phq9"), SCORES, title="PHQ-9", band_words=WORDS)
    assert phq9.shades[0].css == "band band-0"
