"""A small server-rendered SVG of the practice's WHO-5 and burnout means across windows (the
table beside it has the same figures, for screen readers and for exact values)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mbc.wellbeing.results import WindowSummary

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 220, 40, 40, 12, 28


@dataclass(frozen=True)
class Series:
    key: str
    colour: str
    points: list[tuple[float, float, str, Decimal]]  # x, y, window date, value

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in self.points)


@dataclass(frozen=True)
class TrendChart:
    series: list[Series]
    labels: list[tuple[float, str]]  # x, window date
    line_50: float  # y of the 50 mark (WHO-5 screen, CBI high)
    ticks: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT


def _y(value: Decimal) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(value) / 100)


def build(trend: list[WindowSummary]) -> TrendChart | None:
    """Oldest window first; only windows whose figures are shown. None with fewer than two."""
    shown = [s for s in reversed(trend) if not s.hidden]
    if len(shown) < 2:
        return None
    step = (WIDTH - LEFT - RIGHT) / (len(shown) - 1)
    xs = [LEFT + i * step for i in range(len(shown))]
    series = []
    for key, colour, attribute in (
        ("who5", "#0b5cad", "who5_mean"),
        ("cbi", "#9a3412", "cbi_mean"),
    ):
        points = [
            (x, _y(value), s.window.opens_on.isoformat(), value)
            for x, s in zip(xs, shown, strict=True)
            if (value := getattr(s.figures, attribute)) is not None
        ]
        series.append(Series(key, colour, points))
    every = max(1, len(shown) // 6)
    labels = [
        (x, s.window.opens_on.isoformat()) for x, s in list(zip(xs, shown, strict=True))[::every]
    ]
    ticks = [(_y(Decimal(v)), v) for v in (0, 25, 50, 75, 100)]
    return TrendChart(series, labels, _y(Decimal(50)), ticks)
