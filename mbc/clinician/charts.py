"""Progress charts as geometry: scores over check-ins, severity bands, cut-off, baseline and the
band of reliable change around it. Pure: the template turns a ``Chart`` into inline SVG, so the
browser needs no chart library and the page works without JavaScript.

The x axis is time: each point sits at its date, so a missed month looks like a month and not
like a week. Date ticks are datetimes the template formats in the practice's time zone; each
point names its date and value on hover and in the table beside it. A legend names the baseline,
the cut-off and the band of reliable change, which is drawn as a dashed outline so the severity
colours underneath stay clear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from mbc.instruments.schema import Definition

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 10, 28  # margins around the plot area

# PCL-5: the probable-PTSD cut-off lies in 31-33 [official: INSTRUMENTS.md, and the definition's
# note "Charts show the 31-33 range"]; we flag at 33 and shade the range.
CUTOFF_RANGES: dict[str, tuple[int, int]] = {"pcl5": (31, 33)}
# WHO-5: besides the <= 50 screen (its cut-off line), a line at the top of the <= 28
# likely-depression band [standard: Topp et al. 2015, INSTRUMENTS.md]: the issue asks for both.
# (band key, the ``labels`` key naming the line)
BAND_LINES: dict[str, tuple[str, str]] = {"who5": ("likely-depression", "who5_likely_depression")}


def band_css(definition: Definition, index: int) -> str:
    """The colour class of a definition's ``index``-th band: band-0 is the best (green), so a
    higher-is-better measure (WHO-5, BRCS), whose first band is its worst, counts down."""
    bands = definition.scoring.bands
    if definition.scoring.direction == "higher_is_better":
        index = len(bands) - 1 - index
    return f"band-{index}"


@dataclass(frozen=True)
class Score:
    """One completed response's total, as the chart and its table show it."""

    at: datetime
    total: Decimal
    band: str | None = None  # the severity band's label, in the page's language


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    number: int  # check-in number, 1 = baseline
    score: Score


@dataclass(frozen=True)
class Shade:
    top: float
    height: float
    css: str
    label: str


@dataclass(frozen=True)
class Rule:
    y: float
    css: str
    label: str


@dataclass(frozen=True)
class LegendEntry:
    css: str  # the class of the shape it names: "baseline", "cutoff", "reliable", "band band-0"
    label: str
    shape: str  # "line" or "box"


@dataclass
class Chart:
    title: str
    higher_is_better: bool
    points: list[Point]
    shades: list[Shade] = field(default_factory=list)  # bands, cut-off range, reliable band
    rules: list[Rule] = field(default_factory=list)  # cut-off and baseline lines
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, datetime]] = field(default_factory=list)  # dates of the time axis
    legend: list[LegendEntry] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


X_TICKS = 5  # at most this many dated ticks on the time axis


class _Scale:
    """Scores to heights and dates to positions (a linear time scale from first to last)."""

    def __init__(self, low: Decimal, high: Decimal, dates: Sequence[datetime]) -> None:
        self.low, self.high = low, high
        self.first = dates[0] if dates else None
        self.span = (dates[-1] - dates[0]).total_seconds() if dates else 0.0

    def y(self, value: Decimal) -> float:
        value = min(max(value, self.low), self.high)
        span = float(self.high - self.low) or 1.0
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(value - self.low) / span)

    def x(self, at: datetime) -> float:
        width = WIDTH - LEFT - RIGHT
        if self.first is None or self.span <= 0:
            return LEFT + width / 2
        return LEFT + 8 + (width - 16) * (at - self.first).total_seconds() / self.span

    def x_ticks(self) -> list[tuple[float, datetime]]:
        """The first and last dates and evenly spaced ones between (one tick for one date)."""
        if self.first is None:
            return []
        if self.span <= 0:
            return [(self.x(self.first), self.first)]
        steps = X_TICKS - 1
        dates = [self.first + timedelta(seconds=self.span * i / steps) for i in range(X_TICKS)]
        return [(self.x(d), d) for d in dates]


def _points(scale: _Scale, scores: Sequence[Score]) -> list[Point]:
    return [Point(scale.x(s.at), scale.y(s.total), i + 1, s) for i, s in enumerate(scores)]


