"""Chart geometry: bands without gaps, the cut-off and the reliable band where they belong."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from mbc.clinician.charts import HEIGHT, Score, instrument_chart
from mbc.instruments import registry

WORDS = {
    k: k for k in ("cutoff", "cutoff_range", "clinical_range", "baseline", "reliable", "cluster")
}
START = datetime(2026, 9, 1, tzinfo=UTC)


def chart(code: str, *totals: str):
    scores = [Score(START + timedelta(weeks=i), Decimal(t)) for i, t in enumerate(totals)]
    return instrument_chart(registry.get(code), scores, language="en", title=code, labels=WORDS)


def test_phq9_bands_cover_the_whole_range_without_gaps() -> None:
    bands = [s for s in chart("phq9", "12").shades if s.css.startswith("band ")]
    assert [s.label for s in bands] == [
        "None–minimal",
        "Mild",
        "Moderate",
        "Moderately severe",
        "Severe",
    ]
    for lower, upper in itertools.pairwise(bands):
        assert abs(upper.top + upper.height - lower.top) < 1e-6  # touching


def test_points_rise_with_the_score_and_keep_their_order() -> None:
    c = chart("phq9", "5", "20", "10")
    assert [p.number for p in c.points] == [1, 2, 3]
    assert c.points[1].y < c.points[2].y < c.points[0].y  # higher score, higher on the chart
    assert c.points[0].x < c.points[1].x < c.points[2].x


def test_the_reliable_band_is_the_baseline_plus_and_minus_the_threshold() -> None:
    c = chart("phq9", "12", "14")
    [band] = [s for s in c.shades if s.css == "reliable"]
    baseline = next(r for r in c.rules if r.css == "baseline")
    cutoff = next(r for r in c.rules if r.css == "cutoff")
    per_point = (HEIGHT - 10 - 28) / 27
    assert abs(band.height - 12 * per_point) < 1e-6  # 6 either way
    assert abs(band.top + band.height / 2 - baseline.y) < 1e-6
    assert cutoff.y > baseline.y  # the cut-off (10) sits below a baseline of 12


def test_ors_shades_its_clinical_range_below_the_cut_off_and_says_higher_is_better() -> None:
    c = chart("ors", "20.0", "31.5")
    [clinical] = [s for s in c.shades if s.css == "clinical"]
    cutoff = next(r for r in c.rules if r.css == "cutoff")
    assert c.higher_is_better and abs(clinical.top - cutoff.y) < 1e-6
    assert clinical.top + clinical.height > cutoff.y  # it extends downwards, towards 0


def test_pcl5_shows_the_31_to_33_range() -> None:
    c = chart("pcl5", "40")
    [band] = [s for s in c.shades if s.css == "cutoff-range"]
    per_point = (HEIGHT - 10 - 28) / 80
    assert abs(band.height - 2 * per_point) < 1e-6


def test_a_single_score_sits_in_the_middle() -> None:
    c = chart("gad7", "8")
    assert len(c.points) == 1 and c.polyline.count(",") == 1


def dated_chart(code: str, *entries: tuple[int, str]):
    """A chart of (days after START, total) pairs."""
    scores = [Score(START + timedelta(days=d), Decimal(t)) for d, t in entries]
    return instrument_chart(registry.get(code), scores, language="en", title=code, labels=WORDS)


def test_points_sit_at_their_dates_so_a_missed_month_looks_like_a_month() -> None:
    c = dated_chart("phq9", (0, "14"), (7, "12"), (35, "11"))
    week = c.points[1].x - c.points[0].x
    four_weeks = c.points[2].x - c.points[1].x
    assert abs(four_weeks - 4 * week) < 1e-6
    # the axis is labelled with dates from the first to the last
    assert c.x_ticks[0] == (c.points[0].x, START)
    assert c.x_ticks[-1] == (c.points[-1].x, START + timedelta(days=35))
    assert [x for x, _ in c.x_ticks] == sorted(x for x, _ in c.x_ticks)


def test_the_legend_names_the_baseline_the_cut_off_and_the_reliable_band() -> None:
    c = chart("phq9", "12", "14")
    legend = {e.label: e for e in c.legend}
    assert legend["baseline"].shape == "line" and legend["baseline"].css == "baseline"
    assert legend["cutoff"].shape == "line"
    assert legend["reliable"].shape == "box" and legend["reliable"].css == "reliable"
    assert "Moderate" in legend  # the severity bands are named too


def test_a_single_date_gets_one_tick_in_the_middle() -> None:
    c = chart("gad7", "8")
    assert c.x_ticks == [(c.points[0].x, START)]
