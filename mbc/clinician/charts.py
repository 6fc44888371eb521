"""Progress charts as geometry: scores over check-ins, severity bands, cut-off, baseline and the
band of reliable change around it. Pure: the template turns a ``Chart`` into inline SVG, so the
browser needs no chart library and the page works without JavaScript.

The x axis is the check-in number (1 = baseline), which keeps weekly and irregular histories
equally readable; each point names its date and value on hover and in the table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from mbc.instruments.schema import Definition

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 10, 28  # margins around the plot area

# PCL-5: the probable-PTSD cut-off lies in 31-33 [official: INSTRUMENTS.md, and the definition's
# note "Charts show the 31-33 range"]; we flag at 33 and shade the range.
CUTOFF_RANGES: dict[str, tuple[int, int]] = {"pcl5": (31, 33)}


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


@dataclass
class Chart:
    title: str
    higher_is_better: bool
    points: list[Point]
    shades: list[Shade] = field(default_factory=list)  # bands, cut-off range, reliable band
    rules: list[Rule] = field(default_factory=list)  # cut-off and baseline lines
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


class _Scale:
    def __init__(self, low: Decimal, high: Decimal, n: int) -> None:
        self.low, self.high, self.n = low, high, n

    def y(self, value: Decimal) -> float:
        value = min(max(value, self.low), self.high)
        span = float(self.high - self.low) or 1.0
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(value - self.low) / span)

    def x(self, index: int) -> float:
        width = WIDTH - LEFT - RIGHT
        if self.n <= 1:
            return LEFT + width / 2
        return LEFT + 8 + (width - 16) * index / (self.n - 1)


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
    scale = _Scale(scoring.total_min, scoring.total_max, len(scores))
    chart = Chart(
        title=title,
        higher_is_better=scoring.direction == "higher_is_better",
        points=[Point(scale.x(i), scale.y(s.total), i + 1, s) for i, s in enumerate(scores)],
    )
    bands = scoring.bands
    for index, band in enumerate(bands):
        # Contiguous: a band reaches up to where the next begins (4 -> 5 leaves no gap).
        upper = bands[index + 1].minimum if index + 1 < len(bands) else scoring.total_max
        top, bottom = scale.y(upper), scale.y(band.minimum)
        label = definition.text(band.label, language)
        chart.shades.append(Shade(top, bottom - top, f"band band-{index}", label))
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
        chart.rules.append(Rule(scale.y(cutoff.value), "cutoff", labels["cutoff"]))
    if scores:
        chart.rules.append(Rule(scale.y(scores[0].total), "baseline", labels["baseline"]))
    chart.y_ticks = _ticks(scale, scoring.total_min, scoring.total_max)
    return chart


def subscale_chart(title: str, maximum: int, scores: Sequence[Score]) -> Chart:
    """A plain chart of one subscale (e.g. a PCL-5 cluster): no bands or cut-off of its own."""
    scale = _Scale(Decimal(0), Decimal(maximum), len(scores))
    return Chart(
        title=title,
        higher_is_better=False,
        points=[Point(scale.x(i), scale.y(s.total), i + 1, s) for i, s in enumerate(scores)],
        y_ticks=_ticks(scale, Decimal(0), Decimal(maximum)),
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