def instrument_chart(
    definition: Definition,
    scores: Sequence[Score],
    *,
    language: str,
    title: str,
    labels: dict[str, str],
) -> Chart:
    """The chart of one instrument's totals, with what its definition says about them.

    ``labels`` holds the translated words for "cut-off", "baseline", "reliable change" and
    "clinical range", so this module stays free of Flask.
    """
    scoring = definition.scoring
    scale = _Scale(scoring.total_min, scoring.total_max, [s.at for s in scores])
    chart = Chart(
        title=title,
        higher_is_better=scoring.direction == "higher_is_better",
        points=_points(scale, scores),
        x_ticks=scale.x_ticks(),
    )
    bands = scoring.bands
    for index, band in enumerate(bands):
        # Contiguous: a band reaches up to where the next begins (4 -> 5 leaves no gap).
        upper = bands[index + 1].minimum if index + 1 < len(bands) else scoring.total_max
        top, bottom = scale.y(upper), scale.y(band.minimum)
        label = definition.text(band.label, language)
        chart.shades.append(Shade(top, bottom - top, f"band {band_css(definition, index)}", label))
    cutoff = scoring.clinical_cutoff
    if code_range := CUTOFF_RANGES.get(definition.code):
        low, high = (Decimal(v) for v in code_range)
        top, bottom = scale.y(high), scale.y(low)
        chart.shades.append(Shade(top, bottom - top, "cutoff-range", labels["cutoff_range"]))
    elif cutoff is not None and not scoring.bands:
        # No severity bands (ORS): shade the clinical range itself.
        edge = scale.y(cutoff.value)
        if chart.higher_is_better:
            bottom = scale.y(scoring.total_min)
            chart.shades.append(Shade(edge, bottom - edge, "clinical", labels["clinical_range"]))
        else:
            top = scale.y(scoring.total_max)
            chart.shades.append(Shade(top, edge - top, "clinical", labels["clinical_range"]))
    if scores and scoring.change.reliable is not None:
        baseline, reliable = scores[0].total, scoring.change.reliable
        top, bottom = scale.y(baseline + reliable), scale.y(baseline - reliable)
        chart.shades.append(Shade(top, bottom - top, "reliable", labels["reliable"]))
    if cutoff is not None:
        # A measure's own words for its cut-off where it has them ("<= 50: assess for depression").
        words = labels.get(f"cutoff:{definition.code}", labels["cutoff"])
        chart.rules.append(Rule(scale.y(cutoff.value), "cutoff", words))
    if line := BAND_LINES.get(definition.code):
        key, words_key = line
        band = next(b for b in bands if b.key == key)
        words = labels.get(words_key, key)
        chart.rules.append(Rule(scale.y(band.maximum), "cutoff band-line", words))
    if scores:
        chart.rules.append(Rule(scale.y(scores[0].total), "baseline", labels["baseline"]))
    chart.y_ticks = _ticks(scale, scoring.total_min, scoring.total_max)
    chart.legend = _legend(chart)
    return chart


def _legend(chart: Chart) -> list[LegendEntry]:
    """What each line and shade means, in the order the eye meets them: lines, then areas."""
    lines = [LegendEntry(r.css, r.label, "line") for r in chart.rules]
    boxes = [LegendEntry(s.css, s.label, "box") for s in chart.shades]
    return lines + boxes


def subscale_chart(title: str, maximum: int, scores: Sequence[Score]) -> Chart:
    """A plain chart of one subscale (e.g. a PCL-5 cluster): no bands or cut-off of its own."""
    scale = _Scale(Decimal(0), Decimal(maximum), [s.at for s in scores])
    return Chart(
        title=title,
        higher_is_better=False,
        points=_points(scale, scores),
        y_ticks=_ticks(scale, Decimal(0), Decimal(maximum)),
        x_ticks=scale.x_ticks(),
    )


def _ticks(scale: _Scale, low: Decimal, high: Decimal) -> list[tuple[float, str]]:
    """About five round values from ``low`` to ``high``."""
    span = high - low
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 6)
    ticks, value = [], low
    while value <= high:
        ticks.append((scale.y(value), f"{value.normalize():f}"))
        value += step
    return ticks


def plain_chart(
    definition: Definition, scores: Sequence[Score], *, title: str, band_words: Sequence[str]
) -> Chart:
    """The chart a client reads about their own scores: the same time axis and band areas as
    ``instrument_chart``, each band named in ``band_words`` (plain words, one per band, "" for
    none), and no clinical lines (cut-off, baseline, reliable change)."""
    scoring = definition.scoring
    scale = _Scale(scoring.total_min, scoring.total_max, [s.at for s in scores])
    chart = Chart(
        title=title,
        higher_is_better=scoring.direction == "higher_is_better",
        points=_points(scale, scores),
        x_ticks=scale.x_ticks(),
        y_ticks=_ticks(scale, scoring.total_min, scoring.total_max),
    )
    bands = scoring.bands
    for index, band in enumerate(bands):
        upper = bands[index + 1].minimum if index + 1 < len(bands) else scoring.total_max
        top, bottom = scale.y(upper), scale.y(band.minimum)
        label = band_words[index] if index < len(band_words) else ""
        chart.shades.append(Shade(top, bottom - top, f"band {band_css(definition, index)}", label))
    chart.legend = [LegendEntry(s.css, s.label, "box") for s in chart.shades if s.label]
    return chart
